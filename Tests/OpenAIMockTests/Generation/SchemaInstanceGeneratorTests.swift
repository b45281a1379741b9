import Testing
@testable import OpenAIMock

/// Schemas as JSON text, parsed with the project's parser, so they read like what clients send.
private func schema(_ text: String) -> JSONValue {
    do { return try JSONValue.parse(text) } catch { Issue.record("bad fixture: \(error)"); return .null }
}

@Suite struct SchemaInstanceGeneratorTests {
    static let schemas: [String] = [
        #"{"type":"object","properties":{"location":{"type":"string"},"unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["location"],"additionalProperties":false}"#,
        #"{"type":"array","items":{"type":"integer","minimum":3,"exclusiveMaximum":9,"multipleOf":2},"minItems":2,"maxItems":4,"uniqueItems":true}"#,
        #"{"type":"object","properties":{"id":{"type":"string","format":"uuid"},"when":{"type":"string","format":"date-time"},"day":{"type":"string","format":"date"},"at":{"type":"string","format":"time"},"mail":{"type":"string","format":"email"},"site":{"type":"string","format":"uri"},"ip":{"type":"string","format":"ipv4"},"host":{"type":"string","format":"hostname"}},"required":["id","when","day","at","mail","site","ip","host"]}"#,
        #"{"type":"object","properties":{"code":{"type":"string","pattern":"^[A-Z]{3}-\\d{4}$"},"zip":{"type":"string","pattern":"^\\d{5}(-\\d{4})?$"},"short":{"type":"string","minLength":3,"maxLength":5},"ratio":{"type":"number","minimum":0,"maximum":1},"note":{"type":["string","null"]},"flag":{"type":"boolean"},"nothing":{"type":"null"},"fixed":{"const":"v1"}},"required":["code","zip","short","ratio","note","flag","nothing","fixed"]}"#,
        #"{"anyOf":[{"type":"string","maxLength":4},{"type":"integer","minimum":100}]}"#,
        #"{"allOf":[{"type":"object","properties":{"a":{"type":"integer"}},"required":["a"]},{"properties":{"b":{"type":"string"}},"required":["b"]}]}"#,
        #"{"type":"object","properties":{"score":{"type":"number","exclusiveMinimum":true,"minimum":0,"maximum":10},"tags":{"type":"array","items":{"type":"string"},"minItems":1},"nick":{"type":"string","nullable":true}},"required":["score","tags"]}"#,
    ]

    /// What pydantic's `model_json_schema()` emits for nested models, enums and lists (strict-mode style).
    static let pydantic = #"""
    {"$defs":{"Address":{"properties":{"street":{"title":"Street","type":"string"},"city":{"title":"City","type":"string"},"country":{"title":"Country","type":"string"}},"required":["street","city","country"],"title":"Address","type":"object","additionalProperties":false},
      "Role":{"enum":["admin","editor","viewer"],"title":"Role","type":"string"},
      "Person":{"properties":{"name":{"title":"Name","type":"string"},"age":{"title":"Age","type":"integer","minimum":0,"maximum":150},"email":{"title":"Email","type":"string"},"role":{"$ref":"#/$defs/Role"},"address":{"$ref":"#/$defs/Address"},"nicknames":{"items":{"type":"string"},"title":"Nicknames","type":"array"},"manager":{"anyOf":[{"$ref":"#/$defs/Person"},{"type":"null"}]}},"required":["name","age","email","role","address","nicknames","manager"],"title":"Person","type":"object","additionalProperties":false}},
     "properties":{"people":{"items":{"$ref":"#/$defs/Person"},"title":"People","type":"array"},"matrix":{"items":{"items":{"type":"number"},"type":"array"},"type":"array"},"team":{"title":"Team","type":"string"}},
     "required":["people","matrix","team"],"title":"Roster","type":"object","additionalProperties":false}
    """#

    @Test(arguments: schemas + [pydantic])
    func generatedInstancesValidate(_ text: String) {
        let s = schema(text)
        let validator = SchemaValidator(schema: s)
        for seed in UInt64(0)..<25 {
            let instance = SchemaInstanceGenerator(schema: s).generate(seed: seed)
            let violations = validator.validate(instance)
            #expect(violations.isEmpty, "seed \(seed): \(instance.jsonString) → \(violations)")
        }
    }

    @Test func deterministicPerSeed() {
        let s = schema(Self.pydantic)
        let a = SchemaInstanceGenerator(schema: s).generate(seed: 5)
        #expect(a == SchemaInstanceGenerator(schema: s).generate(seed: 5))
        #expect(a != SchemaInstanceGenerator(schema: s).generate(seed: 6))
    }

    @Test func strictObjectsHaveExactlyTheirProperties() {
        let s = schema(Self.pydantic)
        guard case .object(let root) = SchemaInstanceGenerator(schema: s).generate(seed: 1) else { Issue.record("not an object"); return }
        #expect(root.keys == ["people", "matrix", "team"])
        if case .object(let person)? = root["people"]?[0] {
            #expect(person.keys == ["name", "age", "email", "role", "address", "nicknames", "manager"])
        }
    }

    @Test func namesAndContextSteerValues() {
        let s = schema(Self.schemas[0])
        let value = SchemaInstanceGenerator(schema: s, context: "What's the weather like in Tokyo today?").generate(seed: 3)
        #expect(value["location"] == "Tokyo, Japan")
        let unit = value["unit"]?.stringValue ?? ""
        #expect(["celsius", "fahrenheit"].contains(unit))
        let person = SchemaInstanceGenerator(schema: schema(#"{"type":"object","properties":{"email":{"type":"string"},"age":{"type":"integer"},"city":{"type":"string"}}}"#), context: "我住在北京").generate(seed: 1)
        #expect(person["email"]?.stringValue?.hasSuffix("@example.com") == true)
        #expect((18...80).contains(person["age"]?.intValue ?? -1))
        #expect(person["city"] == "北京")
    }

    @Test func validatorRejectsBadInstances() {
        let weather = SchemaValidator(schema: schema(Self.schemas[0]))
        #expect(weather.isValid(["location": "Paris", "unit": "celsius"]))
        #expect(!weather.isValid(["unit": "celsius"]))  // missing required
        #expect(!weather.isValid(["location": "Paris", "unit": "kelvin"]))  // not in enum
        #expect(!weather.isValid(["location": "Paris", "extra": 1]))  // additionalProperties false
        #expect(!weather.isValid(["location": 42]))  // wrong type
        let numbers = SchemaValidator(schema: schema(Self.schemas[1]))
        #expect(numbers.isValid([4, 6]))
        #expect(!numbers.isValid([4, 4]))  // uniqueItems
        #expect(!numbers.isValid([4, 5]))  // multipleOf
        #expect(!numbers.isValid([4, 10]))  // exclusiveMaximum
        #expect(!numbers.isValid([4]))  // minItems
        let formats = SchemaValidator(schema: schema(#"{"type":"string","format":"date","pattern":"^2024"}"#))
        #expect(formats.isValid("2024-02-29"))
        #expect(!formats.isValid("2023-02-01"))
        #expect(!formats.isValid("2024/02/01"))
        let people = SchemaValidator(schema: schema(Self.pydantic))
        let violations = people.validate(["people": [["name": "A"]], "matrix": [[1, "x"]], "team": "t"])
        #expect(violations.contains { $0.path == "/people/0" && $0.message.contains("age") })
        #expect(violations.contains { $0.path == "/matrix/0/1" })
        let oneOf = SchemaValidator(schema: schema(#"{"oneOf":[{"type":"integer"},{"type":"number"}]}"#))
        #expect(!oneOf.isValid(3))  // matches both
        #expect(oneOf.isValid(3.5))
    }

    @Test func recursionIsBounded() {
        let tree = schema(##"{"$defs":{"Node":{"type":"object","properties":{"value":{"type":"integer"},"children":{"type":"array","items":{"$ref":"#/$defs/Node"}}},"required":["value","children"]}},"$ref":"#/$defs/Node"}"##)
        let instance = SchemaInstanceGenerator(schema: tree).generate(seed: 2)
        #expect(SchemaValidator(schema: tree).isValid(instance))
        #expect(instance.jsonString.utf8.count < 20_000)
    }
}
