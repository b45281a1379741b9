/// Checks across rules, after every file is loaded: rules that can never match.
///
/// Rule A *shadows* a later rule B when A always fires (no `times`, no `chaos`) and every
/// condition of A is implied by one of B's: then any request B would match, A answers first.
/// The check is conservative — it only flags what it can prove from the conditions' text, so it
/// never calls a reachable rule dead (it may miss some dead ones, e.g. two overlapping regexes).
public enum ScenarioLinter {
    public static func shadowed(_ rules: [ScenarioRule]) -> [ScenarioDiagnostic] {
        var out: [ScenarioDiagnostic] = []
        for (j, b) in rules.enumerated() {
            for a in rules[..<j] where a.times == nil && a.chaos == nil && shadows(a, b) {
                let what = a.conditions.isEmpty ? "has no 'when', so it matches every request"
                    : "matches every request this one does"
                out.append(ScenarioDiagnostic(.shadowed,
                    "This rule can never match: the earlier rule \(a.label) \(what) and has no 'times' or 'chaos' limit"
                    + (a.priority != b.priority ? " (it has a higher priority)" : ""),
                    at: b.location, severity: .warning))
                break
            }
        }
        return out
    }

    static func shadows(_ a: ScenarioRule, _ b: ScenarioRule) -> Bool {
        a.conditions.allSatisfy { ca in b.conditions.contains { cb in implies(cb.test, ca.test) } }
    }

    /// Whether every request meeting `b` also meets `a`.
    static func implies(_ b: RuleCondition.Condition, _ a: RuleCondition.Condition) -> Bool {
        if a == b { return true }
        switch (a, b) {
        case (.endpoint(let ap), .endpoint(let bp)):
            return bp.allSatisfy { p in
                ap.contains { q in (q.method == nil || q.method == p.method) && (q.path == p.path || (p.path.isLiteral && q.path.matches(p.path.pattern))) }
            }
        case (.model(let ag), .model(let bg)):
            return bg.allSatisfy { p in ag.contains { q in q == p || (p.isLiteral && q.matches(p.pattern)) || q.pattern == "*" } }
        case (.count(let fa, let ra), .count(let fb, let rb)):
            return fa == fb && ra.covers(rb)
        case (.text(let fa, let ta), .text(let fb, let tb)):
            return fa == fb && stringImplies(tb, ta)
        case (.header(let na, let ta), .header(let nb, let tb)):
            return na == nb && stringImplies(tb, ta)
        case (.tool(let ta), .tool(let tb)):
            return stringImplies(tb, ta)
        default:
            return false
        }
    }

    /// Whether a string passing `b` always passes `a` (provable cases only).
    static func stringImplies(_ b: StringTest, _ a: StringTest) -> Bool {
        guard a.op != .regex, b.op != .regex, a.ignoreCase || !b.ignoreCase else { return false }
        let pa = a.ignoreCase ? StringTest.fold(a.pattern) : a.pattern
        let pb = a.ignoreCase ? StringTest.fold(b.pattern) : b.pattern
        switch (a.op, b.op) {
        case (.contains, _): return pb.contains(pa) || pa.isEmpty
        case (.prefix, .equals), (.prefix, .prefix): return pb.hasPrefix(pa)
        case (.suffix, .equals), (.suffix, .suffix): return pb.hasSuffix(pa)
        case (.equals, .equals): return pa == pb
        default: return false
        }
    }
}
