/// Decoding of `when`: each key becomes one ``RuleCondition``, all of which must hold.
extension ScenarioDecoder {
    func decodeWhen(_ v: SourceValue) -> [RuleCondition] {
        guard let f = object(v, known: ScenarioKeys.when, what: "'when'") else { return [] }
        var out: [RuleCondition] = []
        for m in f.members {
            let key = m.key, value = m.value
            func add(_ c: RuleCondition.Condition?, key k: String = key) {
                if let c { out.append(RuleCondition(key: k, test: c, location: m.keyLocation)) }
            }
            switch key {
            case "endpoint":
                add(stringList(value, key).map { .endpoint($0.compactMap { endpointPattern($0) }) })
            case "model":
                add(stringList(value, key).map { .model($0.map { Glob($0.text) }) })
            case "stream":
                add(bool(value, key).map { .stream($0) })
            case "last_user_message", "any_message", "system_prompt", "prompt", "input":
                add(stringTest(value, key).map { .text(RuleCondition.TextField(rawValue: key)!, $0) })
            case "message_count", "turn":
                add(intRange(value, key).map { .count(RuleCondition.CountField(rawValue: key)!, $0) })
            case "has_tools", "has_tool_result":
                add(bool(value, key).map { .flag(RuleCondition.FlagField(rawValue: key)!, $0) })
            case "tool":
                add(stringTest(value, key).map { .tool($0) })
            case "headers":
                guard let members = value.members else {
                    error(.invalidValue, "'headers' must be an object of header name → test", at: value.location)
                    continue
                }
                for h in members {
                    if let t = stringTest(h.value, "headers.\(h.key)") {
                        out.append(RuleCondition(key: "headers.\(h.key)", test: .header(h.key.lowercased(), t),
                                                 location: h.keyLocation))
                    }
                }
            case "body":
                guard let members = value.members else {
                    error(.invalidValue, "'body' must be an object of field path → test", at: value.location)
                    continue
                }
                for b in members {
                    guard let path = BodyPath(b.key) else {
                        error(.invalidValue, "Invalid body path '\(b.key)': use a.b.c, a[0].b or a[-1]", at: b.keyLocation)
                        continue
                    }
                    if let t = valueTest(b.value, "body.\(b.key)") {
                        out.append(RuleCondition(key: "body.\(b.key)", test: .body(path, t), location: b.keyLocation))
                    }
                }
            case "query":
                add(stringTest(value, key).map { .query($0) })
            case "canonical_body":
                guard let form = CanonicalBody.form(value.json) else {
                    error(.invalidValue, "'canonical_body' must be an object (a JSON request body)", at: value.location)
                    continue
                }
                add(.canonicalBody(form, bytes: form.serialized()))
            default:
                break
            }
        }
        return out
    }

    /// A string or a non-empty array of strings (any of them).
    func stringList(_ v: SourceValue, _ key: String) -> [(text: String, location: SourceLocation)]? {
        if let s = v.string { return [(s, v.location)] }
        if let a = v.elements, !a.isEmpty {
            var out: [(String, SourceLocation)] = []
            for item in a { if let s = string(item, key) { out.append((s, item.location)) } }
            return out.count == a.count ? out : nil
        }
        error(.invalidValue, "'\(key)' must be a string or a non-empty array of strings, found \(v.typeName)", at: v.location)
        return nil
    }

    func endpointPattern(_ item: (text: String, location: SourceLocation)) -> EndpointPattern? {
        var text = item.text.trimmingWhitespace()
        var method: String?
        if let space = text.firstIndex(of: " ") {
            method = text[..<space].uppercased()
            text = text[text.index(after: space)...].trimmingWhitespace()
        }
        if let path = EndpointPattern.families[text] { return EndpointPattern(method: method, path: Glob(path)) }
        if text.hasPrefix("/") { return EndpointPattern(method: method, path: Glob(text)) }
        error(.invalidValue, "Unknown endpoint '\(item.text)': use "
              + EndpointPattern.families.keys.sorted().joined(separator: ", ")
              + ", or a path such as \"/v1/files/*\" (optionally \"GET /v1/models\")", at: item.location)
        return nil
    }

    /// `"text"` (equals) or `{equals|contains|prefix|suffix|regex: "…", ignore_case: bool}`.
    func stringTest(_ v: SourceValue, _ key: String) -> StringTest? {
        if let s = v.string { return try? StringTest(.equals, s) }
        guard let f = object(v, known: ScenarioKeys.stringTest, what: "a string test '\(key)'") else { return nil }
        return stringTest(fields: f, key: key)
    }

    func stringTest(fields f: Fields, key: String) -> StringTest? {
        let ops = f.members.filter { StringTest.Op(rawValue: $0.key) != nil }
        guard ops.count == 1, let m = ops.first, let op = StringTest.Op(rawValue: m.key) else {
            error(.invalidValue, "'\(key)' needs exactly one of equals, contains, prefix, suffix, regex"
                  + (ops.count > 1 ? " (found \(ops.map(\.key).joined(separator: ", ")))" : ""), at: f.value.location)
            return nil
        }
        guard let pattern = string(m.value, "\(key).\(m.key)") else { return nil }
        let ignoreCase = f["ignore_case"].flatMap { bool($0, "ignore_case") } ?? false
        do throws(RegexSyntaxError) {
            return try StringTest(op, pattern, ignoreCase: ignoreCase)
        } catch {
            self.error(.badRegex, "Invalid regex \(StringTest.quote(pattern)) in '\(key)': \(error)", at: m.value.location)
            return nil
        }
    }

    /// Body field test: a scalar (equals), `{equals: any JSON}`, a string test, or `{exists: bool}`.
    func valueTest(_ v: SourceValue, _ key: String) -> ValueTest? {
        guard v.members != nil else {
            if v.elements != nil {
                error(.invalidValue, "'\(key)': to compare with an array write {equals: [...]}", at: v.location)
                return nil
            }
            return .equals(v.json)
        }
        guard let f = object(v, known: ScenarioKeys.valueTest, what: "a body test '\(key)'") else { return nil }
        if let e = f["exists"] {
            if f.members.count > 1 { error(.invalidValue, "'\(key)': 'exists' cannot be combined with other tests", at: v.location) }
            return bool(e, "exists").map { .exists($0) }
        }
        if let e = f["equals"], e.string == nil, f.members.count == 1 { return .equals(e.json) }
        return stringTest(fields: f, key: key).map { .string($0) }
    }

    /// `3` or `{min: 2, max: 4}`.
    func intRange(_ v: SourceValue, _ key: String) -> IntRange? {
        if v.members == nil {
            return int(v, key, min: 0).map { IntRange(min: $0, max: $0) }
        }
        guard let f = object(v, known: ScenarioKeys.range, what: "a range '\(key)'") else { return nil }
        let lo = f["min"].flatMap { int($0, "\(key).min", min: 0) }
        let hi = f["max"].flatMap { int($0, "\(key).max", min: 0) }
        if lo == nil && hi == nil { error(.invalidValue, "'\(key)' needs min and/or max", at: v.location); return nil }
        if let lo, let hi, lo > hi { error(.invalidValue, "'\(key)': min \(lo) is greater than max \(hi)", at: v.location); return nil }
        return IntRange(min: lo, max: hi)
    }
}
