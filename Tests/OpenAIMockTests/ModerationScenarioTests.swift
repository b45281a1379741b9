import Foundation
import MockHTTP
import Testing
@testable import OpenAIMock

/// Scenario rules force moderation verdicts through `ctx.scenarioReply` (`moderation`).
@Suite struct ModerationScenarioTests {
    @Test func forcedVerdicts() async throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("moderation-scenario-\(UInt64.random(in: 0...UInt64.max)).json")
        try #"""
        {"rules": [
          {"when": {"endpoint": "moderations", "input": {"contains": "launch codes"}},
           "do": {"moderation": {"categories": {"illicit": true}}}},
          {"when": {"endpoint": "moderations", "input": {"contains": "kill"}}, "do": {"moderation": {"flagged": false}}}
        ]}
        """#.write(to: url, atomically: true, encoding: .utf8)
        let engine = MockEngine(configuration: MockConfiguration(scenarioPaths: [url.path]))
        func post(_ text: String) async throws -> JSONValue? {
            let body = JSONValue.object(JSONObject([("input", .string(text))])).serialized()
            let response = await engine.handle(HTTPRequest(method: "POST", target: "/v1/moderations",
                                                           headers: ["authorization": "Bearer sk-test"], body: .bytes(body)))
            guard case .bytes(let bytes) = response.body else { return nil }
            return try JSONValue.parse(bytes)["results"]?[0]
        }
        let forced = try await post("share the launch codes")
        #expect(forced?["flagged"] == true)
        #expect(forced?["categories"]?["illicit"] == true)
        let cleared = try await post("I will kill you")
        #expect(cleared?["flagged"] == false)
        #expect(try await post("我要杀了你全家")?["flagged"] == true)
    }
}
