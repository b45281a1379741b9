import Testing
@testable import MockHTTP

struct ChunkedDecoderTests {
    /// Decodes `wire` delivered in pieces of `step` bytes; returns body and leftover count.
    private func decode(_ wire: String, step: Int = .max) throws(HTTPServerError) -> (String, Int, Bool) {
        let bytes = Array(wire.utf8)
        var decoder = ChunkedDecoder(maxTrailerBytes: 1024)
        var body = BodySink(expected: nil, limit: 1 << 20)
        var buffered: [UInt8] = []
        var offset = 0
        while offset < bytes.count && !decoder.isDone {
            let end = min(bytes.count, offset + min(step, bytes.count))
            buffered += bytes[offset..<end]
            offset = end
            var used = 0
            var failure: HTTPServerError?
            buffered.withUnsafeBytes { raw in
                do throws(HTTPServerError) {
                    used = try decoder.decode(raw, into: &body)
                } catch {
                    failure = error
                }
            }
            if let failure { throw failure }
            buffered.removeFirst(used)
        }
        let out = body.takeMemory()
        return (String(decoding: out, as: UTF8.self), buffered.count + bytes.count - offset, decoder.isDone)
    }

    @Test func decodesChunksExtensionsAndTrailers() throws {
        let wire = "5;name=value\r\nhello\r\n7\r\n, world\r\nA \r\n0123456789\r\n0\r\nX-Trailer: yes\r\n\r\nNEXT"
        for step in [1, 2, 3, 7, 1000] {
            let (body, leftover, done) = try decode(wire, step: step)
            #expect(body == "hello, world0123456789")
            #expect(done)
            #expect(leftover == 4)
        }
    }

    @Test func rejectsBadFraming() {
        #expect(throws: HTTPServerError.self) { try decode("zz\r\nhello\r\n0\r\n\r\n") }
        #expect(throws: HTTPServerError.self) { try decode("5\r\nhelloXX0\r\n\r\n") }
        #expect(throws: HTTPServerError.self) { try decode("\r\n") }
        #expect(throws: HTTPServerError.self) { try decode("1234567890abcdef0\r\n") }
        #expect(throws: HTTPServerError.self) { try decode("0\r\nbad trailer\r\n\r\n") }
    }

    @Test func enforcesBodyLimitBeforeTheChunkDataArrives() {
        var decoder = ChunkedDecoder(maxTrailerBytes: 1024)
        var body = BodySink(expected: nil, limit: 4)
        let bytes = Array("5\r\nhel".utf8)
        var failure: HTTPServerError?
        bytes.withUnsafeBytes { raw in
            do throws(HTTPServerError) { _ = try decoder.decode(raw, into: &body) } catch { failure = error }
        }
        #expect(failure == .payloadTooLarge(limit: 4))
    }
}
