import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import MockHTTP
import OpenAIMock
import OpenAIMockURLProtocol
import Testing

/// The public Swift API, as a user's test target sees it (no `@testable`).
@Suite(.serialized) struct SwiftAPITests {
    static let rules = #"{rules: [{when: {endpoint: "chat", last_user_message: {contains: "ping"}}, do: {text: "pong"}}]}"#

    func chat(_ content: String, stream: Bool = false) -> Data {
        Data(#"{"model":"gpt-4o-mini","stream":\#(stream),"messages":[{"role":"user","content":"\#(content)"}]}"#.utf8)
    }

    func post(_ session: URLSession, _ url: String, _ body: Data) async throws -> (Int, String) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = "POST"
        request.setValue("Bearer sk-test", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = body
        let (data, response) = try await session.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    @Test func anInProcessServerOverARealSocket() async throws {
        let mock = try await OpenAIMock.start(rules: [Self.rules])
        let (status, body) = try await post(URLSession(configuration: .ephemeral), mock.baseURL + "/chat/completions", chat("ping?"))
        #expect(status == 200)
        #expect(body.contains(#""content":"pong""#))
        #expect(mock.journal.count(path: "/v1/chat/completions") == 1)
        let before = mock.clock.now()
        mock.clock.advance(by: 60)
        #expect(mock.clock.now() == before + 60)
        try mock.reset()
        #expect(mock.journal.count() == 0)
        await mock.stop()
    }

    @Test func brokenRulesMakeStartThrow() async {
        await #expect(throws: ScenarioLoadError.self) {
            _ = try await OpenAIMock.start(rules: [#"{rules: [{when: {endpont: "chat"}, do: {text: "x"}}]}"#])
        }
    }

    @Test func urlSessionThroughTheURLProtocolPlainAndStreaming() async throws {
        let engine = MockEngine()
        try engine.start()
        try engine.state.scenarios.add(Self.rules)
        let configuration = URLSessionConfiguration.ephemeral
        MockURLProtocol.register(engine, in: configuration)
        defer { MockURLProtocol.unregister() }
        let session = URLSession(configuration: configuration)

        let (status, body) = try await post(session, "https://api.openai.com/v1/chat/completions", chat("ping"))
        #expect(status == 200)
        #expect(body.contains(#""content":"pong""#))

        let (streamStatus, stream) = try await post(session, "https://api.openai.com/v1/chat/completions", chat("ping", stream: true))
        #expect(streamStatus == 200)
        #expect(stream.hasPrefix("data: {"))
        #expect(stream.contains(#""delta":{"content":"pong"}"#))
        #expect(stream.hasSuffix("data: [DONE]\n\n"))

        let (missing, error) = try await post(session, "https://api.openai.com/v1/nothing", Data())
        #expect(missing == 404)
        #expect(error.contains("Invalid URL"))
        #expect(engine.state.journal.count() == 3)
        await engine.stop()
    }
}
