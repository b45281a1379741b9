/// Writes response heads and chunk framing straight into a connection's output buffer,
/// byte by byte, with no Foundation formatting on the hot path.
enum ResponseSerializer {
    /// How the body that follows the head is delimited.
    enum Framing: Equatable {
        /// `content-length: n` (the body bytes follow, unless the request was HEAD).
        case length(Int)
        /// `transfer-encoding: chunked`.
        case chunked
        /// No length: the body ends when the connection closes (HTTP/1.0 streams).
        case closeDelimited
        /// No body and no length header (1xx, 204, 304).
        case none
    }

    /// Whether a response with this status may carry a body at all.
    static func allowsBody(_ status: Int) -> Bool {
        !(status < 200 || status == 204 || status == 304)
    }

    static func appendHead(status: Int, headers: HTTPHeaders, framing: Framing,
                           keepAlive: Bool, http10KeepAlive: Bool, isHeadRequest: Bool = false,
                           into out: inout [UInt8]) {
        out.append(contentsOf: "HTTP/1.1 ".utf8)
        let code = status < 100 || status > 999 ? 500 : status
        out.append(UInt8(48 + code / 100))
        out.append(UInt8(48 + code / 10 % 10))
        out.append(UInt8(48 + code % 10))
        out.append(0x20)
        let phrase = reasonPhrase(code)
        out.append(contentsOf: UnsafeRawBufferPointer(start: phrase.utf8Start, count: phrase.utf8CodeUnitCount))
        out.append(contentsOf: crlf)
        var handlerLength: String?
        var size = 64
        for field in headers.fields { size += field.name.utf8.count + field.value.utf8.count + 4 }
        out.reserveCapacity(out.count + size)
        for field in headers.fields {
            if isFramingHeader(field.name) {
                if field.name.utf8.count == 14 { handlerLength = field.value }
                continue
            }
            field.name.withUTF8Bytes { name in
                field.value.withUTF8Bytes { value in
                    // Whatever a handler built, a field that could split the response is not written.
                    guard HTTPHeaders.isValidName(name) && HTTPHeaders.isValidValue(value) else { return }
                    out.append(contentsOf: name)
                    out.append(0x3A)
                    out.append(0x20)
                    out.append(contentsOf: value)
                    out.append(contentsOf: crlf)
                }
            }
        }
        switch framing {
        case .length(let n):
            out.append(contentsOf: "content-length: ".utf8)
            if isHeadRequest, let handlerLength {
                // HEAD: keep the handler's declared size (when it is one).
                let digits = handlerLength.utf8
                if !digits.isEmpty && digits.count <= 18 && digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
                    out.append(contentsOf: digits)
                } else {
                    appendDecimal(n, into: &out)
                }
            } else {
                appendDecimal(n, into: &out)
            }
            out.append(contentsOf: crlf)
        case .chunked:
            out.append(contentsOf: "transfer-encoding: chunked\r\n".utf8)
        case .closeDelimited, .none:
            break
        }
        if !keepAlive {
            out.append(contentsOf: "connection: close\r\n".utf8)
        } else if http10KeepAlive {
            out.append(contentsOf: "connection: keep-alive\r\n".utf8)
        }
        out.append(contentsOf: crlf)
    }

    /// `content-length`, `transfer-encoding` and `connection` are the server's to write.
    @inline(__always)
    static func isFramingHeader(_ name: String) -> Bool {
        switch name.utf8.count {
        case 10: return HTTPHeaders.equalsIgnoringCase(name, "connection")
        case 14: return HTTPHeaders.equalsIgnoringCase(name, "content-length")
        case 17: return HTTPHeaders.equalsIgnoringCase(name, "transfer-encoding")
        default: return false
        }
    }

    /// Longest chunk header: 16 hex digits + CRLF.
    static let maxChunkHeaderBytes = 18

    /// `size-in-hex CRLF` before a chunk.
    static func appendChunkHeader(_ size: Int, into out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(byteCount: maxChunkHeaderBytes, alignment: 1) { buffer in
            let start = writeChunkHeader(size, endingAt: maxChunkHeaderBytes, in: buffer)
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[start...]))
        }
    }

    /// Writes `size-in-hex CRLF` so that it ends at `end` in `buffer` (at least
    /// ``maxChunkHeaderBytes`` must fit before `end`); returns where it starts. Lets a chunk be
    /// rendered first and framed in place, in room left in front of it.
    static func writeChunkHeader(_ size: Int, endingAt end: Int, in buffer: UnsafeMutableRawBufferPointer) -> Int {
        var position = end - 2
        buffer[position] = 13
        buffer[position + 1] = 10
        var n = size
        repeat {
            let digit = UInt8(n & 0xF)
            position -= 1
            buffer[position] = digit < 10 ? 48 + digit : 87 + digit
            n >>= 4
        } while n > 0
        return position
    }

    static func appendDecimal(_ value: Int, into out: inout [UInt8]) {
        if value < 10 {
            out.append(UInt8(48 + value))
            return
        }
        var digits: [UInt8] = []
        var n = value
        while n > 0 {
            digits.append(UInt8(48 + n % 10))
            n /= 10
        }
        out.append(contentsOf: digits.reversed())
    }

    static let crlf: [UInt8] = [13, 10]
    static let lastChunk: [UInt8] = Array("0\r\n\r\n".utf8)
    static let continueResponse: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    static func reasonPhrase(_ status: Int) -> StaticString {
        switch status {
        case 100: return "Continue"
        case 101: return "Switching Protocols"
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 204: return "No Content"
        case 206: return "Partial Content"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 303: return "See Other"
        case 304: return "Not Modified"
        case 307: return "Temporary Redirect"
        case 308: return "Permanent Redirect"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 406: return "Not Acceptable"
        case 408: return "Request Timeout"
        case 409: return "Conflict"
        case 410: return "Gone"
        case 411: return "Length Required"
        case 412: return "Precondition Failed"
        case 413: return "Content Too Large"
        case 414: return "URI Too Long"
        case 415: return "Unsupported Media Type"
        case 416: return "Range Not Satisfiable"
        case 417: return "Expectation Failed"
        case 418: return "I'm a teapot"
        case 422: return "Unprocessable Content"
        case 425: return "Too Early"
        case 426: return "Upgrade Required"
        case 428: return "Precondition Required"
        case 429: return "Too Many Requests"
        case 431: return "Request Header Fields Too Large"
        case 451: return "Unavailable For Legal Reasons"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        case 505: return "HTTP Version Not Supported"
        case 507: return "Insufficient Storage"
        case 511: return "Network Authentication Required"
        default: return "Unknown"
        }
    }
}
