import MockHTTP
import Testing
@testable import OpenAIMock

@Suite struct ChatStreamTests {
    let client = TestClient()
    static let messages = #""messages":[{"role":"user","content":"Tell me about the history of Paris."}]"#

    @Test func framingAndSequence() async throws {
        let s = try await client.stream("/v1/chat/completions", json: #"{"model":"gpt-4o-mini","stream":true,\#(Self.messages)}"#)
        #expect(s.status == 200)
        #expect(s.headers["content-type"]?.hasPrefix("text/event-stream") == true)
        #expect(s.frames.last == "data: [DONE]\n\n")
        for frame in s.frames {
            #expect(frame.hasPrefix("data: ") && frame.hasSuffix("\n\n"))
            #expect(!frame.dropLast(2).contains("\n"), "one line per event")
        }
        #expect(!s.frames.joined().contains("event:"))
        let events = s.events
        #expect(events.count == s.frames.count - 1)
        let first = try #require(events.first)
        #expect(first.objectValue?.keys == ["id", "object", "created", "model", "service_tier", "system_fingerprint", "choices"])
        #expect(first["object"] == "chat.completion.chunk")
        #expect(first["choices"]?[0]?.objectValue?.keys == ["index", "delta", "logprobs", "finish_reason"])
        #expect(first["choices"]?[0]?["delta"] == ["role": "assistant", "content": "", "refusal": nil])
        #expect(Set(events.compactMap { $0["id"]?.stringValue }).count == 1)
        let last = try #require(events.last)
        #expect(last["choices"]?[0]?["delta"] == .object(JSONObject()))
        #expect(last["choices"]?[0]?["finish_reason"] == "stop")
        for middle in events.dropFirst().dropLast() {
            #expect(middle["choices"]?[0]?["delta"]?.objectValue?.keys == ["content"])
            #expect(middle["choices"]?[0]?["finish_reason"] == .null)
        }
        // The streamed text is the plain reply's text.
        let text = events.compactMap { $0["choices"]?[0]?["delta"]?["content"]?.stringValue }.joined()
        let plain = await client.chat(#"{"model":"gpt-4o-mini",\#(Self.messages)}"#)
        #expect(text == plain.json?.content())
        #expect(events.count - 2 == TokenCounter.tokenize(text).count, "one token per content chunk")
    }

    @Test func includeUsageAddsAFinalUsageChunk() async throws {
        let s = try await client.stream("/v1/chat/completions",
                                        json: #"{"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},\#(Self.messages)}"#)
        let events = s.events
        for e in events.dropLast() {
            #expect(e["usage"] == .null)
            #expect(e.objectValue?.keys.last == "usage")
        }
        let last = try #require(events.last)
        #expect(last["choices"] == .array([]))
        let plain = await client.chat(#"{"model":"gpt-4o-mini",\#(Self.messages)}"#)
        #expect(last["usage"] == plain.json?["usage"])
        let without = try await client.stream("/v1/chat/completions", json: #"{"model":"gpt-4o-mini","stream":true,\#(Self.messages)}"#)
        #expect(without.events.allSatisfy { $0["usage"] == nil })
    }

    @Test func toolCallDeltas() async throws {
        let body = #"{"model":"gpt-4o","stream":true,"tools":\#(ChatToolsTests.tools),"messages":[{"role":"user","content":"What's the weather in Tokyo and the stock price of SONY?"}]}"#
        let s = try await client.stream("/v1/chat/completions", json: body)
        let deltas = s.choiceChunks.compactMap { $0["choices"]?[0]?["delta"] }
        #expect(deltas.first?["role"] == "assistant")
        #expect(deltas.first?["content"] == .null)
        var seen: [Int] = []
        var arguments: [Int: String] = [:]
        for delta in deltas {
            for fragment in delta["tool_calls"]?.arrayValue ?? [] {
                let index = try #require(fragment["index"]?.intValue, "index on every fragment")
                let isFirst = !seen.contains(index)
                if isFirst {
                    #expect(index == seen.count, "indices ascend")
                    seen.append(index)
                    #expect(fragment["id"]?.stringValue?.hasPrefix("call_") == true)
                    #expect(fragment["type"] == "function")
                    #expect(fragment["function"]?["name"]?.stringValue != nil)
                    #expect(fragment["function"]?["arguments"] == "")
                } else {
                    #expect(fragment["id"] == nil && fragment["type"] == nil && fragment["function"]?["name"] == nil)
                }
                arguments[index, default: ""] += fragment["function"]?["arguments"]?.stringValue ?? ""
            }
        }
        #expect(seen == [0, 1])
        let plain = try #require(await client.chat(body.replacingOccurrences(#""stream":true,"#, with: "")).json)
        let calls = try #require(plain["choices"]?[0]?["message"]?["tool_calls"]?.arrayValue)
        #expect(calls.map { $0["function"]?["arguments"]?.stringValue } == [arguments[0], arguments[1]])
        #expect(s.choiceChunks.last?["choices"]?[0]?["finish_reason"] == "tool_calls")
        #expect(s.choiceChunks.last?["choices"]?[0]?["delta"] == .object(JSONObject()))
    }

    @Test func legacyFunctionCallDeltas() async throws {
        let body = #"{"model":"gpt-3.5-turbo","stream":true,"functions":[{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}],"messages":[{"role":"user","content":"weather in Berlin?"}]}"#
        let s = try await client.stream("/v1/chat/completions", json: body)
        let deltas = s.choiceChunks.compactMap { $0["choices"]?[0]?["delta"] }
        #expect(deltas.first?["function_call"]?["name"] == "get_weather")
        let args = deltas.compactMap { $0["function_call"]?["arguments"]?.stringValue }.joined()
        #expect((try? JSONValue.parse(Array(args.utf8)))?.objectValue != nil)
        #expect(deltas.dropFirst().allSatisfy { $0["function_call"]?["name"] == nil })
        #expect(s.choiceChunks.last?["choices"]?[0]?["finish_reason"] == "function_call")
    }

    @Test func nChoicesInterleaveWithAscendingFirstAppearance() async throws {
        let s = try await client.stream("/v1/chat/completions", json: #"{"model":"gpt-4o","n":3,"stream":true,\#(Self.messages)}"#)
        let indices = s.choiceChunks.compactMap { $0["choices"]?[0]?["index"]?.intValue }
        #expect(s.choiceChunks.allSatisfy { $0["choices"]?.arrayValue?.count == 1 })
        var firsts: [Int] = []
        for i in indices where !firsts.contains(i) { firsts.append(i) }
        #expect(firsts == [0, 1, 2])
        #expect(Array(indices.prefix(3)) == [0, 1, 2])
        let plain = try #require(await client.chat(#"{"model":"gpt-4o","n":3,\#(Self.messages)}"#).json)
        for k in 0..<3 {
            let text = s.choiceChunks.filter { $0["choices"]?[0]?["index"] == .int(k) }
                .compactMap { $0["choices"]?[0]?["delta"]?["content"]?.stringValue }.joined()
            #expect(text == plain.content(k))
        }
    }

    @Test func logprobsTravelWithTheirChunks() async throws {
        let s = try await client.stream("/v1/chat/completions",
                                        json: #"{"model":"gpt-4o","stream":true,"logprobs":true,"top_logprobs":2,"max_tokens":10,\#(Self.messages)}"#)
        let plain = try #require(await client.chat(#"{"model":"gpt-4o","logprobs":true,"top_logprobs":2,"max_tokens":10,\#(Self.messages)}"#).json)
        let streamed = s.choiceChunks.flatMap { $0["choices"]?[0]?["logprobs"]?["content"]?.arrayValue ?? [] }
        #expect(streamed == plain["choices"]?[0]?["logprobs"]?["content"]?.arrayValue)
    }

    @Test func validationErrorsAreJSONNotSSE() async throws {
        let r = await client.chat(#"{"model":"gpt-4o","stream":true,"n":500,\#(Self.messages)}"#)
        #expect(r.status == 400)
        #expect(r.headers["content-type"] == "application/json")
    }
}
