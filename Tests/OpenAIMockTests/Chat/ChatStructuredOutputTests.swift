import MockHTTP
import Testing
@testable import OpenAIMock

@Suite struct ChatStructuredOutputTests {
    let client = TestClient()

    /// What the v1 SDK's `.parse()` sends for a pydantic model with a nested list.
    static let schema = ##"{"type":"object","properties":{"name":{"type":"string"},"date":{"type":"string"},"participants":{"type":"array","items":{"type":"string"}},"priority":{"type":"string","enum":["low","high"]},"location":{"anyOf":[{"$ref":"#/$defs/Place"},{"type":"null"}]}},"required":["name","date","participants","priority","location"],"additionalProperties":false,"$defs":{"Place":{"type":"object","properties":{"city":{"type":"string"},"floor":{"type":"integer","minimum":0,"maximum":50}},"required":["city","floor"],"additionalProperties":false}}}"##

    @Test func jsonSchemaGivesAValidDocument() async throws {
        let body = #"{"model":"gpt-4o-2024-08-06","response_format":{"type":"json_schema","json_schema":{"name":"CalendarEvent","strict":true,"schema":\#(Self.schema)}},"messages":[{"role":"system","content":"Extract the event information."},{"role":"user","content":"Alice and Bob are going to a science fair on Friday."}]}"#
        let r = await client.chat(body)
        #expect(r.status == 200, "\(r.json?.jsonString ?? "")")
        let content = try #require(r.json?.content())
        let doc = try JSONValue.parse(Array(content.utf8))
        let schema = try JSONValue.parse(Array(Self.schema.utf8))
        #expect(SchemaValidator(schema: schema).validate(doc).isEmpty, "\(content)")
        #expect(r.json?["choices"]?[0]?["finish_reason"] == "stop")
        // Same request, same document; another seed, another document.
        #expect(await client.chat(body).json?.content() == content)
        let seeded = body.replacingOccurrences(#""model":"#, with: #""seed":5,"model":"#)
        #expect(await client.chat(seeded).json?.content() != content)
    }

    @Test func jsonObjectGivesAnObject() async throws {
        let r = await client.chat(#"{"model":"gpt-4o","response_format":{"type":"json_object"},"messages":[{"role":"user","content":"List three colours as JSON."}]}"#)
        let content = try #require(r.json?.content())
        let doc = try JSONValue.parse(Array(content.utf8))
        #expect(doc.objectValue != nil)
    }

    @Test func tooSmallABudgetTruncatesWithLength() async throws {
        let r = await client.chat(#"{"model":"gpt-4o","max_tokens":3,"response_format":{"type":"json_schema","json_schema":{"name":"E","schema":\#(Self.schema)}},"messages":[{"role":"user","content":"x"}]}"#)
        #expect(r.json?["choices"]?[0]?["finish_reason"] == "length")
    }
}
