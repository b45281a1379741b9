/// Evaluates rule conditions against a request, and explains a miss.
///
/// Explanations feed `--strict` errors: of the rules that did not match, the "nearest" is the
/// one applying to this endpoint with the most conditions met (ties: earliest), and the message
/// names its first failing condition with what the request actually had (secret headers masked).
public enum ScenarioMatcher {
    public static func matches(_ rule: ScenarioRule, _ facts: RequestFacts) -> Bool {
        rule.conditions.allSatisfy { holds($0.test, facts) }
    }

    public static func holds(_ c: RuleCondition.Condition, _ facts: RequestFacts) -> Bool {
        switch c {
        case .endpoint(let patterns): return patterns.contains { $0.matches(method: facts.method, path: facts.path) }
        case .model(let globs): return facts.model.map { m in globs.contains { $0.matches(m) } } ?? false
        case .stream(let want): return facts.stream == want
        case .text(let field, let test): return facts.values(field).contains { test.matches($0) }
        case .count(let field, let range): return range.contains(facts.count(field))
        case .flag(let field, let want): return facts.flag(field) == want
        case .tool(let test): return facts.toolNames.contains { test.matches($0) }
        case .header(let name, let test): return facts.headers[name].map { test.matches($0) } ?? false
        case .body(let path, let test): return test.matches(path.lookup(facts.body))
        case .query(let test): return test.matches(facts.query)
        case .canonicalBody(_, let bytes): return facts.canonicalBody == bytes
        }
    }

    /// Why `condition` fails for this request, in words.
    public static func explain(_ condition: RuleCondition, _ facts: RequestFacts) -> String {
        func shown(_ s: String?) -> String { s.map { StringTest.quote($0) } ?? "nothing" }
        let k = condition.key
        switch condition.test {
        case .endpoint(let patterns):
            return "\(k) should be \(patterns.map { ($0.method.map { $0 + " " } ?? "") + $0.path.pattern }.joined(separator: " or ")), got \(facts.method) \(facts.path)"
        case .model(let globs):
            return "model should be \(globs.map(\.pattern).joined(separator: " or ")), got \(shown(facts.model))"
        case .stream(let want): return "stream should be \(want), got \(facts.stream)"
        case .text(let field, let test):
            let values = facts.values(field)
            return "\(k) should \(test.summary), got \(values.isEmpty ? "nothing" : values.map { StringTest.quote($0) }.joined(separator: ", "))"
        case .count(let field, let range): return "\(k) should be \(range.summary), got \(facts.count(field))"
        case .flag(let field, let want): return "\(k) should be \(want), got \(facts.flag(field))"
        case .tool(let test):
            return "tool: a tool name should \(test.summary), got \(facts.toolNames.isEmpty ? "no tools" : facts.toolNames.joined(separator: ", "))"
        case .header(let name, let test):
            // Credentials are masked as everywhere else: the explanation goes back to the client.
            let value = facts.headers[name].map { Secrets.isSecretHeader(name) ? Secrets.maskHeaderValue($0) : $0 }
            return "\(k) should \(test.summary), got \(shown(value))"
        case .body(let path, let test):
            return "\(k) should \(test.summary), got \(path.lookup(facts.body).map(\.jsonString) ?? "nothing")"
        case .query(let test): return "query should \(test.summary), got \(StringTest.quote(facts.query))"
        case .canonicalBody(let want, _):
            guard let got = CanonicalBody.form(facts.body) else { return "the body should be a JSON object" }
            return "the body differs at \(CanonicalBody.firstDifference(want, got) ?? "its key order")"
        }
    }

    /// The rule closest to matching and why it did not; nil when no rule applies to the endpoint.
    /// `exhausted` tells which rules have used up their `times`.
    public static func nearest(_ rules: [ScenarioRule], _ facts: RequestFacts, exhausted: (ScenarioRule) -> Bool) -> String? {
        var best: (rule: ScenarioRule, met: Int, failing: [RuleCondition])?
        for rule in rules {
            let endpointOK = rule.conditions.allSatisfy { c in
                if case .endpoint = c.test { return holds(c.test, facts) }
                return true
            }
            guard endpointOK else { continue }
            let failing = rule.conditions.filter { !holds($0.test, facts) }
            let met = rule.conditions.count - failing.count
            if best == nil || met > best!.met || (met == best!.met && failing.count < best!.failing.count) {
                best = (rule, met, failing)
            }
        }
        guard let best else { return nil }
        if let first = best.failing.first {
            let more = best.failing.count > 1 ? " (and \(best.failing.count - 1) more condition\(best.failing.count > 2 ? "s" : ""))" : ""
            return "\(best.rule.label) — \(explain(first, facts))\(more)"
        }
        if exhausted(best.rule) { return "\(best.rule.label) — already used \(best.rule.times ?? 0) time(s) (times: \(best.rule.times ?? 0)); POST /_mock/reset starts over" }
        return "\(best.rule.label) — skipped by its chaos roll"
    }
}
