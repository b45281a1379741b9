/// Everything the server needs to know, with safe defaults.
public struct HTTPServerConfiguration: Sendable {
    public var host: String = "127.0.0.1"
    /// 0 picks a free port; ``HTTPServer/port`` reports the real one after `start()`.
    public var port: Int = 4010
    public var limits = Limits()
    /// Event loop threads; 0 means one per core.
    public var eventLoopCount = 0
    /// Handlers begin on the event loop thread that read their request and run there until they first
    /// suspend: a request answered without suspending costs no thread hop. Such a handler must not block
    /// or compute for long before it suspends (`await Task.yield()` moves it to the cooperative pool).
    /// A streamed response body is always produced on the pool, and in a burst only the first 32
    /// handlers between two polls of a loop start on it (the others on the pool). Off: handlers start on the pool.
    public var handlersStartOnLoop = false
    /// Renders the server's own errors (400/413/431/…); the default is a plain-text body.
    public var errorResponder: @Sendable (HTTPServerError) -> HTTPResponse = { error in
        HTTPResponse(status: error.status, headers: ["content-type": "text/plain"],
                     bytes: Array("\(error)\n".utf8))
    }

    public struct Limits: Sendable {
        /// Request line + all header lines, in bytes (431 beyond).
        public var maxHeaderBytes = 80 * 1024
        /// The request line alone, in bytes (414 beyond).
        public var maxRequestLineBytes = 16 * 1024
        /// Number of header fields (431 beyond).
        public var maxHeaderCount = 1000
        /// Request body size (413 beyond).
        public var maxBodyBytes = 512 * 1024 * 1024 + 1024 * 1024
        /// Bodies up to this size reach the handler whole; larger ones are streamed to it as they
        /// arrive (``HTTPBody/stream(_:)``).
        public var bodyInMemoryThreshold = 1024 * 1024
        /// Streamed body bytes waiting for the handler above which the connection stops reading
        /// its socket until the handler catches up.
        public var bodyStreamHighWaterMark = 4 * 1024 * 1024
        /// A request whose headers are not complete within this many seconds is closed (slowloris).
        public var headerTimeout: Double = 10
        /// An idle keep-alive connection is closed after this many seconds.
        public var idleTimeout: Double = 75
        /// Connections beyond this are accepted and closed at once.
        public var maxConnections = 16_384
        /// Queued outgoing bytes per connection above which stream writers suspend.
        public var writeHighWaterMark = 256 * 1024
        public init() {}
    }

    public init(host: String = "127.0.0.1", port: Int = 4010) {
        self.host = host
        self.port = port
    }
}
