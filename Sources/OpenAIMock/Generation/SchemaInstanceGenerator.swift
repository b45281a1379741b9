/// Produces a deterministic, plausible instance of a JSON Schema: the body of a `json_schema` structured
/// output or the `arguments` of a tool call.
///
/// Everything is derived from `seed`; property names steer values (`city` → a city, `email` → an email,
/// `age` → a small integer) and `context` (the last user message) supplies a mentioned city or topic words.
/// Every property is generated (strict mode requires them all, and it is what a helpful model does);
/// nothing outside `properties` is added. `$ref` recursion is bounded: past `maxDepth` the generator takes
/// the cheapest valid shape (null, `[]`, only required properties).
public struct SchemaInstanceGenerator: Sendable {
    public var schema: JSONValue
    public var context: String?
    /// Nesting (objects, arrays, `$ref`s) beyond which the generator stops expanding optional parts.
    public var maxDepth: Int

    public init(schema: JSONValue, context: String? = nil, maxDepth: Int = 6) {
        self.schema = schema
        self.context = context
        self.maxDepth = maxDepth
    }

    public func generate(seed: UInt64) -> JSONValue {
        var rng = SeededRandom(seed: seed)
        return instance(of: schema, name: "", depth: 0, rng: &rng)
    }

    func instance(of schemaValue: JSONValue, name: String, depth: Int, rng: inout SeededRandom) -> JSONValue {
        guard case .object(var s) = schemaValue else { return schemaValue == .bool(false) ? .null : .string(fallbackWord(&rng)) }
        if depth > maxDepth + 8 { return .null }  // runaway recursion through required properties
        if let ref = s["$ref"]?.stringValue, let target = SchemaSupport.resolve(ref, in: schema), case .object(let resolved) = target {
            s["$ref"] = nil
            for (key, value) in resolved where s[key] == nil { s[key] = value }
            return instance(of: .object(s), name: name, depth: depth + 1, rng: &rng)
        }
        if let all = s["allOf"]?.arrayValue {
            s["allOf"] = nil
            for case .object(let part) in all.map({ resolveRef($0) }) { merge(part, into: &s) }
        }
        if let constant = s["const"] { return constant }
        if let options = s["enum"]?.arrayValue, !options.isEmpty { return options[Int(rng.next() % UInt64(options.count))] }
        for key in ["anyOf", "oneOf"] {
            guard let branches = s[key]?.arrayValue, !branches.isEmpty else { continue }
            // Prefer a non-null branch so optional fields carry data; deeper down, prefer the null one.
            let nonNull = branches.filter { !isNullSchema(resolveRef($0)) }
            let nullBranches = branches.filter { isNullSchema(resolveRef($0)) }
            let preferNull = depth > maxDepth || (depth > 3 && rng.next() & 1 == 0)  // keeps recursive models shallow
            let pool = preferNull ? (nullBranches.nilIfEmpty ?? branches) : (nonNull.nilIfEmpty ?? branches)
            var branch = pool[Int(rng.next() % UInt64(pool.count))]
            if case .object(var b) = branch {
                for (k, v) in s where k != key && b[k] == nil && k != "anyOf" && k != "oneOf" { b[k] = v }
                branch = .object(b)
            }
            return instance(of: branch, name: name, depth: depth, rng: &rng)
        }
        if let examples = s["examples"]?.arrayValue, !examples.isEmpty { return examples[0] }
        if let value = s["default"], depth <= maxDepth { return value }

        let types = SchemaSupport.types(of: s) ?? inferredTypes(s)
        let concrete = types.filter { $0 != "null" }
        if concrete.isEmpty || (depth > maxDepth && types.contains("null")) { return .null }
        let type = concrete[Int(rng.next() % UInt64(concrete.count))]
        switch type {
        case "object": return object(s, depth: depth, rng: &rng)
        case "array": return array(s, name: name, depth: depth, rng: &rng)
        case "integer": return integer(s, name: name, rng: &rng)
        case "number": return number(s, name: name, rng: &rng)
        case "boolean": return .bool(rng.next() & 1 == 0)
        default: return .string(string(s, name: name, rng: &rng))
        }
    }

    private func object(_ s: JSONObject, depth: Int, rng: inout SeededRandom) -> JSONValue {
        var out = JSONObject()
        let properties = s["properties"]?.objectValue ?? JSONObject()
        let required = Set(s["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        let limit = s["maxProperties"]?.intValue ?? Int.max
        // Required first when a limit forces a choice; otherwise in schema order.
        let ordered = properties.filter { required.contains($0.key) } + properties.filter { !required.contains($0.key) }
        var chosen = Set<String>()
        for (key, _) in ordered where chosen.count < limit && (depth <= maxDepth || required.contains(key)) { chosen.insert(key) }
        for (key, sub) in properties where chosen.contains(key) {
            out.append(key, instance(of: sub, name: key, depth: depth + 1, rng: &rng))
        }
        let minimum = s["minProperties"]?.intValue ?? 0
        if out.count < minimum, s["additionalProperties"] != .bool(false) {
            let extra = s["additionalProperties"].flatMap { $0.objectValue.map(JSONValue.object) } ?? .object(["type": "string"])
            var n = 1
            while out.count < minimum {
                if out["key\(n)"] == nil { out.append("key\(n)", instance(of: extra, name: "key", depth: depth + 1, rng: &rng)) }
                n += 1
            }
        }
        return .object(out)
    }

    private func array(_ s: JSONObject, name: String, depth: Int, rng: inout SeededRandom) -> JSONValue {
        let minimum = s["minItems"]?.intValue ?? 0
        let maximum = s["maxItems"]?.intValue ?? (minimum + 3)
        let prefix = s["prefixItems"]?.arrayValue ?? s["items"]?.arrayValue ?? []
        let itemSchema: JSONValue = s["items"].flatMap { $0.arrayValue == nil ? $0 : nil } ?? .object([:])
        let low = max(minimum, prefix.count > 0 ? min(prefix.count, maximum) : 0)
        let high = max(low, min(maximum, depth > maxDepth ? low : max(low, minimum + 3)))
        let preferred = depth > maxDepth ? low : max(low, min(high, 1 + Int(rng.next() % 3)))
        let count = min(preferred, high)
        let singular = name.hasSuffix("s") ? String(name.dropLast()) : name
        var items: [JSONValue] = []
        var attempts = 0
        while items.count < count && attempts < count * 8 + 8 {
            attempts += 1
            let sub = items.count < prefix.count ? prefix[items.count] : itemSchema
            let item = instance(of: sub, name: singular, depth: depth + 1, rng: &rng)
            if s["uniqueItems"]?.boolValue == true && items.contains(where: { SchemaSupport.equal($0, item) }) { continue }
            items.append(item)
        }
        return .array(items)
    }

    private func integer(_ s: JSONObject, name: String, rng: inout SeededRandom) -> JSONValue {
        var (low, high) = bounds(s, integral: true)
        let hint = SchemaHints.integerRange(for: name) ?? 1...100
        let hinted = (max(low, Double(hint.lowerBound)), min(high, Double(hint.upperBound)))
        if hinted.0 <= hinted.1 { (low, high) = hinted } else if high - low > 1000 { high = low + 100 }
        if let step = s["multipleOf"]?.doubleValue, step > 0 {
            let k = pickMultiple(low, high, step, &rng)
            return .int(Int(k * step))
        }
        let lo = Int(max(-9e15, low).rounded(.up)), hi = Int(min(9e15, high).rounded(.down))
        return .int(lo <= hi ? Int.random(in: lo...hi, using: &rng) : lo)
    }

    private func number(_ s: JSONObject, name: String, rng: inout SeededRandom) -> JSONValue {
        var (low, high) = bounds(s, integral: false)
        let hint = SchemaHints.integerRange(for: name).map { (Double($0.lowerBound), Double($0.upperBound)) } ?? (0, 100)
        let hinted = (max(low, hint.0), min(high, hint.1))
        if hinted.0 <= hinted.1 { (low, high) = hinted } else if high - low > 1000 { high = low + 100 }
        if let step = s["multipleOf"]?.doubleValue, step > 0 {
            let k = pickMultiple(low, high, step, &rng)
            let value = k * step
            return value.rounded() == value && abs(value) < 9e15 ? .int(Int(value)) : .double(value)
        }
        var value = low + (high - low) * rng.unit()
        value = (value * 100).rounded() / 100
        if value < low || value > high { value = low }
        return .double(value)
    }

    /// Inclusive numeric bounds; exclusive bounds are nudged inwards (by 1 for integers, 0.01 otherwise).
    private func bounds(_ s: JSONObject, integral: Bool) -> (Double, Double) {
        let epsilon = integral ? 1.0 : 0.01
        var low = s["minimum"]?.doubleValue ?? -Double.infinity
        var high = s["maximum"]?.doubleValue ?? Double.infinity
        if s["exclusiveMinimum"]?.boolValue == true { low += epsilon }
        if s["exclusiveMaximum"]?.boolValue == true { high -= epsilon }
        if let x = s["exclusiveMinimum"]?.doubleValue { low = max(low, x + epsilon) }
        if let x = s["exclusiveMaximum"]?.doubleValue { high = min(high, x - epsilon) }
        if low == -.infinity && high == .infinity { return (-1e6, 1e6) }
        if low == -.infinity { low = min(high, 0) - 100 }
        if high == .infinity { high = max(low, 0) + 100 }
        return (low, high)
    }

    private func pickMultiple(_ low: Double, _ high: Double, _ step: Double, _ rng: inout SeededRandom) -> Double {
        let first = (low / step).rounded(.up), last = (high / step).rounded(.down)
        guard first <= last, last - first < 1e12 else { return first }
        return first + Double(Int.random(in: 0...Int(min(last - first, 1000)), using: &rng))
    }

    private func string(_ s: JSONObject, name: String, rng: inout SeededRandom) -> String {
        let minLength = s["minLength"]?.intValue ?? 0
        let maxLength = s["maxLength"]?.intValue ?? Int.max
        if let pattern = s["pattern"]?.stringValue, let text = patternString(pattern, &rng) { return text }
        var text: String
        if let format = s["format"]?.stringValue, let value = SchemaFormats.generate(format, rng: &rng) {
            text = value
        } else if let value = SchemaHints.string(for: name, context: context, rng: &rng) {
            text = value
        } else if name.lowercased() == "id" || name.lowercased().hasSuffix("id") {
            text = "id_" + StableHash.idSuffix(rng.next(), length: 12)
        } else {
            text = freeText(name: name, rng: &rng)
        }
        var scalars = Array(text.unicodeScalars)
        if scalars.count > maxLength { scalars = Array(scalars.prefix(maxLength)) }
        let filler = Array("abcdefghij".unicodeScalars)
        while scalars.count < minLength { scalars.append(filler[scalars.count % filler.count]) }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars)
        return String(out)
    }

    /// A pattern-matching string, verified with the real regex engine; nil when unsupported.
    private func patternString(_ pattern: String, _ rng: inout SeededRandom) -> String? {
        guard let regex = try? Regex(pattern) else { return nil }
        for _ in 0..<4 {
            var generator = PatternStringGenerator(pattern: pattern, seed: rng.next())
            if let text = generator.generate(), (try? regex.firstMatch(in: text)) != nil { return text }
        }
        return nil
    }

    /// Free text for descriptive fields: a short sentence about the conversation's topics.
    private func freeText(name: String, rng: inout SeededRandom) -> String {
        let lower = name.lowercased()
        let long = ["description", "summary", "content", "text", "reason", "message", "answer", "explanation",
                    "body", "comment", "note", "details", "response", "reply", "bio"].contains { lower.contains($0) }
        let prompt = context ?? ""
        if long {
            let generator = TextGenerator(lengthRange: 12...30)
            return generator.naturalText(prompt: prompt.isEmpty ? name : prompt, seed: rng.next()).text
        }
        let language = TextLanguage.detect(prompt)
        let topics = TextGenerator.topics(in: prompt, language: language, bank: WordBank.bank(for: language))
        if lower.contains("title") || lower.contains("headline") || lower.contains("subject") {
            let topic = topics.first.map(TextGenerator.capitalizedFirst) ?? "Untitled"
            return language == .chinese ? "关于\(topic)的思考" : "Notes on \(topic)"
        }
        if !topics.isEmpty { return topics[Int(rng.next() % UInt64(topics.count))] }
        return fallbackWord(&rng)
    }

    private func fallbackWord(_ rng: inout SeededRandom) -> String {
        SchemaHints.words[Int(rng.next() % UInt64(SchemaHints.words.count))]
    }

    private func resolveRef(_ value: JSONValue) -> JSONValue {
        guard let ref = value["$ref"]?.stringValue, let target = SchemaSupport.resolve(ref, in: schema) else { return value }
        return target
    }

    private func isNullSchema(_ value: JSONValue) -> Bool {
        guard case .object(let s) = value else { return false }
        return SchemaSupport.types(of: s) == ["null"] || s["const"] == .null
    }

    private func inferredTypes(_ s: JSONObject) -> [String] {
        if s["properties"] != nil || s["additionalProperties"] != nil || s["required"] != nil { return ["object"] }
        if s["items"] != nil || s["prefixItems"] != nil || s["minItems"] != nil { return ["array"] }
        if s["minimum"] != nil || s["maximum"] != nil || s["multipleOf"] != nil { return ["number"] }
        return ["string"]
    }

    /// `allOf` merge: properties and required lists union, other keywords from the later part win.
    private func merge(_ part: JSONObject, into s: inout JSONObject) {
        for (key, value) in part {
            switch (key, s[key], value) {
            case ("properties", .object(var mine)?, .object(let theirs)):
                for (k, v) in theirs { mine[k] = v }
                s[key] = .object(mine)
            case ("required", .array(let mine)?, .array(let theirs)):
                s[key] = .array(mine + theirs.filter { !mine.contains($0) })
            default:
                s[key] = value
            }
        }
    }
}

extension Array {
    fileprivate var nilIfEmpty: Self? { isEmpty ? nil : self }
}
