/// Turns one file's ``SourceValue`` tree into rules and models, collecting *every* problem with
/// its position instead of stopping at the first, so `validate` shows a whole file's mistakes
/// at once. Unknown keys are errors (with a "did you mean" hint): a misspelt `when` key that
/// silently matched everything would be the worst kind of test bug.
final class ScenarioDecoder {
    /// The path as shown in diagnostics and the journal.
    let file: String
    /// Side files (`text_file`) resolve against the scenario file's directory.
    let directory: String
    /// Index of the first rule of this file in the global load order.
    let firstIndex: Int
    var diagnostics: [ScenarioDiagnostic] = []
    var rules: [ScenarioRule] = []
    var models: [ScenarioModel] = []

    init(file: String, directory: String, firstIndex: Int) {
        self.file = file
        self.directory = directory
        self.firstIndex = firstIndex
    }

    // MARK: the document

    func decodeDocument(_ root: SourceValue) {
        if let list = root.elements {
            decodeRules(list)
            return
        }
        guard let f = object(root, known: ScenarioKeys.file, what: "a scenario file") else { return }
        if let d = f["description"] { _ = string(d, "description") }
        if let s = f["$schema"] { _ = string(s, "$schema") }
        if let m = f["models"] {
            if let list = array(m, "models") { list.forEach(decodeModel) }
        }
        guard let r = f["rules"] else {
            error(.invalidValue, "Missing 'rules': a scenario file holds {rules: [{when: …, do: …}, …]}", at: root.location)
            return
        }
        if let list = array(r, "rules") { decodeRules(list) }
    }

    func decodeRules(_ list: [SourceValue]) {
        for value in list {
            // A rule with any error is left out entirely: half a `when` would match too much.
            let before = diagnostics.count
            if let rule = decodeRule(value, index: firstIndex + rules.count), diagnostics.count == before {
                rules.append(rule)
            }
        }
    }

    func decodeRule(_ v: SourceValue, index: Int) -> ScenarioRule? {
        guard let f = object(v, known: ScenarioKeys.rule, what: "a rule") else { return nil }
        let name = f["name"].flatMap { string($0, "name") }
        let conditions = f["when"].map(decodeWhen) ?? []
        var times: Int?
        if let t = f["times"] { times = int(t, "times", min: 1) }
        let priority = f["priority"].flatMap { int($0, "priority") } ?? 0
        var chaos: Double?
        if let c = f["chaos"] { chaos = number(c, "chaos", range: 0...1) }
        guard let d = f["do"] else {
            error(.invalidValue, "Missing 'do': say what the rule answers (e.g. do: {text: \"…\"})", at: v.location)
            return nil
        }
        var steps: [RuleAction] = []
        if let list = d.elements {
            if list.isEmpty { error(.invalidValue, "'do' is an empty list: give at least one action", at: d.location) }
            steps = list.compactMap(decodeAction)
        } else if let one = decodeAction(d) {
            steps = [one]
        }
        guard !steps.isEmpty else { return nil }
        return ScenarioRule(location: v.location, name: name, conditions: conditions, steps: steps, times: times,
                            priority: priority, chaos: chaos, loadIndex: index)
    }

    func decodeModel(_ v: SourceValue) {
        if let id = v.string {
            models.append(ScenarioModel(info: ModelCatalog.inferred(id: id, kind: nil, ownedBy: nil), location: v.location))
            return
        }
        guard let f = object(v, known: ScenarioKeys.model, what: "a model (a string id or {id, kind, owned_by})") else { return }
        guard let id = f["id"].flatMap({ string($0, "id") }) else {
            if f["id"] == nil { error(.invalidValue, "A model needs an 'id'", at: v.location) }
            return
        }
        var kind: ModelInfo.Kind?
        if let k = f["kind"], let s = string(k, "kind") {
            kind = ModelInfo.Kind(rawValue: s)
            if kind == nil { error(.invalidValue, "Unknown model kind '\(s)': use \(ModelInfo.Kind.allCases.map(\.rawValue).joined(separator: ", "))",
                                         at: k.location) }
        }
        var info = ModelCatalog.inferred(id: id, kind: kind, ownedBy: nil)
        if let o = f["owned_by"], let s = string(o, "owned_by") { info.ownedBy = s }
        if let c = f["context_window"], let n = int(c, "context_window", min: 1) { info.contextWindow = n }
        models.append(ScenarioModel(info: info, location: v.location))
    }

    // MARK: diagnostics

    func error(_ kind: ScenarioDiagnostic.Kind, _ message: String, at location: SourceLocation) {
        diagnostics.append(ScenarioDiagnostic(kind, message, at: location))
    }

    /// Members of an object by key; reports a non-object and every unknown key.
    func object(_ v: SourceValue, known: [String], what: String) -> Fields? {
        guard let members = v.members else {
            error(.invalidValue, "Expected \(what) (an object), found \(v.typeName)", at: v.location)
            return nil
        }
        for m in members where !known.contains(m.key) {
            var message = "Unknown key '\(m.key)' in \(what)"
            if let near = Self.nearest(m.key, in: known) { message += "; did you mean '\(near)'?" }
            else { message += "; expected one of: " + known.joined(separator: ", ") }
            error(.unknownKey, message, at: m.keyLocation)
        }
        return Fields(value: v, members: members.filter { known.contains($0.key) })
    }

    func string(_ v: SourceValue, _ key: String) -> String? {
        if let s = v.string { return s }
        error(.invalidValue, "'\(key)' must be a string, found \(v.typeName)", at: v.location)
        return nil
    }

    func bool(_ v: SourceValue, _ key: String) -> Bool? {
        if let b = v.bool { return b }
        error(.invalidValue, "'\(key)' must be true or false, found \(v.typeName)", at: v.location)
        return nil
    }

    func int(_ v: SourceValue, _ key: String, min: Int? = nil, max: Int? = nil) -> Int? {
        guard let n = v.int else {
            error(.invalidValue, "'\(key)' must be an integer, found \(v.typeName)", at: v.location)
            return nil
        }
        if let min, n < min { error(.invalidValue, "'\(key)' must be at least \(min), found \(n)", at: v.location); return nil }
        if let max, n > max { error(.invalidValue, "'\(key)' must be at most \(max), found \(n)", at: v.location); return nil }
        return n
    }

    func number(_ v: SourceValue, _ key: String, range: ClosedRange<Double>) -> Double? {
        guard let d = v.double, d.isFinite else {
            error(.invalidValue, "'\(key)' must be a number, found \(v.typeName)", at: v.location)
            return nil
        }
        guard range.contains(d) else {
            error(.invalidValue, "'\(key)' must be between \(range.lowerBound) and \(range.upperBound), found \(d)", at: v.location)
            return nil
        }
        return d
    }

    func array(_ v: SourceValue, _ key: String) -> [SourceValue]? {
        if let a = v.elements { return a }
        error(.invalidValue, "'\(key)' must be an array, found \(v.typeName)", at: v.location)
        return nil
    }

    func template(_ v: SourceValue, _ key: String) -> Template? {
        guard let s = string(v, key) else { return nil }
        do throws(Template.Error) {
            return try Template(s)
        } catch {
            self.error(.badTemplate, "In '\(key)': \(error.message)", at: v.location)
            return nil
        }
    }

    /// The known key closest to a typo (edit distance ≤ 2, or a prefix/suffix relation).
    static func nearest(_ key: String, in known: [String]) -> String? {
        guard key.utf8.count <= 64 else { return nil }  // no typo of a known key is that long
        let k = key.lowercased()
        let scored = known.map { ($0, editDistance(k, $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        if best.1 <= max(1, min(2, k.count / 3)) { return best.0 }
        return known.first { $0.hasPrefix(k) || k.hasPrefix($0) && $0.count >= 3 }
    }

    /// Edit distance counting a swap of neighbours as one edit (`modle` → `model`).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        if x.isEmpty { return y.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in 1...x.count {
            for j in stride(from: 1, through: y.count, by: 1) {
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[x.count][y.count]
    }
}

/// An object's known members, by key.
struct Fields {
    let value: SourceValue
    let members: [SourceValue.Member]

    subscript(key: String) -> SourceValue? { members.last { $0.key == key }?.value }
    var keys: [String] { members.map(\.key) }
}
