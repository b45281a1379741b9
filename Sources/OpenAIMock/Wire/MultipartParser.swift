#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An incremental `multipart/form-data` parser (RFC 7578 over RFC 2046), fed the body in
/// whatever pieces it arrives in. Part data is handed out as slices of the fed chunks — no copy —
/// so an upload goes from the socket to its file without being held or duplicated in memory.
/// Bounded: part headers (16 KiB each), the preamble (64 KiB) and the number of parts (100).
package struct MultipartParser: Sendable {
    package struct PartHeaders: Sendable, Equatable {
        /// `name` of the `Content-Disposition: form-data` header.
        package var name: String
        /// `filename` (or the RFC 5987 `filename*`), exactly as sent.
        package var filename: String?
        package var contentType: String?
    }

    package enum Event: Sendable {
        case begin(PartHeaders)
        /// A piece of the current part's data (a slice of a fed chunk).
        case data(ArraySlice<UInt8>)
        case end
    }

    package static let maxHeaderBytes = 16 * 1024
    package static let maxPreambleBytes = 64 * 1024
    package static let maxParts = 100
    /// Spaces and tabs allowed between a boundary and its CRLF.
    package static let maxPaddingBytes = 256

    private enum State: Sendable {
        /// Looking for the first delimiter; `pending` starts with a virtual CRLF so that the
        /// first `--boundary` at the very start matches like the others.
        case preamble
        /// Just after a delimiter: `--` (the end) or CRLF (headers follow).
        case afterDelimiter
        case headers
        case body
        case epilogue
    }

    private let delimiter: [UInt8]
    /// Boyer–Moore–Horspool shifts for the delimiter.
    private let skip: [Int]
    private var state = State.preamble
    /// Unprocessed bytes in the states that need lookahead (preamble, after a delimiter, headers),
    /// or the tail of the last chunk that may start a delimiter (body).
    private var pending: [UInt8] = [13, 10]
    /// How much of `pending` the preamble or header search has already looked through, so that a body
    /// arriving a byte at a time is searched once, not once per read.
    private var searched = 0
    private var parts = 0

    /// The `boundary` parameter of a `multipart/form-data` content type, if it has one.
    package static func boundary(contentType: String) -> String? {
        let pieces = contentType.split(separator: ";", omittingEmptySubsequences: false)
        guard let media = pieces.first, media.trimmingWhitespace().lowercased() == "multipart/form-data" else { return nil }
        for param in pieces.dropFirst() {
            let kv = param.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, kv[0].trimmingWhitespace().lowercased() == "boundary" else { continue }
            var value = kv[1].trimmingWhitespace()
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            guard (1...70).contains(value.utf8.count) else { return nil }
            return value
        }
        return nil
    }

    package init(boundary: String) {
        delimiter = [13, 10, 45, 45] + Array(boundary.utf8)
        var shifts = [Int](repeating: delimiter.count, count: 256)
        for (i, b) in delimiter.dropLast().enumerated() { shifts[Int(b)] = delimiter.count - 1 - i }
        skip = shifts
    }

    /// True once the closing delimiter was seen.
    package var isComplete: Bool { if case .epilogue = state { return true } else { return false } }

    /// Parses `chunk`, reporting parts and their data in order.
    package mutating func feed(_ chunk: [UInt8], _ onEvent: (Event) throws(MultipartError) -> Void) throws(MultipartError) {
        var input = chunk[...]
        while !input.isEmpty {
            switch state {
            case .epilogue:
                return
            case .body:
                try feedBody(&input, onEvent)
            case .preamble:
                pending.append(contentsOf: input)
                input = []
                guard let at = search(delimiter) else {
                    if pending.count > Self.maxPreambleBytes { throw MultipartError("no multipart boundary found at the start of the body") }
                    return
                }
                input = pending[(at + delimiter.count)...]
                pending = []
                state = .afterDelimiter
            case .afterDelimiter:
                pending.append(contentsOf: input)
                input = []
                guard pending.count >= 2 else { return }
                if pending[0] == 45 && pending[1] == 45 {
                    state = .epilogue
                    return
                }
                var i = 0
                while i < pending.count, pending[i] == 32 || pending[i] == 9 { i += 1 }  // transport padding
                // The padding's limit holds however the body is cut into reads.
                if i > Self.maxPaddingBytes { throw MultipartError("invalid characters after a multipart boundary") }
                guard i + 2 <= pending.count else { return }
                guard pending[i] == 13, pending[i + 1] == 10 else { throw MultipartError("invalid characters after a multipart boundary") }
                input = pending[(i + 2)...]
                pending = []
                state = .headers
            case .headers:
                pending.append(contentsOf: input)
                input = []
                // An empty line ends the headers, so a part that starts with one has none.
                guard let end = pending.starts(with: [13, 10]) ? -2 : search([13, 10, 13, 10]) else {
                    if pending.count > Self.maxHeaderBytes { throw MultipartError("multipart part headers are too large") }
                    return
                }
                let headers = try Self.parseHeaders(end < 0 ? [] : Array(pending[..<end]))
                parts += 1
                guard parts <= Self.maxParts else { throw MultipartError("too many multipart parts (the limit is \(Self.maxParts))") }
                try onEvent(.begin(headers))
                input = pending[(end < 0 ? 2 : end + 4)...]
                pending = []
                searched = 0
                state = .body
            }
        }
    }

    /// Where `needle` first occurs in `pending`, looking only where earlier calls could not have seen it.
    private mutating func search(_ needle: [UInt8]) -> Int? {
        let from = min(max(0, searched - (needle.count - 1)), pending.count)
        searched = pending.count
        guard let at = Self.find(needle, in: pending[from...]) else { return nil }
        searched = 0
        return from + at
    }

    /// The body ended: it must have ended with the closing delimiter.
    package func finish() throws(MultipartError) {
        guard isComplete else { throw MultipartError("the multipart body ended before its closing boundary") }
    }

    // MARK: Part data

    private mutating func feedBody(_ input: inout ArraySlice<UInt8>, _ onEvent: (Event) throws(MultipartError) -> Void) throws(MultipartError) {
        let d = delimiter.count
        if !pending.isEmpty {
            // The last chunk ended with what may be the start of a delimiter.
            if input.count < d {
                input = ArraySlice(pending + input)
                pending = []
            } else {
                let joined = pending + input.prefix(d)
                if let at = Self.find(delimiter, in: joined[...], startsBefore: pending.count) {
                    if at > 0 { try onEvent(.data(ArraySlice(pending[..<at]))) }
                    input = input.dropFirst(at + d - pending.count)
                    pending = []
                    try onEvent(.end)
                    state = .afterDelimiter
                    return
                }
                try onEvent(.data(ArraySlice(pending)))
                pending = []
            }
        }
        // Search the chunk itself: data up to a delimiter, or up to a tail that may start one.
        if let at = findDelimiter(in: input) {
            if at > input.startIndex { try onEvent(.data(input[..<at])) }
            input = input[(at + d)...]
            try onEvent(.end)
            state = .afterDelimiter
            return
        }
        // No whole delimiter: keep back a tail that may start one (the next chunk decides).
        var keep = input.endIndex
        var from = max(input.startIndex, input.endIndex - (d - 1))
        while let cr = Self.indexOfByte(13, in: input, from: from) {
            if input[cr...].elementsEqual(delimiter.prefix(input.endIndex - cr)) {
                keep = cr
                break
            }
            from = cr + 1
        }
        if keep > input.startIndex { try onEvent(.data(input[..<keep])) }
        pending = Array(input[keep...])
        input = []
    }

    /// Where the whole delimiter first starts in `input` (Boyer–Moore–Horspool: for file data it looks
    /// at about one byte in every delimiter length).
    private func findDelimiter(in input: ArraySlice<UInt8>) -> Int? {
        let d = delimiter.count
        guard input.count >= d else { return nil }
        return input.withUnsafeBufferPointer { hay -> Int? in
            delimiter.withUnsafeBufferPointer { needle -> Int? in
                let last = needle[d - 1]
                var i = d - 1
                while i < hay.count {
                    let b = hay[i]
                    if b == last && memcmp(hay.baseAddress! + i + 1 - d, needle.baseAddress!, d) == 0 {
                        return input.startIndex + i + 1 - d
                    }
                    i += skip[Int(b)]
                }
                return nil
            }
        }
    }

    // MARK: Helpers

    /// Position of `needle` in `haystack` (relative to its start); with `startsBefore`, only
    /// matches starting before that offset count.
    private static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>, startsBefore: Int? = nil) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        let last = haystack.count - needle.count
        let limit = min(last, (startsBefore ?? last + 1) - 1)
        guard limit >= 0 else { return nil }
        var from = haystack.startIndex
        while let i = indexOfByte(needle[0], in: haystack, from: from), i - haystack.startIndex <= limit {
            if haystack[i..<(i + needle.count)].elementsEqual(needle) { return i - haystack.startIndex }
            from = i + 1
        }
        return nil
    }

    private static func indexOfByte(_ byte: UInt8, in slice: ArraySlice<UInt8>, from: Int) -> Int? {
        guard from < slice.endIndex else { return nil }
        let offset = from - slice.startIndex
        let found: Int? = slice.withUnsafeBytes { raw -> Int? in
            guard let base = raw.baseAddress,
                  let hit = memchr(base + offset, Int32(byte), raw.count - offset) else { return nil }
            return UnsafeRawPointer(hit) - base
        }
        return found.map { slice.startIndex + $0 }
    }

    /// `Content-Disposition: form-data; name="…"; filename="…"` and `Content-Type`.
    private static func parseHeaders(_ bytes: [UInt8]) throws(MultipartError) -> PartHeaders {
        var name: String?
        var filename: String?
        var extendedFilename: String?
        var contentType: String?
        let text = String(decoding: bytes, as: UTF8.self)
        for line in text.split(separator: "\r\n", omittingEmptySubsequences: true) {
            guard let colon = line.firstIndex(of: ":") else { throw MultipartError("invalid multipart part header") }
            let field = line[..<colon].trimmingWhitespace().lowercased()
            let value = line[line.index(after: colon)...]
            switch field {
            case "content-disposition":
                let params = parameters(value)
                guard params.first?.key.lowercased() == "form-data" else {
                    throw MultipartError("multipart part is not form-data")
                }
                for (key, v) in params.dropFirst() {
                    switch key.lowercased() {
                    case "name": name = v
                    case "filename": filename = v
                    case "filename*": extendedFilename = decodeExtended(v)
                    default: break
                    }
                }
            case "content-type":
                contentType = value.trimmingWhitespace()
            default:
                break
            }
        }
        guard let name else { throw MultipartError("multipart part without a name") }
        return PartHeaders(name: name, filename: extendedFilename ?? filename, contentType: contentType)
    }

    /// `form-data; name="a"; filename="b"` → [("form-data", ""), ("name", "a"), ("filename", "b")],
    /// with quoted strings unescaped (`\"`, `\\`).
    private static func parameters(_ value: Substring) -> [(key: String, value: String)] {
        var result: [(String, String)] = []
        var chars = Array(value)[...]
        func skipSpace() { while let c = chars.first, c == " " || c == "\t" { chars = chars.dropFirst() } }
        while !chars.isEmpty {
            skipSpace()
            var key = ""
            while let c = chars.first, c != "=", c != ";" {
                key.append(c)
                chars = chars.dropFirst()
            }
            var v = ""
            if chars.first == "=" {
                chars = chars.dropFirst()
                skipSpace()
                if chars.first == "\"" {
                    chars = chars.dropFirst()
                    while let c = chars.first, c != "\"" {
                        chars = chars.dropFirst()
                        if c == "\\", let next = chars.first {
                            v.append(next)
                            chars = chars.dropFirst()
                        } else {
                            v.append(c)
                        }
                    }
                    chars = chars.dropFirst()
                    while let c = chars.first, c != ";" { chars = chars.dropFirst(); _ = c }
                } else {
                    while let c = chars.first, c != ";" {
                        v.append(c)
                        chars = chars.dropFirst()
                    }
                    v = v.trimmingWhitespace()
                }
            }
            if chars.first == ";" { chars = chars.dropFirst() }
            let k = key.trimmingWhitespace()
            if !k.isEmpty { result.append((k, v)) }
        }
        return result
    }

    /// RFC 5987 `UTF-8''%E4%B8%AD.jsonl` → `中.jsonl`.
    private static func decodeExtended(_ value: String) -> String? {
        let pieces = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard pieces.count == 3 else { return nil }
        return PercentDecoding.decode(pieces[2], plusIsSpace: false)
    }
}

/// A body that is not valid `multipart/form-data`.
package struct MultipartError: Error, Sendable, Equatable, CustomStringConvertible {
    package var description: String
    init(_ description: String) { self.description = description }
}
