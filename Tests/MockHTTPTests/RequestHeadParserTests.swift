import Testing
@testable import MockHTTP

/// The head parser on its own, fed from byte arrays (no sockets).
struct RequestHeadParserTests {
    private func parse(_ text: String, _ adjust: (inout HTTPServerConfiguration.Limits) -> Void = { _ in }) -> HeadParseResult {
        var limits = HTTPServerConfiguration.Limits()
        adjust(&limits)
        var parser = RequestHeadParser(limits: limits)
        return Array(text.utf8).withUnsafeBytes { parser.parse($0) }
    }

    private func head(_ text: String) throws -> (RequestHead, Int) {
        guard case .complete(let head, let consumed) = parse(text) else {
            throw TestClientError(description: "not complete: \(parse(text))")
        }
        return (head, consumed)
    }

    private func error(_ text: String, _ adjust: (inout HTTPServerConfiguration.Limits) -> Void = { _ in }) -> HTTPServerError? {
        if case .failed(let error) = parse(text, adjust) { return error }
        return nil
    }

    @Test func parsesRequestLineAndHeaders() throws {
        let text = "GET /v1/models?limit=2 HTTP/1.1\r\nHost: x\r\nX-Custom:  spaced value \t\r\n\r\nEXTRA"
        let (head, consumed) = try head(text)
        #expect(head.method == "GET")
        #expect(head.target == "/v1/models?limit=2")
        #expect(head.version == .http11)
        #expect(head.headers["x-custom"] == "spaced value")
        #expect(head.headers["HOST"] == "x")
        #expect(head.framing == .none)
        #expect(head.keepAlive)
        #expect(consumed == text.utf8.count - 5)
    }

    @Test func acceptsBareLineFeedsAndLeadingEmptyLines() throws {
        let (head, _) = try head("\r\nPOST /a HTTP/1.0\nContent-Length: 5\nConnection: keep-alive\n\n")
        #expect(head.method == "POST")
        #expect(head.framing == .length(5))
        #expect(head.keepAlive)
    }

    @Test func keepAliveDefaults() throws {
        #expect(try head("GET / HTTP/1.0\r\n\r\n").0.keepAlive == false)
        #expect(try head("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").0.keepAlive == false)
        #expect(try head("GET / HTTP/1.1\r\nHost: t\r\nConnection: Keep-Alive, Upgrade\r\n\r\n").0.keepAlive)
    }

    @Test func needsMoreUntilBlankLineEvenByteByByte() {
        let text = Array("GET / HTTP/1.1\r\nHost: t\r\nA: b\r\n\r\n".utf8)
        var parser = RequestHeadParser(limits: .init())
        for end in 1..<text.count {
            let result = Array(text[0..<end]).withUnsafeBytes { parser.parse($0) }
            guard case .needMore = result else {
                Issue.record("complete too early at \(end)")
                return
            }
        }
        guard case .complete = text.withUnsafeBytes({ parser.parse($0) }) else {
            Issue.record("not complete at the end")
            return
        }
    }

    @Test func framing() throws {
        #expect(try head("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: Chunked\r\n\r\n").0.framing == .chunked)
        #expect(try head("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 7\r\nContent-Length: 7\r\n\r\n").0.framing == .length(7))
        #expect(try head("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 7, 7\r\n\r\n").0.framing == .length(7))
        #expect(try head("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n").0.framing == .none)
        let expecting = try head("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nExpect: 100-Continue\r\n\r\n").0
        #expect(expecting.expectsContinue)
    }

    @Test func rejectsSmugglingAndBadFraming() {
        #expect(error("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n")?.status == 400)
        #expect(error("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n")?.status == 400)
        #expect(error("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: -3\r\n\r\n")?.status == 400)
        #expect(error("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 0x10\r\n\r\n")?.status == 400)
        #expect(error("POST / HTTP/1.1\r\nHost: t\r\nContent-Length:\r\n\r\n")?.status == 400)
        #expect(error("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n")?.status == 501)
        #expect(error("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")?.status == 501)
        #expect(error("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked, gzip\r\n\r\n")?.status == 400)
        #expect(error("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 99999999999999999999999\r\n\r\n")?.status == 413)
        #expect(error("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\n") { $0.maxBodyBytes = 10 } == .payloadTooLarge(limit: 10))
    }

    @Test func rejectsMalformedHeads() {
        #expect(error("GET / HTTP/1.1\r\nHost: t\r\nA: b\r\n  folded\r\n\r\n")?.status == 400)
        #expect(error("GET / HTTP/1.1\r\nHost: t\r\nBad Name: b\r\n\r\n")?.status == 400)
        #expect(error("GET / HTTP/1.1\r\nHost: t\r\nName : b\r\n\r\n")?.status == 400)
        #expect(error("GET / HTTP/1.1\r\nHost: t\r\n: b\r\n\r\n")?.status == 400)
        #expect(error("GET / HTTP/1.1\r\nHost: t\r\nNoColon\r\n\r\n")?.status == 400)
        #expect(error("GET / HTTP/1.1\r\nHost: t\r\nA: b\u{01}c\r\n\r\n")?.status == 400)
        #expect(error("GET /  HTTP/1.1\r\nHost: t\r\n\r\n")?.status == 400)
        #expect(error("GET /\r\n\r\n")?.status == 400)
        #expect(error("G(T / HTTP/1.1\r\nHost: t\r\n\r\n")?.status == 400)
        #expect(error("GET / HTTP/2.0\r\n\r\n") == .versionNotSupported)
        #expect(error("GET / HTTP/0.9\r\n\r\n") == .versionNotSupported)
        #expect(error("GET / HTTX/1.1\r\n\r\n")?.status == 400)
        #expect(error("GET / HTTP/1.10\r\n\r\n")?.status == 400)
    }

    @Test func limits() {
        let longTarget = "GET /" + String(repeating: "a", count: 200) + " HTTP/1.1\r\nHost: t\r\n"
        #expect(error(longTarget) { $0.maxRequestLineBytes = 100 } == .uriTooLong)
        #expect(error(String(longTarget.dropLast(20))) { $0.maxRequestLineBytes = 100 } == .uriTooLong)
        let big = "GET / HTTP/1.1\r\nHost: t\r\nA: " + String(repeating: "x", count: 300) + "\r\n"
        #expect(error(big) { $0.maxHeaderBytes = 200 }?.status == 431)
        #expect(error(big + "\r\n") { $0.maxHeaderBytes = 200 }?.status == 431)
        let many = "GET / HTTP/1.1\r\nHost: t\r\n" + String(repeating: "A: b\r\n", count: 10) + "\r\n"
        #expect(error(many) { $0.maxHeaderCount = 10 }?.status == 431)
        #expect(error(many) { $0.maxHeaderCount = 11 } == nil)
    }
}
