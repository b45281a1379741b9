import Foundation
import Testing
@testable import OpenAIMock

/// The Responses API through the engine: the translation to chat, typed stream events (and a scripted
/// broken stream), the background timeline on a manual clock, and stored responses across a restart.
@Suite struct ResponsesTests {
    static func request(_ json: String) throws -> ResponsesRequest {
        guard case .object(let o) = try JSONValue.parse(Array(json.utf8)) else { throw OpenAIError.serverError() }
        return try ResponsesRequest(o)
    }

    @Test func itemsBecomeChatMessagesWithCallsMergedIntoOneAssistantTurn() throws {
        let r = try Self.request(#"""
        {"model":"gpt-4o-mini","instructions":"Be brief.","input":[
          {"role":"user","content":[{"type":"input_text","text":"Weather in Oslo and Rome?"}]},
          {"type":"reasoning","id":"rs_1","summary":[]},
          {"type":"function_call","call_id":"c1","name":"w","arguments":"{\"city\":\"Oslo\"}"},
          {"type":"function_call","call_id":"c2","name":"w","arguments":"{\"city\":\"Rome\"}"},
          {"type":"function_call_output","call_id":"c1","output":"sunny"},
          {"type":"function_call_output","call_id":"c2","output":"rain"}]}
        """#)
        let messages = try #require(try r.chatBody(history: [])["messages"]?.arrayValue)
        #expect(messages.map { $0["role"]?.stringValue ?? "" } == ["system", "user", "assistant", "tool", "tool"])
        #expect(messages[2]["tool_calls"]?.arrayValue?.count == 2)
        #expect(messages[1]["content"] == [["type": "text", "text": "Weather in Oslo and Rome?"]])
        #expect(messages[4]["tool_call_id"] == "c2" && messages[4]["content"] == "rain")
        // The translated request passes chat's own checks (every call answered).
        _ = try ChatRequest(try r.chatBody(history: []))
    }

    @Test func chatErrorsAreRenamedToResponsesParameters() async throws {
        let client = TestClient()
        let r = await client.send("POST", "/v1/responses",
                                  json: #"{"model":"gpt-4o-mini","input":"x","text":{"format":{"type":"json_object"}}}"#)
        #expect(r.status == 400)
        #expect(r.json?.error?["param"] == "input")
        let tooLong = await client.send("POST", "/v1/responses", json: #"{"model":"gpt-4o-mini","input":"x","max_output_tokens":9999999}"#)
        #expect(tooLong.status == 400 && tooLong.json?.error?["param"] == "max_output_tokens")
        let message = tooLong.json?.error?["message"]?.stringValue ?? ""
        #expect(message.contains("max_output_tokens") && !message.contains("max_completion_tokens"))
    }

    @Test func aBrokenStreamEndsWithATypedErrorEvent() async throws {
        let (client, dir) = try ScenarioTest.client(#"""
        { rules: [ { when: { endpoint: "responses" }, do: { text: "one two three four five", stream: { error_after: 4, error: { status: 500, message: "boom" } } } } ] }
        """#)
        defer { _ = dir }
        let collected = try await client.stream("/v1/responses", json: #"{"model":"gpt-4o-mini","input":"Hi","stream":true}"#)
        let last = try #require(collected.frames.last)
        #expect(last.hasPrefix("event: error\ndata: "))
        #expect(collected.frames.count == 5 && !collected.frames.contains { $0.contains("[DONE]") })
        let error = try JSONValue.parse(Array(last.split(separator: "\n")[1].dropFirst(6).utf8))
        #expect(error["type"] == "error" && error["sequence_number"] == 4 && error["message"] == "boom")
    }

    @Test func aBackgroundResponseFollowsTheManualClock() async throws {
        var config = MockConfiguration()
        config.pace = .manual
        try await withStartedEngine(config) { client in
            let created = await client.send("POST", "/v1/responses", json: #"{"model":"gpt-4o-mini","input":"Hi","background":true}"#)
            let id = try #require(created.json?["id"]?.stringValue)
            #expect(created.json?["status"] == "queued" && created.json?["usage"] == .null)
            var seen: [String] = []
            for _ in 0..<120 {
                let status = await client.send("GET", "/v1/responses/\(id)").json?["status"]?.stringValue ?? "?"
                if seen.last != status { seen.append(status) }
                if status == "completed" { break }
                client.engine.state.clock.advance(by: 1)
            }
            #expect(seen == ["queued", "in_progress", "completed"])
        }
    }

    @Test func storedResponsesAndConversationsSurviveARestart() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("responses-\(UInt64.random(in: 0...UInt64.max))").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var config = MockConfiguration()
        config.stateDirectory = dir
        var ids: (String, String) = ("", "")
        try await withStartedEngine(config) { client in
            let conv = await client.send("POST", "/v1/conversations", json: "{}")
            let convID = try #require(conv.json?["id"]?.stringValue)
            let r = await client.send("POST", "/v1/responses", json: #"{"model":"gpt-4o-mini","input":"Hi","conversation":"\#(convID)"}"#)
            ids = (try #require(r.json?["id"]?.stringValue), convID)
        }
        try await withStartedEngine(config) { client in
            #expect(await client.send("GET", "/v1/responses/\(ids.0)").status == 200)
            let items = await client.send("GET", "/v1/conversations/\(ids.1)/items?order=asc")
            #expect(items.json?["data"]?.arrayValue?.map { $0["role"]?.stringValue ?? "" } == ["user", "assistant"])
            let next = await client.send("POST", "/v1/responses", json: #"{"model":"gpt-4o-mini","input":"Again","previous_response_id":"\#(ids.0)"}"#)
            #expect(next.status == 200)
        }
    }
}
