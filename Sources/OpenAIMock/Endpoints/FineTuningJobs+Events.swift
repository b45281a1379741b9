import MockHTTP

/// `GET /v1/fine_tuning/jobs/{id}/events` and `…/checkpoints`: newest first, cursor-paginated.
extension FineTuningJobs {
    static let events: Endpoint = { ctx throws(OpenAIError) in
        let service = ctx.state.fineTuning
        try await service.settle()
        let record = try job(ctx.parameters["fine_tuning_job_id"] ?? "", ctx: ctx)
        let limit = try ctx.integerQuery("limit", range: 1...100, default: 20)
        let timeline = JobTimeline(record)
        let list = JobEventList(timeline: timeline, now: ctx.state.clock.nowMillis(), modelName: timeline.modelName)
        // Newest first: positions count-1 … 0; `after` continues below the event it names.
        var start = list.count - 1
        if let after = ctx.queryValue("after") {
            guard let code = timeline.eventCode(after), let position = list.position(ofCode: code) else {
                return .json(.object(JSONObject([("object", "list"), ("data", .array([])), ("has_more", false)])))
            }
            start = position - 1
        }
        let positions = Array(stride(from: start, through: max(0, start - limit + 1), by: -1)).filter { $0 >= 0 }
        let items = positions.map { list.item(at: $0) }
        var run: TrainingRun?
        if items.contains(where: { if case .step = $0 { return true } else { return false } }) {
            run = try await service.trainingRun(record.recipe)
        }
        return .json(.object(JSONObject([
            ("object", "list"),
            ("data", .array(items.map { timeline.eventJSON($0, list: list, run: run) })),
            ("has_more", .bool((positions.last ?? 0) > 0)),
        ])))
    }

    static let checkpoints: Endpoint = { ctx throws(OpenAIError) in
        let service = ctx.state.fineTuning
        try await service.settle()
        let record = try job(ctx.parameters["fine_tuning_job_id"] ?? "", ctx: ctx)
        let limit = try ctx.integerQuery("limit", range: 1...100, default: 10)
        let timeline = JobTimeline(record)
        let made = Array(timeline.checkpoints(at: ctx.state.clock.nowMillis()).reversed())
        let run: TrainingRun? = made.isEmpty ? nil : try await service.trainingRun(record.recipe)
        return .json(CursorPage.json(made, after: ctx.queryValue("after"), limit: limit,
                                     id: { timeline.checkpointID(step: $0.step) },
                                     json: { timeline.checkpointJSON(step: $0.step, time: $0.time, run: run) }))
    }
}
