import MockHTTP

/// The mock's own API under `/_mock/` (never under `/v1`): health, journal, reset.
enum Admin {
    static let health: Endpoint = { ctx in
        .json(.object(JSONObject([
            ("status", "ok"),
            ("version", .string(MockConfiguration.version)),
            ("seed", .int(Int(truncatingIfNeeded: ctx.state.configuration.seed))),
            ("models", .int(ctx.state.models.all.count)),
        ])))
    }

    static let requests: Endpoint = { ctx in
        var entries = ctx.state.journal.entries
        if let path = ctx.queryValue("path") { entries = entries.filter { $0.path == path } }
        return .json(.object(JSONObject([
            ("object", "list"),
            ("data", .array(entries.map(\.json))),
        ])))
    }

    static let clearRequests: Endpoint = { ctx in
        ctx.state.journal.clear()
        return .json(.object(["deleted": true]))
    }

    static let reset: Endpoint = { ctx throws(OpenAIError) in
        try ctx.state.reset()
        return .json(.object(["reset": true]))
    }
}
