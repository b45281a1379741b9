import Foundation
import MockHTTP
import Testing
@testable import OpenAIMock

/// Faults, delays, dropped connections, sequencing, chaos and strict mode, through the engine.
@Suite struct ScenarioFaultTests {
    static let flaky = """
    {rules: [
      {when: {endpoint: 'chat', last_user_message: {contains: 'flaky'}}, times: 2,
       do: {fault: {status: 429, headers: {'retry-after-ms': 10, 'x-should-retry': 'true', 'x-ratelimit-remaining-requests': 0}}}},
      {when: {endpoint: 'chat', last_user_message: {contains: 'flaky'}}, do: {text: 'finally'}},
    ]}
    """

    @Test func faultHasStatusOpenAIBodyAndHeaders() async throws {
        let (client, _dir) = try ScenarioTest.client(Self.flaky)
        _ = _dir
        let r = await client.send("POST", "/v1/chat/completions", json: ScenarioTest.chat("a flaky call"))
        #expect(r.status == 429)
        #expect(r.headers["retry-after-ms"] == "10")
        #expect(r.headers["x-should-retry"] == "true")
        #expect(r.headers["x-ratelimit-remaining-requests"] == "0")
        #expect(r.headers["content-type"] == "application/json")
        #expect(r.json?.error?["type"] == "requests")
        #expect(r.json?.error?["code"] == "rate_limit_exceeded")
        #expect(r.json?.error?.objectValue?.keys == ["message", "type", "param", "code"])
    }

    @Test func timesThenFallThroughAndResetStartsOver() async throws {
        let (client, dir) = try ScenarioTest.client(Self.flaky)
        let body = ScenarioTest.chat("flaky again")
        var statuses: [Int] = []
        for _ in 0..<4 { statuses.append(await client.send("POST", "/v1/chat/completions", json: body).status) }
        #expect(statuses == [429, 429, 200, 200])
        let journal = client.engine.state.journal.entries.map(\.matchedRule)
        #expect(journal == [dir.file("s.json5") + ":2", dir.file("s.json5") + ":2", dir.file("s.json5") + ":4", dir.file("s.json5") + ":4"])
        _ = await client.send("POST", "/_mock/reset")
        #expect(await client.send("POST", "/v1/chat/completions", json: body).status == 429)
    }

    @Test func replySequenceInTurnThenLastRepeats() async throws {
        let (client, _) = try ScenarioTest.client("""
        {rules: [{when: {endpoint: 'chat'}, do: [
          {fault: {status: 503, message: 'busy with {{model}}', code: null}},
          {drop_connection: true},
          {fault: {status: 500, type: 'server_error', code: 'boom', param: 'messages'}},
        ]}]}
        """)
        let body = ScenarioTest.chat("hi")
        let a = await client.send("POST", "/v1/chat/completions", json: body)
        #expect(a.status == 503)
        #expect(a.json?.error?["message"] == "busy with gpt-4o-mini")
        #expect(a.json?.error?["code"] == .null)
        let request = HTTPRequest(method: "POST", target: "/v1/chat/completions",
                                  headers: ["authorization": "Bearer k", "content-type": "application/json"],
                                  body: .bytes(Array(body.utf8)))
        let b = await client.engine.handle(request)
        guard case .dropConnection = b.body else { Issue.record("expected a dropped connection"); return }
        for _ in 0..<2 {
            let c = await client.send("POST", "/v1/chat/completions", json: body)
            #expect(c.status == 500)
            #expect(c.json?.error?["code"] == "boom")
            #expect(c.json?.error?["param"] == "messages")
        }
    }

    @Test func delayBeforeAnswering() async throws {
        let (client, _) = try ScenarioTest.client("{rules: [{when: {endpoint: 'chat'}, do: {delay_ms: 120, fault: {status: 500}}}]}")
        let start = ContinuousClock.now
        let r = await client.send("POST", "/v1/chat/completions", json: ScenarioTest.chat("hi"))
        #expect(r.status == 500)
        #expect(ContinuousClock.now - start >= .milliseconds(120))
    }

    @Test func faultsWorkOnAnyEndpoint() async throws {
        let (client, _) = try ScenarioTest.client("{rules: [{when: {endpoint: 'GET /v1/models'}, do: {fault: {status: 502}}}]}")
        let r = await client.send("GET", "/v1/models")
        #expect(r.status == 502)
        #expect(r.json?.error?["type"] == "server_error")
        #expect(await client.send("GET", "/v1/models/gpt-4o").status == 200)
    }

    @Test func chaosIsSeededAndReplays() async throws {
        let text = "{rules: [{when: {endpoint: 'chat'}, chaos: 0.5, do: {fault: {status: 500}}}]}"
        func run(seed: UInt64) async throws -> [Int] {
            let (client, _) = try ScenarioTest.client(text, seed: seed)
            var out: [Int] = []
            for i in 0..<24 {
                out.append(await client.send("POST", "/v1/chat/completions", json: ScenarioTest.chat("q\(i % 6)")).status)
            }
            return out
        }
        let a = try await run(seed: 7), b = try await run(seed: 7), c = try await run(seed: 8)
        #expect(a == b)
        #expect(a != c)
        #expect(a.contains(500) && a.contains(200))
    }

    @Test func globalChaosInjectsBuiltInFaults() async throws {
        var c = MockConfiguration(seed: 3)
        c.chaos = 0.5
        let client = TestClient(c)
        var statuses: Set<Int> = []
        for i in 0..<40 {
            let r = await client.send("POST", "/v1/moderations", json: #"{"input":"text \#(i)"}"#)
            statuses.insert(r.status)
        }
        #expect(statuses.contains(200))
        #expect(statuses.contains(429) || statuses.contains(500) || statuses.contains(503))
        #expect(client.engine.state.journal.entries.contains { $0.matchedRule == "--chaos" })
    }

    @Test func strictModeNamesTheNearestRule() async throws {
        let (client, dir) = try ScenarioTest.client("""
        {rules: [
          {name: 'greeting', when: {endpoint: 'chat', last_user_message: {contains: 'hello'}}, do: {text: 'hi'}},
        ]}
        """, strict: true)
        let r = await client.send("POST", "/v1/chat/completions", json: ScenarioTest.chat("goodbye"))
        #expect(r.status == 404)
        #expect(r.json?.error?["code"] == "scenario_not_matched")
        let message = r.json?.error?["message"]?.stringValue ?? ""
        #expect(message == "openai-mock --strict: no scenario rule matched POST /v1/chat/completions. Nearest rule: "
                + dir.file("s.json5") + #":2 ("greeting") — last_user_message should contain "hello", got "goodbye"."#)
        let e = await client.send("POST", "/v1/embeddings", json: #"{"model":"text-embedding-3-small","input":"x"}"#)
        #expect(e.json?.error?["message"]?.stringValue?.hasSuffix("No rule applies to this endpoint.") == true)
        #expect(await client.send("GET", "/v1/models").status == 200)
    }

    @Test func declaredModelsAreListedAndSurviveReset() async throws {
        let (client, _) = try ScenarioTest.client("{models: ['curie:ft-acme-2023-03-31', {id: 'ft:gpt-4o-mini:acme::x1', owned_by: 'acme'}], rules: []}")
        let m = await client.send("GET", "/v1/models/curie:ft-acme-2023-03-31")
        #expect(m.status == 200)
        #expect(client.engine.state.models.model("curie:ft-acme-2023-03-31")?.kind == .completion)
        #expect(client.engine.state.models.model("ft:gpt-4o-mini:acme::x1")?.kind == .chat)
        #expect(await client.send("DELETE", "/v1/models/ft:gpt-4o-mini:acme::x1").status != 200)
        _ = await client.send("POST", "/_mock/reset")
        #expect(await client.send("GET", "/v1/models/ft:gpt-4o-mini:acme::x1").json?["owned_by"] == "acme")
    }

    @Test func reloadKeepsPreviousRulesWhenAFileFails() async throws {
        let (client, dir) = try ScenarioTest.client("{rules: [{when: {endpoint: 'chat'}, do: {fault: {status: 418}}}]}")
        #expect(await client.send("POST", "/v1/chat/completions", json: ScenarioTest.chat("x")).status == 418)
        try dir.write("s.json5", "{rules: [{when: {endpoint: 'chat'} do: {fault: {status: 500}}}]}")
        let bad = await client.send("POST", "/_mock/scenarios/reload")
        #expect(bad.status == 400)
        #expect(bad.json?.error?["code"] == "scenario_reload_failed")
        #expect(bad.json?["diagnostics"]?[0]?.stringValue?.hasPrefix(dir.file("s.json5") + ":1:36: error:") == true)
        #expect(await client.send("POST", "/v1/chat/completions", json: ScenarioTest.chat("x")).status == 418)
        try dir.write("s.json5", "{rules: [{when: {endpoint: 'chat'}, do: {fault: {status: 503}}}]}")
        let good = await client.send("POST", "/_mock/scenarios/reload")
        #expect(good.status == 200)
        #expect(good.json?["rules"] == 1)
        #expect(await client.send("POST", "/v1/chat/completions", json: ScenarioTest.chat("x")).status == 503)
    }

    @Test func withoutScenariosTheEngineIsUntouched() async {
        let client = TestClient()
        #expect(client.engine.state.scenarios.isInert)
        let r = await client.send("POST", "/v1/moderations", json: #"{"input":"hello"}"#)
        #expect(r.status == 200)
        #expect(client.engine.state.journal.entries.last?.matchedRule == nil)
    }

    @Test func chaosMemoryIsBoundedAndRollsStayDeterministic() {
        func rolls() -> (kept: Int, hits: [Bool]) {
            var state = ScenarioStore.State()
            var hits: [Bool] = []
            for request in 0..<(ScenarioStore.maxRollKeys + 5_000) {
                hits.append(ScenarioStore.roll(&state, seed: 3, salt: "--chaos", requestHash: UInt64(request), testID: nil,
                                               probability: 0.5).hit)
            }
            return (state.rolls.count, hits)
        }
        let first = rolls()
        #expect(first.kept <= ScenarioStore.maxRollKeys)
        #expect(first.hits == rolls().hits)
        #expect(first.hits.contains(true) && first.hits.contains(false))
    }
}
