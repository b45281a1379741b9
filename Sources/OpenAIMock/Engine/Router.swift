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

/// What a route is, which decides the steps of the pipeline its requests go through (see ``Pipeline``).
public enum RouteKind: Int, Sendable, CaseIterable {
    /// The mock's own API under `/_mock/`: no key, not journaled, no OpenAI headers.
    case admin
    /// An OpenAI endpoint that answers from state (models, files, jobs…).
    case api
    /// An OpenAI endpoint that generates content (chat, completions, embeddings, moderations):
    /// `--strict` requires a scenario rule for it.
    case generating
    /// No route takes the request (404 `Invalid URL`, 405): journaled and logged, never authenticated.
    case unrouted
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
        let kind: RouteKind
        let endpoint: Endpoint
    }

    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    public enum Match {
        case found(Endpoint, parameters: [String: String], body: RouteBody, kind: RouteKind)
        /// The path exists, but not for this method.
        case wrongMethod(allowed: [String])
        case notFound
    }

    private var routes: [Route] = []
    /// The kind of a route added without one.
    public let kind: RouteKind

    public init(kind: RouteKind = .api) { self.kind = kind }

    /// Registers `pattern` such as `/v1/models/{model}`; `kind` defaults to the router's.
    public mutating func add(_ method: String, _ pattern: String, body: RouteBody = .whole, kind: RouteKind? = nil,
                             _ endpoint: @escaping Endpoint) {
        let segments = pattern.split(separator: "/", omittingEmptySubsequences: true).map { part -> Segment in
            if part.hasPrefix("{") && part.hasSuffix("}") { return .parameter(String(part.dropFirst().dropLast())) }
            return .literal(String(part))
        }
        routes.append(Route(method: method, segments: segments, body: body, kind: kind ?? self.kind, endpoint: endpoint))
    }

    public func match(method: String, path: String) -> Match {
        // Bytes, not Characters: a path's segments are compared byte for byte (this runs for every request).
        let parts = path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true)
        var allowed: [String] = []
        for route in routes where route.segments.count == parts.count {
            var params: [String: String] = [:]
            var ok = true
            for (segment, part) in zip(route.segments, parts) {
                switch segment {
                case .literal(let l):
                    if !l.utf8.elementsEqual(part) { ok = false }
                case .parameter(let name):
                    params[name] = PercentDecoding.decode(Substring(part), plusIsSpace: true)
                }
                if !ok { break }
            }
            guard ok else { continue }
            if route.method == method || (method == "HEAD" && route.method == "GET") {
                return .found(route.endpoint, parameters: params, body: route.body, kind: route.kind)
            }
            allowed.append(route.method)
        }
        return allowed.isEmpty ? .notFound : .wrongMethod(allowed: allowed)
    }
}
