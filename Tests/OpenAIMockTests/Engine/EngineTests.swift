import MockHTTP
import Testing
@testable import OpenAIMock

@Suite struct EngineTests {
    let client = TestClient()

    @Test func unknownRouteIsOpenAIShaped404() async {
        let r = await client.send("POST", "/v1/xyz", json: "{}")
        #expect(r.status == 404)
        #expect(r.headers["content-type"] == "application/json")
        #expect(r.json?.error?["message"] == "Invalid URL (POST /v1/xyz)")
        #expect(r.json?.error?["type"] == "invalid_request_error")
        #expect(r.json?.error?.objectValue?.keys == ["message", "type", "param", "code"])
    }

    @Test func wrongMethodIs405JSON() async {
        let r = await client.send("POST", "/v1/models")
        #expect(r.status == 405)
        #expect(r.json?.error?["message"] == "Invalid method for URL (POST /v1/models)")
    }

    @Test func everyResponseCarriesOpenAIHeaders() async {
        for target in ["/v1/models", "/v1/nope", "/v1/models/none"] {
            let r = await client.send("GET", target)
            #expect(r.headers["x-request-id"]?.hasPrefix("req_") == true)
            #expect(r.headers["openai-version"] == "2020-10-01")
            #expect(r.headers["openai-processing-ms"] != nil)
            #expect(r.headers["content-type"] == "application/json")
        }
    }

    @Test func requestIDsAreDeterministicAndDependOnTheRequest() async {
        let a = await client.send("GET", "/v1/models/gpt-4o")
        let b = await TestClient().send("GET", "/v1/models/gpt-4o")
        let c = await client.send("GET", "/v1/models/gpt-4o-mini")
        let seeded = await TestClient(MockConfiguration(seed: 7)).send("GET", "/v1/models/gpt-4o")
        #expect(a.headers["x-request-id"] == b.headers["x-request-id"])
        #expect(a.headers["x-request-id"] != c.headers["x-request-id"])
        #expect(a.headers["x-request-id"] != seeded.headers["x-request-id"])
        #expect(a.bytes == b.bytes)
    }

    @Test func missingKeyIs401WithRealMessage() async {
        let r = await client.send("GET", "/v1/models", key: nil)
        #expect(r.status == 401)
        #expect(r.json?.error?["message"]?.stringValue?.hasPrefix("You didn't provide an API key.") == true)
        #expect(r.json?.error?["code"] == .null)
    }

    @Test func configuredKeysRejectOthersWithMaskedKey() async {
        let strict = TestClient(MockConfiguration(apiKeys: ["sk-good-key-123"]))
        #expect(await strict.send("GET", "/v1/models", key: "sk-good-key-123").status == 200)
        let bad = await strict.send("GET", "/v1/models", key: "sk-wrong-secret-9876")
        #expect(bad.status == 401)
        #expect(bad.json?.error?["code"] == "invalid_api_key")
        let message = bad.json?.error?["message"]?.stringValue ?? ""
        #expect(message.hasPrefix("Incorrect API key provided: sk-wr***76."))
        #expect(!message.contains("secret"))
    }

    @Test func adminIsNotBehindAuthAndNotUnderV1() async {
        #expect(await client.send("GET", "/_mock/health", key: nil).status == 200)
        #expect(await client.send("GET", "/v1/_mock/health").status == 404)
    }

    /// HEAD is answered like GET; the HTTP layer sends the head with the GET body's length only.
    @Test func headIsAnsweredLikeGet() async {
        let head = await client.send("HEAD", "/v1/models")
        let get = await client.send("GET", "/v1/models")
        #expect(head.status == 200)
        #expect(head.bytes == get.bytes)
    }

    @Test func createdFollowsTheConfiguredClock() async {
        var configuration = MockConfiguration()
        configuration.clock = .fixed(1_704_067_200)
        let body = #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}"#
        let fixed = await TestClient(configuration).send("POST", "/v1/chat/completions", json: body)
        #expect(fixed.json?["created"] == 1_704_067_200)
        let byDefault = await client.send("POST", "/v1/chat/completions", json: body)
        #expect(byDefault.json?["created"]?.intValue == VirtualClock.defaultEpoch)
    }
}
