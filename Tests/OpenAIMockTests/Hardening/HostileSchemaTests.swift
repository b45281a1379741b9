import Testing
@testable import OpenAIMock

/// Tool and `response_format` schemas that used to trap or hang the process: rule breaks get the real
/// API's 400, impossible constraints a 400 in the same form, absurd sizes a reply cut at the output limit.
@Suite struct HostileSchemaTests {
    let client = TestClient()

    func tools(_ parameters: String, extra: String = "") async -> (status: Int, json: JSONValue?) {
        let body = #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"call f"}],"tool_choice":"required","tools":[{"type":"function","function":{"name":"f","parameters":"# + parameters + "}}]" + extra + "}"
        let r = await client.chat(body)
        return (r.status, r.json)
    }

    func structured(_ schema: String, extra: String = "") async -> (status: Int, json: JSONValue?) {
        let body = #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"json please"}],"response_format":{"type":"json_schema","json_schema":{"name":"out","schema":"# + schema + "}}" + extra + "}"
        let r = await client.chat(body)
        return (r.status, r.json)
    }

    @Test(arguments: [
        (#"{"type":"object","properties":{"s":{"type":"string","maxLength":-1}}}"#, "In context=('properties', 's'), -1 is less than the minimum of 0"),
        (#"{"type":"object","properties":{"s":{"type":"strin"}}}"#, "In context=('properties', 's'), 'strin' is not valid under any of the given schemas"),
        (#"{"type":"string","minLength":1.5}"#, "In context=(), 1.5 is not of type 'integer'"),
        (#"{"type":"number","multipleOf":0}"#, "In context=(), 0 is less than or equal to the minimum of 0"),
        (#"{"type":"string","pattern":"a("}"#, "In context=(), 'a(' is not a 'regex'"),
        (#"{"type":"object","required":"a"}"#, "In context=(), 'a' is not of type 'array'"),
        (#"{"anyOf":[]}"#, "In context=(), [] should be non-empty"),
        (#"{"type":"string","minLength":5,"maxLength":2}"#, "In context=(), minLength 5 is greater than maxLength 2, so no string is valid"),
        (#"{"type":"integer","minimum":1.2,"maximum":1.8}"#, "In context=(), no integer is both >= 1.2 and <= 1.8"),
        (#"{"type":"number","multipleOf":1e-320,"minimum":3,"maximum":4}"#, "In context=(), no multiple of 1e-320 is both >= 3 and <= 4"),
        (#"{"type":"number","multipleOf":2,"minimum":3,"maximum":3.5}"#, "In context=(), no multiple of 2 is both >= 3 and <= 3.5"),
        (#"{"type":"object","additionalProperties":false,"required":["x"]}"#, "In context=(), 'x' is required but not in 'properties', and additionalProperties is false"),
    ])
    func ruleBreaksAre400WithTheRealWording(_ schema: String, _ detail: String) async {
        let tool = await tools(schema)
        #expect(tool.status == 400)
        #expect(tool.json?.error?["message"]?.stringValue == "Invalid schema for function 'f': \(detail)")
        #expect(tool.json?.error?["param"] == "tools[0].function.parameters")
        let format = await structured(schema)
        #expect(format.status == 400)
        #expect(format.json?.error?["message"]?.stringValue == "Invalid schema for response_format 'out': \(detail)")
    }

    @Test(arguments: [
        #"{"type":"object","properties":{"n":{"type":"integer","minimum":1e19}},"required":["n"]}"#,
        #"{"type":"object","properties":{"n":{"type":"number","multipleOf":1e-320}},"required":["n"]}"#,
        #"{"type":"object","properties":{"s":{"type":"string","pattern":"^(?=.*[A-Z])(a)\\1$"}},"required":["s"]}"#,
        #"{"type":"object","properties":{"n":{"type":"integer","minimum":-1e308,"maximum":1e308}},"required":["n"]}"#,
        #"{"type":"object","properties":{"s":{"type":"string","pattern":"a{-1}"}},"required":["s"]}"#,
        #"{"type":"object","properties":{"s":{"type":"string","pattern":"^(a+)+$"}},"required":["s"]}"#,
        // A billion compile steps for a pattern of no instructions; exponentially many sampling steps.
        #"{"type":"object","properties":{"s":{"type":"string","pattern":"(((){1000}){1000}){1000}x"}},"required":["s"]}"#,
        #"{"type":"object","properties":{"s":{"type":"string","pattern":""# + String(repeating: "(", count: 80) + "|"
            + String(repeating: ")*", count: 80) + #""}},"required":["s"]}"#,
    ])
    func extremeNumbersAndPatternsGiveValidArguments(_ schema: String) async throws {
        let r = await tools(schema)
        #expect(r.status == 200)
        let arguments = try #require(r.json?["choices"]?[0]?["message"]?["tool_calls"]?[0]?["function"]?["arguments"]?.stringValue)
        let value = try JSONValue.parse(arguments)
        #expect(SchemaValidator(schema: try JSONValue.parse(schema)).isValid(value), "\(arguments)")
    }

    /// What used to loop for ever or for seconds: cut at the output limit, finished with `length`.
    @Test(arguments: [
        #"{"type":"object","minProperties":2147483648}"#,
        #"{"type":"array","minItems":9223372036854775807,"items":{"type":"integer"}}"#,
        #"{"type":"array","minItems":1000000,"items":{"type":"string"}}"#,
        #"{"type":"string","minLength":1000000000}"#,
        #"{"type":"array","minItems":1000000,"uniqueItems":true,"items":{"enum":[1,2]}}"#,
    ])
    func absurdSizesStopAtTheOutputLimit(_ schema: String) async throws {
        // Without max_tokens the model's own limit applies (16,384 for gpt-4o-mini): checked once, it is slow in debug.
        for extra in schema.contains("2147483648") ? [#","max_tokens":300"#, ""] : [#","max_tokens":300"#] {
            let r = await structured(schema, extra: extra)
            #expect(r.status == 200)
            let choice = try #require(r.json?["choices"]?[0])
            let content = choice["message"]?["content"]?.stringValue ?? ""
            if schema.contains("uniqueItems") {
                #expect(choice["finish_reason"] == "stop")  // only two distinct items exist: it stops trying
            } else {
                #expect(choice["finish_reason"] == "length", "\(schema) \(extra)")
                #expect(content.utf8.count <= (extra.isEmpty ? 16_384 : 300) * 8 + 1_024, "\(content.utf8.count) bytes")
            }
            #expect(r.json?["usage"]?["completion_tokens"]?.intValue ?? .max <= (extra.isEmpty ? 16_384 : 300))
        }
        let call = await tools(schema.contains("\"object\"") ? schema : #"{"type":"object","properties":{"x":"# + schema + "}}",
                               extra: #","max_tokens":200"#)
        #expect(call.status == 200)
        #expect(call.json?["choices"]?[0]?["finish_reason"] == (schema.contains("uniqueItems") ? "tool_calls" : "length"))
    }

    /// Names from keywords the compiler does not read (`patternProperties`) keep such a schema possible.
    @Test func patternPropertiesAreNotCalledImpossible() async {
        let r = await structured(#"{"type":"object","additionalProperties":false,"patternProperties":{"^x":{}},"required":["xa"],"minProperties":1}"#)
        #expect(r.status == 200)
    }

    @Test func generatorIsLinearInItsBudget() {
        let schema: JSONValue = ["type": "array", "minItems": 50_000_000, "items": ["type": "object", "minProperties": 1_000_000]]
        let out = SchemaInstanceGenerator(schema: schema).generate(seed: 1, budget: 100_000)
        #expect(out.truncated)
        #expect(out.value.serialized().count < 120_000)
    }

    @Test func selfReferencingSchemasEnd() {
        let schema: JSONValue = ["allOf": [["$ref": "#"], ["$ref": "#"]], "anyOf": [["$ref": "#"]], "type": "object"]
        let generated = SchemaInstanceGenerator(schema: schema).generate(seed: 3)
        let violations = SchemaValidator(schema: schema).validate(generated)
        #expect(violations.count < 100)  // bounded by the validator's step budget, not 2^64 checks
    }
}
