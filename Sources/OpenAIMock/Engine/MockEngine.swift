import MockHTTP
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The fake OpenAI API as a socket-free `HTTPHandler`: route, then the ``Pipeline`` of steps
/// (log, journal, headers, auth, body, test isolation, scenarios…) ending in the endpoint.
public final class MockEngine: HTTPHandler {
    public let state: MockState
    let api: Router
    let admin: Router
    let pipeline: Pipeline
    /// Numbers requests whose body is streamed (see ``requestHash(_:seed:streamNumber:)``).
    private let streamedRequests = Atomic<Int>(0)

    /// `forward`: a step that sends requests upstream (``openai-mock record``), placed before the
    /// scenario rules.
    public init(configuration: MockConfiguration = MockConfiguration(), forward: (any PipelineStep)? = nil) {
        state = MockState(configuration: configuration)
        api = Router.openAI()
        admin = Router.admin()
        pipeline = Pipeline.standard(configuration: configuration, tests: state.tests, forward: forward)
        attachBatches(to: state)
        let base = state
        state.tests.attach { [weak self] id throws(StoreOpenError) in
            let world = MockState(testID: id, sharing: base)
            try world.start()
            self?.attachBatches(to: world)
            return world
        }
    }

    /// A batch's lines go through this engine's pipeline, in the world that made the batch.
    private func attachBatches(to world: MockState) {
        world.batches.attach { [weak self, weak world] request in
            guard let self, let world else { return OpenAIError.serverError().response }
            return await self.respond(request, batchLine: true, state: world)
        }
    }

    /// Opens the state store (`--state-dir`, or a temporary directory) and starts the clock's
    /// work. The in-process API and the CLI call it before serving. Throws when the state
    /// directory is in use by another server or cannot be read.
    public func start() throws(StoreOpenError) { try state.start() }

    /// Closes the state store (a temporary one is removed) and every test's. Call after the server stopped.
    public func stop() async { state.stop() }

    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        await respond(request, batchLine: false, state: state, onEventLoop: true)
    }

    /// Requests that may be answered on the event loop that read them (``HTTPServerConfiguration/handlersStartOnLoop``):
    /// generated content from a small body, bounded work. Everything else (uploads, state, jobs, batches,
    /// the admin API) moves to the cooperative pool before it runs; an endpoint that may still do heavy work
    /// calls ``RequestContext/leaveEventLoop()`` first.
    static func staysOnEventLoop(_ kind: RouteKind, _ request: HTTPRequest) -> Bool {
        guard kind == .generating, case .bytes(let bytes) = request.body else { return false }
        return bytes.count <= 64 * 1024
    }

    /// Routes the request and runs its kind's chain of the pipeline. A batch line (a request of a
    /// batch's input file, answered without a socket) goes through the batch-line chains: answered
    /// exactly as a direct call with the same body, except that it needs no key (the batch was
    /// authenticated), waits no scenario delay, and is neither journaled nor logged.
    func respond(_ request: HTTPRequest, batchLine: Bool, state: MockState, onEventLoop: Bool = false) async -> HTTPResponse {
        let started = ContinuousClock.now
        let isAdmin = request.path == "/_mock" || request.path.hasPrefix("/_mock/")
        var streamNumber = 0
        if case .stream = request.body { streamNumber = streamedRequests.add(1, ordering: .relaxed).newValue }
        let endpoint: Endpoint, parameters: [String: String], body: RouteBody, kind: RouteKind
        switch (isAdmin ? admin : api).match(method: request.method, path: request.path) {
        case .found(let e, let p, let b, let k):
            (endpoint, parameters, body, kind) = (e, p, b, k)
        case .notFound:
            (endpoint, parameters, body) = (Self.invalidURL, [:], .whole)
            kind = isAdmin ? .admin : .unrouted
        case .wrongMethod:
            (endpoint, parameters, body) = (Self.methodNotAllowed, [:], .whole)
            kind = isAdmin ? .admin : .unrouted
        }
        let ctx = RequestContext(request: request, parameters: parameters, kind: kind, body: body, endpoint: endpoint,
                                 state: state, streamNumber: streamNumber, batchLine: batchLine, started: started,
                                 onEventLoop: onEventLoop)
        if onEventLoop && !Self.staysOnEventLoop(kind, request) { await ctx.leaveEventLoop() }
        do {
            return try await pipeline.chain(for: ctx)(ctx)
        } catch {
            return error.response  // the error step renders errors; this is only its safety net
        }
    }

    static let invalidURL: Endpoint = { ctx throws(OpenAIError) in
        throw OpenAIError.invalidURL(method: ctx.request.method, path: ctx.request.path)
    }

    static let methodNotAllowed: Endpoint = { ctx throws(OpenAIError) in
        throw OpenAIError.methodNotAllowed(method: ctx.request.method, path: ctx.request.path)
    }

    static func requestID(_ hash: UInt64) -> String {
        "req_" + StableHash.idSuffix(hash, length: 32, mixedCase: false)
    }

    /// The headers the real API puts on every response. Processing time is reported as 0 so the
    /// same request gives the same bytes; real latency is in the journal.
    static func addOpenAIHeaders(to response: inout HTTPResponse, requestID: String) {
        response.headers.reserveCapacity(response.headers.count + 4)
        response.headers.set("x-request-id", requestID)
        response.headers.set("openai-version", "2020-10-01")
        response.headers.set("openai-processing-ms", "0")
        response.headers.set("openai-organization", "user-openai-mock")
    }

    /// Stable across processes: method, target and body, plus the seed. A streamed body (an
    /// upload) cannot be hashed before it is read: its place among this engine's streamed requests
    /// stands in for it, so ids stay distinct and the same session gives the same ids.
    static func requestHash(_ request: HTTPRequest, seed: UInt64, streamNumber: Int) -> UInt64 {
        var h = StableHash(seed)
        h.combine(request.method)
        h.combine(request.target)
        switch request.body {
        case .bytes(let b):
            h.combine(b)
        case .stream(let s):
            h.combine(s.expectedLength ?? -1)
            h.combine(streamNumber)
        }
        return h.finalized
    }
}

extension OpenAIError {
    /// A streamed body that could not be read: the client's fault (413, 400) or its absence.
    init(bodyStream error: HTTPBodyStreamError) {
        switch error {
        case .tooLarge(let limit):
            self.init(status: 413, message: "Request body too large: the maximum is \(limit) bytes.", code: "request_too_large")
        case .malformed(let why):
            self.init(status: 400, message: "Bad request: \(why)")
        case .connectionClosed, .cancelled:
            self.init(status: 400, message: "The request body ended before it was complete.")
        }
    }
}

extension HTTPResponse {
    /// A JSON response with the exact content type the SDKs expect.
    public static func json(_ value: JSONValue, status: Int = 200) -> HTTPResponse {
        json(serialized: value.serialized(), status: status)
    }

    /// A JSON response from bytes already written.
    static func json(serialized bytes: [UInt8], status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["content-type": "application/json"], bytes: bytes)
    }
}
