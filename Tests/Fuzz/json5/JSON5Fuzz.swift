import FuzzSupport
import MockHTTP
import OpenAIMock

/// Scenario files: the JSON5 reader, the decoder (every key, regexes, templates, faults, side files), the
/// shadow lint, and the decoded rules matched and explained against a request. Any bytes give rules or
/// diagnostics, never a trap or a hang.
@main enum JSON5Fuzz {
    static let facts = RequestFacts(
        method: "POST", path: "/v1/chat/completions", headers: ["authorization": "Bearer sk-secret-key", "x-test": "a"],
        body: (try? JSONValue.parse(#"{"model":"gpt-4o","stream":true,"messages":[{"role":"system","content":"You are a bot."},{"role":"user","content":"Book a table for 4 in Paris, aaaaaaaaaaaaaaaaaaaaaaaaaaaab"}],"tools":[{"type":"function","function":{"name":"book_table"}}],"metadata":{"team":"qa"}}"#)) ?? .null)

    static func main() {
        Fuzz.run { data in
            let decoded = ScenarioLoader.decode(Array(data), file: "/nonexistent/fuzz.json5")
            _ = ScenarioLinter.shadowed(decoded.rules)
            for rule in decoded.rules {
                _ = ScenarioMatcher.matches(rule, facts)
                for step in rule.steps { _ = step.reply.text?.render(facts) }
            }
            _ = ScenarioMatcher.nearest(decoded.rules, facts) { _ in false }
        }
    }
}
