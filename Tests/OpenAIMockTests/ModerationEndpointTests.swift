import MockHTTP
import Testing
@testable import OpenAIMock

/// `POST /v1/moderations` through the engine: input forms, models, shape, errors, and the
/// tutorial's `check_risk` (`results[0].flagged`).
@Suite struct ModerationEndpointTests {
    let engine = MockEngine()

    func post(_ body: String) async throws -> (status: Int, json: JSONValue) {
        let request = HTTPRequest(method: "POST", target: "/v1/moderations",
                                  headers: ["authorization": "Bearer sk-test", "content-type": "application/json"],
                                  body: .bytes(Array(body.utf8)))
        let response = await engine.handle(request)
        guard case .bytes(let bytes) = response.body else { Issue.record("not a byte body"); return (0, .null) }
        return (response.status, try JSONValue.parse(bytes))
    }

    static let keys = ["harassment", "harassment/threatening", "sexual", "hate", "hate/threatening", "illicit",
                       "illicit/violent", "self-harm/intent", "self-harm/instructions", "self-harm", "sexual/minors",
                       "violence", "violence/graphic"]

    func checkRisk(_ text: String) async throws -> Bool? {
        let body = JSONValue.object(JSONObject([("input", .string(text))])).jsonString
        return try await post(body).json["results"]?[0]?["flagged"]?.boolValue
    }

    @Test func tutorialCheckRisk() async throws {
        #expect(try await checkRisk("我想预订明天晚上七点的两人桌，靠窗的位置。") == false)
        #expect(try await checkRisk("I will kill you and your family tonight") == true)
        #expect(try await checkRisk("我要杀了你全家") == true)
    }

    @Test func shapeForOmni() async throws {
        let (status, json) = try await post(#"{"input":"I will kill you"}"#)
        #expect(status == 200)
        #expect(json.objectValue?.keys == ["id", "model", "results"])
        #expect(json["model"] == "omni-moderation-latest")
        let id = try #require(json["id"]?.stringValue)
        #expect(id.hasPrefix("modr-") && id.count == 37)
        let result = try #require(json["results"]?[0])
        #expect(result.objectValue?.keys == ["flagged", "categories", "category_scores", "category_applied_input_types"])
        #expect(result["categories"]?.objectValue?.keys == Self.keys)
        #expect(result["category_scores"]?.objectValue?.keys == Self.keys)
        #expect(result["category_applied_input_types"]?.objectValue?.keys == Self.keys)
        #expect(result["categories"]?["violence"] == true)
        #expect(result["categories"]?["sexual"] == false)
        for key in Self.keys {
            let s = try #require(result["category_scores"]?[key]?.doubleValue)
            #expect(s >= 0 && s <= 1)
            #expect(result["category_applied_input_types"]?[key] == ["text"])
        }
    }

    @Test func deterministicIDs() async throws {
        let a = try await post(#"{"input":"hello"}"#).json
        let b = try await post(#"{"input":"hello"}"#).json
        let c = try await post(#"{"input":"hello!"}"#).json
        #expect(a == b)
        #expect(a["id"] != c["id"])
    }

    @Test func stringArrayGivesOneResultEach() async throws {
        let json = try await post(#"{"input":["hello","I will kill you","我要杀了你全家"]}"#).json
        let flags = try #require(json["results"]?.arrayValue).map { $0["flagged"] }
        #expect(flags == [false, true, true])
    }

    @Test func multimodalArrayGivesOneResult() async throws {
        let body = #"{"model":"omni-moderation-latest","input":[{"type":"text","text":"a quiet lake"},{"type":"image_url","image_url":{"url":"https://example.com/lake.png"}}]}"#
        let json = try await post(body).json
        let results = try #require(json["results"]?.arrayValue)
        #expect(results.count == 1)
        let applied = try #require(results[0]["category_applied_input_types"])
        #expect(applied["violence"] == ["text", "image"])
        #expect(applied["sexual"] == ["text", "image"])
        #expect(applied["self-harm/intent"] == ["text", "image"])
        #expect(applied["harassment"] == ["text"])
        #expect(applied["sexual/minors"] == ["text"])
        #expect(results[0]["flagged"] == false)

        let imageOnly = try await post(#"{"input":[{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]}"#).json
        let appliedImage = try #require(imageOnly["results"]?[0]?["category_applied_input_types"])
        #expect(appliedImage["violence"] == ["image"])
        #expect(appliedImage["harassment"] == [])
    }

    @Test(arguments: ["text-moderation-latest", "text-moderation-stable"])
    func textModelsAnswerNullIllicitAndNoImages(model: String) async throws {
        let body = #"{"model":"\#(model)","input":[{"type":"text","text":"How do I make a bomb?"},{"type":"image_url","image_url":{"url":"https://x.test/a.png"}}]}"#
        let json = try await post(body).json
        #expect(json["model"] == .string(model))
        let result = try #require(json["results"]?[0])
        #expect(result["categories"]?["illicit"] == .null)
        #expect(result["categories"]?["illicit/violent"] == .null)
        #expect(result["categories"]?.objectValue?.keys == Self.keys)
        #expect(result["category_applied_input_types"]?["violence"] == ["text"])
        #expect(result["category_applied_input_types"]?["illicit"] == [])
        let omni = try await post(#"{"model":"omni-moderation-2024-09-26","input":"How do I make a bomb?"}"#).json
        #expect(omni["results"]?[0]?["categories"]?["illicit/violent"] == true)
    }

    @Test func errors() async throws {
        let cases: [(String, Int, String, String?, String?)] = [
            (#"{}"#, 400, "Missing required parameter: 'input'.", "input", "missing_required_parameter"),
            (#"{"input":[]}"#, 400, "Invalid 'input': empty array. Expected an array with minimum length 1, but got an empty array instead.", "input", "empty_array"),
            (#"{"input":5}"#, 400, "Invalid type for 'input': expected one of a string, an array of strings, or an array of objects, but got an integer instead.", "input", "invalid_type"),
            (#"{"input":["a",1]}"#, 400, "Invalid type for 'input[1]': expected a string, but got an integer instead.", "input[1]", "invalid_type"),
            (#"{"input":[{"type":"audio"}]}"#, 400, "Invalid value: 'audio'. Supported values are: 'text' and 'image_url'.", "input[0].type", "invalid_value"),
            (#"{"input":[{"text":"x"}]}"#, 400, "Missing required parameter: 'input[0].type'.", "input[0].type", "missing_required_parameter"),
            (#"{"input":"x","model":3}"#, 400, "Invalid type for 'model': expected a string, but got an integer instead.", "model", "invalid_type"),
            (#"{"input":"x","model":"moderation-9000"}"#, 404, "The model `moderation-9000` does not exist or you do not have access to it.", nil, "model_not_found"),
        ]
        for (body, status, message, param, code) in cases {
            let (s, json) = try await post(body)
            #expect(s == status, "\(body)")
            #expect(json["error"]?["message"]?.stringValue == message)
            #expect(json["error"]?["param"] == param.map(JSONValue.string) ?? .null)
            #expect(json["error"]?["code"] == code.map(JSONValue.string) ?? .null)
        }
        #expect(try await post(#"{"input":"x","model":"gpt-4o"}"#).status == 400)
        #expect(try await post(#"{"input":"x","model":"text-moderation-007"}"#).status == 200)
        #expect(try await post(#"{"input":""}"#).status == 200)
    }

    @Test func responseHookForcesAVerdict() throws {
        let request = ModerationsRequest(items: [.init(texts: ["hello"]), .init(texts: ["I will kill you"])])
        let json = Moderations.response(request, seed: 0, id: "modr-x", override: { i in
            i == 0 ? ModerationOverride(categories: [.hate: true]) : ModerationOverride(flagged: false)
        })
        #expect(json["results"]?[0]?["flagged"] == true)
        #expect(json["results"]?[0]?["categories"]?["hate"] == true)
        #expect(json["results"]?[1]?["flagged"] == false)
    }
}
