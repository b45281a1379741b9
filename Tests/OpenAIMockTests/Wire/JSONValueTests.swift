import Testing
@testable import OpenAIMock

@Suite struct JSONValueTests {
    @Test func roundTripsKeepingKeyOrderAndNumberKinds() throws {
        let text = #"{"z":1,"a":[true,false,null],"m":{"x":-2.5,"y":"\u00e9\n\"q\""},"big":9007199254740993,"e":1e3}"#
        let value = try JSONValue.parse(text)
        #expect(value.objectValue?.keys == ["z", "a", "m", "big", "e"])
        #expect(value["big"] == .int(9_007_199_254_740_993))
        #expect(value["e"] == .double(1000))
        #expect(value["m"]?["y"] == "é\n\"q\"")
        #expect(value.jsonString == #"{"z":1,"a":[true,false,null],"m":{"x":-2.5,"y":"é\n\"q\""},"big":9007199254740993,"e":1000.0}"#)
    }

    @Test func decodesSurrogatePairsAndReplacesLoneHalves() throws {
        #expect(try JSONValue.parse(#""\ud83d\ude00""#) == "😀")
        #expect(try JSONValue.parse(#""\ud83dx""#) == "\u{FFFD}x")
    }

    @Test(arguments: ["", "{", #"{"a":}"#, "[1,]", "01", "1.", "tru", #""\x""#, "{} x", "\"\u{01}\"", "-", "1e"])
    func rejectsMalformedJSON(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
    }

    @Test func escapesControlCharactersOnOutput() {
        #expect(JSONValue.string("a\u{01}b\tc").jsonString == #""a\u0001b\tc""#)
    }

    @Test func rejectsAbsurdNesting() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(deep) }
    }
}

@Suite struct JSONSerializationEdgeTests {
    @Test(arguments: [0, 7, -7, 10, 1_717_200_000, Int.max, Int.min])
    func integersPrintAsSwiftDoes(_ n: Int) {
        #expect(JSONValue.int(n).jsonString == String(n))
    }

    @Test func escapesOnlyWhatJSONRequiresAndKeepsUnicode() {
        #expect(JSONValue.string("plain ascii").jsonString == #""plain ascii""#)
        #expect(JSONValue.string("宋,发射激光\"q\"\\ end").jsonString == #""宋,发射激光\"q\"\\ end""#)
        #expect(JSONValue.string("\u{1F}x").jsonString == #""\u001fx""#)
        #expect(JSONValue.array([true, false, nil]).jsonString == "[true,false,null]")
    }

    /// The writer skips eight plain bytes at a time: a character to escape is found at every offset of
    /// strings longer and shorter than a word, next to non-ASCII bytes, and the text parses back.
    @Test func escapesAtEveryOffsetOfLongStrings() throws {
        for special in ["\"", "\\", "\n", "\u{01}", "\u{1F}", "\t"] {
            for length in [1, 7, 8, 9, 15, 16, 17, 40] {
                for offset in 0..<length {
                    var chars = Array(repeating: "a", count: length)
                    chars[offset] = special
                    if offset + 1 < length { chars[offset + 1] = "é" }
                    let text = chars.joined()
                    let json = JSONValue.string(text).jsonString
                    #expect(json == Self.reference(text), "\(special.debugDescription) at \(offset) of \(length)")
                    #expect(try JSONValue.parse(json) == .string(text))
                }
            }
        }
    }

    /// Escaping written out one character at a time.
    static func reference(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u00" + (hex.count == 1 ? "0" + hex : hex)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
