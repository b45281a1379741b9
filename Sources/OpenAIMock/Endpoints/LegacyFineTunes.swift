import MockHTTP

/// The removed `/v1/fine-tunes` API, as openai 0.28 and its `openai api fine_tunes.*` CLI use it:
/// create, list, retrieve, cancel, delete, events — and `events?stream=true`, which replays the past
/// events, sends each new one as virtual time reaches it, and ends with `data: [DONE]` when the
/// fine-tune does.
enum LegacyFineTunes {
    static let bases = ["ada", "babbage", "curie", "davinci"]

    static let create: Endpoint = { ctx throws(OpenAIError) in
        let body = try ctx.jsonBody()
        let service = ctx.state.fineTuning
        try await service.settle()
        let request = try LegacyFineTuneRequest(body)
        let (base, parent) = try resolveModel(request.model, ctx: ctx)
        let now = ctx.state.clock.nowMillis()
        let (training, validation) = try FineTuningJobs.files(request.trainingFile, request.validationFile, ctx: ctx, now: now)
        var failure: String?
        var examples = 0, tokens = 0
        var parsed: TrainingData?, parsedValidation: TrainingData?
        do {
            let data = try TrainingData.parse(try await service.bytes(training.blob))
            examples = data.exampleCount
            tokens = data.totalTokens
            parsed = data
            if data.format != .promptCompletion { failure = Self.promptCompletionError(data) }
            if failure == nil, let validation {
                let v = try TrainingData.parse(try await service.bytes(validation.blob))
                if v.format != .promptCompletion { failure = "Validation file: " + Self.promptCompletionError(v) }
                parsedValidation = v
            }
        } catch let error as TrainingFileError {
            failure = error.message
        } catch {
            failure = "\(error)"
        }
        let org = FineTuningJobs.organization(ctx)
        let hyperparams = request.hyperparams(examples: examples)
        let record = try ctx.state.store.update { _, change throws(OpenAIError) -> LegacyFineTuneRecord in
            let sequence = change.nextSequence()
            var h = StableHash(ctx.seed)
            h.combine("fine-tune")
            h.combine(sequence)
            h.combine(training.id)
            let job = LegacyFineTuneRecord(
                id: "ft-" + StableHash.idSuffix(h.finalized, length: 24), sequence: sequence, createdMs: now,
                model: request.model, baseModel: base, parentModel: parent, trainingFile: training.id,
                trainingBlob: training.blob, validationFile: validation?.id, validationBlob: validation?.blob,
                hyperparams: hyperparams, suffix: request.suffix, seed: Int(ctx.requestHash % 2_147_483_647),
                organizationID: org.id, organizationSlug: org.slug, exampleCount: examples, tokensPerEpoch: tokens,
                failure: failure)
            change.put(job)
            return job
        }
        if failure == nil, let parsed { service.prepare(record.recipe, training: parsed, validation: parsedValidation) }
        service.jobsChanged()
        try await service.settle()
        return .json(try json(record.id, ctx: ctx, withEvents: true))
    }

    /// The base a fine-tune derives from, and the legacy fine-tuned model it continues.
    static func resolveModel(_ name: String, ctx: RequestContext) throws(OpenAIError) -> (String, String?) {
        if bases.contains(name) { return (name, nil) }
        if let info = ctx.state.models.model(name), let source = info.learned,
           let record = try ctx.state.store.read({ $0.get(FineTunedModelRecord.self, source.modelID) }),
           bases.contains(record.baseModel) {
            return (record.baseModel, name)
        }
        throw OpenAIError.invalidRequest("Model \(name) is not available for fine-tuning or does not exist.", param: "model",
                                         code: "model_not_available")
    }

    /// The legacy API's complaint about data that is not prompt/completion pairs.
    static func promptCompletionError(_ data: TrainingData) -> String {
        let key = data.format == .chat || data.format == .reinforcement ? "prompt" : "completion"
        return "Expected file to have JSONL format with prompt/completion keys. Missing `\(key)` key on line 1."
    }

    // MARK: Reading

    static let list: Endpoint = { ctx throws(OpenAIError) in
        try await ctx.state.fineTuning.settle()
        let now = ctx.state.clock.nowMillis()
        let (jobs, files) = try ctx.state.store.read { data in (data.all(LegacyFineTuneRecord.self), data) }
        return .json(.object(JSONObject([
            ("object", "list"),
            ("data", .array(jobs.map { LegacyTimeline($0).json(now: now, files: { fileJSON($0, files) }, withEvents: false) })),
        ])))
    }

    static let retrieve: Endpoint = { ctx throws(OpenAIError) in
        try await ctx.state.fineTuning.settle()
        return .json(try json(ctx.parameters["fine_tune_id"] ?? "", ctx: ctx, withEvents: true))
    }

    static func json(_ id: String, ctx: RequestContext, withEvents: Bool) throws(OpenAIError) -> JSONValue {
        let (job, files) = try ctx.state.store.read { data in (data.get(LegacyFineTuneRecord.self, id), data) }
        guard let job else { throw notFound(id) }
        return LegacyTimeline(job).json(now: ctx.state.clock.nowMillis(), files: { fileJSON($0, files) }, withEvents: withEvents)
    }

    /// A file as the legacy objects embed it (a deleted one keeps its id).
    static func fileJSON(_ id: String, _ data: StoreData) -> JSONValue {
        data.get(FileRecord.self, id)?.json ?? .object(JSONObject([("object", "file"), ("id", .string(id)), ("deleted", true)]))
    }

    static func notFound(_ id: String) -> OpenAIError {
        OpenAIError(status: 404, message: "No such FineTune object: \(id)", param: "id")
    }

    static let cancel: Endpoint = { ctx throws(OpenAIError) in
        let service = ctx.state.fineTuning
        try await service.settle()
        let id = ctx.parameters["fine_tune_id"] ?? ""
        let now = ctx.state.clock.nowMillis()
        try ctx.state.store.update { data, change throws(OpenAIError) in
            guard var job = data.get(LegacyFineTuneRecord.self, id) else { throw notFound(id) }
            let status = LegacyTimeline(job).status(at: now)
            guard status == "pending" || status == "running" else {
                throw OpenAIError.invalidRequest("Cannot cancel a fine-tune that has already \(status == "succeeded" ? "succeeded" : status).",
                                                 param: "id")
            }
            job.cancelledMs = now
            change.put(job)
        }
        service.jobsChanged()
        return .json(try json(id, ctx: ctx, withEvents: true))
    }

    static let delete: Endpoint = { ctx throws(OpenAIError) in
        let id = ctx.parameters["fine_tune_id"] ?? ""
        try ctx.state.store.update { data, change throws(OpenAIError) in
            guard data.get(LegacyFineTuneRecord.self, id) != nil else { throw notFound(id) }
            change.delete(LegacyFineTuneRecord.self, id: id)
        }
        ctx.state.fineTuning.jobsChanged()
        return .json(.object(JSONObject([("id", .string(id)), ("object", "fine-tune"), ("deleted", true)])))
    }

    // MARK: Events

    static let events: Endpoint = { ctx throws(OpenAIError) in
        let service = ctx.state.fineTuning
        try await service.settle()
        let id = ctx.parameters["fine_tune_id"] ?? ""
        guard let job = try ctx.state.store.read({ $0.get(LegacyFineTuneRecord.self, id) }) else { throw notFound(id) }
        let stream = ["true", "1"].contains(ctx.queryValue("stream")?.lowercased() ?? "")
        guard stream else {
            let events = LegacyTimeline(job).events(at: ctx.state.clock.nowMillis())
            return .json(.object(JSONObject([("object", "list"), ("data", .array(events.map(LegacyTimeline.eventJSON)))])))
        }
        let state = ctx.state
        return HTTPResponse(status: 200, headers: ["content-type": "text/event-stream", "cache-control": "no-cache"],
                            body: .stream { writer in try await follow(id, state: state, writer: writer) })
    }

    /// Sends the fine-tune's events as they happen, then `data: [DONE]` once it is over (or gone).
    static func follow(_ id: String, state: MockState, writer: any HTTPBodyWriter) async throws {
        var sent = 0
        while true {
            try? await state.fineTuning.settle()
            guard let job = try? state.store.read({ $0.get(LegacyFineTuneRecord.self, id) }) else { break }
            let timeline = LegacyTimeline(job)
            let now = state.clock.nowMillis()
            let events = timeline.events(at: now)
            if events.count > sent {
                var bytes: [UInt8] = []
                for event in events[sent...] {
                    bytes += Array("data: ".utf8) + LegacyTimeline.eventJSON(event).serialized() + Array("\n\n".utf8)
                }
                try await writer.write(bytes)
                sent = events.count
            }
            if ["succeeded", "failed", "cancelled"].contains(timeline.status(at: now)) { break }
            try await state.fineTuning.waitForChange(orUntil: timeline.nextEvent(after: now))
        }
        try await writer.write(Array("data: [DONE]\n\n".utf8))
    }
}
