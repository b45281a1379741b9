import Testing
@testable import MockHTTP

/// RFC 9112 details: `Host` (§3.2), absolute-form targets (§3.2.2), response-splitting fields, a chunk
/// size beyond the body limit, and a client that closes after a truncated pipelined body.
struct HostAndTargetTests {
    private func parse(_ text: String) -> HeadParseResult {
        var parser = RequestHeadParser(limits: HTTPServerConfiguration.Limits())
        return Array(text.utf8).withUnsafeBytes { parser.parse($0) }
    }

    private func status(_ text: String) -> Int? {
        if case .failed(let error) = parse(text) { return error.status }
        return nil
    }

    @Test func http11NeedsExactlyOneValidHost() {
        #expect(status("GET / HTTP/1.1\r\n\r\n") == 400)
        #expect(status("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") == 400)
        #expect(status("GET / HTTP/1.1\r\nHost: a b\r\n\r\n") == 400)
        #expect(status("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n") == 400)
        #expect(status("GET / HTTP/1.1\r\nHost: 127.0.0.1:4010\r\n\r\n") == nil)
        #expect(status("GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n") == nil)
        #expect(status("GET / HTTP/1.1\r\nHost:\r\n\r\n") == nil)  // empty is allowed
        #expect(status("GET / HTTP/1.0\r\n\r\n") == nil)  // HTTP/1.0 has no Host requirement
    }

    @Test func absoluteFormTargetsAreServedAsOriginForm() {
        for (target, expected) in [("http://h/v1/models?x=1", "/v1/models?x=1"), ("HTTPS://h:8/a", "/a"),
                                   ("http://h", "/"), ("http://h?q", "/?q"), ("/plain", "/plain"), ("*", "*"),
                                   ("httpx://h/a", "httpx://h/a")] {
            guard case .complete(let head, _) = parse("GET \(target) HTTP/1.1\r\nHost: h\r\n\r\n") else {
                Issue.record("\(target) did not parse")
                continue
            }
            #expect(head.target == expected)
        }
    }

    @Test func absoluteFormOverTheWire() async throws {
        try await withServer { server in
            let client = try TestClient(port: server.port)
            try await client.send("GET http://example.com/v1/models?limit=2 HTTP/1.1\r\nHost: example.com\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.header("x-path") == "/v1/models")
            #expect(response.header("x-query") == "limit=2")
        }
    }

    @Test func fieldsThatCouldSplitAResponseAreNotWritten() {
        var headers: HTTPHeaders = ["x-ok": "1"]
        headers.add("x-evil", "a\r\nSet-Cookie: stolen=1")
        headers.add("bad name", "v")
        headers.add("x-nul", "a\u{0}b")
        var out: [UInt8] = []
        ResponseSerializer.appendHead(status: 200, headers: headers, framing: .length(0), keepAlive: true,
                                      http10KeepAlive: false, into: &out)
        let text = String(decoding: out, as: UTF8.self)
        #expect(text.contains("x-ok: 1\r\n"))
        #expect(!text.contains("Set-Cookie") && !text.contains("bad name") && !text.contains("x-nul"))
        #expect(HTTPHeaders.isValidName("retry-after-ms") && !HTTPHeaders.isValidName("a:b") && !HTTPHeaders.isValidName(""))
        #expect(HTTPHeaders.isValidValue("a\tb é") && !HTTPHeaders.isValidValue("a\nb"))
    }

    /// The decoder's verdict on a chunk-size line alone (no data yet) against a 100-byte body limit.
    private func sizeLine(_ line: String) -> HTTPServerError? {
        var decoder = ChunkedDecoder(maxTrailerBytes: 1024)
        var body = BodySink(expected: nil, limit: 100)
        var failure: HTTPServerError?
        Array(line.utf8).withUnsafeBytes { raw in
            do throws(HTTPServerError) {
                _ = try decoder.decode(raw, into: &body)
            } catch {
                failure = error
            }
        }
        return failure
    }

    @Test func aChunkLargerThanTheLimitIsRefusedAtOnce() {
        #expect(sizeLine("64\r\n") == nil)  // 100: fits exactly
        #expect(sizeLine("65\r\n") == .payloadTooLarge(limit: 100))
        #expect(sizeLine("FFFFFFFFFFFFFFF\r\n") == .payloadTooLarge(limit: 100))
    }

    @Test func hugeChunkSizeAnswers413WithoutWaitingForData() async throws {
        try await withServer(testConfiguration { $0.limits.maxBodyBytes = 1000 }) { server in
            let client = try TestClient(port: server.port)
            try await client.send("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFF\r\n")
            #expect(try await client.readResponse().status == 413)
        }
    }

    /// The second body never completes and the client has closed its side: the first answer is
    /// delivered and the connection closed promptly (not after the idle timeout, here 2 s; raised to 60).
    @Test func truncatedPipelinedBodyAndFinClosePromptly() async throws {
        try await withServer(testConfiguration { $0.limits.idleTimeout = 60 }) { server in
            let client = try TestClient(port: server.port)
            try await client.send("GET /1 HTTP/1.1\r\nHost: t\r\n\r\nPOST /2 HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nshort")
            client.shutdownWrite()
            #expect(try await client.readResponse().status == 200)
            #expect(await client.waitForClose(timeout: 5))
        }
    }
}
