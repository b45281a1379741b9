import MockHTTP
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The fake OpenAI API as a socket-free `HTTPHandler`: route, authenticate, run the endpoint,
/// decorate the response with OpenAI's headers, journal and log it.
public final class MockEngine: HTTPHandler {
    public let state: MockState
    let api: Router
    let admin: Router
    /// Numbers requests whose body is streamed (see ``requestHash(_:streamNumber:)``).
    private let streamedRequests = Atomic<Int>(0)

    public init(configuration: MockConfiguration = MockConfiguration()) {
        state = MockState(configuration: configuration)
        api = Router.openAI()
        admin = Router.admin()
        state.batches.attach { [weak self] request in
            guard let self else { return OpenAIError.serverError().response }
            return await self.respond(request, batchLine: true)
        }
    }

    /// Opens the state store (`--state-dir`, or a temporary directory) and starts the clock's
    /// work. The in-process API and the CLI call it before serving. Throws when the state
    /// directory is in use by another server or cannot be read.
    public func start() throws(StoreOpenError) { try state.start() }

    /// Closes the state store (a temporary one is removed). Call after the server stopped.
    public func stop() async { state.stop() }

    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        await respond(request, batchLine: false)
    }

    /// The request pipeline. A batch line (a request of a batch's input file, answered without a
    /// socket) is answered exactly as a direct call with the same body, except that it needs no key
    /// (the batch was authenticated), waits no scenario delay, and is neither journaled nor logged.
    func respond(_ request: HTTPRequest, batchLine: Bool) async -> HTTPResponse {
        let started = ContinuousClock.now
        let isAdmin = request.path == "/_mock" || request.path.hasPrefix("/_mock/")
        let router = isAdmin ? admin : api
        var request = request
        var streamNumber = 0
        if case .stream = request.body { streamNumber = streamedRequests.add(1, ordering: .relaxed).newValue }

        var context: RequestContext?
        var response: HTTPResponse
        do throws(OpenAIError) {
            switch router.match(method: request.method, path: request.path) {
            case .notFound:
                throw OpenAIError.invalidURL(method: request.method, path: request.path)
            case .wrongMethod:
                throw OpenAIError.methodNotAllowed(method: request.method, path: request.path)
            case .found(let endpoint, let parameters, let bodyKind):
                if !isAdmin && !batchLine { try Auth.check(request.headers, acceptedKeys: state.configuration.apiKeys) }
                if bodyKind == .whole, case .stream(let stream) = request.body {
                    request.body = .bytes(try await Self.collect(stream))
                }
                let hash = requestHash(request, streamNumber: streamNumber)
                let ctx = RequestContext(request: request, parameters: parameters, requestID: Self.requestID(hash),
                                         requestHash: hash, state: state, batchLine: batchLine)
                context = ctx
                if !isAdmin, let early = await ScenarioInterceptor.intercept(ctx) {
                    response = early
                } else {
                    response = try await endpoint(ctx)
                }
            }
        } catch {
            response = error.response
        }
        let requestID = context?.requestID ?? Self.requestID(requestHash(request, streamNumber: streamNumber))

        if isAdmin {
            response.headers.set("x-request-id", requestID)
        } else {
            Self.addOpenAIHeaders(to: &response, requestID: requestID)
        }
        if batchLine {
            // A batch spends a rule's delay in virtual time: its processing time.
            if let delay = context?.scriptedDelay {
                response.headers.set("openai-processing-ms", String(delay.components.seconds * 1000 + delay.components.attoseconds / 1_000_000_000_000_000))
            }
            return response
        }

        let elapsed = ContinuousClock.now - started
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        if !isAdmin {
            state.journal.record(request: request, requestID: requestID, status: response.status, durationMs: ms,
                                 matchedRule: context?.matchedRule)
        }
        if let format = state.configuration.log {
            RequestLog.emit(format: format, method: request.method, path: request.path, status: response.status,
                             matchedRule: context?.matchedRule, durationMs: ms, requestID: requestID)
        }
        return response
    }

    /// The largest JSON body read into memory (a chat request with inline images can be tens of MB).
    static let wholeBodyLimit = 128 << 20

    /// A large body a JSON endpoint takes whole, read to its end.
    static func collect(_ stream: HTTPBodyStream) async throws(OpenAIError) -> [UInt8] {
        do {
            return try await stream.collect(limit: wholeBodyLimit)
        } catch {
            throw OpenAIError(bodyStream: error)
        }
    }

    static func requestID(_ hash: UInt64) -> String {
        "req_" + StableHash.idSuffix(hash, length: 32, mixedCase: false)
    }

    /// The headers the real API puts on every response. Processing time is reported as 0 so the
    /// same request gives the same bytes; real latency is in the journal.
    static func addOpenAIHeaders(to response: inout HTTPResponse, requestID: String) {
        response.headers.set("x-request-id", requestID)
        response.headers.set("openai-version", "2020-10-01")
        response.headers.set("openai-processing-ms", "0")
        response.headers.set("openai-organization", "user-openai-mock")
    }

    /// Stable across processes: method, target and body, plus the seed. A streamed body (an
    /// upload) cannot be hashed before it is read: its place among this engine's streamed requests
    /// stands in for it, so ids stay distinct and the same session gives the same ids.
    func requestHash(_ request: HTTPRequest, streamNumber: Int) -> UInt64 {
        var h = StableHash(state.configuration.seed)
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
        HTTPResponse(status: status, headers: ["content-type": "application/json"], bytes: value.serialized())
    }
}
