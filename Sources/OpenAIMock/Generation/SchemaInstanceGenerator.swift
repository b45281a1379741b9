/// Produces a deterministic, plausible instance of a JSON Schema: the body of a `json_schema` structured
/// output or the `arguments` of a tool call.
///
/// Everything is derived from `seed`; property names steer values (`city` → a city, `email` → an email,
/// `age` → a small integer) and `context` (the last user message) supplies a mentioned city or topic words.
/// Every property is generated (strict mode requires them all, and it is what a helpful model does);
/// nothing outside `properties` is added. `$ref` recursion is bounded: past `maxDepth` the generator takes
/// the cheapest valid shape (null, `[]`, only required properties).
///
/// Output is bounded by a budget of roughly that many bytes of JSON (what the model may still write):
/// once it is spent, no container takes another element and no string grows, the instance is marked
/// truncated, and the caller cuts the text at the token limit (`finish_reason: "length"`). So an absurd
/// `minItems` or `minLength` costs time linear in what fits, never in what was asked for.
public struct SchemaInstanceGenerator: Sendable {
    public let schema: JSONValue
    public let context: String?
    /// Nesting (objects, arrays, `$ref`s) beyond which the generator stops expanding optional parts.
    public let maxDepth: Int
    let compiled: CompiledSchema
    /// What hints read from `context` (a mentioned city, topic words), worked out once.
    let hints: SchemaContext

    /// Bytes of JSON produced when the caller gives no budget.
    public static let defaultBudget = 1 << 20

    public init(schema: JSONValue, context: String? = nil, maxDepth: Int = 6) {
        self.schema = schema
        self.context = context
        self.maxDepth = maxDepth
        compiled = CompiledSchema(schema)
        hints = SchemaContext(context)
    }

    public func generate(seed: UInt64) -> JSONValue { generate(seed: seed, budget: Self.defaultBudget).value }

    /// An instance within about `budget` bytes of JSON; `truncated` when the budget ran out first.
    public func generate(seed: UInt64, budget: Int) -> (value: JSONValue, truncated: Bool) {
        var run = Run(rng: SeededRandom(seed: seed), remaining: max(budget, 1))
        let value = instance(compiled[CompiledSchema.root], name: "", depth: 0, run: &run)
        return (value, run.truncated)
    }

    /// The generation in progress: the random stream and what is left of the budget.
    struct Run {
        var rng: SeededRandom
        var remaining: Int
        var truncated = false

        /// Whether a container may add another element (and notes the truncation when not).
        mutating func mayAdd() -> Bool {
            if remaining > 0 { return true }
            truncated = true
            return false
        }

        mutating func spend(_ bytes: Int) { remaining -= min(bytes, remaining &+ 1) }

        mutating func pick(_ n: Int) -> Int { Int(rng.next() % UInt64(max(n, 1))) }
    }

    func instance(_ node: SchemaNode, name: String, depth: Int, run: inout Run) -> JSONValue {
        run.spend(1)
        switch node.shape {
        case .alwaysFalse: return .null
        case .anything: return .string(fallbackWord(&run))
        case .object: break
        }
        var s = node
        var depth = depth
        if depth > maxDepth + 8 { return .null }  // runaway recursion through required properties
        while let ref = s.ref {  // the target's keywords under the siblings'
            depth += 1
            if depth > maxDepth + 8 { return .null }
            let target = compiled[ref]
            if target.shape == .alwaysFalse { return .null }
            s.ref = nil
            s.fill(from: target)
        }
        if !s.allOf.isEmpty {
            let parts = s.allOf
            s.allOf = []
            for index in parts {
                let part = resolvedOnce(compiled[index])
                if part.shape == .object { s.merge(part) }
            }
        }
        if let constant = s.constValue { return spent(constant, &run) }
        if let options = s.enumValues, !options.isEmpty { return spent(options[run.pick(options.count)], &run) }
        for branches in [s.anyOf, s.oneOf] where !branches.isEmpty {
            // Prefer a non-null branch so optional fields carry data; deeper down, prefer the null one.
            let nonNull = branches.filter { !isNullSchema(compiled[$0]) }
            let nullBranches = branches.filter { isNullSchema(compiled[$0]) }
            let preferNull = depth > maxDepth || (depth > 3 && run.rng.next() & 1 == 0)  // keeps recursive models shallow
            let pool = preferNull ? (nullBranches.nilIfEmpty ?? branches) : (nonNull.nilIfEmpty ?? branches)
            var branch = compiled[pool[run.pick(pool.count)]]
            var parent = s
            parent.anyOf = []
            parent.oneOf = []
            branch.fill(from: parent)
            return instance(branch, name: name, depth: depth, run: &run)
        }
        if let example = s.firstExample { return spent(example, &run) }
        if let value = s.defaultValue, depth <= maxDepth { return spent(value, &run) }

        let types = Self.types(of: s) ?? [s.inferredType]
        let concrete = types.filter { $0 != "null" }
        if concrete.isEmpty || (depth > maxDepth && types.contains("null")) { return .null }
        switch concrete[run.pick(concrete.count)] {
        case "object": return object(s, depth: depth, run: &run)
        case "array": return array(s, name: name, depth: depth, run: &run)
        case "integer": return integer(s, name: name, run: &run)
        case "number": return number(s, name: name, run: &run)
        case "boolean": return .bool(run.rng.next() & 1 == 0)
        default: return .string(string(s, name: name, run: &run))
        }
    }

    private func spent(_ value: JSONValue, _ run: inout Run) -> JSONValue {
        switch value {
        case .array, .object, .string: run.spend(value.serialized().count)
        default: run.spend(4)
        }
        return value
    }

    private func object(_ s: SchemaNode, depth: Int, run: inout Run) -> JSONValue {
        var out = JSONObject()
        let required = Set(s.required)
        let limit = s.maxProperties ?? Int.max
        // Required first when a limit forces a choice; otherwise in schema order.
        let ordered = s.properties.filter { required.contains($0.name) } + s.properties.filter { !required.contains($0.name) }
        var chosen = Set<String>()
        for (key, _) in ordered where chosen.count < limit && (depth <= maxDepth || required.contains(key)) { chosen.insert(key) }
        var used = Set<String>()
        for (key, sub) in s.properties where chosen.contains(key) {
            guard run.mayAdd() else { return .object(out) }
            run.spend(key.utf8.count + 4)
            out.append(key, instance(compiled[sub], name: key, depth: depth + 1, run: &run))
            used.insert(key)
        }
        let minimum = s.minProperties ?? 0
        if out.count < minimum && s.additionalProperties != .forbidden {
            var extra = SchemaNode()
            extra.types = ["string"]
            if case .schema(let index)? = s.additionalProperties { extra = compiled[index] }
            var n = 1
            while out.count < minimum && run.mayAdd() {
                let key = "key\(n)"
                n += 1
                guard used.insert(key).inserted else { continue }
                run.spend(key.utf8.count + 4)
                out.append(key, instance(extra, name: "key", depth: depth + 1, run: &run))
            }
        }
        return .object(out)
    }

    private func array(_ s: SchemaNode, name: String, depth: Int, run: inout Run) -> JSONValue {
        let minimum = s.minItems ?? 0
        let maximum = s.maxItems ?? Self.plus3(minimum)
        let prefix = s.prefixItems
        let itemSchema = s.items.map { compiled[$0] } ?? SchemaNode()
        let low = max(minimum, prefix.count > 0 ? min(prefix.count, maximum) : 0)
        let high = max(low, min(maximum, depth > maxDepth ? low : max(low, Self.plus3(minimum))))
        let preferred = depth > maxDepth ? low : max(low, min(high, 1 + run.pick(3)))
        let count = min(preferred, high)
        let singular = name.hasSuffix("s") ? String(name.dropLast()) : name
        var items: [JSONValue] = []
        var seen = Set<String>()
        var failures = 0
        while items.count < count && failures < 64 && run.mayAdd() {
            run.spend(1)
            let sub = items.count < prefix.count ? compiled[prefix[items.count]] : itemSchema
            let item = instance(sub, name: singular, depth: depth + 1, run: &run)
            if s.uniqueItems && !seen.insert(SchemaSupport.canonicalKey(item)).inserted {
                failures += 1  // the schema cannot give another distinct item easily: stop trying at some point
                continue
            }
            items.append(item)
        }
        return .array(items)
    }

    private static func plus3(_ n: Int) -> Int { n > Int.max - 3 ? Int.max : n + 3 }

    /// A node with its own `$ref` (one level) replaced by the target's keywords.
    private func resolvedOnce(_ node: SchemaNode) -> SchemaNode {
        guard let ref = node.ref else { return node }
        var resolved = node
        resolved.ref = nil
        resolved.fill(from: compiled[ref])
        resolved.ref = nil
        return resolved
    }

    private func isNullSchema(_ node: SchemaNode) -> Bool {
        let s = resolvedOnce(node)
        return s.shape == .object && (Self.types(of: s) == ["null"] || s.constValue == .null)
    }

    /// `type` as a list plus `null` when `nullable: true`; nil when the schema gives no type.
    static func types(of s: SchemaNode) -> [String]? {
        guard var list = s.types else { return nil }
        if s.nullable && !list.contains("null") { list.append("null") }
        return list
    }
}

extension Array {
    fileprivate var nilIfEmpty: Self? { isEmpty ? nil : self }
}
