import MockHTTP
import Testing
@testable import OpenAIMock

/// `X-Mock-Test-Id`: each test its own journal view, counters, chaos rolls and world.
@Suite struct IsolationTests {
    static let rules = """
    {rules: [
      {when: {endpoint: "chat"}, times: 1, do: {fault: {status: 429}}},
      {when: {endpoint: "chat"}, do: {text: "ok"}},
    ]}
    """

    func chat(_ client: TestClient, test: String?) async -> Int {
        await client.send("POST", "/v1/chat/completions", json: ScenarioTest.chat("hi"),
                          headers: test.map { [("X-Mock-Test-Id", $0)] } ?? []).status
    }

    @Test func eachTestCountsItsOwnTimes() async throws {
        let (client, dir) = try ScenarioTest.client(Self.rules)
        defer { withExtendedLifetime(dir) {} }
        #expect(await chat(client, test: "a") == 429)
        #expect(await chat(client, test: "b") == 429)   // b's first call: its own counter
        #expect(await chat(client, test: "a") == 200)
        #expect(await chat(client, test: nil) == 429)   // no id: the shared counter, untouched by a and b
        #expect(await client.send("POST", "/_mock/reset?test_id=a").status == 200)
        #expect(await chat(client, test: "a") == 429)   // a starts over
        #expect(await chat(client, test: "b") == 200)   // b does not
    }

    @Test func theJournalIsViewedAndClearedPerTest() async throws {
        let client = TestClient()
        _ = await client.send("GET", "/v1/models", headers: [("X-Mock-Test-Id", "t1")])
        _ = await client.send("GET", "/v1/models/gpt-4o", headers: [("X-Mock-Test-Id", "t2")])
        _ = await client.send("GET", "/v1/models")
        var r = await client.send("GET", "/_mock/requests?test_id=t1")
        #expect(r.json?["data"]?.arrayValue?.map { $0["path"] } == ["/v1/models"])
        #expect(r.json?["data"]?[0]?["test_id"] == "t1")
        r = await client.send("GET", "/_mock/requests", headers: [("X-Mock-Test-Id", "t2")])
        #expect(r.json?["data"]?.arrayValue?.map { $0["path"] } == ["/v1/models/gpt-4o"])
        #expect(await client.send("GET", "/_mock/requests").json?["data"]?.arrayValue?.count == 3)
        _ = await client.send("DELETE", "/_mock/requests?test_id=t1")
        #expect(await client.send("GET", "/_mock/requests").json?["data"]?.arrayValue?.count == 2)
        #expect(client.engine.state.journal.count(testID: "t2") == 1)
    }

    @Test func eachTestHasItsOwnFiles() async throws {
        try await withStartedEngine { client in
            let form = multipart(fields: [("purpose", "assistants")], file: ("file", "a.txt", Array("hello".utf8)))
            let upload = await client.engine.handle(HTTPRequest(method: "POST", target: "/v1/files", headers: [
                "Authorization": "Bearer sk-test", "Content-Type": form.contentType, "X-Mock-Test-Id": "a",
            ], body: .bytes(form.body)))
            guard case .bytes(let bytes) = upload.body else { throw CancellationError() }
            let id = try #require(try JSONValue.parse(bytes)["id"]?.stringValue)
            #expect(await client.send("GET", "/v1/files/\(id)", headers: [("X-Mock-Test-Id", "a")]).status == 200)
            #expect(await client.send("GET", "/v1/files/\(id)", headers: [("X-Mock-Test-Id", "b")]).status == 404)
            #expect(await client.send("GET", "/v1/files/\(id)").status == 404)
            let list = await client.send("GET", "/v1/files", headers: [("X-Mock-Test-Id", "b")])
            #expect(list.json?["data"]?.arrayValue?.isEmpty == true)
            // Resetting a forgets its files; b and the engine's own world are untouched.
            #expect(await client.send("POST", "/_mock/reset", headers: [("X-Mock-Test-Id", "a")]).status == 200)
            #expect(await client.send("GET", "/v1/files/\(id)", headers: [("X-Mock-Test-Id", "a")]).status == 404)
        }
    }

    @Test func eachTestHasItsOwnClock() async throws {
        let client = TestClient()
        try client.engine.start()
        defer { Task { await client.engine.stop() } }
        let r = await client.send("POST", "/_mock/clock/advance?test_id=a", json: #"{"seconds": 60}"#)
        #expect(r.status == 200)
        let a = await client.send("GET", "/_mock/clock", headers: [("X-Mock-Test-Id", "a")])
        let base = await client.send("GET", "/_mock/clock")
        #expect(a.json?["now"]?.intValue == (base.json?["now"]?.intValue).map { $0 + 60 })
    }

    @Test func aBadTestIdIsA400() async {
        let client = TestClient()
        let r = await client.send("GET", "/v1/models", headers: [("X-Mock-Test-Id", String(repeating: "x", count: 600))])
        #expect(r.status == 400)
        #expect(r.json?.error?["code"] == "invalid_test_id")
    }

    @Test func chaosRollsPerTestAreTheRollsOfThatTestAlone() async throws {
        let (alone, d1) = try ScenarioTest.client("{rules: []}", chaos: 0.5, seed: 3)
        let (shared, d2) = try ScenarioTest.client("{rules: []}", chaos: 0.5, seed: 3)
        defer { withExtendedLifetime((d1, d2)) {} }
        var expected: [Int] = []
        for _ in 0..<12 { expected.append(await chat(alone, test: "x")) }
        var got: [Int] = []
        for _ in 0..<12 {
            _ = await chat(shared, test: "noise")
            got.append(await chat(shared, test: "x"))
        }
        #expect(got == expected)
        #expect(Set(expected).count > 1)
    }
}
