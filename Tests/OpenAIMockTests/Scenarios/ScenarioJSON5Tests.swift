import Testing
@testable import OpenAIMock

@Suite struct ScenarioJSON5Tests {
    @Test func readsJSON5Features() throws {
        let text = """
        // a comment
        {
          unquoted: 'single \\'quoted\\'',   /* block
             comment */
          "quoted": "a\\
        b",
          hex: 0x1F, plus: +3, lead: .5, trail: 5., inf: -Infinity,
          list: [1, 2, 3,],
          nested: {ok: true, nothing: null,},
        }
        """
        let v = try JSON5Reader.read(text, file: "f.json5")
        #expect(v["unquoted"]?.string == "single 'quoted'")
        #expect(v["quoted"]?.string == "ab")
        #expect(v["hex"]?.int == 31)
        #expect(v["plus"]?.int == 3)
        #expect(v["lead"]?.double == 0.5)
        #expect(v["trail"]?.double == 5)
        #expect(v["inf"]?.double == -.infinity)
        #expect(v["list"]?.elements?.count == 3)
        #expect(v["nested"]?["ok"]?.bool == true)
        #expect(v.json["nested"] == ["ok": true, "nothing": nil])
    }

    @Test func plainJSONReadsTheSame() throws {
        let text = #"{"a": [1, 2.5, "x", {"b": null}], "c": "\u00e9\ud83d\ude00"}"#
        let v = try JSON5Reader.read(text, file: "f.json")
        #expect(v.json == (try JSONValue.parse(text)))
    }

    @Test func keysAndValuesKnowTheirPositions() throws {
        let text = "{\n  rules: [\n    {when: {model: 'x'}},\n  ],\n}"
        let v = try JSON5Reader.read(text, file: "f.json5")
        let rule = try #require(v["rules"]?.elements?.first)
        #expect(rule.location == SourceLocation(file: "f.json5", line: 3, column: 5))
        let when = try #require(rule.members?.first)
        #expect(when.keyLocation.description == "f.json5:3:6")
        #expect(rule["when"]?["model"]?.location.description == "f.json5:3:20")
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let v = try JSON5Reader.read("{'宋发射': 1, b: 2}", file: "f")
        #expect(v.members?.last?.keyLocation.column == 12)
    }

    @Test(arguments: [
        ("{a: 1,,}", 1, 7, "Unexpected character ','"),
        ("{\n  a: 1\n  b: 2\n}", 3, 3, "Expected ',' or '}'"),
        ("{a: 'open", 1, 5, "Unterminated string"),
        ("{\n  a: tru\n}", 2, 6, "Unexpected word 'tru'"),
        ("{a: 1, a: 2}", 1, 8, "Duplicate key 'a'"),
        ("[1, 2", 1, 1, "Unclosed '['"),
        ("{/* never closed", 1, 2, "Unterminated /* comment"),
        ("", 1, 1, "The file is empty"),
    ])
    func syntaxErrorsCarryLineAndColumn(_ text: String, _ line: Int, _ column: Int, _ message: String) {
        #expect {
            _ = try JSON5Reader.read(text, file: "bad.json5")
        } throws: { error in
            guard let e = error as? JSON5SyntaxError else { return false }
            return e.location.line == line && e.location.column == column && e.message.hasPrefix(message)
        }
    }
}
