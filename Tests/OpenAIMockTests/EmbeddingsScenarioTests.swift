import Foundation
import MockHTTP
import Testing
@testable import OpenAIMock

/// Scenario rules reach the embedder through `ctx.scenarioReply` (`embedding` / `embed_like`).
@Suite struct EmbeddingsScenarioTests {
    static func engine(_ scenario: String) throws -> MockEngine {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("embeddings-scenario-\(UInt64.random(in: 0...UInt64.max)).json")
        try scenario.write(to: url, atomically: true, encoding: .utf8)
        return MockEngine(configuration: MockConfiguration(scenarioPaths: [url.path]))
    }

    static func vectors(_ engine: MockEngine, _ body: String) async throws -> [[Double]] {
        let response = await engine.handle(HTTPRequest(method: "POST", target: "/v1/embeddings",
                                                       headers: ["authorization": "Bearer sk-test"],
                                                       body: .bytes(Array(body.utf8))))
        guard case .bytes(let bytes) = response.body else { return [] }
        let json = try JSONValue.parse(bytes)
        return (json["data"]?.arrayValue ?? []).map { ($0["embedding"]?.arrayValue ?? []).compactMap(\.doubleValue) }
    }

    @Test func embedLikeAndPinnedVector() async throws {
        let engine = try Self.engine(#"""
        {"rules": [
          {"when": {"endpoint": "embeddings", "input": {"contains": "refund"}}, "do": {"embed_like": "returns policy"}},
          {"when": {"endpoint": "embeddings", "input": {"contains": "pin me"}}, "do": {"embedding": [3, 4]}}
        ]}
        """#)
        let like = try await Self.vectors(engine, #"{"model":"text-embedding-3-small","input":"how do I get a refund"}"#)
        let target = try await Self.vectors(engine, #"{"model":"text-embedding-3-small","input":"returns policy"}"#)
        #expect(like.count == 1 && like == target)
        let pinned = try await Self.vectors(engine, #"{"model":"text-embedding-3-small","input":"pin me","dimensions":3}"#)
        #expect(pinned == [[0.6, 0.8, 0]])
        let free = try await Self.vectors(engine, #"{"model":"text-embedding-3-small","input":"unrelated"}"#)
        #expect(free.first?.count == 1536 && free != target)
    }
}
