import MockHTTP

/// The engine's scenario hook, run after routing and auth and before the endpoint:
/// pick the rule, record it for the journal, wait its delay, and either answer a fault here or
/// hand the resolved reply to the endpoint through ``RequestContext/scenarioReply``.
enum ScenarioInterceptor {
    /// Endpoints that generate content: `--strict` requires a rule for these (the others —
    /// models, files, jobs — answer from state, which a test suite rarely wants to script).
    static let generatingPaths: Set<String> = ["/v1/chat/completions", "/v1/responses", "/v1/completions", "/v1/embeddings", "/v1/moderations"]

    /// nil: let the endpoint answer (with `ctx.scenarioReply` set when a rule replies).
    static func intercept(_ ctx: RequestContext) async -> HTTPResponse? {
        let store = ctx.state.scenarios
        if store.isInert { return nil }
        let facts = RequestFacts(ctx)
        switch store.select(facts, requestHash: ctx.requestHash) {
        case .rule(let rule, let step):
            ctx.matchedRule = rule.location.fileLine
            ctx.scriptedDelay = step.delay
            if let delay = step.delay, !ctx.batchLine { try? await Task.sleep(for: delay) }
            if step.dropConnection { return ScenarioFaults.dropped }
            if let fault = step.fault {
                return ScenarioFaults.error(fault, message: fault.message?.render(facts)).response
            }
            var h = StableHash(ctx.requestHash)
            h.combine(rule.location.fileLine)
            ctx.scenarioReply = ScenarioReply(step, facts: facts, idSeed: h.finalized)
            return nil
        case .chaos(let value):
            ctx.matchedRule = "--chaos"
            return ScenarioFaults.builtInChaos(value)
        case .none(let nearest):
            guard store.strict, generatingPaths.contains(ctx.request.path) else { return nil }
            return ScenarioFaults.strictError(method: ctx.request.method, path: ctx.request.path, nearest: nearest).response
        }
    }
}

/// `POST /_mock/scenarios/reload`: re-read the `--scenarios` paths. 200 with the rule count on
/// success; 400 with every diagnostic when a file fails (the previous rules stay in force).
enum ScenarioAdmin {
    static let reload: Endpoint = { ctx in
        let store = ctx.state.scenarios
        let result = store.reload(models: ctx.state.models)
        let diagnostics = JSONValue.array(result.diagnostics.map { .string($0.description) })
        if result.succeeded {
            return .json(.object(JSONObject([
                ("reloaded", true),
                ("files", .int(result.set.files.count)),
                ("rules", .int(result.set.rules.count)),
                ("models", .int(result.set.models.count)),
                ("warnings", diagnostics),
            ])))
        }
        let first = result.diagnostics.first { $0.severity == .error }?.description ?? "unknown error"
        var error = OpenAIError(status: 400, message: "Scenario reload failed; the previous rules stay in force. \(first)",
                                code: "scenario_reload_failed")
        error.headers.set("x-scenario-errors", String(result.diagnostics.filter { $0.severity == .error }.count))
        var response = error.response
        // Keep the OpenAI error shape and add every diagnostic next to it.
        response.body = .bytes(JSONValue.object(JSONObject([
            ("error", error.errorObject), ("diagnostics", diagnostics),
        ])).serialized())
        return response
    }
}
