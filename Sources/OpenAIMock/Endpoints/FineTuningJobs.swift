import MockHTTP

/// `/v1/fine_tuning/jobs`: create, list, retrieve, cancel, pause, resume. A job's state is its
/// timeline read at the virtual clock's now (see ``JobTimeline``).
enum FineTuningJobs {
    static let create: Endpoint = { ctx throws(OpenAIError) in
        let request = try FineTuningJobRequest(try ctx.jsonBody())
        let service = ctx.state.fineTuning
        try await service.settle()
        let (shownModel, baseModel, parent) = try resolveModel(request.model, ctx: ctx)
        let reasoning = ctx.state.models.model(baseModel)?.reasoning == true
        if (request.kind == .reinforcement) != reasoning {
            throw OpenAIError.invalidRequest(
                request.kind == .reinforcement
                    ? "Model \(request.model) does not support reinforcement fine-tuning: use a reasoning model such as o4-mini."
                    : "Model \(request.model) supports reinforcement fine-tuning only: set method.type to 'reinforcement'.",
                param: "model", code: "invalid_value")
        }
        let now = ctx.state.clock.nowMillis()
        let (training, validation) = try files(request.trainingFile, request.validationFile, ctx: ctx, now: now)
        let check = await FineTuningValidation.check(training: training, validation: validation, request: request,
                                                     baseModel: baseModel, service: service)
        let method = request.method(examples: check.examples)
        let org = organization(ctx)
        let record = try ctx.state.store.update { _, change throws(OpenAIError) -> FineTuningJobRecord in
            let sequence = change.nextSequence()
            var h = StableHash(ctx.seed)
            h.combine("ftjob")
            h.combine(sequence)
            h.combine(training.id)
            h.combine(request.model)
            let seed = request.seed ?? Int(ctx.requestHash % 2_147_483_647)
            let job = FineTuningJobRecord(
                id: "ftjob-" + StableHash.idSuffix(h.finalized, length: 24), sequence: sequence, createdMs: now,
                model: shownModel, baseModel: baseModel, parentModel: parent, trainingFile: training.id,
                validationFile: validation?.id, trainingBlob: training.blob, validationBlob: validation?.blob,
                suffix: request.suffix, seed: seed, method: method, integrations: request.integrations,
                metadata: request.metadata, organizationID: org.id, organizationSlug: org.slug,
                exampleCount: check.examples, tokensPerEpoch: check.tokens, failure: check.failure)
            change.put(job)
            return job
        }
        if record.failure == nil, let data = check.data {
            service.prepare(record.recipe, training: data, validation: check.validationData)
        }
        service.jobsChanged()
        try await service.settle()  // an instant clock has already moved to the job's end
        return .json(JobTimeline(try job(record.id, ctx: ctx)).json(now: ctx.state.clock.nowMillis()))
    }

    /// A fine-tune's training and validation files: existing, unexpired, uploaded for fine-tuning.
    static func files(_ training: String, _ validation: String?, ctx: RequestContext,
                      now: Int64) throws(OpenAIError) -> (FileRecord, FileRecord?) {
        try ctx.state.store.read { data throws(OpenAIError) -> (FileRecord, FileRecord?) in
            func file(_ id: String, _ param: String) throws(OpenAIError) -> FileRecord {
                guard let f = data.get(FileRecord.self, id), f.purpose == "fine-tune", !f.isExpired(at: Int(now / 1000)) else {
                    throw OpenAIError.invalidRequest("invalid \(param): \(id)", param: param, code: "invalid_value")
                }
                return f
            }
            return (try file(training, "training_file"), try validation.map { id throws(OpenAIError) in try file(id, "validation_file") })
        }
    }

    /// The job's model, the catalogue model it derives from, and the `ft:` model it continues.
    static func resolveModel(_ name: String, ctx: RequestContext) throws(OpenAIError) -> (String, String, String?) {
        if let snapshot = FineTuningJobRequest.snapshots[name] { return (snapshot, snapshot, nil) }
        if let info = ctx.state.models.model(name), let source = info.learned, source.checkpointStep == nil,
           let record = try ctx.state.store.read({ $0.get(FineTunedModelRecord.self, source.modelID) }) {
            return (name, record.baseModel, name)
        }
        throw OpenAIError.invalidRequest("Model \(name) is not available for fine-tuning or does not exist.", param: "model",
                                         code: "model_not_available")
    }

    /// The organisation a request speaks for: its `OpenAI-Organization` header, else the mock's own.
    static func organization(_ ctx: RequestContext) -> (id: String, slug: String) {
        guard let header = ctx.request.headers["openai-organization"]?.trimmingWhitespace(), !header.isEmpty,
              header.utf8.count <= 64 else { return ("org-openai-mock", "personal") }
        let slug = String(header.hasPrefix("org-") ? header.dropFirst(4) : header[...]).lowercased()
            .map { $0.isLetter || $0.isNumber ? $0 : "-" }
        return (header, String(slug))
    }

    // MARK: Reading

    static let list: Endpoint = { ctx throws(OpenAIError) in
        try await ctx.state.fineTuning.settle()
        let limit = try ctx.integerQuery("limit", range: 1...100, default: 20)
        let filter = Metadata.Filter(ctx)
        let jobs = try ctx.state.store.read { data in
            data.all(FineTuningJobRecord.self).reversed().filter { filter.matches($0.metadata) }
        }
        let now = ctx.state.clock.nowMillis()
        let (page, hasMore) = CursorPage.slice(Array(jobs), after: ctx.queryValue("after"), limit: limit, id: \.id)
        return .json(.object(JSONObject([
            ("object", "list"), ("data", .array(page.map { JobTimeline($0).json(now: now) })), ("has_more", .bool(hasMore)),
        ])))
    }

    static let retrieve: Endpoint = { ctx throws(OpenAIError) in
        try await ctx.state.fineTuning.settle()
        let record = try job(ctx.parameters["fine_tuning_job_id"] ?? "", ctx: ctx)
        return .json(JobTimeline(record).json(now: ctx.state.clock.nowMillis()))
    }

    static func job(_ id: String, ctx: RequestContext) throws(OpenAIError) -> FineTuningJobRecord {
        guard let record = try ctx.state.store.read({ $0.get(FineTuningJobRecord.self, id) }) else {
            throw OpenAIError(status: 404, message: "Could not find fine tune job: \(id)", param: "fine_tuning_job_id")
        }
        return record
    }

    // MARK: Changing

    static let cancel: Endpoint = { ctx throws(OpenAIError) in
        try await change(ctx) { job, timeline, now throws(OpenAIError) in
            let status = timeline.status(at: now)
            guard !status.isTerminal else {
                throw OpenAIError.invalidRequest("Cannot cancel a job that has already \(status == .succeeded ? "succeeded" : status.rawValue).",
                                                 param: "fine_tuning_job_id")
            }
            job.cancelledMs = now
        }
    }

    static let pause: Endpoint = { ctx throws(OpenAIError) in
        try await change(ctx) { job, timeline, now throws(OpenAIError) in
            guard timeline.canPause(at: now) else {
                throw OpenAIError.invalidRequest(
                    "Cannot pause a job that is \(timeline.status(at: now).rawValue.replacing("_", with: " ")): only running jobs can be paused.",
                    param: "fine_tuning_job_id")
            }
            job.pauses.append(.init(pausedMs: now, resumedMs: nil))
        }
    }

    static let resume: Endpoint = { ctx throws(OpenAIError) in
        try await change(ctx) { job, timeline, now throws(OpenAIError) in
            guard timeline.status(at: now) == .paused, job.pauses.last?.resumedMs == nil else {
                throw OpenAIError.invalidRequest(
                    "Cannot resume a job that is \(timeline.status(at: now).rawValue.replacing("_", with: " ")): only paused jobs can be resumed.",
                    param: "fine_tuning_job_id")
            }
            job.pauses[job.pauses.count - 1].resumedMs = now
        }
    }

    /// Applies `edit` to the job named by the path at the clock's now; answers the job as it is then.
    private static func change(_ ctx: RequestContext,
                               _ edit: @escaping (inout FineTuningJobRecord, JobTimeline, Int64) throws(OpenAIError) -> Void)
        async throws(OpenAIError) -> HTTPResponse {
        let service = ctx.state.fineTuning
        try await service.settle()
        let id = ctx.parameters["fine_tuning_job_id"] ?? ""
        let now = ctx.state.clock.nowMillis()
        let updated = try ctx.state.store.update { data, change throws(OpenAIError) -> FineTuningJobRecord in
            guard var job = data.get(FineTuningJobRecord.self, id) else {
                throw OpenAIError(status: 404, message: "Could not find fine tune job: \(id)", param: "fine_tuning_job_id")
            }
            try edit(&job, JobTimeline(job), now)
            change.put(job)
            return job
        }
        service.jobsChanged()
        return .json(JobTimeline(updated).json(now: now))
    }
}
