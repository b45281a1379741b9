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
        var hasParameters: Bool { segments.contains { if case .parameter = $0 { true } else { false } } }
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
    /// For each path of a route without parameters (`/v1/chat/completions`), the routes that match it, in
    /// order (parameter routes included): a request to such a path tries only those.
    private var literalPaths: [String: [Int]] = [:]
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
        let route = Route(method: method, segments: segments, body: body, kind: kind ?? self.kind, endpoint: endpoint)
        let index = routes.count
        routes.append(route)
        for (path, indices) in literalPaths where Self.parameters(of: route, matching: Self.parts(path)) != nil {
            literalPaths[path] = indices + [index]
        }
        if !route.hasParameters {
            let path = "/" + segments.map { if case .literal(let l) = $0 { l } else { "" } }.joined(separator: "/")
            if literalPaths[path] == nil {
                literalPaths[path] = routes.indices.filter { Self.parameters(of: routes[$0], matching: Self.parts(path)) != nil }
            }
        }
    }

    private static func parts(_ path: String) -> [Substring.UTF8View] {
        path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true)
    }

    /// The route's parameters when `parts` (a path's segments) match its pattern.
    private static func parameters(of route: Route, matching parts: some Collection<Substring.UTF8View>) -> [String: String]? {
        guard route.segments.count == parts.count else { return nil }
        var params: [String: String] = [:]
        for (segment, part) in zip(route.segments, parts) {
            switch segment {
            case .literal(let l):
                if !l.utf8.elementsEqual(part) { return nil }
            case .parameter(let name):
                params[name] = PercentDecoding.decode(Substring(part), plusIsSpace: true)
            }
        }
        return params
    }

    public func match(method: String, path: String) -> Match {
        if let candidates = literalPaths[path] { return match(method: method, path: path, among: candidates, literalPath: true) }
        return match(method: method, path: path, among: routes.indices, literalPath: false)
    }

    private func match(method: String, path: String, among candidates: some Sequence<Int>, literalPath: Bool) -> Match {
        // Bytes, not Characters: a path's segments are compared byte for byte (this runs for every request).
        lazy var parts = Self.parts(path)
        var allowed: [String] = []
        for index in candidates {
            let route = routes[index]
            let params: [String: String]
        if literalPath && !route.hasParameters {
            params = [:]  // the path is this route's own
        } else {
            guard let found = Self.parameters(of: route, matching: parts) else { continue }
            params = found
        }
            if route.method == method || (method == "HEAD" && route.method == "GET") {
                return .found(route.endpoint, parameters: params, body: route.body, kind: route.kind)
            }
            allowed.append(route.method)
        }
        return allowed.isEmpty ? .notFound : .wrongMethod(allowed: allowed)
    }
}
