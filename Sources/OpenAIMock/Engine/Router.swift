import MockHTTP

/// An endpoint: reads the context, answers a response or throws an ``OpenAIError``.
public typealias Endpoint = @Sendable (RequestContext) async throws(OpenAIError) -> HTTPResponse

/// How a route takes its request body.
public enum RouteBody: Sendable, Equatable {
    /// Whole, in memory (JSON endpoints): a large body is read to its end before the endpoint runs.
    case whole
    /// As it arrives (uploads): the endpoint reads ``RequestContext/bodyStream`` itself.
    case streamed
}

/// Matches `METHOD /path/{param}/…` patterns against raw request paths.
///
/// Paths are split on `/` *before* percent-decoding, so an id holding an encoded slash
/// (`%2Fdata%2Ftrain.jsonl`, as the 0.28 CLI sends) stays one parameter.
public struct Router: Sendable {
    struct Route: Sendable {
        let method: String
        let segments: [Segment]
        let body: RouteBody
        let endpoint: Endpoint
    }

    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    public enum Match {
        case found(Endpoint, parameters: [String: String], body: RouteBody)
        /// The path exists, but not for this method.
        case wrongMethod(allowed: [String])
        case notFound
    }

    private var routes: [Route] = []

    public init() {}

    /// Registers `pattern` such as `/v1/models/{model}`.
    public mutating func add(_ method: String, _ pattern: String, body: RouteBody = .whole,
                             _ endpoint: @escaping Endpoint) {
        let segments = pattern.split(separator: "/", omittingEmptySubsequences: true).map { part -> Segment in
            if part.hasPrefix("{") && part.hasSuffix("}") { return .parameter(String(part.dropFirst().dropLast())) }
            return .literal(String(part))
        }
        routes.append(Route(method: method, segments: segments, body: body, endpoint: endpoint))
    }

    public func match(method: String, path: String) -> Match {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        var allowed: [String] = []
        for route in routes where route.segments.count == parts.count {
            var params: [String: String] = [:]
            var ok = true
            for (segment, part) in zip(route.segments, parts) {
                switch segment {
                case .literal(let l):
                    if l != part { ok = false }
                case .parameter(let name):
                    params[name] = PercentDecoding.decode(part, plusIsSpace: true)
                }
                if !ok { break }
            }
            guard ok else { continue }
            if route.method == method || (method == "HEAD" && route.method == "GET") {
                return .found(route.endpoint, parameters: params, body: route.body)
            }
            allowed.append(route.method)
        }
        return allowed.isEmpty ? .notFound : .wrongMethod(allowed: allowed)
    }
}
