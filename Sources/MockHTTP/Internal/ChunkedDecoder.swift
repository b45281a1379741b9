/// Incremental decoder of a chunked request body (RFC 9112 §7.1), including chunk
/// extensions (ignored) and trailer fields (validated, then discarded). A chunk whose declared size
/// would take the body past its limit is refused (413) as soon as its size line is read, without
/// waiting for data that would be refused anyway.
struct ChunkedDecoder {
    private enum State {
        case size
        case data(remaining: Int)
        case dataEnd
        case trailers
        case done
    }

    private var state = State.size
    private var trailerBytes = 0
    let maxLineBytes = 4096
    let maxTrailerBytes: Int

    init(maxTrailerBytes: Int) { self.maxTrailerBytes = maxTrailerBytes }

    var isDone: Bool { if case .done = state { return true } else { return false } }

    /// Consumes as much of `input` as possible, appending decoded data to `body`.
    /// Returns the number of bytes consumed; stops early once the body is complete.
    mutating func decode(_ input: UnsafeRawBufferPointer,
                         into body: inout BodySink) throws(HTTPServerError) -> Int {
        var i = 0
        let n = input.count
        while i < n {
            switch state {
            case .size:
                guard let lf = Self.findLF(input, from: i), lf - i <= maxLineBytes else {
                    if n - i > maxLineBytes { throw .badRequest("chunk size line too long") }
                    return i
                }
                let size = try Self.chunkSize(UnsafeRawBufferPointer(rebasing: input[i..<lf]))
                try body.expect(size)
                i = lf + 1
                state = size == 0 ? .trailers : .data(remaining: size)
            case .data(let remaining):
                let take = min(remaining, n - i)
                try body.append(UnsafeRawBufferPointer(rebasing: input[i..<(i + take)]))
                i += take
                state = remaining == take ? .dataEnd : .data(remaining: remaining - take)
            case .dataEnd:
                if input[i] == 10 {
                    i += 1
                } else if input[i] == 13 {
                    guard i + 1 < n else { return i }
                    guard input[i + 1] == 10 else { throw .badRequest("missing CRLF after chunk data") }
                    i += 2
                } else {
                    throw .badRequest("missing CRLF after chunk data")
                }
                state = .size
            case .trailers:
                guard let lf = Self.findLF(input, from: i) else {
                    if trailerBytes + n - i > maxTrailerBytes { throw .headersTooLarge("trailer section too large") }
                    return i
                }
                trailerBytes += lf + 1 - i
                if trailerBytes > maxTrailerBytes { throw .headersTooLarge("trailer section too large") }
                let end = (lf > i && input[lf - 1] == 13) ? lf - 1 : lf
                let line = UnsafeRawBufferPointer(rebasing: input[i..<end])
                i = lf + 1
                if line.isEmpty {
                    state = .done
                    return i
                }
                try Self.validateTrailer(line)
            case .done:
                return i
            }
        }
        return i
    }

    private static func findLF(_ input: UnsafeRawBufferPointer, from: Int) -> Int? {
        var i = from
        while i < input.count {
            if input[i] == 10 { return i }
            i += 1
        }
        return nil
    }

    /// `chunk-size [ chunk-ext ] [CR]` → size. At most 15 hex digits (no overflow).
    private static func chunkSize(_ line: UnsafeRawBufferPointer) throws(HTTPServerError) -> Int {
        var end = line.count
        if end > 0 && line[end - 1] == 13 { end -= 1 }
        var i = 0
        var size = 0
        while i < end, let digit = hexValue(line[i]) {
            guard i < 15 else { throw .badRequest("chunk size too large") }
            size = size << 4 | digit
            i += 1
        }
        guard i > 0 else { throw .badRequest("invalid chunk size") }
        while i < end && ByteClass.isSpace(line[i]) { i += 1 }
        guard i == end || line[i] == UInt8(ascii: ";") else { throw .badRequest("invalid chunk size") }
        for k in i..<end where line[k] < 0x20 && line[k] != 0x09 {
            throw .badRequest("invalid chunk extension")
        }
        return size
    }

    @inline(__always)
    private static func hexValue(_ b: UInt8) -> Int? {
        switch b {
        case 48...57: return Int(b - 48)
        case 65...70: return Int(b - 55)
        case 97...102: return Int(b - 87)
        default: return nil
        }
    }

    private static func validateTrailer(_ line: UnsafeRawBufferPointer) throws(HTTPServerError) {
        guard !ByteClass.isSpace(line[0]) else { throw .badRequest("obsolete line folding in trailer") }
        var i = 0
        while i < line.count && line[i] != UInt8(ascii: ":") {
            guard ByteClass.token[Int(line[i])] else { throw .badRequest("invalid trailer field") }
            i += 1
        }
        guard i > 0, i < line.count else { throw .badRequest("invalid trailer field") }
    }
}
