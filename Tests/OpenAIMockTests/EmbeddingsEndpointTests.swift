import MockHTTP
import Testing
@testable import OpenAIMock

/// `POST /v1/embeddings` through the engine: input forms, encodings, shape, and every error.
@Suite struct EmbeddingsEndpointTests {
    let engine = MockEngine()

    func post(_ body: String) async throws -> (status: Int, json: JSONValue) {
        let request = HTTPRequest(method: "POST", target: "/v1/embeddings",
                                  headers: ["authorization": "Bearer sk-test", "content-type": "application/json"],
                                  body: .bytes(Array(body.utf8)))
        let response = await engine.handle(request)
        guard case .bytes(let bytes) = response.body else { Issue.record("not a byte body"); return (0, .null) }
        return (response.status, try JSONValue.parse(bytes))
    }

    func expectError(_ body: String, status: Int = 400, message: String, param: String? = nil, code: String? = nil,
                     type: String = "invalid_request_error", sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        let (s, json) = try await post(body)
        #expect(s == status, sourceLocation: sourceLocation)
        #expect(json["error"]?["message"]?.stringValue == message, sourceLocation: sourceLocation)
        #expect(json["error"]?["param"] == param.map(JSONValue.string) ?? .null, sourceLocation: sourceLocation)
        #expect(json["error"]?["code"] == code.map(JSONValue.string) ?? .null, sourceLocation: sourceLocation)
        #expect(json["error"]?["type"]?.stringValue == type, sourceLocation: sourceLocation)
    }

    @Test func stringInputGivesFloatListsInTheRealFieldOrder() async throws {
        let (status, json) = try await post(#"{"model":"text-embedding-3-small","input":"hello world"}"#)
        #expect(status == 200)
        #expect(json.objectValue?.keys == ["object", "data", "model", "usage"])
        #expect(json["object"] == "list")
        #expect(json["model"] == "text-embedding-3-small")
        let item = try #require(json["data"]?[0])
        #expect(item.objectValue?.keys == ["object", "index", "embedding"])
        #expect(item["object"] == "embedding")
        #expect(item["index"] == 0)
        #expect(item["embedding"]?.arrayValue?.count == 1536)
        #expect(json["usage"]?.objectValue?.keys == ["prompt_tokens", "total_tokens"])
        #expect(json["usage"]?["prompt_tokens"] == .int(TokenCounter.count("hello world")))
        #expect(json["usage"]?["total_tokens"] == json["usage"]?["prompt_tokens"])
    }

    @Test func allFourInputForms() async throws {
        let forms: [(String, Int, Int)] = [
            (#""one""#, 1, TokenCounter.count("one")),
            (#"["a","b","c"]"#, 3, TokenCounter.count("a") + TokenCounter.count("b") + TokenCounter.count("c")),
            ("[15339,1917]", 1, 2),
            ("[[15339,1917],[87]]", 2, 3),
        ]
        for (input, count, tokens) in forms {
            let (status, json) = try await post(#"{"model":"text-embedding-ada-002","input":\#(input)}"#)
            #expect(status == 200)
            let data = try #require(json["data"]?.arrayValue)
            #expect(data.count == count)
            #expect(data.enumerated().allSatisfy { $0.element["index"] == .int($0.offset) })
            #expect(json["usage"]?["prompt_tokens"] == .int(tokens))
        }
    }

    @Test func base64AndExplicitFloat() async throws {
        let (_, b64) = try await post(#"{"model":"text-embedding-3-small","input":"hi","encoding_format":"base64"}"#)
        let (_, floats) = try await post(#"{"model":"text-embedding-3-small","input":"hi","encoding_format":"float"}"#)
        let text = try #require(b64["data"]?[0]?["embedding"]?.stringValue)
        let decoded = try #require(EmbeddingEncoding.decodeBase64Floats(text))
        let list = try #require(floats["data"]?[0]?["embedding"]?.arrayValue).map { Float($0.doubleValue!) }
        #expect(decoded == list)
        #expect(decoded.count == 1536)
    }

    @Test func modelsSizesAndDimensions() async throws {
        let large = try await post(#"{"model":"text-embedding-3-large","input":"x"}"#).json
        #expect(large["data"]?[0]?["embedding"]?.arrayValue?.count == 3072)
        let cut = try await post(#"{"model":"text-embedding-3-large","input":"x","dimensions":256}"#).json
        let v = try #require(cut["data"]?[0]?["embedding"]?.arrayValue).map { $0.doubleValue! }
        #expect(v.count == 256)
        #expect(abs(v.reduce(0) { $0 + $1 * $1 } - 1) < 1e-5)
    }

    @Test func sameRequestSameBytes() async throws {
        let a = try await post(#"{"model":"text-embedding-3-small","input":["x","y"],"encoding_format":"base64"}"#)
        let b = try await post(#"{"model":"text-embedding-3-small","input":["x","y"],"encoding_format":"base64"}"#)
        #expect(a.json == b.json)
    }

    static let invalidInput = "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference."

    @Test func inputShapeErrors() async throws {
        for input in [#""""#, "[]", #"["ok",""]"#, "[[]]", #"["a",1]"#, "[1,\"a\"]", "[-1]", "[[1],\"a\"]", "42", "{}",
                      "[1.5]", "[null]", "true"] {
            try await expectError(#"{"model":"text-embedding-3-small","input":\#(input)}"#, message: Self.invalidInput)
        }
        let tooMany = "[" + Array(repeating: #""x""#, count: 2049).joined(separator: ",") + "]"
        try await expectError(#"{"model":"text-embedding-3-small","input":\#(tooMany)}"#, message: Self.invalidInput)
        let maxOK = "[" + Array(repeating: #""x""#, count: 2048).joined(separator: ",") + "]"
        let ok = try await post(#"{"model":"text-embedding-3-small","input":\#(maxOK),"dimensions":4,"encoding_format":"base64"}"#)
        #expect(ok.status == 200)
        #expect(ok.json["data"]?.arrayValue?.count == 2048)
    }

    @Test func missingAndMistypedFields() async throws {
        try await expectError(#"{"input":"x"}"#, message: "you must provide a model parameter")
        try await expectError(#"{"model":"text-embedding-3-small"}"#, message: "Missing required parameter: 'input'.",
                              param: "input", code: "missing_required_parameter")
        try await expectError(#"{"model":5,"input":"x"}"#,
                              message: "Invalid type for 'model': expected a string, but got an integer instead.",
                              param: "model", code: "invalid_type")
        try await expectError(#"{"model":"text-embedding-3-small","input":"x","dimensions":"8"}"#,
                              message: "Invalid type for 'dimensions': expected an integer, but got a string instead.",
                              param: "dimensions", code: "invalid_type")
        try await expectError(#"{"model":"text-embedding-3-small","input":"x","encoding_format":"hex"}"#,
                              message: "Invalid value: 'hex'. Supported values are: 'float' and 'base64'.",
                              param: "encoding_format", code: "invalid_value")
        try await expectError(#"{"model":"text-embedding-3-small","input":"x","encoding_format":1}"#,
                              message: "Invalid type for 'encoding_format': expected a string, but got an integer instead.",
                              param: "encoding_format", code: "invalid_type")
    }

    @Test func modelErrors() async throws {
        try await expectError(#"{"model":"text-embedding-4","input":"x"}"#, status: 404,
                              message: "The model `text-embedding-4` does not exist or you do not have access to it.",
                              code: "model_not_found")
        try await expectError(#"{"model":"gpt-4o","input":"x"}"#, status: 403,
                              message: "You are not allowed to generate embeddings from this model")
    }

    @Test func dimensionErrors() async throws {
        try await expectError(#"{"model":"text-embedding-ada-002","input":"x","dimensions":512}"#,
                              message: "This model does not support specifying dimensions.")
        try await expectError(#"{"model":"text-embedding-3-small","input":"x","dimensions":0}"#,
                              message: "Invalid 'dimensions': integer below minimum value. Expected a value >= 1, but got 0 instead.",
                              param: "dimensions", code: "integer_below_min_value")
        try await expectError(#"{"model":"text-embedding-3-small","input":"x","dimensions":1537}"#,
                              message: "Invalid 'dimensions': integer above maximum value. Expected a value <= 1536, but got 1537 instead.",
                              param: "dimensions", code: "integer_above_max_value")
        #expect(try await post(#"{"model":"text-embedding-3-large","input":"x","dimensions":3072}"#).status == 200)
    }

    @Test func tokenLimits() async throws {
        let tooLong = "[" + Array(repeating: "1", count: 8193).joined(separator: ",") + "]"
        try await expectError(#"{"model":"text-embedding-3-small","input":[[1],\#(tooLong)]}"#,
                              message: "Invalid 'input[1]': maximum input length is 8192 tokens.")
        let fits = "[" + Array(repeating: "1", count: 8192).joined(separator: ",") + "]"
        #expect(try await post(#"{"model":"text-embedding-3-small","input":\#(fits)}"#).status == 200)
        let many = "[" + Array(repeating: fits, count: 37).joined(separator: ",") + "]"
        try await expectError(#"{"model":"text-embedding-3-small","input":\#(many)}"#,
                              message: "Requested 303104 tokens, max 300000 tokens per request",
                              code: "max_tokens_per_request", type: "max_tokens_per_request")
        let longText = String(repeating: "apple ", count: 9000)
        try await expectError(#"{"model":"text-embedding-3-small","input":"\#(longText)"}"#,
                              message: "Invalid 'input[0]': maximum input length is 8192 tokens.")
    }

    @Test func malformedBodyAndUnknownFields() async throws {
        #expect(try await post("{not json").status == 400)
        #expect(try await post(#"{"model":"text-embedding-3-small","input":"x","user":"u1","extra":{"a":1}}"#).status == 200)
    }

    @Test func responseBodyHookPinsVectors() throws {
        let request = try EmbeddingsRequest(try #require(JSONValue.parse(#"{"model":"text-embedding-3-small","input":["a","b"],"dimensions":2}"#).objectValue))
        let embedder = Embedder(model: "text-embedding-3-small", nativeDimensions: 1536, dimensions: 2)
        let bytes = Embeddings.responseBody(request, embedder: embedder, promptTokens: 2,
                                            override: { $0 == 1 ? .vector([0, 2]) : nil })
        let json = try JSONValue.parse(bytes)
        #expect(json["data"]?[1]?["embedding"] == [0.0, 1.0])
    }
}
