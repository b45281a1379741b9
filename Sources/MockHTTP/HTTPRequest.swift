/// A parsed HTTP/1.x request, handed to an ``HTTPHandler`` once its head is read (and its body,
/// unless the body is large enough to be streamed).
public struct HTTPRequest: Sendable {
    public var method: String
    /// The request target exactly as sent, e.g. `/v1/models/ft%3Aabc?limit=2`.
    public var target: String
    /// `target` up to `?`, still percent-encoded.
    public var path: String
    /// `target` after `?`, still percent-encoded; nil when there is no `?`.
    public var query: String?
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    public var body: HTTPBody

    public init(method: String, target: String, version: HTTPVersion = .http11,
                headers: HTTPHeaders = HTTPHeaders(), body: HTTPBody = .empty) {
        self.method = method
        self.target = target
        if let q = target.utf8.firstIndex(of: UInt8(ascii: "?")) {
            path = String(target[..<q])
            query = String(target[target.index(after: q)...])
        } else {
            path = target
            query = nil
        }
        self.version = version
        self.headers = headers
        self.body = body
    }
}

public struct HTTPVersion: Sendable, Equatable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }
    public static let http10 = HTTPVersion(major: 1, minor: 0)
    public static let http11 = HTTPVersion(major: 1, minor: 1)
    public var description: String { "HTTP/\(major).\(minor)" }
}

/// A request body: whole in memory (up to the server's in-memory threshold), or a stream the
/// handler reads while the rest is still arriving (larger bodies; see ``HTTPBodyStream``).
public enum HTTPBody: Sendable {
    case bytes([UInt8])
    case stream(HTTPBodyStream)

    public static let empty = HTTPBody.bytes([])

    /// The whole body in memory; a streamed body is read to its end, refusing more than `limit` bytes.
    public func collect(limit: Int) async throws(HTTPBodyStreamError) -> [UInt8] {
        switch self {
        case .bytes(let b):
            guard b.count <= limit else { throw .tooLarge(limit: limit) }
            return b
        case .stream(let s):
            return try await s.collect(limit: limit)
        }
    }
}
