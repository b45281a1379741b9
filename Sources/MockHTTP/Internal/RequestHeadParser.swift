/// Incremental parser of a request head (request line + header fields) with size limits.
///
/// It is fed the connection's unconsumed input again each time more bytes arrive and only
/// rescans the new part for the blank line, so a head trickling in byte by byte costs O(n).
/// Accepts CRLF or bare LF line ends; rejects obs-fold, whitespace before the colon,
/// conflicting Content-Length, Content-Length with Transfer-Encoding (request smuggling), and
/// (RFC 9112 §3.2) an HTTP/1.1 request without exactly one valid `Host`. An absolute-form target
/// (`GET http://host/path`, §3.2.2) is served as its origin form (`/path`).
struct RequestHeadParser {
    let maxHeaderBytes: Int
    let maxHeaderCount: Int
    let maxRequestLineBytes: Int
    let maxBodyBytes: Int
    /// Offset up to which the current input was already searched for the end of the head.
    private var scanned = 0

    init(limits: HTTPServerConfiguration.Limits) {
        maxHeaderBytes = limits.maxHeaderBytes
        maxHeaderCount = limits.maxHeaderCount
        maxRequestLineBytes = limits.maxRequestLineBytes
        maxBodyBytes = limits.maxBodyBytes
    }

    /// Forgets the scan position (call when a new request starts).
    mutating func reset() { scanned = 0 }

    mutating func parse(_ input: UnsafeRawBufferPointer) -> HeadParseResult {
        let n = input.count
        // Leading empty lines before a request line are ignored (RFC 9112 §2.2).
        var start = 0
        while start < n && (input[start] == 13 || input[start] == 10) { start += 1 }
        if start == n { scanned = 0; return .needMore }

        var end = -1
        var i = max(start, scanned - 3)
        while i < n {
            if input[i] == 10 {
                if i + 1 < n && input[i + 1] == 10 { end = i + 2; break }
                if i + 2 < n && input[i + 1] == 13 && input[i + 2] == 10 { end = i + 3; break }
            }
            i += 1
        }
        if end < 0 {
            scanned = n
            // The request line's length without its CR, as the complete head is measured: the verdict
            // must not depend on where the reads split the input.
            let lineEnd = firstLF(input, from: start) ?? n
            let lineLength = lineEnd - start - (lineEnd > start && input[lineEnd - 1] == 13 ? 1 : 0)
            if lineLength > maxRequestLineBytes { return .failed(.uriTooLong) }
            if n - start > maxHeaderBytes { return .failed(.headersTooLarge("header section exceeds \(maxHeaderBytes) bytes")) }
            return .needMore
        }
        scanned = 0
        let head = UnsafeRawBufferPointer(rebasing: input[start..<end])
        switch parseHead(head) {
        case .success(let parsed): return .complete(parsed, consumed: end)
        case .failure(let error): return .failed(error)
        }
    }

    private func firstLF(_ input: UnsafeRawBufferPointer, from: Int) -> Int? {
        var i = from
        while i < input.count {
            if input[i] == 10 { return i }
            i += 1
        }
        return nil
    }

    /// Returns the line [start, end) without its terminator, and the index after it.
    private func line(_ head: UnsafeRawBufferPointer, from start: Int) -> (Int, Int, next: Int) {
        var lf = start
        while head[lf] != 10 { lf += 1 }
        let end = (lf > start && head[lf - 1] == 13) ? lf - 1 : lf
        return (start, end, lf + 1)
    }

    private func parseHead(_ head: UnsafeRawBufferPointer) -> Result<RequestHead, HTTPServerError> {
        let (ls, le, afterRequestLine) = line(head, from: 0)
        if le - ls > maxRequestLineBytes { return .failure(.uriTooLong) }
        if head.count > maxHeaderBytes {
            return .failure(.headersTooLarge("header section exceeds \(maxHeaderBytes) bytes"))
        }
        let requestLine: (String, String, HTTPVersion)
        switch parseRequestLine(UnsafeRawBufferPointer(rebasing: head[ls..<le])) {
        case .success(let value): requestLine = value
        case .failure(let error): return .failure(error)
        }
        let version = requestLine.2

        var headers = HTTPHeaders()
        headers.reserveCapacity(8)  // a client's usual few: no regrowth while parsing
        var contentLength: Int?
        var lengthInvalid = false
        var lengthTooLarge = false
        var transferEncodings: [UnsafeRawBufferPointer] = []
        var sawTransferEncoding = false
        var connectionClose = false
        var connectionKeepAlive = false
        var expectsContinue = false
        var hosts = 0
        var hostValid = true
        var position = afterRequestLine
        while position < head.count {
            let (s, e, next) = line(head, from: position)
            position = next
            if s == e { break }  // blank line: end of head
            if ByteClass.isSpace(head[s]) { return .failure(.badRequest("obsolete line folding is not allowed")) }
            var colon = s
            while colon < e && head[colon] != UInt8(ascii: ":") {
                guard ByteClass.token[Int(head[colon])] else {
                    return .failure(.badRequest("invalid character in header field name"))
                }
                colon += 1
            }
            guard colon < e, colon > s else { return .failure(.badRequest("malformed header field")) }
            var vs = colon + 1, ve = e
            while vs < ve && ByteClass.isSpace(head[vs]) { vs += 1 }
            while ve > vs && ByteClass.isSpace(head[ve - 1]) { ve -= 1 }
            for k in vs..<ve {
                let b = head[k]
                if (b < 0x20 && b != 0x09) || b == 0x7F {
                    return .failure(.badRequest("invalid character in header field value"))
                }
            }
            if headers.count >= maxHeaderCount {
                return .failure(.headersTooLarge("more than \(maxHeaderCount) header fields"))
            }
            let name = UnsafeRawBufferPointer(rebasing: head[s..<colon])
            let value = UnsafeRawBufferPointer(rebasing: head[vs..<ve])
            headers.add(String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))

            switch name.count {
            case 14 where ByteClass.equals(name, "content-length"):
                let elements = ByteClass.listElements(value)
                if elements.isEmpty { lengthInvalid = true }
                for element in elements {
                    guard let parsed = Self.decimal(element) else {
                        if element.allSatisfy({ $0 >= 48 && $0 <= 57 }) { lengthTooLarge = true } else { lengthInvalid = true }
                        continue
                    }
                    if let existing = contentLength, existing != parsed { lengthInvalid = true }
                    contentLength = parsed
                }
            case 17 where ByteClass.equals(name, "transfer-encoding"):
                sawTransferEncoding = true
                transferEncodings += ByteClass.listElements(value)
            case 10 where ByteClass.equals(name, "connection"):
                for token in ByteClass.listElements(value) {
                    if ByteClass.equals(token, "close") { connectionClose = true }
                    if ByteClass.equals(token, "keep-alive") { connectionKeepAlive = true }
                }
            case 6 where ByteClass.equals(name, "expect"):
                if ByteClass.equals(value, "100-continue") { expectsContinue = true }
            case 4 where ByteClass.equals(name, "host"):
                hosts += 1
                hostValid = hostValid && value.allSatisfy { ByteClass.hostCharacter[Int($0)] }
            default:
                break
            }
        }

        if hosts > 1 { return .failure(.badRequest("more than one Host header")) }
        if !hostValid { return .failure(.badRequest("invalid Host header")) }
        if hosts == 0 && version == .http11 { return .failure(.badRequest("HTTP/1.1 request without a Host header")) }

        let framing: BodyFraming
        if sawTransferEncoding {
            if contentLength != nil || lengthInvalid || lengthTooLarge {
                return .failure(.badRequest("both Content-Length and Transfer-Encoding"))
            }
            guard let last = transferEncodings.last else {
                return .failure(.badRequest("empty Transfer-Encoding"))
            }
            for coding in transferEncodings.dropLast() where ByteClass.equals(coding, "chunked") {
                return .failure(.badRequest("chunked must be the final transfer coding"))
            }
            guard transferEncodings.count == 1, ByteClass.equals(last, "chunked") else {
                return .failure(.notImplemented("unsupported Transfer-Encoding"))
            }
            framing = .chunked
        } else if lengthInvalid {
            return .failure(.badRequest("invalid Content-Length"))
        } else if lengthTooLarge || (contentLength ?? 0) > maxBodyBytes {
            return .failure(.payloadTooLarge(limit: maxBodyBytes))
        } else if let length = contentLength, length > 0 {
            framing = .length(length)
        } else {
            framing = .none
        }
        let keepAlive = version == .http11 ? !connectionClose : (connectionKeepAlive && !connectionClose)
        return .success(RequestHead(method: requestLine.0, target: requestLine.1, version: version,
                                    headers: headers, framing: framing, keepAlive: keepAlive,
                                    expectsContinue: expectsContinue && version == .http11 && framing != .none))
    }

    private func parseRequestLine(_ bytes: UnsafeRawBufferPointer) -> Result<(String, String, HTTPVersion), HTTPServerError> {
        let n = bytes.count
        var i = 0
        while i < n && ByteClass.token[Int(bytes[i])] { i += 1 }
        guard i > 0, i < n, bytes[i] == 0x20 else { return .failure(.badRequest("malformed request line")) }
        let methodEnd = i
        i += 1
        let targetStart = i
        while i < n && bytes[i] > 0x20 && bytes[i] != 0x7F { i += 1 }
        guard i > targetStart, i < n, bytes[i] == 0x20 else { return .failure(.badRequest("malformed request target")) }
        let targetEnd = i
        i += 1
        let v = UnsafeRawBufferPointer(rebasing: bytes[i..<n])
        // HTTP-version = "HTTP/" DIGIT "." DIGIT
        guard v.count == 8, v[0] == 72, v[1] == 84, v[2] == 84, v[3] == 80, v[4] == 47, v[6] == 46,
              (48...57).contains(v[5]), (48...57).contains(v[7]) else {
            return .failure(.badRequest("malformed HTTP version"))
        }
        let version = HTTPVersion(major: Int(v[5] - 48), minor: Int(v[7] - 48))
        guard version == .http11 || version == .http10 else { return .failure(.versionNotSupported) }
        let method = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<methodEnd]), as: UTF8.self)
        let target = Self.originForm(UnsafeRawBufferPointer(rebasing: bytes[targetStart..<targetEnd]))
        return .success((method, target, version))
    }

    /// `http://host:port/path?q` → `/path?q` (and `http://host` → `/`); any other target as sent.
    static func originForm(_ target: UnsafeRawBufferPointer) -> String {
        var schemeEnd = 0
        while schemeEnd < target.count && target[schemeEnd] != UInt8(ascii: ":") { schemeEnd += 1 }
        let scheme = UnsafeRawBufferPointer(rebasing: target[0..<schemeEnd])
        guard ByteClass.equals(scheme, "http") || ByteClass.equals(scheme, "https"), schemeEnd + 2 < target.count,
              target[schemeEnd + 1] == UInt8(ascii: "/"), target[schemeEnd + 2] == UInt8(ascii: "/") else {
            return String(decoding: target, as: UTF8.self)
        }
        var pathStart = schemeEnd + 3
        while pathStart < target.count && target[pathStart] != UInt8(ascii: "/") && target[pathStart] != UInt8(ascii: "?") {
            pathStart += 1
        }
        let rest = String(decoding: UnsafeRawBufferPointer(rebasing: target[pathStart...]), as: UTF8.self)
        return rest.hasPrefix("/") ? rest : "/" + rest
    }

    /// A non-negative decimal of at most 18 digits, or nil (empty, non-digit, or too large).
    static func decimal(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value = 0
        for b in bytes {
            guard b >= 48 && b <= 57 else { return nil }
            value = value * 10 + Int(b - 48)
        }
        return value
    }
}
