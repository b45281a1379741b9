/// Where `openai-mock record` sends requests: the real API (or anything speaking it). The transport
/// (TLS, HTTP) lives outside this library — `OpenAIMockRecording` implements it with URLSession — so
/// the serving path needs no Foundation.
public protocol Upstream: Sendable {
    /// Sends the request; returns once the response head arrived, the body following as it comes.
    /// Throws when there is no response (refused connection, reset before the head, timeout), or
    /// ``UpstreamUnusable`` when the upstream cannot be used (an untrusted certificate).
    func send(_ request: UpstreamRequest) async throws -> UpstreamResponse
}

/// What ``Upstream/send(_:)`` throws when the upstream cannot be talked to at all — its TLS certificate is
/// not trusted, say — unlike an upstream that failed (refused, reset), which is a fault worth recording. The
/// client gets a 502 with this message and nothing is recorded.
public struct UpstreamUnusable: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}

public struct UpstreamRequest: Sendable {
    public var method: String
    /// Path and query as the client sent them (`/v1/chat/completions?…`).
    public var target: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(method: String, target: String, headers: [(name: String, value: String)], body: [UInt8]) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
    }
}

public struct UpstreamResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    /// The body in the pieces it arrived in; throws when the connection breaks.
    public var body: AsyncThrowingStream<[UInt8], any Error>

    public init(status: Int, headers: [(name: String, value: String)], body: AsyncThrowingStream<[UInt8], any Error>) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name }?.value
    }
}
