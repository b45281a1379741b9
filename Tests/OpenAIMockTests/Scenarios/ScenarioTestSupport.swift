import Foundation
import MockHTTP
@testable import OpenAIMock

/// A temporary directory of scenario files, removed when the value is dropped by the test.
final class ScenarioDir {
    let url: URL
    var path: String { url.path }

    init(_ files: [String: String] = [:]) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("scenarios-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, text) in files { try write(name, text) }
    }

    func write(_ name: String, _ text: String) throws {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
    }

    func file(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

enum ScenarioTest {
    /// Rules decoded from inline text; fails the test on any diagnostic.
    static func rules(_ text: String) -> [ScenarioRule] {
        ScenarioLoader.decode(text).set.rules
    }

    static func diagnostics(_ text: String) -> [ScenarioDiagnostic] {
        ScenarioLoader.decode(text, file: "t.json5").diagnostics
    }

    /// An engine serving the given scenario text (written to a temp file).
    static func client(_ text: String, strict: Bool = false, chaos: Double = 0, seed: UInt64 = 0) throws -> (TestClient, ScenarioDir) {
        let dir = try ScenarioDir(["s.json5": text])
        var c = MockConfiguration(seed: seed, scenarioPaths: [dir.path])
        c.strict = strict
        c.chaos = chaos
        return (TestClient(c), dir)
    }

    static func chat(_ user: String, model: String = "gpt-4o-mini", extra: String = "") -> String {
        #"{"model":"\#(model)","messages":[{"role":"user","content":\#(JSONValue.string(user).jsonString)}]\#(extra)}"#
    }

    static func facts(_ body: String, path: String = "/v1/chat/completions", headers: HTTPHeaders = HTTPHeaders()) -> RequestFacts {
        RequestFacts(method: "POST", path: path, headers: headers, body: (try? JSONValue.parse(body)) ?? .null)
    }
}
