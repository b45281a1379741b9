/// A JSON Schema read once, in one pass linear in its size, into ``SchemaNode``s that the instance
/// generator and the validator walk: keyword values are type- and range-checked on the way (as the real
/// API checks function parameters and `json_schema` against the JSON Schema meta-schema), `pattern`s are
/// compiled, `$ref`s resolve to node indexes (each distinct reference once), and constraints that no
/// instance can meet (`minLength` above `maxLength`, …) are reported. Unknown keywords cost nothing later.
struct CompiledSchema: Sendable {
    private(set) var nodes: [SchemaNode]
    /// What breaks the rules, in document order; the first one is what a request is refused with.
    private(set) var issues: [SchemaIssue]

    /// The root schema's node.
    static let root = 0

    init(_ schema: JSONValue) {
        var compiler = SchemaCompiler(root: schema)
        _ = compiler.compile(schema)
        nodes = compiler.nodes
        issues = compiler.issues
    }

    subscript(index: Int) -> SchemaNode { nodes[index] }
}

/// A schema problem and where it is: `context` is the path of keys to the schema holding it.
struct SchemaIssue: Sendable, Equatable {
    var context: [String]
    var detail: String
}

private struct SchemaCompiler {
    let root: JSONValue
    var nodes: [SchemaNode] = []
    var issues: [SchemaIssue] = []
    /// Keys from the root to the schema being compiled.
    private var path: [String] = []
    private var refs: [String: Int] = [:]
    /// `#/$defs/NAME` and `#/definitions/NAME` targets, indexed once.
    private let definitions: [String: JSONValue]
    /// Other JSON pointers are resolved by walking the document; this many at most.
    private var pointerBudget = 1_000

    static let simpleTypes: Set<String> = ["null", "boolean", "object", "array", "number", "integer", "string"]
    static let maxIssues = 16

    init(root: JSONValue) {
        self.root = root
        var definitions: [String: JSONValue] = [:]
        for container in ["definitions", "$defs"] {
            for (name, value) in root[container]?.objectValue ?? JSONObject() {
                definitions["#/\(container)/\(name)"] = value
            }
        }
        self.definitions = definitions
    }

    mutating func compile(_ value: JSONValue) -> Int {
        let index = nodes.count
        nodes.append(SchemaNode())
        let node = build(value)
        nodes[index] = node
        return index
    }

    private mutating func report(_ detail: String) {
        if issues.count < Self.maxIssues { issues.append(SchemaIssue(context: path, detail: detail)) }
    }

    private mutating func sub(_ value: JSONValue, _ keys: String...) -> Int? {
        guard SchemaIssue.isSchema(value) else {
            path += keys
            report("\(SchemaIssue.repr(value)) is not of type 'object', 'boolean'")
            path.removeLast(keys.count)
            return nil
        }
        path += keys
        defer { path.removeLast(keys.count) }
        return compile(value)
    }

    private mutating func subList(_ value: JSONValue, _ key: String) -> [Int] {
        guard case .array(let list) = value else {
            report("\(SchemaIssue.repr(value)) is not of type 'array'")
            return []
        }
        if list.isEmpty { report("[] should be non-empty") }
        return list.enumerated().compactMap { sub($0.element, key, String($0.offset)) }
    }

    /// A non-negative integer (`2.0` counts, as in current drafts); huge values saturate.
    private mutating func count(_ value: JSONValue) -> Int? {
        guard let d = value.doubleValue, d.rounded() == d else {
            report("\(SchemaIssue.repr(value)) is not of type 'integer'")
            return nil
        }
        guard d >= 0 else {
            report("\(SchemaIssue.repr(value)) is less than the minimum of 0")
            return nil
        }
        if case .int(let n) = value { return n }
        return d < 9.2e18 ? Int(d) : Int.max
    }

    private mutating func number(_ value: JSONValue) -> Double? {
        guard let d = value.doubleValue else {
            report("\(SchemaIssue.repr(value)) is not of type 'number'")
            return nil
        }
        return d
    }

    private mutating func build(_ value: JSONValue) -> SchemaNode {
        var n = SchemaNode()
        guard case .object(let o) = value else {
            n.shape = value == .bool(false) ? .alwaysFalse : .anything
            return n
        }
        var namesBeyondProperties = false  // keywords this compiler does not read that admit more names
        for (key, v) in o {
            switch key {
            case "type": n.types = types(v)
            case "nullable": n.nullable = v.boolValue ?? false
            case "const": n.constValue = v
            case "enum":
                if case .array(let list) = v { n.enumValues = list } else { report("\(SchemaIssue.repr(v)) is not of type 'array'") }
            case "$ref":
                if case .string(let ref) = v { (n.ref, n.unresolvedRef) = reference(ref) } else { report("\(SchemaIssue.repr(v)) is not of type 'string'") }
            case "allOf": n.allOf = subList(v, key)
            case "anyOf": n.anyOf = subList(v, key)
            case "oneOf": n.oneOf = subList(v, key)
            case "not": n.not = sub(v, key)
            case "properties": properties(v, into: &n)
            case "required": n.required = required(v)
            case "additionalProperties":
                if v == .bool(false) { n.additionalProperties = .forbidden } else if v != .bool(true) { n.additionalProperties = sub(v, key).map(SchemaNode.Additional.schema) }
            case "minProperties": n.minProperties = count(v)
            case "maxProperties": n.maxProperties = count(v)
            case "prefixItems": n.prefixItems = subList(v, key)
            case "items":
                if case .array = v { n.prefixItems = subList(v, key) } else { n.items = sub(v, key) }
            case "additionalItems" where o["items"]?.arrayValue != nil: n.items = sub(v, key)
            case "minItems": n.minItems = count(v)
            case "maxItems": n.maxItems = count(v)
            case "uniqueItems":
                if case .bool(let b) = v { n.uniqueItems = b } else { report("\(SchemaIssue.repr(v)) is not of type 'boolean'") }
            case "minimum": n.minimum = number(v)
            case "maximum": n.maximum = number(v)
            case "exclusiveMinimum":
                if case .bool(let b) = v { n.minimumIsExclusive = b } else { n.exclusiveMinimum = number(v) }
            case "exclusiveMaximum":
                if case .bool(let b) = v { n.maximumIsExclusive = b } else { n.exclusiveMaximum = number(v) }
            case "multipleOf":
                if let d = number(v) {
                    if d > 0 { n.multipleOf = d } else { report("\(SchemaIssue.repr(v)) is less than or equal to the minimum of 0") }
                }
            case "minLength": n.minLength = count(v)
            case "maxLength": n.maxLength = count(v)
            case "pattern": n.pattern = pattern(v)
            case "format": n.format = v.stringValue
            case "examples": n.firstExample = v.arrayValue?.first
            case "default": n.defaultValue = v
            case "patternProperties", "dependentSchemas", "unevaluatedProperties": namesBeyondProperties = true
            default: break
            }
        }
        n.inferredType = inferredType(o)
        checkSatisfiable(n, namesBeyondProperties: namesBeyondProperties)
        return n
    }

    private mutating func types(_ v: JSONValue) -> [String]? {
        let list: [String]?
        switch v {
        case .string(let t): list = [t]
        case .array(let items): list = items.count == items.compactMap(\.stringValue).count ? items.compactMap(\.stringValue) : nil
        default: list = nil
        }
        guard let list, !list.isEmpty, list.allSatisfy(Self.simpleTypes.contains), Set(list).count == list.count else {
            report("\(SchemaIssue.repr(v)) is not valid under any of the given schemas")
            return nil
        }
        return list
    }

    private mutating func properties(_ v: JSONValue, into n: inout SchemaNode) {
        guard case .object(let props) = v else {
            report("\(SchemaIssue.repr(v)) is not of type 'object'")
            return
        }
        var positions: [String: Int] = [:]
        for (name, schema) in props {
            guard let index = sub(schema, "properties", name) else { continue }
            if let position = positions[name] {
                n.properties[position] = (name, index)  // a duplicate key: the last value wins
            } else {
                positions[name] = n.properties.count
                n.properties.append((name, index))
            }
            n.propertyNodes[name] = index
        }
    }

    private mutating func required(_ v: JSONValue) -> [String] {
        guard case .array(let list) = v else {
            report("\(SchemaIssue.repr(v)) is not of type 'array'")
            return []
        }
        var seen = Set<String>()
        var out: [String] = []
        for item in list {
            guard case .string(let name) = item else {
                report("\(SchemaIssue.repr(item)) is not of type 'string'")
                continue
            }
            if seen.insert(name).inserted { out.append(name) }
        }
        return out
    }

    private mutating func pattern(_ v: JSONValue) -> LinearRegex? {
        guard case .string(let source) = v else {
            report("\(SchemaIssue.repr(v)) is not of type 'string'")
            return nil
        }
        do throws(RegexSyntaxError) {
            return try LinearRegex(source)
        } catch {
            // A lookahead or backreference is a regex elsewhere: the pattern is then not enforced here,
            // rather than refusing a schema the real API accepts.
            if !error.isUnsupported { report("\(SchemaIssue.repr(v)) is not a 'regex'") }
            return nil
        }
    }

    /// A local reference's node (compiled once per distinct reference), or the unresolvable reference.
    private mutating func reference(_ ref: String) -> (Int?, String?) {
        if let known = refs[ref] { return (known, nil) }
        let target: JSONValue?
        if let defined = definitions[ref] {
            target = defined
        } else if ref.hasPrefix("#") && pointerBudget > 0 {
            pointerBudget -= 1
            target = SchemaSupport.resolve(ref, in: root)
        } else {
            target = nil
        }
        guard let target else { return (nil, ref) }
        let index = nodes.count
        refs[ref] = index  // before compiling: a recursive reference finds it
        let saved = path
        path = ref.dropFirst().split(separator: "/").map(String.init)
        _ = compile(target)
        path = saved
        return (index, nil)
    }

    private func inferredType(_ o: JSONObject) -> String {
        var sawArray = false, sawNumber = false
        for (key, _) in o {
            switch key {
            case "properties", "additionalProperties", "required": return "object"
            case "items", "prefixItems", "minItems": sawArray = true
            case "minimum", "maximum", "multipleOf": sawNumber = true
            default: break
            }
        }
        return sawArray ? "array" : sawNumber ? "number" : "string"
    }

    /// Constraints that no instance of the schema's types can meet.
    private mutating func checkSatisfiable(_ n: SchemaNode, namesBeyondProperties: Bool) {
        func allows(_ type: String) -> Bool { n.types.map { $0.contains(type) || (type == "number" && $0.contains("integer")) } ?? true }
        func order(_ low: Int?, _ high: Int?, _ lowName: String, _ highName: String, _ what: String) {
            if let low, let high, low > high {
                report("\(lowName) \(low) is greater than \(highName) \(high), so no \(what) is valid")
            }
        }
        if allows("string") { order(n.minLength, n.maxLength, "minLength", "maxLength", "string") }
        if allows("array") { order(n.minItems, n.maxItems, "minItems", "maxItems", "array") }
        if allows("object") {
            order(n.minProperties, n.maxProperties, "minProperties", "maxProperties", "object")
            if n.additionalProperties == .forbidden && !namesBeyondProperties {
                if let low = n.minProperties, low > n.properties.count {
                    report("minProperties \(low) is greater than the \(n.properties.count) properties allowed (additionalProperties is false)")
                }
                if let missing = n.required.first(where: { n.propertyNodes[$0] == nil }) {
                    report("'\(missing)' is required but not in 'properties', and additionalProperties is false")
                }
            }
        }
        if allows("number") {
            let (low, high) = n.bounds(epsilon: 0)
            let onlyIntegers = n.types.map { !$0.contains("number") } ?? false
            let empty = onlyIntegers ? low.rounded(.up) > high.rounded(.down) : low > high
            if empty {
                report("no \(onlyIntegers ? "integer" : "number") is both \(Self.describe(n, lower: true)) and \(Self.describe(n, lower: false))")
            } else if let step = n.multipleOf, !(low <= 0 && high >= 0) {
                // Multiples are counted as quotients: none in range, or too many to count (`1e-320`).
                let first = (low / step).rounded(.up), last = (high / step).rounded(.down)
                if !first.isFinite || !last.isFinite || first > last {
                    report("no multiple of \(CompletionFields.format(step)) is both \(Self.describe(n, lower: true)) and \(Self.describe(n, lower: false))")
                }
            }
        }
    }

    private static func describe(_ n: SchemaNode, lower: Bool) -> String {
        let (inclusive, exclusive, flag) = lower
            ? (n.minimum, n.exclusiveMinimum, n.minimumIsExclusive) : (n.maximum, n.exclusiveMaximum, n.maximumIsExclusive)
        let useExclusive = exclusive != nil && (inclusive == nil || (lower ? exclusive! >= inclusive! : exclusive! <= inclusive!))
        let value = useExclusive ? exclusive : inclusive
        let strict = useExclusive || flag
        guard let value else { return lower ? "> -infinity" : "< infinity" }
        return "\(lower ? ">" : "<")\(strict ? "" : "=") \(CompletionFields.format(value))"
    }
}

extension SchemaIssue {
    /// A schema is an object or a boolean.
    static func isSchema(_ v: JSONValue) -> Bool {
        switch v {
        case .object, .bool: return true
        default: return false
        }
    }

    /// A value as Python prints it, as the real API's messages show them (`'abc'`, `-1`, `1.5`, `True`, `None`).
    static func repr(_ v: JSONValue, limit: Int = 120) -> String {
        let text: String
        switch v {
        case .null: text = "None"
        case .bool(let b): text = b ? "True" : "False"
        case .int(let i): text = String(i)
        case .double(let d): text = d.description
        case .string(let s):
            text = "'" + SchemaSupport.replace(SchemaSupport.replace(s, "\\", "\\\\"), "'", "\\'") + "'"
        case .array(let a): text = "[" + a.prefix(8).map { repr($0, limit: limit) }.joined(separator: ", ") + (a.count > 8 ? ", ..." : "") + "]"
        case .object(let o):
            text = "{" + o.pairs.prefix(8).map { "'\($0.key)': \(repr($0.value, limit: limit))" }.joined(separator: ", ")
                + (o.count > 8 ? ", ..." : "") + "}"
        }
        return text.count > limit ? String(text.prefix(limit)) + "..." : text
    }
}
