import MockHTTP
import Testing
@testable import OpenAIMock

@Suite struct ChatCompletionsTests {
    let client = TestClient()
    static let hello = #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Tell me about the history of Paris."}]}"#

    @Test func shapeAndKeyOrder() async throws {
        let r = await client.chat(Self.hello)
        #expect(r.status == 200)
        #expect(r.headers["content-type"] == "application/json")
        let j = try #require(r.json)
        #expect(j.objectValue?.keys == ["id", "object", "created", "model", "choices", "usage", "service_tier", "system_fingerprint"])
        #expect(j["object"] == "chat.completion")
        #expect(j["model"] == "gpt-4o-mini")
        #expect(j["created"] == .int(VirtualClock.defaultEpoch))
        #expect(j["service_tier"] == "default")
        let id = try #require(j["id"]?.stringValue)
        #expect(id.hasPrefix("chatcmpl-") && id.count == 38)
        let fp = try #require(j["system_fingerprint"]?.stringValue)
        #expect(fp.hasPrefix("fp_") && fp.count == 13 && fp.dropFirst(3).allSatisfy(\.isHexDigit))
        let choice = try #require(j["choices"]?[0])
        #expect(choice.objectValue?.keys == ["index", "message", "logprobs", "finish_reason"])
        #expect(choice["message"]?.objectValue?.keys == ["role", "content", "refusal", "annotations"])
        #expect(choice["message"]?["role"] == "assistant")
        #expect(choice["message"]?["refusal"] == .null)
        #expect(choice["logprobs"] == .null)
        #expect(choice["finish_reason"] == "stop")
        let content = try #require(j.content())
        #expect(!content.isEmpty)
        let usage = try #require(j["usage"])
        #expect(usage.objectValue?.keys == ["prompt_tokens", "completion_tokens", "total_tokens",
                                            "prompt_tokens_details", "completion_tokens_details"])
        #expect(usage["prompt_tokens_details"]?.objectValue?.keys == ["cached_tokens", "audio_tokens"])
        #expect(usage["completion_tokens_details"]?.objectValue?.keys ==
                ["reasoning_tokens", "audio_tokens", "accepted_prediction_tokens", "rejected_prediction_tokens"])
        let p = try #require(usage["prompt_tokens"]?.intValue), c = try #require(usage["completion_tokens"]?.intValue)
        #expect(p > 5 && p < 30)
        #expect(c == TokenCounter.count(content))
        #expect(usage["total_tokens"]?.intValue == p + c)
    }

    @Test func fingerprintDependsOnModelOnly() async throws {
        let a = await client.chat(Self.hello)
        let b = await TestClient(MockConfiguration(seed: 9)).chat(#"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"other"}]}"#)
        let c = await client.chat(#"{"model":"gpt-4o","messages":[{"role":"user","content":"other"}]}"#)
        #expect(a.json?["system_fingerprint"] == b.json?["system_fingerprint"])
        #expect(a.json?["system_fingerprint"] != c.json?["system_fingerprint"])
    }

    @Test func deterministicAndSeedSensitive() async throws {
        let a = await client.chat(Self.hello)
        let b = await TestClient().chat(Self.hello)
        #expect(a.bytes == b.bytes)
        // Formatting and key order of the request do not matter.
        let spaced = await client.chat(#"{"messages": [{"content": "Tell me about the history of Paris.", "role": "user"}], "model": "gpt-4o-mini"}"#)
        #expect(spaced.json?.content() == a.json?.content())
        let seeded = await client.chat(#"{"model":"gpt-4o-mini","seed":42,"messages":[{"role":"user","content":"Tell me about the history of Paris."}]}"#)
        #expect(seeded.json?.content() != a.json?.content())
        let otherServerSeed = await TestClient(MockConfiguration(seed: 3)).chat(Self.hello)
        #expect(otherServerSeed.json?.content() != a.json?.content())
    }

    @Test func answersInThePromptsLanguage() async throws {
        let zh = await client.chat(#"{"model":"gpt-4o","messages":[{"role":"user","content":"请介绍一下黄河的历史"}]}"#)
        let text = try #require(zh.json?.content())
        #expect(text.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) })
        let en = try #require(await client.chat(Self.hello).json?.content())
        #expect(en.unicodeScalars.allSatisfy { $0.isASCII })
    }

    @Test func nChoicesAreDistinctAndIndexed() async throws {
        let r = await client.chat(#"{"model":"gpt-4o","n":3,"messages":[{"role":"user","content":"Write about rivers."}]}"#)
        let choices = try #require(r.json?["choices"]?.arrayValue)
        #expect(choices.count == 3)
        #expect(choices.map { $0["index"] } == [0, 1, 2])
        #expect(Set(choices.compactMap { $0["message"]?["content"]?.stringValue }).count == 3)
        let total = choices.reduce(0) { $0 + TokenCounter.count($1["message"]?["content"]?.stringValue ?? "") }
        #expect(r.json?["usage"]?["completion_tokens"]?.intValue == total)
    }

    @Test(arguments: ["max_tokens", "max_completion_tokens"])
    func maxTokensTruncatesWithLength(param: String) async throws {
        let r = await client.chat(#"{"model":"gpt-4o","\#(param)":5,"messages":[{"role":"user","content":"Write a long essay about rivers."}]}"#)
        #expect(r.json?["choices"]?[0]?["finish_reason"] == "length")
        let used = try #require(r.json?["usage"]?["completion_tokens"]?.intValue)
        #expect(used <= 5 && used >= 4)
    }

    @Test func stopSequenceCutsTheText() async throws {
        let full = try #require(await client.chat(Self.hello).json?.content())
        // Pick a word in the middle of the reply and stop on it.
        let words = full.split(separator: " ")
        let stop = " " + String(words[words.count / 2])
        let body = #"{"model":"gpt-4o-mini","stop":[\#(JSONValue.string(stop).jsonString)],"messages":[{"role":"user","content":"Tell me about the history of Paris."}]}"#
        let r = await client.chat(body)
        let cut = try #require(r.json?.content())
        #expect(!cut.contains(stop))
        #expect(cut.count < full.count)
        #expect(r.json?["choices"]?[0]?["finish_reason"] == "stop")
    }

    @Test func logprobsHaveTheChatShape() async throws {
        let r = await client.chat(#"{"model":"gpt-4o","logprobs":true,"top_logprobs":3,"max_tokens":12,"messages":[{"role":"user","content":"Say something."}]}"#)
        let lp = try #require(r.json?["choices"]?[0]?["logprobs"])
        #expect(lp.objectValue?.keys == ["content", "refusal"])
        #expect(lp["refusal"] == .null)
        let entries = try #require(lp["content"]?.arrayValue)
        #expect(entries.compactMap { $0["token"]?.stringValue }.joined() == r.json?.content())
        for e in entries {
            #expect(e.objectValue?.keys == ["token", "logprob", "bytes", "top_logprobs"])
            #expect((e["logprob"]?.doubleValue ?? 1) <= 0)
            #expect(e["bytes"]?.arrayValue?.compactMap(\.intValue).map(UInt8.init) == Array(e["token"]!.stringValue!.utf8))
            #expect(e["top_logprobs"]?.arrayValue?.count == 3)
            #expect(e["top_logprobs"]?[0]?.objectValue?.keys == ["token", "logprob", "bytes"])
        }
        let plain = await client.chat(#"{"model":"gpt-4o","logprobs":true,"max_tokens":5,"messages":[{"role":"user","content":"Say something."}]}"#)
        #expect(plain.json?["choices"]?[0]?["logprobs"]?["content"]?[0]?["top_logprobs"] == .array([]))
    }

    @Test func acceptsEveryContentFormAndIgnoresUnknownFields() async throws {
        let body = #"""
        {"model":"gpt-4o","store":true,"metadata":{"k":"v"},"user":"u1","seed":1,"prompt_cache_key":"x","verbosity":"medium",
         "messages":[
          {"role":"developer","content":[{"type":"text","text":"Be brief."}]},
          {"role":"system","content":"You are helpful.","name":"sys"},
          {"role":"user","content":[{"type":"text","text":"What is in this image?"},
             {"type":"image_url","image_url":{"url":"https://example.com/a.png","detail":"low"}},
             {"type":"input_audio","input_audio":{"data":"AAAA","format":"wav"}},
             {"type":"file","file":{"file_id":"file-abc"}}]},
          {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]},
          {"role":"tool","tool_call_id":"call_1","content":"42"},
          {"role":"assistant","content":[{"type":"text","text":"ok"}]},
          {"role":"function","name":"f","content":null},
          {"role":"user","content":"Thanks"}]}
        """#
        let r = await client.chat(body)
        #expect(r.status == 200, "\(r.json?.jsonString ?? "")")
    }

    @Test func reasoningModelsCountReasoningTokens() async throws {
        let r = await client.chat(#"{"model":"o3-mini","max_completion_tokens":2000,"messages":[{"role":"user","content":"Think."}]}"#)
        let usage = try #require(r.json?["usage"])
        let reasoning = try #require(usage["completion_tokens_details"]?["reasoning_tokens"]?.intValue)
        #expect(reasoning > 0)
        #expect(usage["completion_tokens"]?.intValue == reasoning + TokenCounter.count(r.json?.content() ?? ""))
    }
}
