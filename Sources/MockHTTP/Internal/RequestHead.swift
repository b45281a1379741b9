/// How the body of a parsed request is delimited.
enum BodyFraming: Equatable {
    case none
    case length(Int)
    case chunked
}

/// A request line plus header section, validated, before its body is read.
struct RequestHead {
    var method: String
    var target: String
    var version: HTTPVersion
    var headers: HTTPHeaders
    var framing: BodyFraming
    /// Whether the client allows the connection to stay open after this exchange.
    var keepAlive: Bool
    /// `Expect: 100-continue` on an HTTP/1.1 request.
    var expectsContinue: Bool
    var isHead: Bool { method == "HEAD" }
}

enum HeadParseResult {
    case needMore
    case failed(HTTPServerError)
    /// `consumed` counts the bytes of the head, including the blank line.
    case complete(RequestHead, consumed: Int)
}

/// Byte classes used by the parsers (RFC 9110 `tchar`, field-value bytes).
enum ByteClass {
    static let token = table(allowing: "!#$%&'*+-.^_`|~")

    /// What a `Host` value may hold (RFC 3986 host and port: unreserved, percent, sub-delims, `:`, `[`, `]`).
    static let hostCharacter = table(allowing: "-._~%!$&'()*+,;=:[]")

    /// ASCII letters and digits plus `extra`.
    private static func table(allowing extra: String) -> [Bool] {
        var t = [Bool](repeating: false, count: 256)
        for c in UInt8(ascii: "0")...UInt8(ascii: "9") { t[Int(c)] = true }
        for c in UInt8(ascii: "a")...UInt8(ascii: "z") { t[Int(c)] = true }
        for c in UInt8(ascii: "A")...UInt8(ascii: "Z") { t[Int(c)] = true }
        for c in extra.utf8 { t[Int(c)] = true }
        return t
    }

    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

    @inline(__always) static func lower(_ b: UInt8) -> UInt8 { (b >= 65 && b <= 90) ? b | 0x20 : b }

    /// Case-insensitive compare of raw bytes with a lowercase ASCII literal.
    @inline(__always)
    static func equals(_ bytes: UnsafeRawBufferPointer, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        let literal = lowercase.utf8Start
        for i in 0..<bytes.count where lower(bytes[i]) != literal[i] { return false }
        return true
    }

    /// Splits a comma-separated list, trimming optional whitespace, dropping empty elements.
    static func listElements(_ bytes: UnsafeRawBufferPointer) -> [UnsafeRawBufferPointer] {
        var result: [UnsafeRawBufferPointer] = []
        var start = 0
        func add(_ s: Int, _ e: Int) {
            var a = s, b = e
            while a < b && isSpace(bytes[a]) { a += 1 }
            while b > a && isSpace(bytes[b - 1]) { b -= 1 }
            if b > a { result.append(UnsafeRawBufferPointer(rebasing: bytes[a..<b])) }
        }
        for i in 0..<bytes.count where bytes[i] == UInt8(ascii: ",") {
            add(start, i)
            start = i + 1
        }
        add(start, bytes.count)
        return result
    }
}
