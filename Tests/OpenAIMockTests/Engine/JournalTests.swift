import Testing
@testable import OpenAIMock

@Suite struct JournalTests {
    @Test func recordsRequestsWithSecretsMasked() async throws {
        let client = TestClient()
        _ = await client.send("GET", "/v1/models?limit=2", key: "sk-super-secret-value-42",
                              headers: [("X-Api-Key", "another-secret-999")])
        let r = await client.send("GET", "/_mock/requests")
        let entry = try #require(r.json?["data"]?[0])
        #expect(entry["method"] == "GET")
        #expect(entry["request_id"]?.stringValue?.hasPrefix("req_") == true)
        #expect(entry["path"] == "/v1/models")
        #expect(entry["query"] == "limit=2")
        #expect(entry["status"] == 200)
        #expect(entry["duration_ms"]?.doubleValue != nil)
        let text = String(decoding: r.bytes, as: UTF8.self)
        #expect(!text.contains("super-secret"))
        #expect(!text.contains("another-secret"))
        #expect(entry["headers"]?["authorization"] == "Bearer sk-su***42")
    }

    @Test func keepsJSONBodiesAndClears() async throws {
        let client = TestClient()
        _ = await client.send("POST", "/v1/xyz", json: #"{"a":[1,2]}"#)
        var r = await client.send("GET", "/_mock/requests")
        #expect(r.json?["data"]?[0]?["body"] == ["a": [1, 2]])
        #expect(r.json?["data"]?[0]?["status"] == 404)
        #expect(await client.send("DELETE", "/_mock/requests").status == 200)
        r = await client.send("GET", "/_mock/requests")
        #expect(r.json?["data"]?.arrayValue?.isEmpty == true)
    }

    @Test func isBounded() {
        let journal = Journal(capacity: 3)
        for i in 0..<10 {
            journal.record(request: .init(method: "GET", target: "/v1/x\(i)"), requestID: "req_\(i)", status: 200, durationMs: 0, matchedRule: nil)
        }
        #expect(journal.entries.map(\.path) == ["/v1/x7", "/v1/x8", "/v1/x9"])
    }

    @Test func forgettingOneTestKeepsTheOthersInOrderAndBounded() {
        let journal = Journal(capacity: 4)
        for i in 0..<6 {
            journal.record(request: .init(method: "POST", target: "/v1/x\(i)", body: .bytes(Array(#"{"i":\#(i)}"#.utf8))),
                           requestID: "req_\(i)", status: 200, durationMs: 0, matchedRule: nil, testID: i % 2 == 0 ? "a" : "b")
        }
        journal.clear(testID: "a")
        #expect(journal.entries.map(\.path) == ["/v1/x3", "/v1/x5"])
        for i in 6..<10 {
            journal.record(request: .init(method: "GET", target: "/v1/x\(i)"), requestID: "req_\(i)", status: 200, durationMs: 0,
                           matchedRule: nil, testID: "b")
        }
        #expect(journal.entries.map(\.path) == ["/v1/x6", "/v1/x7", "/v1/x8", "/v1/x9"])
        #expect(journal.entries(testID: "b").count == 4 && journal.count(testID: "a") == 0)
        journal.record(request: .init(method: "POST", target: "/v1/y", body: .bytes(Array(#"{"k":1}"#.utf8))), requestID: "r",
                       status: 200, durationMs: 0, matchedRule: nil)
        #expect(journal.entries.last?.body == ["k": 1])
    }
}
