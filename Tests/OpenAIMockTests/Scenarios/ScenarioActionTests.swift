import Foundation
import Testing
@testable import OpenAIMock

/// Each action kind, resolved for a request and laid over a generated plan.
@Suite struct ScenarioActionTests {
    static let generated = ReplyPlan(choices: [.text("generated one"), .text("generated two")],
                                     usage: ReplyPlan.UsageOverride(reasoningTokens: 5))

    func reply(_ action: String, body: String = ScenarioTest.chat("I want a table for 4")) throws -> ScenarioReply {
        let result = ScenarioLoader.decode("{rules: [{do: \(action)}]}")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let rule = try #require(result.set.rules.first)
        return ScenarioReply(rule.steps[0], facts: ScenarioTest.facts(body), idSeed: 42)
    }

    @Test func textWithTemplatesReplacesEveryChoice() throws {
        let plan = try reply("{text: 'You ({{model}}, turn {{turn}}) said: {{last_user_message}}'}").apply(to: Self.generated)
        #expect(plan.choices.count == 2)
        #expect(plan.choices.allSatisfy { $0.output == .text("You (gpt-4o-mini, turn 1) said: I want a table for 4") })
        #expect(plan.choices[0].finishReason == "stop")
        #expect(plan.choices[0].completionTokens == nil || plan.choices[0].completionTokens! > 0)
        #expect(plan.usage.reasoningTokens == 5, "parts the rule leaves out keep the generator's values")
    }

    @Test func scriptedTextHonoursStopAndMaxTokens() throws {
        let body = ScenarioTest.chat("x", extra: #","stop":["."],"max_tokens":50"#)
        let plan = try reply("{text: 'Once upon a time. The end.'}", body: body).apply(to: Self.generated)
        #expect(plan.choices[0].output == .text("Once upon a time"))
        #expect(plan.choices[0].finishReason == "stop")
        let capped = try reply("{text: 'one two three four five six seven eight'}",
                               body: ScenarioTest.chat("x", extra: #","max_tokens":3"#)).apply(to: Self.generated)
        #expect(capped.choices[0].finishReason == "length")
        #expect(capped.choices[0].completionTokens == 3)
    }

    @Test func refusal() throws {
        let plan = try reply("{refusal: \"I can't help with that.\"}").apply(to: Self.generated)
        #expect(plan.choices[0].output == .refusal("I can't help with that."))
    }

    @Test func toolCallsWithTemplatedArgumentsAndStableIDs() throws {
        let action = "{tool_calls: [{name: 'book_table', arguments: {party_size: 4, note: '{{last_user_message}}'}}], finish_reason: 'tool_calls'}"
        let plan = try reply(action).apply(to: Self.generated)
        guard case .toolCalls(let calls, let content) = plan.choices[0].output else { Issue.record("no tool calls"); return }
        #expect(content == nil)
        #expect(calls.count == 1)
        #expect(calls[0].name == "book_table")
        #expect(calls[0].arguments == #"{"party_size":4,"note":"I want a table for 4"}"#)
        #expect(calls[0].id.hasPrefix("call_") && calls[0].id.count == 29)
        guard case .toolCalls(let second, _) = plan.choices[1].output else { return }
        #expect(second[0].id != calls[0].id, "each choice gets its own call ids")
        #expect(try reply(action).apply(to: Self.generated) == plan, "deterministic")
        #expect(plan.choices[0].finishReason == "tool_calls")
    }

    @Test func jsonContent() throws {
        let plan = try reply("{json: {name: 'Ada', echo: '{{model}}', tags: [1, 2]}}").apply(to: Self.generated)
        #expect(plan.choices[0].output == .text(#"{"name":"Ada","echo":"gpt-4o-mini","tags":[1,2]}"#))
    }

    @Test func finishReasonAndUsageOverride() throws {
        let plan = try reply("{finish_reason: 'content_filter', usage: {prompt_tokens: 7, completion_tokens: 9}}").apply(to: Self.generated)
        #expect(plan.choices[0].output == .text("generated one"), "no content given: generated text stays")
        #expect(plan.choices.allSatisfy { $0.finishReason == "content_filter" })
        #expect(plan.usage.promptTokens == 7)
        #expect(plan.usage.completionTokens == 9)
        #expect(plan.usage.reasoningTokens == 5)
        let usage = ReplyUsage(plan: plan, promptTokens: 100)
        #expect(usage.promptTokens == 7 && usage.totalTokens == 16)
    }

    @Test func streamPacingAndBreakage() throws {
        let paced = try reply("{text: 'hi', stream: {ttft_ms: 30, token_delay_ms: 5, chunk_tokens: 3}}").apply(to: Self.generated)
        #expect(paced.pacing == ReplyPlan.StreamPacing(timeToFirstToken: .milliseconds(30), interTokenDelay: .milliseconds(5),
                                                      tokensPerChunk: 3))
        #expect(paced.breakage == nil)
        #expect(try reply("{stream: {cut_after: 3, done: true}}").apply(to: Self.generated).breakage == .cut(afterChunks: 3, sendDone: true))
        #expect(try reply("{stream: {cut_after: 3}}").apply(to: Self.generated).breakage == .cut(afterChunks: 3, sendDone: false))
        #expect(try reply("{stream: {drop_after: 2}}").apply(to: Self.generated).breakage == .dropConnection(afterChunks: 2))
        let e = try reply("{stream: {error_after: 4, error: {message: 'upstream went away', code: 'upstream_error'}}}").apply(to: Self.generated)
        guard case .error(let n, let error)? = e.breakage else { Issue.record("no error breakage"); return }
        #expect(n == 4)
        #expect(error.message == "upstream went away")
        #expect(error.type == "server_error")
        #expect(error.code == "upstream_error")
    }

    @Test func embeddingVectorOrLikeText() throws {
        let body = #"{"model":"text-embedding-3-small","input":["refund policy"]}"#
        #expect(try reply("{embedding: [0.5, -0.5, 1]}", body: body).embeddingOverride(0) == .vector([0.5, -0.5, 1]))
        #expect(try reply("{embed_like: 'How do I get my money back for {{input}}?'}", body: body).embeddingOverride(0)
                == .likeText("How do I get my money back for refund policy?"))
    }

    @Test func moderationVerdict() throws {
        let r = try reply("{moderation: {flagged: true, categories: {violence: true, hate: false}, scores: {violence: 0.93}}}")
        let o = try #require(r.moderationOverride(0))
        #expect(o.flagged == true)
        #expect(o.categories == [.violence: true, .hate: false])
        #expect(o.scores == [.violence: 0.93])
        #expect(ScenarioTest.diagnostics("{rules: [{do: {moderation: {categories: {violense: true}}}}]}").first?.message
                == "Unknown moderation category 'violense'; did you mean 'violence'?")
    }

    @Test func sideFileTextIsATemplate() async throws {
        let dir = try ScenarioDir([
            "bots/story.json5": "{rules: [{when: {endpoint: 'completions'}, do: {text_file: 'texts/song.txt'}}]}",
            "bots/texts/song.txt": "Story for {{prompt}}",
        ])
        let result = ScenarioLoader.load(paths: [dir.path])
        #expect(result.diagnostics.isEmpty)
        let rule = try #require(result.set.rules.first)
        let r = ScenarioReply(rule.steps[0], facts: ScenarioTest.facts(#"{"prompt":"宋"}"#, path: "/v1/completions"), idSeed: 1)
        #expect(r.output == .text("Story for 宋"))
    }

    @Test func directoriesLoadRecursivelyInSortedOrderAndPriorityWins() throws {
        let dir = try ScenarioDir([
            "b.json": #"{"rules": [{"when": {"model": "x"}, "do": {"text": "b"}}]}"#,
            "a/z.json5": "{rules: [{when: {model: 'y'}, do: {text: 'az'}}]}",
            "a/c.json5": "{rules: [{when: {model: 'z'}, do: {text: 'ac'}}, {priority: 5, when: {model: 'w'}, do: {text: 'p'}}]}",
            "scenario.schema.json": "not json at all",
            "notes.txt": "ignored",
        ])
        let result = ScenarioLoader.load(paths: [dir.path])
        #expect(result.diagnostics.isEmpty)
        #expect(result.set.files.map { String($0.dropFirst(dir.path.count + 1)) } == ["a/c.json5", "a/z.json5", "b.json"])
        #expect(result.set.rules.map { $0.steps[0].reply.text?.source } == ["p", "ac", "az", "b"])
    }
}
