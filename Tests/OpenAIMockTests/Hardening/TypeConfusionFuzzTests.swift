import MockHTTP
import Testing
@testable import OpenAIMock

/// A randomised type-confusion fuzz over request bodies: valid chat, completions, embeddings and
/// moderations bodies with one to three fields (anywhere in the tree, schemas included) replaced by
/// values of the wrong type or at the extremes. Every answer must be a success or an OpenAI-style 4xx;
/// a trap ends the test process. Seeded, so a failure reproduces; `TYPE_FUZZ_ITERATIONS=100000
/// TYPE_FUZZ_SEED=7 swift test --filter TypeConfusion` runs longer or elsewhere.
@Suite struct TypeConfusionFuzzTests {
    static let bodies: [(path: String, body: String)] = [
        ("/v1/chat/completions", #"{"model":"gpt-4o-mini","messages":[{"role":"system","content":"be brief"},{"role":"user","content":[{"type":"text","text":"What's the weather in Paris?"}]},{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},{"role":"tool","tool_call_id":"c1","content":"sunny"},{"role":"user","content":"and in Tokyo?"}],"tools":[{"type":"function","function":{"name":"get_weather","description":"weather by city","parameters":{"type":"object","properties":{"city":{"type":"string","maxLength":20},"days":{"type":"integer","minimum":1,"maximum":7},"tags":{"type":"array","items":{"type":"string"},"minItems":1}},"required":["city"]}}}],"tool_choice":"required","max_tokens":50,"n":2,"temperature":0.5,"top_p":1,"stop":["\n\n"],"logprobs":true,"top_logprobs":2,"seed":1,"user":"u","logit_bias":{"50256":-100}}"#),
        ("/v1/chat/completions", ##"{"model":"gpt-4o","messages":[{"role":"user","content":"Extract the event as json"}],"response_format":{"type":"json_schema","json_schema":{"name":"event","strict":true,"schema":{"type":"object","properties":{"name":{"type":"string","pattern":"^[A-Z][a-z]+$"},"when":{"type":"string","format":"date-time"},"people":{"type":"array","items":{"$ref":"#/$defs/P"},"maxItems":3},"score":{"type":"number","multipleOf":0.5,"exclusiveMinimum":0}},"required":["name","when","people","score"],"additionalProperties":false,"$defs":{"P":{"type":"object","properties":{"n":{"type":"string"}},"required":["n"],"additionalProperties":false}}}}},"stream":true,"stream_options":{"include_usage":true},"max_completion_tokens":200}"##),
        ("/v1/chat/completions", #"{"model":"gpt-3.5-turbo","messages":[{"role":"user","content":"call f"}],"functions":[{"name":"f","parameters":{"type":"object","properties":{"x":{"enum":[1,"a",null]},"y":{"anyOf":[{"type":"null"},{"type":"boolean"}]}}}}],"function_call":{"name":"f"},"stream":true}"#),
        ("/v1/completions", #"{"model":"gpt-3.5-turbo-instruct","prompt":["Say hi","Say bye"],"max_tokens":16,"n":2,"best_of":3,"logprobs":2,"echo":true,"suffix":" end","stop":".","presence_penalty":0.1,"stream":false}"#),
        ("/v1/completions", #"{"model":"davinci-002","prompt":[[1,2,3],[4,5]],"max_tokens":5,"stream":true,"stream_options":{"include_usage":true}}"#),
        ("/v1/embeddings", #"{"model":"text-embedding-3-small","input":["a sentence","another one"],"dimensions":8,"encoding_format":"base64","user":"u"}"#),
        ("/v1/embeddings", #"{"model":"text-embedding-ada-002","input":[[1,2,3],[4,5,6]],"encoding_format":"float"}"#),
        ("/v1/moderations", #"{"model":"omni-moderation-latest","input":[{"type":"text","text":"I will kill you"},{"type":"image_url","image_url":{"url":"https://x/y.png"}}]}"#),
        ("/v1/moderations", #"{"input":["fine","我要杀了你全家"]}"#),
    ]

    /// Wrong types and extreme values, and schemas that are absurd or impossible.
    static let hostile: [JSONValue] = {
        var values: [JSONValue] = [
            .null, true, false, 0, -1, 1, 2, 128, 129, 4_096, 2_147_483_648, .int(Int.max), .int(Int.min), .int(Int.max - 1),
            0.5, -0.0, .double(Double.leastNonzeroMagnitude * 2_000), 1e19, -1e19, 1e308, -1e308, .double(.infinity), "", "null", "-1", "1e999", "\u{0}\u{1F600}\u{202E}",
            .string(String(repeating: "a", count: 20_000)), .string(String(repeating: "长", count: 5_000)), [], [[]], [.null],
            .array(Array(repeating: 1, count: 3_000)), .array(Array(repeating: "x", count: 200)), [:], ["": ""], ["type": "text"],
            ["type": "function", "function": ["name": "f"]], ["role": "user", "content": []], ["text": 5],
            ["type": "object", "minProperties": 2_147_483_648],
            ["type": "array", "minItems": .int(Int.max), "items": ["type": "string", "minLength": 1_000_000]],
            ["type": "integer", "minimum": 1e19], ["type": "number", "multipleOf": .double(Double.leastNonzeroMagnitude * 2_000), "minimum": 1, "maximum": 2],
            ["type": "string", "maxLength": -1], ["type": "string", "pattern": "a{-1}"], ["type": "string", "pattern": "(a)\\1"],
            ["type": "string", "pattern": "^(a+)+$", "minLength": 30], ["$ref": "#"], ["allOf": [["$ref": "#"], ["$ref": "#"]]],
            ["anyOf": []], ["type": "strin"], ["type": ["integer", "integer"]], ["enum": .array(Array(repeating: ["a": 1], count: 50))],
            ["type": "object", "properties": ["a": 5]], ["type": "integer", "minimum": 5, "maximum": 1],
            ["type": "object", "additionalProperties": false, "required": ["zz"]], ["uniqueItems": true, "items": ["enum": [1]], "minItems": 5],
        ]
        var deep: JSONValue = []
        for _ in 0..<200 { deep = [deep] }
        values.append(deep)
        var deepSchema: JSONValue = ["type": "string"]
        for _ in 0..<100 { deepSchema = ["anyOf": [deepSchema]] }
        values.append(deepSchema)
        return values
    }()

    static func environment(_ name: String, default fallback: Int) -> Int {
        guard let raw = getenv(name) else { return fallback }
        return Int(String(cString: raw)) ?? fallback
    }

    @Test func hostileBodiesGetASuccessOrAnOpenAIError() async throws {
        let client = TestClient()
        var rng = SeededRandom(seed: UInt64(Self.environment("TYPE_FUZZ_SEED", default: 12)))
        var statuses: [Int: Int] = [:]
        for iteration in 0..<Self.environment("TYPE_FUZZ_ITERATIONS", default: 600) {
            let (path, text) = Self.bodies[iteration % Self.bodies.count]
            var body = try JSONValue.parse(text)
            for _ in 0...Int(rng.next() % 3) { body = Self.mutate(body, &rng) }
            let json = body.jsonString
            let result = try await client.stream(path, json: json)
            statuses[result.status, default: 0] += 1
            let context = "iteration \(iteration): POST \(path) \(String(json.prefix(600)))"
            #expect((200..<500).contains(result.status), "\(result.status) for \(context)")
            if result.status >= 400 {
                let error = try? JSONValue.parse(Array(result.frames.joined().utf8))
                #expect(error?["error"]?["message"]?.stringValue?.isEmpty == false, "no OpenAI error body for \(context)")
                #expect(error?["error"]?.objectValue?.keys == ["message", "type", "param", "code"], "error shape for \(context)")
            }
        }
        #expect(statuses[200, default: 0] > 0 && statuses[400, default: 0] > 0, "\(statuses)")
    }

    /// One change at a random place of the tree: a value replaced, a key added, or a key removed.
    static func mutate(_ value: JSONValue, _ rng: inout SeededRandom) -> JSONValue {
        let pick = { (n: Int, rng: inout SeededRandom) in Int(rng.next() % UInt64(max(n, 1))) }
        switch value {
        case .object(var o) where !o.isEmpty && rng.next() % 4 != 0:
            let index = pick(o.count, &rng)
            let key = o.pairs[index].key
            switch rng.next() % 8 {
            case 0: o[key] = nil
            case 1: o[key] = hostile[pick(hostile.count, &rng)]
            case 2: o["extra_\(rng.next() % 4)"] = hostile[pick(hostile.count, &rng)]
            default: o[key] = mutate(o.pairs[index].value, &rng)
            }
            return .object(o)
        case .array(var a) where !a.isEmpty && rng.next() % 4 != 0:
            let index = pick(a.count, &rng)
            if rng.next() % 5 == 0 { a.append(hostile[pick(hostile.count, &rng)]) } else { a[index] = mutate(a[index], &rng) }
            return .array(a)
        default:
            return hostile[pick(hostile.count, &rng)]
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
