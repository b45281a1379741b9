/// What a handler answers. The server adds `content-length` / `transfer-encoding`,
/// `connection` and `date`-free framing itself; handlers set everything else.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: Body

    public enum Body: Sendable {
        /// A fixed-length body sent with `Content-Length`.
        case bytes([UInt8])
        /// A body produced over time: sent chunked to HTTP/1.1 clients (close-delimited to
        /// HTTP/1.0). Every `write` is flushed to the socket; `write` suspends while the
        /// client is not reading (backpressure). Returning ends the body; throwing aborts
        /// the connection.
        case stream(@Sendable (any HTTPBodyWriter) async throws -> Void)
        /// A body the event loop plays by itself, step by step at scheduled times (paced event
        /// streams): framed like `.stream`, with no task per chunk. See ``HTTPScheduledBody``.
        case scheduled(any HTTPScheduledBody)
        /// Close the connection without sending any response (fault injection).
        case dropConnection
    }

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: Body = .bytes([])) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), bytes: [UInt8]) {
        self.init(status: status, headers: headers, body: .bytes(bytes))
    }
}

/// The writer a streaming body receives.
public protocol HTTPBodyWriter: Sendable {
    /// Sends `bytes` as soon as the socket accepts them. Suspends while more than the
    /// server's high-water mark is queued for this connection. Throws when the client is gone.
    func write(_ bytes: [UInt8]) async throws
    /// Closes the connection at once, without terminating the body properly (a client sees a
    /// truncated stream). Used to simulate a broken upstream.
    func abort() async
}

/// Something that answers requests. The engine implements this; the server knows nothing else.
public protocol HTTPHandler: Sendable {
    func handle(_ request: HTTPRequest) async -> HTTPResponse
}

/// Failures the server answers by itself before a handler sees the request. The server asks its
/// configured `errorResponder` to render them, so the layer above can give them its own shape.
public enum HTTPServerError: Error, Sendable, Equatable {
    /// Malformed request line, header, chunk framing, or Content-Length + Transfer-Encoding.
    case badRequest(String)
    /// Headers larger than the limit, or too many header fields (431).
    case headersTooLarge(String)
    /// Body larger than the limit (413).
    case payloadTooLarge(limit: Int)
    /// Request line too long (414).
    case uriTooLong
    /// Transfer-Encoding other than chunked (501).
    case notImplemented(String)
    /// HTTP version other than 1.0 / 1.1 (505).
    case versionNotSupported

    public var status: Int {
        switch self {
        case .badRequest: return 400
        case .headersTooLarge: return 431
        case .payloadTooLarge: return 413
        case .uriTooLong: return 414
        case .notImplemented: return 501
        case .versionNotSupported: return 505
        }
    }
}
