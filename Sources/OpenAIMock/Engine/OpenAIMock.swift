/// The in-process API: an openai-mock server inside the test process.
///
/// ```swift
/// let mock = try await OpenAIMock.start(rules: [#"{rules: [{when: {endpoint: "chat"}, do: {text: "Hi"}}]}"#])
/// // point a client at mock.baseURL ("http://127.0.0.1:PORT/v1")
/// #expect(mock.journal.count(path: "/v1/chat/completions") == 1)
/// mock.clock.advance(by: 60)
/// await mock.stop()
/// ```
public enum OpenAIMock {
    /// Starts a server on `port` (0: a free one): scenario files from `configuration.scenarioPaths`, then
    /// `rules` (JSON5 scenario texts written in Swift). Throws ``ScenarioLoadError`` when any rule is broken,
    /// `StoreOpenError` when the state cannot be opened, `HTTPServerStartError` when it cannot listen.
    public static func start(_ configuration: MockConfiguration = MockConfiguration(), rules: [String] = [],
                             host: String = "127.0.0.1", port: Int = 0) async throws -> MockServer {
        let server = MockServer(configuration: configuration, host: host, port: port)
        let loaded = server.engine.state.scenarios.lastDiagnostics
        if loaded.hasErrors { throw ScenarioLoadError(diagnostics: loaded) }
        for (i, text) in rules.enumerated() { try server.addRules(text, name: "<rules[\(i)]>") }
        try server.start()
        return server
    }
}

extension MockServer {
    /// The virtual clock (`clock.advance(by:)` moves jobs on, as `POST /_mock/clock/advance` does).
    public var clock: VirtualClock { engine.state.clock }

    /// Forgets everything made at run time, the journal and the scenario counters (`POST /_mock/reset`).
    public func reset() throws { try engine.state.reset() }

    /// Adds scenario rules written in Swift (JSON5 text, as in a file) after the loaded ones.
    public func addRules(_ text: String, name: String = "<swift>") throws {
        try engine.state.scenarios.add(text, name: name, models: engine.state.models)
    }
}
