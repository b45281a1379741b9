import MockHTTP
import Testing
@testable import OpenAIMock

/// Pacing and deliberate breakage, driven by a hand-made ``ReplyPlan`` as a scenario would.
@Suite struct ChatStreamPlanTests {
    static let envelope = CompletionEnvelope(id: "chatcmpl-test", created: 1, model: "gpt-4o", systemFingerprint: "fp_0123456789", seed: 1)

    func play(_ plan: ReplyPlan, includeUsage: Bool = false) async throws -> RecordingWriter {
        let source = ChatStream(envelope: Self.envelope, plan: plan, usage: ReplyUsage(plan: plan, promptTokens: 3),
                                includeUsage: includeUsage, topLogprobs: nil)
        let writer = RecordingWriter()
        try await writer.play(SSEScheduledBody(source, pacing: plan.pacing, breakage: plan.breakage))
        return writer
    }

    func texts(_ w: RecordingWriter) -> [String] { w.writes.map { String(decoding: $0, as: UTF8.self) } }

    @Test func scriptedTextChunkedByTokens() async throws {
        var plan = ReplyPlan(choices: [.text("one two three four five")])
        plan.pacing.tokensPerChunk = 2
        let frames = texts(try await play(plan))
        // role, "one two", " three four", " five", finish, [DONE]
        #expect(frames.count == 6)
        #expect(frames[1].contains(#""delta":{"content":"one two"}"#))
        #expect(frames[3].contains(#""delta":{"content":" five"}"#))
    }

    @Test func errorEventAfterNChunks() async throws {
        var plan = ReplyPlan(choices: [.text("one two three four five")])
        plan.breakage = .error(afterChunks: 2, OpenAIError.serverError())
        let frames = texts(try await play(plan))
        #expect(frames.count == 3)
        #expect(frames[2] == #"data: {"error":{"message":"The server had an error while processing your request. Sorry about that!","type":"server_error","param":null,"code":null}}"# + "\n\n")
    }

    @Test func cutWithAndWithoutDone() async throws {
        var plan = ReplyPlan(choices: [.text("one two three four five")])
        plan.breakage = .cut(afterChunks: 3, sendDone: false)
        let cut = try await play(plan)
        #expect(cut.writes.count == 3)
        #expect(!cut.aborted)
        plan.breakage = .cut(afterChunks: 3, sendDone: true)
        let withDone = texts(try await play(plan))
        #expect(withDone.count == 4 && withDone.last == "data: [DONE]\n\n")
    }

    @Test func dropConnectionAborts() async throws {
        var plan = ReplyPlan(choices: [.text("one two three")])
        plan.breakage = .dropConnection(afterChunks: 1)
        let w = try await play(plan)
        #expect(w.writes.count == 1)
        #expect(w.aborted)
    }

    @Test func pacingDelaysTheStream() async throws {
        var plan = ReplyPlan(choices: [.text("one two three four")])
        plan.pacing = ReplyPlan.StreamPacing(timeToFirstToken: .milliseconds(30), interTokenDelay: .milliseconds(10))
        let clock = ContinuousClock()
        let start = clock.now
        _ = try await play(plan)
        #expect(clock.now - start >= .milliseconds(70))  // 30 + 4 × 10
    }

    @Test func refusalAndScriptedToolCalls() async throws {
        let refusal = texts(try await play(ReplyPlan(choices: [ReplyPlan.Choice(.refusal("I can't help with that."))])))
        #expect(refusal[0].contains(#""delta":{"role":"assistant","content":null,"refusal":""}"#))
        #expect(refusal[1].contains(#""delta":{"refusal":"I"}"#))
        let calls = [ReplyPlan.ToolCall(id: "call_a", name: "f", arguments: #"{"x":1}"#)]
        let withText = texts(try await play(ReplyPlan(choices: [ReplyPlan.Choice(.toolCalls(calls, content: "Let me check."))])))
        #expect(withText[0].contains(#""delta":{"role":"assistant","content":"","refusal":null}"#))
        #expect(withText.contains { $0.contains(#""tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"f","arguments":""}}]"#) })
        #expect(withText.last(where: { $0.contains("finish_reason\":\"") })?.contains(#""finish_reason":"tool_calls""#) == true)
    }

    @Test func usageOverrideWins() {
        var plan = ReplyPlan(choices: [.text("hello there")])
        plan.usage = ReplyPlan.UsageOverride(promptTokens: 100, completionTokens: 7, cachedTokens: 50)
        let u = ReplyUsage(plan: plan, promptTokens: 3)
        #expect(u == ReplyUsage(promptTokens: 100, completionTokens: 7, cachedTokens: 50))
        #expect(u.totalTokens == 107)
    }
}
