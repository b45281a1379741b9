import MockHTTP

/// The engine behind a real socket: what the CLI runs and what Swift tests start in-process.
///
/// ```swift
/// let mock = try MockServer.start(port: 0)
/// defer { Task { await mock.stop() } }
/// client.baseURL = mock.baseURL   // http://127.0.0.1:PORT/v1
/// ```
public final class MockServer: Sendable {
    public let engine: MockEngine
    public let http: HTTPServer

    public init(configuration: MockConfiguration = MockConfiguration(), host: String = "127.0.0.1", port: Int = 4010,
                limits: HTTPServerConfiguration.Limits = .init(), eventLoops: Int = 0, forward: (any PipelineStep)? = nil) {
        engine = MockEngine(configuration: configuration, forward: forward)
        var http = HTTPServerConfiguration(host: host, port: port)
        http.limits = limits
        http.eventLoopCount = eventLoops
        http.handlersStartOnLoop = true  // see MockEngine.staysOnEventLoop
        http.errorResponder = MockEngine.httpErrorResponse
        self.http = HTTPServer(configuration: http, handler: engine)
    }

    /// Creates and starts a server; `port: 0` picks a free port.
    public static func start(configuration: MockConfiguration = MockConfiguration(), host: String = "127.0.0.1",
                             port: Int = 0) throws -> MockServer {
        let server = MockServer(configuration: configuration, host: host, port: port)
        try server.start()
        return server
    }

    /// Opens the engine's state (see ``MockEngine/start()``), then binds and listens.
    public func start() throws {
        try engine.start()
        do {
            try http.start()
        } catch {
            engine.state.stop()
            throw error
        }
    }

    public var host: String { http.configuration.host }
    public var port: Int { http.port }
    /// `http://HOST:PORT`, for the admin API.
    public var rootURL: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return "http://\(h):\(port)"
    }
    /// `http://HOST:PORT/v1`, what clients take as their base URL.
    public var baseURL: String { rootURL + "/v1" }
    public var journal: Journal { engine.state.journal }

    /// Stops accepting, lets in-flight requests finish (up to `gracePeriod` seconds), closes the
    /// connections (cancelling what their handlers still do), waits for the handlers, then closes
    /// the engine's state.
    public func stop(gracePeriod: Double = 5) async {
        await http.stop(gracePeriod: gracePeriod)
        await engine.stop()
    }
}

extension MockEngine {
    /// The HTTP layer's own rejections (bad framing, limits), in OpenAI's error shape.
    public static let httpErrorResponse: @Sendable (HTTPServerError) -> HTTPResponse = { error in
        let message: String
        var code: String?
        switch error {
        case .badRequest(let detail):
            message = "Bad request: \(detail)"
        case .headersTooLarge(let detail):
            message = "Request header fields too large: \(detail)"
            code = "request_header_fields_too_large"
        case .payloadTooLarge(let limit):
            message = "Request body too large: the maximum is \(limit) bytes."
            code = "request_too_large"
        case .uriTooLong:
            message = "Request URI too long."
        case .notImplemented(let detail):
            message = "Not implemented: \(detail)"
        case .versionNotSupported:
            message = "HTTP version not supported."
        }
        var response = OpenAIError(status: error.status, message: message, code: code).response
        MockEngine.addOpenAIHeaders(to: &response, requestID: "req_" + StableHash.idSuffix(
            StableHash.of("http-error", message), length: 32, mixedCase: false))
        response.headers.set("connection", "close")
        return response
    }
}
