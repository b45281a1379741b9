/// Checks across rules, after every file is loaded: rules that can never match.
///
/// Rule A *shadows* a later rule B when A always fires (no `times`, no `chaos`) and every
/// condition of A is implied by one of B's: then any request B would match, A answers first.
/// The check is conservative — it only flags what it can prove from the conditions' text, so it
/// never calls a reachable rule dead (it may miss some dead ones, e.g. two overlapping regexes).
///
/// It stays fast on files with thousands of rules: only rules that always fire are candidates, and a
/// candidate with an exact-text condition (`last_user_message: "hi"`, a header equal to a value) is
/// only tried against rules that have that same condition. At most ``maxChecks`` candidate pairs are
/// compared in one load; past that the remaining rules are not checked (loading stays linear).
public enum ScenarioLinter {
    static let maxChecks = 1_000_000

    public static func shadowed(_ rules: [ScenarioRule]) -> [ScenarioDiagnostic] {
        var out: [ScenarioDiagnostic] = []
        var general: [Int] = []               // candidates without an exact condition, in rule order
        var byExact: [String: [Int]] = [:]    // candidates by one of their exact conditions
        var budget = maxChecks
        for (j, b) in rules.enumerated() {
            var first: Int?
            for i in general where budget > 0 {
                budget -= 1
                if shadows(rules[i], b) { first = i; break }
            }
            for key in Set(b.conditions.compactMap { exactKey($0.test) }) {
                for i in byExact[key] ?? [] where budget > 0 && i < (first ?? j) {
                    budget -= 1
                    if shadows(rules[i], b) { first = i }
                }
            }
            if let i = first {
                let a = rules[i]
                let what = a.conditions.isEmpty ? "has no 'when', so it matches every request"
                    : "matches every request this one does"
                out.append(ScenarioDiagnostic(.shadowed,
                    "This rule can never match: the earlier rule \(a.label) \(what) and has no 'times' or 'chaos' limit"
                    + (a.priority != b.priority ? " (it has a higher priority)" : ""),
                    at: b.location, severity: .warning))
            }
            if b.times == nil && b.chaos == nil {
                if let key = b.conditions.lazy.compactMap({ exactKey($0.test) }).first {
                    byExact[key, default: []].append(j)
                } else {
                    general.append(j)
                }
            }
        }
        return out
    }

    /// A key that any condition implying this one has too: exact, case-sensitive text tests.
    static func exactKey(_ test: RuleCondition.Condition) -> String? {
        switch test {
        case .text(let field, let t) where t.op == .equals && !t.ignoreCase: return "text \(field.rawValue) \(t.pattern)"
        case .header(let name, let t) where t.op == .equals && !t.ignoreCase: return "header \(name) \(t.pattern)"
        case .tool(let t) where t.op == .equals && !t.ignoreCase: return "tool \(t.pattern)"
        default: return nil
        }
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
