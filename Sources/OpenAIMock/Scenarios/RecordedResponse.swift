import MockHTTP

/// A response as an upstream sent it (`do: {response: …}`, what `openai-mock record` writes): status,
/// the headers worth keeping, and either the exact body or the event stream with each event's delay,
/// so replay gives the same bytes and, at `--replay-speed recorded`, the same pacing.
public struct RecordedResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [Header]
    /// The body of a plain response (ignored when `events` is set).
    public var body: [UInt8]
    /// The events of a `text/event-stream` response, in order.
    public var events: [Event]?

    public struct Header: Sendable, Equatable {
        public var name: String
        public var value: String
    }

    /// One server-sent event: its text without the blank line that ends it (`data: {…}`, or several
    /// lines such as `event: x` + `data: y`), and how long after the previous event (or the response
    /// head) it came.
    public struct Event: Sendable, Equatable {
        public var afterMilliseconds: Int
        public var text: [UInt8]
    }

    public init(status: Int, headers: [Header], body: [UInt8], events: [Event]?) {
        self.status = status
        self.headers = headers
        self.body = body
        self.events = events
    }

    /// The response, events paced at `speed` × the recorded delays (nil: no delays).
    func response(speed: Double?) -> HTTPResponse {
        var h = HTTPHeaders()
        for header in headers { h.add(header.name, header.value) }
        guard let events else { return HTTPResponse(status: status, headers: h, bytes: body) }
        return HTTPResponse(status: status, headers: h, body: .stream { writer in
            for event in events {
                if let speed, speed > 0, event.afterMilliseconds > 0 {
                    try await Task.sleep(for: .milliseconds(Double(event.afterMilliseconds) / speed))
                }
                try await writer.write(event.text + [0x0A, 0x0A])
            }
        })
    }
}

/// Standard base64 with padding, for recorded bodies that are not UTF-8 text.
enum Base64 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let n = min(3, bytes.count - i)
            let b0 = UInt32(bytes[i]), b1 = n > 1 ? UInt32(bytes[i + 1]) : 0, b2 = n > 2 ? UInt32(bytes[i + 2]) : 0
            let v = b0 << 16 | b1 << 8 | b2
            out.append(alphabet[Int(v >> 18 & 63)])
            out.append(alphabet[Int(v >> 12 & 63)])
            out.append(n > 1 ? alphabet[Int(v >> 6 & 63)] : UInt8(ascii: "="))
            out.append(n > 2 ? alphabet[Int(v & 63)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// nil when `text` is not base64.
    static func decode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        var buffer: UInt32 = 0, bits = 0
        for c in text.utf8 {
            if c == UInt8(ascii: "=") { break }
            guard let v = alphabet.firstIndex(of: c) else {
                if c == 0x0A || c == 0x0D || c == 0x20 { continue }
                return nil
            }
            buffer = buffer << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        return out
    }
}
