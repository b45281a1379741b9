/// One way an instance fails its schema; `path` is a JSON pointer into the instance (`""` is the root).
public struct SchemaViolation: Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path.isEmpty ? "/" : path): \(message)" }
}

/// Validates a `JSONValue` against a JSON Schema: the keywords OpenAI's structured outputs and tool
/// schemas use (`type`, `enum`, `const`, `properties`, `required`, `additionalProperties`, `items`,
/// `prefixItems`, `min/maxItems`, `uniqueItems`, `min/maxProperties`, numeric bounds incl. draft-4 boolean
/// `exclusiveMinimum`, `multipleOf`, `min/maxLength`, `pattern`, common `format`s, `anyOf`/`oneOf`/`allOf`/
/// `not`, local `$ref`, OpenAPI `nullable`). Unknown keywords are ignored, as the spec says.
///
/// The schema is compiled once (``CompiledSchema``); a validation does at most `maxSteps` schema checks,
/// so schemas that branch on themselves (`allOf: [{$ref: "#"}, {$ref: "#"}]`) end with a violation
/// instead of running for ever.
public struct SchemaValidator: Sendable {
    public let schema: JSONValue
    let compiled: CompiledSchema
    static let maxSteps = 100_000

    public init(schema: JSONValue) {
        self.schema = schema
        compiled = CompiledSchema(schema)
    }

    /// All violations (empty when valid).
    public func validate(_ instance: JSONValue) -> [SchemaViolation] {
        var run = Run()
        check(instance, against: CompiledSchema.root, path: "", depth: 0, run: &run)
        return run.violations
    }

    public func isValid(_ instance: JSONValue) -> Bool { validate(instance).isEmpty }

    private struct Run {
        var violations: [SchemaViolation] = []
        var steps = 0
    }

    private func check(_ value: JSONValue, against index: Int, path: String, depth: Int, run: inout Run) {
        func fail(_ message: String) { run.violations.append(SchemaViolation(path: path, message: message)) }
        run.steps += 1
        if run.steps == Self.maxSteps { return fail("schema too complex to validate (more than \(Self.maxSteps) checks)") }
        if run.steps > Self.maxSteps { return }
        let s = compiled[index]
        switch s.shape {
        case .alwaysFalse: return fail("no value is allowed here")
        case .anything: return
        case .object: break
        }
        guard depth < 64 else { return fail("schema nesting too deep (recursive $ref?)") }

        if let ref = s.ref { check(value, against: ref, path: path, depth: depth + 1, run: &run) }
        if let ref = s.unresolvedRef { fail("unresolvable $ref \(ref)") }
        if let types = SchemaInstanceGenerator.types(of: s), !types.contains(where: { SchemaSupport.value(value, isOfType: $0) }) {
            return fail("expected \(types.joined(separator: " or ")), got \(value.typeName)")
        }
        if s.nullable, value == .null { return }
        if let options = s.enumValues, !options.contains(where: { SchemaSupport.equal($0, value) }) {
            fail("value is not one of the enum values")
        }
        if let constant = s.constValue, !SchemaSupport.equal(constant, value) { fail("value is not the const value") }

        for sub in s.allOf { check(value, against: sub, path: path, depth: depth + 1, run: &run) }
        if !s.anyOf.isEmpty, !s.anyOf.contains(where: { passes(value, $0, depth, &run) }) {
            fail("value matches none of anyOf")
        }
        if !s.oneOf.isEmpty {
            let matches = s.oneOf.filter { passes(value, $0, depth, &run) }.count
            if matches != 1 { fail("value matches \(matches) of oneOf, expected exactly 1") }
        }
        if let not = s.not, passes(value, not, depth, &run) { fail("value matches a `not` schema") }

        switch value {
        case .object(let object): checkObject(object, s, path: path, depth: depth, run: &run)
        case .array(let items): checkArray(items, s, path: path, depth: depth, run: &run)
        case .string(let text): checkString(text, s, fail: fail)
        case .int, .double: checkNumber(value.doubleValue ?? 0, s, fail: fail)
        default: break
        }
    }

    private func passes(_ value: JSONValue, _ index: Int, _ depth: Int, _ run: inout Run) -> Bool {
        var scratch = Run(steps: run.steps)
        check(value, against: index, path: "", depth: depth + 1, run: &scratch)
        run.steps = scratch.steps
        if run.steps >= Self.maxSteps && !scratch.violations.isEmpty { run.violations += scratch.violations.suffix(1) }
        return scratch.violations.isEmpty
    }

    private func checkObject(_ object: JSONObject, _ s: SchemaNode, path: String, depth: Int, run: inout Run) {
        let keys = Set(object.keys)
        for name in s.required where !keys.contains(name) {
            run.violations.append(SchemaViolation(path: path, message: "missing required property \"\(name)\""))
        }
        if let min = s.minProperties, object.count < min {
            run.violations.append(SchemaViolation(path: path, message: "fewer than \(min) properties"))
        }
        if let max = s.maxProperties, object.count > max {
            run.violations.append(SchemaViolation(path: path, message: "more than \(max) properties"))
        }
        for (key, value) in object {
            let childPath = path + "/" + SchemaSupport.replace(SchemaSupport.replace(key, "~", "~0"), "/", "~1")
            if let sub = s.propertyNodes[key] {
                check(value, against: sub, path: childPath, depth: depth + 1, run: &run)
            } else if let additional = s.additionalProperties {
                switch additional {
                case .forbidden: run.violations.append(SchemaViolation(path: path, message: "unexpected property \"\(key)\""))
                case .schema(let sub): check(value, against: sub, path: childPath, depth: depth + 1, run: &run)
                }
            }
        }
    }

    private func checkArray(_ items: [JSONValue], _ s: SchemaNode, path: String, depth: Int, run: inout Run) {
        if let min = s.minItems, items.count < min {
            run.violations.append(SchemaViolation(path: path, message: "fewer than \(min) items"))
        }
        if let max = s.maxItems, items.count > max {
            run.violations.append(SchemaViolation(path: path, message: "more than \(max) items"))
        }
        for (index, item) in items.enumerated() {
            let sub = index < s.prefixItems.count ? s.prefixItems[index] : s.items
            if let sub { check(item, against: sub, path: path + "/\(index)", depth: depth + 1, run: &run) }
        }
        if s.uniqueItems {
            var first: [String: Int] = [:]
            for (j, item) in items.enumerated() {
                let key = SchemaSupport.canonicalKey(item)
                if let i = first[key] {
                    run.violations.append(SchemaViolation(path: path, message: "items \(i) and \(j) are equal but uniqueItems is set"))
                } else {
                    first[key] = j
                }
            }
        }
    }

    private func checkString(_ text: String, _ s: SchemaNode, fail: (String) -> Void) {
        let length = text.unicodeScalars.count
        if let min = s.minLength, length < min { fail("shorter than \(min) characters") }
        if let max = s.maxLength, length > max { fail("longer than \(max) characters") }
        if let pattern = s.pattern, !pattern.matches(text) { fail("does not match pattern \(pattern.pattern)") }
        if let format = s.format, !SchemaFormats.matches(text, format: format) { fail("is not a valid \(format)") }
    }

    private func checkNumber(_ number: Double, _ s: SchemaNode, fail: (String) -> Void) {
        if let min = s.minimum, s.minimumIsExclusive ? number <= min : number < min { fail("below minimum \(min)") }
        if let max = s.maximum, s.maximumIsExclusive ? number >= max : number > max { fail("above maximum \(max)") }
        if let bound = s.exclusiveMinimum, number <= bound { fail("not above \(bound)") }
        if let bound = s.exclusiveMaximum, number >= bound { fail("not below \(bound)") }
        if let divisor = s.multipleOf, !SchemaSupport.isMultiple(number, of: divisor) { fail("not a multiple of \(divisor)") }
    }
}
