import MockHTTP
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

    public init(configuration: MockConfiguration = MockConfiguration()) {
        state = MockState(configuration: configuration)
        api = Router.openAI()
        admin = Router.admin()
    }

    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let started = ContinuousClock.now
        let hash = Self.requestHash(request, seed: state.configuration.seed)
        let requestID = "req_" + StableHash.idSuffix(hash, length: 32, mixedCase: false)
        let isAdmin = request.path == "/_mock" || request.path.hasPrefix("/_mock/")
        let router = isAdmin ? admin : api

        var context: RequestContext?
        var response: HTTPResponse
        do throws(OpenAIError) {
            switch router.match(method: request.method, path: request.path) {
            case .notFound:
                throw OpenAIError.invalidURL(method: request.method, path: request.path)
            case .wrongMethod:
                throw OpenAIError.methodNotAllowed(method: request.method, path: request.path)
            case .found(let endpoint, let parameters):
                if !isAdmin { try Auth.check(request.headers, acceptedKeys: state.configuration.apiKeys) }
                let ctx = RequestContext(request: request, parameters: parameters, requestID: requestID,
                                         requestHash: hash, state: state)
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

        if isAdmin {
            response.headers.set("x-request-id", requestID)
        } else {
            Self.addOpenAIHeaders(to: &response, requestID: requestID)
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

    /// The headers the real API puts on every response. Processing time is reported as 0 so the
    /// same request gives the same bytes; real latency is in the journal.
    static func addOpenAIHeaders(to response: inout HTTPResponse, requestID: String) {
        response.headers.set("x-request-id", requestID)
        response.headers.set("openai-version", "2020-10-01")
        response.headers.set("openai-processing-ms", "0")
        response.headers.set("openai-organization", "user-openai-mock")
    }

    /// Stable across processes: method, target and body (or a spooled body's size), plus the seed.
    static func requestHash(_ request: HTTPRequest, seed: UInt64) -> UInt64 {
        var h = StableHash(seed)
        h.combine(request.method)
        h.combine(request.target)
        switch request.body {
        case .bytes(let b): h.combine(b)
        case .file(let f): h.combine(f.size)
        }
        return h.finalized
    }
}

extension HTTPResponse {
    /// A JSON response with the exact content type the SDKs expect.
    public static func json(_ value: JSONValue, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["content-type": "application/json"], bytes: value.serialized())
    }
}
