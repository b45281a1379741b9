import Foundation
import Testing
@testable import OpenAIMock

/// `scenarios/scenario.schema.json` (for editors) and the loader (for `validate`) must agree:
/// the same keys per object, and every example file in `scenarios/` passes both.
@Suite struct ScenarioSchemaTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let scenarios = repo.appendingPathComponent("scenarios")

    static func schema() throws -> JSONValue {
        try JSONValue.parse(Array(Data(contentsOf: scenarios.appendingPathComponent("scenario.schema.json"))))
    }

    func properties(_ schema: JSONValue, _ def: String, variant: Int? = nil) -> [String] {
        var node = schema["$defs"]?[def]
        if let variant { node = node?["anyOf"]?[variant] }
        return node?["properties"]?.objectValue?.keys ?? []
    }

    @Test func schemaListsExactlyTheKeysTheLoaderKnows() throws {
        let s = try Self.schema()
        let pairs: [(String, Int?, [String])] = [
            ("file", nil, ScenarioKeys.file), ("model", nil, ScenarioKeys.model), ("rule", nil, ScenarioKeys.rule),
            ("when", nil, ScenarioKeys.when), ("stringTest", 1, ScenarioKeys.stringTest),
            ("valueTest", 1, ScenarioKeys.valueTest), ("range", 1, ScenarioKeys.range), ("action", nil, ScenarioKeys.action),
            ("toolCall", nil, ScenarioKeys.toolCall), ("usage", nil, ScenarioKeys.usage),
            ("moderation", nil, ScenarioKeys.moderation), ("fault", nil, ScenarioKeys.fault),
            ("stream", nil, ScenarioKeys.stream), ("streamError", nil, ScenarioKeys.streamError),
            ("response", nil, ScenarioKeys.response), ("event", nil, ScenarioKeys.event),
        ]
        for (def, variant, keys) in pairs {
            #expect(Set(properties(s, def, variant: variant)) == Set(keys), "$defs/\(def)")
        }
        let categories = s["$defs"]?["moderationCategories"]?["enum"]?.arrayValue?.compactMap(\.stringValue)
        #expect(categories == ModerationCategory.allCases.map(\.rawValue))
        let reasons = s["$defs"]?["action"]?["properties"]?["finish_reason"]?["enum"]?.arrayValue?.compactMap(\.stringValue)
        #expect(reasons == ScenarioDecoder.finishReasons)
    }

    @Test func everyExampleFilePassesTheLoaderAndTheSchema() throws {
        let schema = SchemaValidator(schema: try Self.schema())
        let files = ScenarioLoader.scenarioFiles(at: Self.scenarios.path)
        #expect(files.count >= 6)
        let result = ScenarioLoader.load(paths: [Self.scenarios.path])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description))")
        for file in files {
            let doc = try JSON5Reader.read(Array(Data(contentsOf: URL(fileURLWithPath: file))), file: file)
            #expect(schema.validate(doc.json).isEmpty, "\(file): \(schema.validate(doc.json))")
        }
    }

    @Test func schemaRejectsWhatTheLoaderRejects() throws {
        let schema = SchemaValidator(schema: try Self.schema())
        for bad in ["{rules: [{when: {last_user_mesage: 'x'}, do: {text: 'y'}}]}",
                    "{rules: [{do: {fault: {status: 200}}}]}",
                    "{rules: [{do: {text: 'x', bogus: 1}}]}",
                    "{rules: [{times: 0, do: {text: 'x'}}]}",
                    "{rules: [{do: {moderation: {categories: {violense: true}}}}]}"] {
            let doc = try JSON5Reader.read(bad, file: "bad")
            #expect(!schema.validate(doc.json).isEmpty, "schema accepts \(bad)")
            #expect(!ScenarioLoader.decode(bad).diagnostics.isEmpty, "loader accepts \(bad)")
        }
    }
}
