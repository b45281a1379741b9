import MockHTTP
import Testing
@testable import OpenAIMock

@Suite struct CompletionsTests {
    let client = TestClient()

    @Test func shapeKeyOrderAndDefaultLength() async throws {
        let r = await client.completion(#"{"model":"gpt-3.5-turbo-instruct","prompt":"Once upon a time"}"#)
        #expect(r.status == 200)
        let j = try #require(r.json)
        #expect(j.objectValue?.keys == ["id", "object", "created", "model", "system_fingerprint", "choices", "usage"])
        #expect(j["object"] == "text_completion")
        #expect(j["id"]?.stringValue?.hasPrefix("cmpl-") == true)
        #expect(j["usage"]?.objectValue?.keys == ["prompt_tokens", "completion_tokens", "total_tokens"])
        let choice = try #require(j["choices"]?[0])
        #expect(choice.objectValue?.keys == ["text", "index", "logprobs", "finish_reason"])
        // max_tokens defaults to 16, which cuts the natural answer.
        #expect(choice["finish_reason"] == "length")
        #expect(j["usage"]?["completion_tokens"] == 16)
        let text = try #require(choice["text"]?.stringValue)
        #expect(text.hasPrefix(" "), "an English continuation starts with a space")
        #expect(j["usage"]?["prompt_tokens"]?.intValue == TokenCounter.count("Once upon a time"))
    }

    @Test func severalPromptsTimesN() async throws {
        let r = await client.completion(#"{"model":"davinci-002","prompt":["Alpha","Beta"],"n":2,"max_tokens":8}"#)
        let choices = try #require(r.json?["choices"]?.arrayValue)
        #expect(choices.map { $0["index"] } == [0, 1, 2, 3])
        #expect(Set(choices.compactMap { $0["text"]?.stringValue }).count == 4)
        #expect(r.json?["usage"]?["prompt_tokens"]?.intValue == TokenCounter.count("Alpha") + TokenCounter.count("Beta"))
        // Same prompt list, same answers per index.
        let again = await client.completion(#"{"model":"davinci-002","prompt":["Alpha","Beta"],"n":2,"max_tokens":8}"#)
        #expect(again.bytes == r.bytes)
    }

    @Test func tokenPromptsAreAccepted() async throws {
        let one = await client.completion(#"{"model":"babbage-002","prompt":[1212,318,257],"max_tokens":4}"#)
        #expect(one.status == 200)
        #expect(one.json?["usage"]?["prompt_tokens"] == 3)
        let many = await client.completion(#"{"model":"babbage-002","prompt":[[1212,318],[257]],"max_tokens":4}"#)
        #expect(many.json?["choices"]?.arrayValue?.count == 2)
        #expect(many.json?["usage"]?["prompt_tokens"] == 3)
    }

    @Test func echoAndLogprobs() async throws {
        let prompt = "Hello world"
        let r = await client.completion(#"{"model":"gpt-3.5-turbo-instruct","prompt":"\#(prompt)","echo":true,"logprobs":2,"max_tokens":5}"#)
        let choice = try #require(r.json?["choices"]?[0])
        let text = try #require(choice["text"]?.stringValue)
        #expect(text.hasPrefix(prompt))
        let lp = try #require(choice["logprobs"])
        #expect(lp.objectValue?.keys == ["tokens", "token_logprobs", "top_logprobs", "text_offset"])
        let tokens = try #require(lp["tokens"]?.arrayValue?.compactMap { $0.stringValue })
        #expect(tokens.joined() == text)
        #expect(lp["token_logprobs"]?[0] == .null)
        #expect(lp["top_logprobs"]?[0] == .null)
        #expect(lp["token_logprobs"]?[1]?.doubleValue != nil)
        #expect(lp["top_logprobs"]?[1]?.objectValue?.count == 2)
        #expect(lp["text_offset"]?[0] == 0)
        #expect(lp["text_offset"]?.arrayValue?.count == tokens.count)
        // Without echo, offsets start after the prompt.
        let plain = await client.completion(#"{"model":"gpt-3.5-turbo-instruct","prompt":"\#(prompt)","logprobs":0,"max_tokens":3}"#)
        #expect(plain.json?["choices"]?[0]?["logprobs"]?["text_offset"]?[0] == .int(prompt.count))
        #expect(plain.json?["choices"]?[0]?["logprobs"]?["token_logprobs"]?[0]?.doubleValue != nil)
        // echo with max_tokens 0 returns the prompt alone.
        let zero = await client.completion(#"{"model":"gpt-3.5-turbo-instruct","prompt":"\#(prompt)","echo":true,"max_tokens":0}"#)
        #expect(zero.json?["choices"]?[0]?["text"] == .string(prompt))
    }

    @Test func stopSequencesFromTheTutorials() async throws {
        let r = await client.completion(#"{"model":"gpt-3.5-turbo-instruct","prompt":"The following is a conversation with an AI assistant.\nHuman: Hello, who are you?\nAI:","stop":["\n"," Human:"," AI:"],"max_tokens":150}"#)
        let text = try #require(r.json?["choices"]?[0]?["text"]?.stringValue)
        #expect(!text.contains("\n"))
        let story = await client.completion(#"{"model":"gpt-3.5-turbo-instruct","prompt":"Write a story about a dog.","stop":["."],"max_tokens":200}"#)
        #expect(story.json?["choices"]?[0]?["finish_reason"] == "stop")
        #expect(story.json?["choices"]?[0]?["text"]?.stringValue?.contains(".") == false)
        let zh = await client.completion(#"{"model":"gpt-3.5-turbo-instruct","prompt":"宋,发射激光,艰难 ->\n","stop":["."],"max_tokens":60}"#)
        #expect(zh.json?["choices"]?[0]?["text"]?.stringValue?.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) } == true)
    }

    @Test func suffixIsAcceptedAndBilled() async throws {
        let a = await client.completion(#"{"model":"gpt-3.5-turbo-instruct","prompt":"def add(a, b):","max_tokens":5}"#)
        let b = await client.completion(#"{"model":"gpt-3.5-turbo-instruct","prompt":"def add(a, b):","suffix":"    return result","max_tokens":5}"#)
        #expect(b.status == 200)
        #expect((b.json?["usage"]?["prompt_tokens"]?.intValue ?? 0) > (a.json?["usage"]?["prompt_tokens"]?.intValue ?? 0))
    }

    @Test(arguments: [
        (#"{"prompt":"x"}"#, 400, "you must provide a model parameter"),
        (#"{"model":"davinci-002"}"#, 400, "Missing required parameter: 'prompt'."),
        (#"{"model":"gpt-4o","prompt":"x"}"#, 404, "This is a chat model and not supported in the v1/completions endpoint. Did you mean to use v1/chat/completions?"),
        (#"{"model":"nope","prompt":"x"}"#, 404, "The model `nope` does not exist or you do not have access to it."),
        (#"{"model":"davinci-002","prompt":"x","logprobs":6}"#, 400, "Invalid 'logprobs': integer above maximum value. Expected a value <= 5, but got 6 instead."),
        (#"{"model":"davinci-002","prompt":"x","n":3,"best_of":2}"#, 400, "You requested that the server return more choices than it will generate (HINT: you must set 'n' (currently 3) to be at most 'best_of' (currently 2), or omit either parameter if you don't specifically need to use them.)"),
        (#"{"model":"davinci-002","prompt":"x","best_of":2,"stream":true}"#, 400, "Cannot stream results with best_of > 1. Please set 'best_of' to 1 or 'stream' to false."),
        (#"{"model":"davinci-002","prompt":"x","stream_options":{"include_usage":true}}"#, 400, "The 'stream_options' parameter is only allowed when 'stream' is enabled."),
        (#"{"model":"davinci-002","prompt":"x","max_tokens":-1}"#, 400, "Invalid 'max_tokens': integer below minimum value. Expected a value >= 0, but got -1 instead."),
        (#"{"model":"davinci-002","prompt":[]}"#, 400, "Invalid 'prompt': empty array. Expected an array with minimum length 1, but got an empty array instead."),
    ])
    func rejectsLikeTheRealAPI(body: String, status: Int, message: String) async throws {
        let r = await client.completion(body)
        #expect(r.status == status)
        #expect(r.json?.error?["message"]?.stringValue == message)
    }

    @Test func contextOverflowCountsMaxTokens() async throws {
        let long = String(repeating: "word ", count: 2_000)
        let r = await client.completion(#"{"model":"gpt-3.5-turbo-instruct","prompt":"\#(long)","max_tokens":2500}"#)
        #expect(r.status == 400)
        #expect(r.json?.error?["code"] == "context_length_exceeded")
        #expect(r.json?.error?["message"]?.stringValue?.hasPrefix("This model's maximum context length is 4096 tokens, however you requested ") == true)
    }

    @Test func streamingFraming() async throws {
        let body = #"{"model":"gpt-3.5-turbo-instruct","prompt":"Say hi","max_tokens":6,"n":2,"echo":true,"stream":true,"stream_options":{"include_usage":true}}"#
        let s = try await client.stream("/v1/completions", json: body)
        #expect(s.headers["content-type"]?.hasPrefix("text/event-stream") == true)
        #expect(s.frames.last == "data: [DONE]\n\n")
        let events = s.events
        #expect(events.first?.objectValue?.keys == ["id", "object", "created", "model", "system_fingerprint", "choices", "usage"])
        #expect(events.first?["object"] == "text_completion")
        #expect(events.first?["choices"]?[0]?["text"] == "Say hi")
        #expect(events.last?["choices"] == .array([]))
        let plain = try #require(await client.completion(body.replacingOccurrences(#","stream":true,"stream_options":{"include_usage":true}"#, with: "")).json)
        #expect(events.last?["usage"] == plain["usage"])
        for k in 0..<2 {
            let mine = s.choiceChunks.filter { $0["choices"]?[0]?["index"] == .int(k) }
            #expect(mine.compactMap { $0["choices"]?[0]?["text"]?.stringValue }.joined() == plain["choices"]?[k]?["text"]?.stringValue)
            #expect(mine.last?["choices"]?[0]?["text"] == "")
            #expect(mine.last?["choices"]?[0]?["finish_reason"] == plain["choices"]?[k]?["finish_reason"])
            #expect(mine.dropLast().allSatisfy { $0["choices"]?[0]?["finish_reason"] == .null })
        }
    }

    @Test func streamedLogprobsMatchPlain() async throws {
        let body = #"{"model":"gpt-3.5-turbo-instruct","prompt":"Say hi","max_tokens":6,"logprobs":3,"stream":true}"#
        let s = try await client.stream("/v1/completions", json: body)
        let plain = try #require(await client.completion(body.replacingOccurrences(#","stream":true"#, with: "")).json)
        let lp = plain["choices"]?[0]?["logprobs"]
        let chunks = s.choiceChunks.dropLast()
        #expect(chunks.flatMap { $0["choices"]?[0]?["logprobs"]?["tokens"]?.arrayValue ?? [] } == lp?["tokens"]?.arrayValue)
        #expect(chunks.flatMap { $0["choices"]?[0]?["logprobs"]?["token_logprobs"]?.arrayValue ?? [] } == lp?["token_logprobs"]?.arrayValue)
        #expect(chunks.flatMap { $0["choices"]?[0]?["logprobs"]?["text_offset"]?.arrayValue ?? [] } == lp?["text_offset"]?.arrayValue)
    }
}
