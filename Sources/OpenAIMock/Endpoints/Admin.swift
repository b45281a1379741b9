import MockHTTP

/// The mock's own API under `/_mock/` (never under `/v1`): health, journal, reset. A test id
/// (`X-Mock-Test-Id` or `?test_id=`) narrows the journal, reset and clock to that test.
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
        var entries = ctx.testID.map { ctx.state.journal.entries(testID: $0) } ?? ctx.state.journal.entries
        if let path = ctx.queryValue("path") { entries = entries.filter { $0.path == path } }
        return .json(.object(JSONObject([
            ("object", "list"),
            ("data", .array(entries.map(\.json))),
        ])))
    }

    static let clearRequests: Endpoint = { ctx in
        if let testID = ctx.testID { ctx.state.journal.clear(testID: testID) } else { ctx.state.journal.clear() }
        return .json(.object(["deleted": true]))
    }

    /// `GET /_mock/clock`: the virtual time and how it moves.
    static let clock: Endpoint = { ctx throws(OpenAIError) in
        .json(clockJSON(try ctx.testWorld().clock))
    }

    /// `POST /_mock/clock/advance` with `{"seconds": N}` (fractions allowed) or `{"to": UNIX}`:
    /// moves the virtual clock forward; whatever waits on it (jobs, event streams) moves on before
    /// the answer.
    static let advanceClock: Endpoint = { ctx throws(OpenAIError) in
        let body = try ctx.jsonBody()
        let world = try ctx.testWorld()
        let clock = world.clock
        if let to = body["to"], to != .null {
            guard let seconds = to.doubleValue, seconds.isFinite, abs(seconds) < 1e13 else {
                throw OpenAIError.invalidType("to", expected: "a number", got: to)
            }
            clock.advance(to: Int64(seconds * 1000))
        } else if let by = body["seconds"], by != .null {
            guard let seconds = by.doubleValue, seconds.isFinite, seconds >= 0, seconds < 1e10 else {
                throw OpenAIError.invalidRequest("'seconds' must be a number of seconds between 0 and 1e10.", param: "seconds")
            }
            clock.advance(byMillis: Int64((seconds * 1000).rounded()))
        } else {
            throw OpenAIError.invalidRequest("Give 'seconds' (how far to move) or 'to' (a Unix time).", param: "seconds")
        }
        if world.store.isOpen { try world.store.recordClock() }
        return .json(clockJSON(clock))
    }

    static func clockJSON(_ clock: VirtualClock) -> JSONValue {
        let millis = clock.nowMillis()
        let pace: JSONValue
        switch clock.pace {
        case .auto(let speed): pace = .object(JSONObject([("mode", "auto"), ("speed", .double(speed))]))
        case .instant: pace = .object(["mode": "instant"])
        case .manual: pace = .object(["mode": "manual"])
        }
        return .object(JSONObject([
            ("now", .int(Int(millis.floorDivided(by: 1000)))),
            ("now_ms", .int(Int(millis))),
            ("clock", .string(clock.mode == .real ? "real" : "fixed")),
            ("pace", pace),
        ]))
    }

    /// Everything, or with a test id only what that test made, counted and journaled.
    static let reset: Endpoint = { ctx throws(OpenAIError) in
        if let testID = ctx.testID, ctx.state.testID != testID {
            MockState.forget(testID: testID, journal: ctx.state.journal, scenarios: ctx.state.scenarios)
        } else {
            try ctx.state.reset()
        }
        return .json(.object(["reset": true]))
    }
}
