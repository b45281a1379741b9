import MockHTTP

/// `/v1/fine_tuning/checkpoints/{checkpoint}/permissions`: which projects may use a checkpoint.
enum FineTuningPermissions {
    static let create: Endpoint = { ctx throws(OpenAIError) in
        let checkpoint = try existingCheckpoint(ctx)
        let body = try ctx.jsonBody()
        guard let value = body["project_ids"], value != .null else { throw OpenAIError.missingParameter("project_ids") }
        guard case .array(let items) = value, !items.isEmpty else {
            throw OpenAIError.invalidRequest("Invalid 'project_ids': expected a non-empty array of project ids.", param: "project_ids")
        }
        var projects: [String] = []
        for (i, item) in items.enumerated() {
            guard case .string(let p) = item, !p.isEmpty else { throw OpenAIError.invalidType("project_ids[\(i)]", expected: "a string", got: item) }
            if !projects.contains(p) { projects.append(p) }
        }
        let now = ctx.state.clock.now()
        let made = try ctx.state.store.update { data, change throws(OpenAIError) -> [CheckpointPermissionRecord] in
            let existing = Set(data.all(CheckpointPermissionRecord.self).filter { $0.checkpoint == checkpoint }.map(\.projectID))
            return projects.filter { !existing.contains($0) }.map { project in
                let sequence = change.nextSequence()
                var h = StableHash(ctx.seed)
                h.combine("permission")
                h.combine(checkpoint)
                h.combine(project)
                h.combine(sequence)
                let record = CheckpointPermissionRecord(id: "cp_" + StableHash.idSuffix(h.finalized, length: 24), sequence: sequence,
                                                        checkpoint: checkpoint, projectID: project, createdAt: now)
                change.put(record)
                return record
            }
        }
        return .json(CursorPage.json(made, after: nil, limit: made.count + 1, id: \.id, json: \.json))
    }

    static let list: Endpoint = { ctx throws(OpenAIError) in
        let checkpoint = try existingCheckpoint(ctx)
        let limit = try ctx.integerQuery("limit", range: 1...100, default: 10)
        let order = ctx.queryValue("order") ?? "descending"
        guard order == "ascending" || order == "descending" else {
            throw OpenAIError.invalidRequest("Invalid value: '\(order)'. Supported values are: 'ascending' and 'descending'.",
                                             param: "order", code: "invalid_value")
        }
        let project = ctx.queryValue("project_id")
        var permissions = try ctx.state.store.read { data in
            data.all(CheckpointPermissionRecord.self).filter { $0.checkpoint == checkpoint && (project == nil || $0.projectID == project) }
        }
        if order == "descending" { permissions.reverse() }
        return .json(CursorPage.json(permissions, after: ctx.queryValue("after"), limit: limit, id: \.id, json: \.json))
    }

    static let delete: Endpoint = { ctx throws(OpenAIError) in
        let checkpoint = try existingCheckpoint(ctx)
        let id = ctx.parameters["permission_id"] ?? ""
        try ctx.state.store.update { data, change throws(OpenAIError) in
            guard let p = data.get(CheckpointPermissionRecord.self, id), p.checkpoint == checkpoint else {
                throw OpenAIError(status: 404, message: "No such checkpoint permission: \(id)", param: "permission_id")
            }
            change.delete(CheckpointPermissionRecord.self, id: id)
        }
        return .json(.object(JSONObject([("id", .string(id)), ("object", "checkpoint.permission"), ("deleted", true)])))
    }

    /// The checkpoint model named by the path, if a job has made it.
    private static func existingCheckpoint(_ ctx: RequestContext) throws(OpenAIError) -> String {
        let name = ctx.parameters["fine_tuned_model_checkpoint"] ?? ""
        guard let info = ctx.state.models.model(name), info.learned?.checkpointStep != nil else {
            throw OpenAIError(status: 404, message: "No such fine-tuned model checkpoint: \(name)",
                              param: "fine_tuned_model_checkpoint", code: "model_not_found")
        }
        return name
    }
}

/// `/v1/fine_tuning/alpha/graders/run` and `/validate`.
enum Graders {
    static let run: Endpoint = { ctx throws(OpenAIError) in
        let body = try ctx.jsonBody()
        guard let g = body["grader"], g != .null else { throw OpenAIError.missingParameter("grader") }
        let grader = try Grader(g, path: "grader")
        let sample = try body.requiredString("model_sample")
        let item = body["item"] ?? .null
        return .json(grader.runJSON(grader.run(sample: sample, item: item)))
    }

    static let validate: Endpoint = { ctx throws(OpenAIError) in
        let body = try ctx.jsonBody()
        guard let g = body["grader"], g != .null else { throw OpenAIError.missingParameter("grader") }
        _ = try Grader(g, path: "grader")
        return .json(.object(JSONObject([("grader", g)])))
    }
}
