import MockHTTP

/// `POST /_mock/scenarios/reload`: re-read the `--scenarios` paths. 200 with the rule count on
/// success; 400 with every diagnostic when a file fails (the previous rules stay in force).
enum ScenarioAdmin {
    static let reload: Endpoint = { ctx in
        let store = ctx.state.scenarios
        let result = store.reload(models: ctx.state.models)
        if result.succeeded { for world in ctx.state.tests.all { store.addModels(to: world.models) } }
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
