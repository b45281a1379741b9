import Testing
@testable import OpenAIMock

struct MultipartParserTests {
    /// Parses `body` fed in pieces of `step` bytes into (name, filename, content type, data) parts.
    private func parse(_ body: [UInt8], boundary: String = "XyZ", step: Int) throws -> [(String, String?, String?, [UInt8])] {
        var parser = MultipartParser(boundary: boundary)
        var parts: [(String, String?, String?, [UInt8])] = []
        var offset = 0
        while offset < body.count {
            let end = min(body.count, offset + step)
            try parser.feed(Array(body[offset..<end])) { event throws(MultipartError) in
                switch event {
                case .begin(let h): parts.append((h.name, h.filename, h.contentType, []))
                case .data(let slice): parts[parts.count - 1].3 += slice
                case .end: break
                }
            }
            offset = end
        }
        try parser.finish()
        return parts
    }

    private func form(_ boundary: String = "XyZ", file: [UInt8]) -> [UInt8] {
        Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nfine-tune\r\n--\(boundary)\r\n".utf8)
            + Array("Content-Disposition: form-data; name=\"file\"; filename=\"/data/a \\\"b\\\".jsonl\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
            + file + Array("\r\n--\(boundary)--\r\n".utf8)
    }

    @Test func partsSurviveEverySplitOfTheBody() throws {
        // Data that looks like the delimiter's start (CR LF - -) must stay data.
        let file = Array("line\r\n--Xy\r\n-\r\n--X\r\r\n".utf8) + [0, 255, 13]
        let body = form(file: file)
        for step in [1, 2, 3, 5, 7, 13, 64, body.count] {
            let parts = try parse(body, step: step)
            #expect(parts.count == 2)
            #expect(parts[0].0 == "purpose" && parts[0].3 == Array("fine-tune".utf8))
            #expect(parts[1].0 == "file")
            #expect(parts[1].1 == "/data/a \"b\".jsonl")
            #expect(parts[1].2 == "application/octet-stream")
            #expect(parts[1].3 == file, "step \(step)")
        }
    }

    @Test func extendedFilenamesAreDecoded() throws {
        let body = Array("--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x\"; filename*=UTF-8''%E6%95%85%E4%BA%8B.jsonl\r\n\r\nabc\r\n--B--".utf8)
        let parts = try parse(body, boundary: "B", step: 1000)
        #expect(parts[0].1 == "故事.jsonl")
        #expect(parts[0].3 == Array("abc".utf8))
    }

    @Test func boundaryFromContentType() {
        #expect(MultipartParser.boundary(contentType: "multipart/form-data; boundary=abc") == "abc")
        #expect(MultipartParser.boundary(contentType: "Multipart/Form-Data;boundary=\"a b\"") == "a b")
        #expect(MultipartParser.boundary(contentType: "application/json") == nil)
        #expect(MultipartParser.boundary(contentType: "multipart/form-data") == nil)
    }

    @Test func malformedBodiesAreErrors() {
        #expect(throws: MultipartError.self) { try parse(Array("no boundary here".utf8), step: 4) }
        #expect(throws: MultipartError.self) {  // cut off before the closing delimiter
            try parse(Array("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue".utf8), step: 3)
        }
        #expect(throws: MultipartError.self) {  // a part without a name
            try parse(Array("--XyZ\r\nContent-Type: text/plain\r\n\r\nv\r\n--XyZ--".utf8), step: 100)
        }
        // A part that starts with an empty line has no headers (so no name), however the body is cut
        // (found by the multipart fuzz target: whole, the next blank line was taken as the headers' end).
        for step in [2, 9, 1000] {
            #expect(throws: MultipartError.self) {
                try parse(Array("--XyZ\r\n\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--XyZ--".utf8), step: step)
            }
        }
        // Transport padding after a boundary: up to its limit, whole or cut (a fuzz finding: cut into reads,
        // the limit was counted on the bytes buffered, so 300 spaces passed whole and failed cut).
        for padding in [MultipartParser.maxPaddingBytes, MultipartParser.maxPaddingBytes + 1] {
            let body = Array("--XyZ\(String(repeating: " ", count: padding))\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--XyZ--".utf8)
            for step in [2, 7, body.count] {
                if padding > MultipartParser.maxPaddingBytes {
                    #expect(throws: MultipartError.self) { try parse(body, step: step) }
                } else {
                    #expect((try? parse(body, step: step))?.map(\.0) == ["a"])
                }
            }
        }
        #expect(throws: MultipartError.self) {  // headers that never end
            try parse(Array("--XyZ\r\n".utf8) + [UInt8](repeating: 65, count: 20_000), step: 1000)
        }
    }
}
