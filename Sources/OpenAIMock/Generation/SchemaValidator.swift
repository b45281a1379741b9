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
public struct SchemaValidator: Sendable {
    public var schema: JSONValue

    public init(schema: JSONValue) { self.schema = schema }

    /// All violations (empty when valid).
    public func validate(_ instance: JSONValue) -> [SchemaViolation] {
        var out: [SchemaViolation] = []
        check(instance, against: schema, path: "", depth: 0, into: &out)
        return out
    }

    public func isValid(_ instance: JSONValue) -> Bool { validate(instance).isEmpty }

    private func check(_ value: JSONValue, against schema: JSONValue, path: String, depth: Int, into out: inout [SchemaViolation]) {
        func fail(_ message: String) { out.append(SchemaViolation(path: path, message: message)) }
        if case .bool(let allowed) = schema {
            if !allowed { fail("no value is allowed here") }
            return
        }
        guard case .object(let s) = schema else { return }
        guard depth < 64 else { return fail("schema nesting too deep (recursive $ref?)") }

        if let ref = s["$ref"]?.stringValue {
            if let target = SchemaSupport.resolve(ref, in: self.schema) {
                check(value, against: target, path: path, depth: depth + 1, into: &out)
            } else {
                fail("unresolvable $ref \(ref)")
            }
        }
        if let types = SchemaSupport.types(of: s), !types.contains(where: { SchemaSupport.value(value, isOfType: $0) }) {
            return fail("expected \(types.joined(separator: " or ")), got \(value.typeName)")
        }
        if s["nullable"]?.boolValue == true, value == .null { return }
        if let options = s["enum"]?.arrayValue, !options.contains(where: { SchemaSupport.equal($0, value) }) {
            fail("value is not one of the enum values")
        }
        if let constant = s["const"], !SchemaSupport.equal(constant, value) { fail("value is not the const value") }

        if let all = s["allOf"]?.arrayValue {
            for sub in all { check(value, against: sub, path: path, depth: depth + 1, into: &out) }
        }
        if let any = s["anyOf"]?.arrayValue, !any.contains(where: { passes(value, $0, depth) }) {
            fail("value matches none of anyOf")
        }
        if let one = s["oneOf"]?.arrayValue {
            let matches = one.filter { passes(value, $0, depth) }.count
            if matches != 1 { fail("value matches \(matches) of oneOf, expected exactly 1") }
        }
        if let not = s["not"], passes(value, not, depth) { fail("value matches a `not` schema") }

        switch value {
        case .object(let object): checkObject(object, s, path: path, depth: depth, into: &out)
        case .array(let items): checkArray(items, s, path: path, depth: depth, into: &out)
        case .string(let text): checkString(text, s, fail: fail)
        case .int, .double: checkNumber(value.doubleValue ?? 0, s, fail: fail)
        default: break
        }
    }

    private func passes(_ value: JSONValue, _ schema: JSONValue, _ depth: Int) -> Bool {
        var scratch: [SchemaViolation] = []
        check(value, against: schema, path: "", depth: depth + 1, into: &scratch)
        return scratch.isEmpty
    }

    private func checkObject(_ object: JSONObject, _ s: JSONObject, path: String, depth: Int, into out: inout [SchemaViolation]) {
        let properties = s["properties"]?.objectValue ?? JSONObject()
        for name in s["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where object[name] == nil {
            out.append(SchemaViolation(path: path, message: "missing required property \"\(name)\""))
        }
        if let min = s["minProperties"]?.intValue, object.count < min {
            out.append(SchemaViolation(path: path, message: "fewer than \(min) properties"))
        }
        if let max = s["maxProperties"]?.intValue, object.count > max {
            out.append(SchemaViolation(path: path, message: "more than \(max) properties"))
        }
        for (key, value) in object {
            let childPath = path + "/" + SchemaSupport.replace(SchemaSupport.replace(key, "~", "~0"), "/", "~1")
            if let sub = properties[key] {
                check(value, against: sub, path: childPath, depth: depth + 1, into: &out)
            } else if let additional = s["additionalProperties"] {
                if additional == .bool(false) {
                    out.append(SchemaViolation(path: path, message: "unexpected property \"\(key)\""))
                } else {
                    check(value, against: additional, path: childPath, depth: depth + 1, into: &out)
                }
            }
        }
    }

    private func checkArray(_ items: [JSONValue], _ s: JSONObject, path: String, depth: Int, into out: inout [SchemaViolation]) {
        if let min = s["minItems"]?.intValue, items.count < min {
            out.append(SchemaViolation(path: path, message: "fewer than \(min) items"))
        }
        if let max = s["maxItems"]?.intValue, items.count > max {
            out.append(SchemaViolation(path: path, message: "more than \(max) items"))
        }
        var prefix: [JSONValue] = s["prefixItems"]?.arrayValue ?? []
        var rest = s["items"]
        if case .array(let tuple)? = s["items"] {  // draft-4 tuple form
            prefix = tuple
            rest = s["additionalItems"]
        }
        for (index, item) in items.enumerated() {
            let sub = index < prefix.count ? prefix[index] : rest
            if let sub { check(item, against: sub, path: path + "/\(index)", depth: depth + 1, into: &out) }
        }
        if s["uniqueItems"]?.boolValue == true {
            for i in items.indices {
                for j in items.indices where j > i && SchemaSupport.equal(items[i], items[j]) {
                    out.append(SchemaViolation(path: path, message: "items \(i) and \(j) are equal but uniqueItems is set"))
                }
            }
        }
    }

    private func checkString(_ text: String, _ s: JSONObject, fail: (String) -> Void) {
        let length = text.unicodeScalars.count
        if let min = s["minLength"]?.intValue, length < min { fail("shorter than \(min) characters") }
        if let max = s["maxLength"]?.intValue, length > max { fail("longer than \(max) characters") }
        if let pattern = s["pattern"]?.stringValue {
            if let regex = try? Regex(pattern) {
                if (try? regex.firstMatch(in: text)) == nil { fail("does not match pattern \(pattern)") }
            }
        }
        if let format = s["format"]?.stringValue, !SchemaFormats.matches(text, format: format) {
            fail("is not a valid \(format)")
        }
    }

    private func checkNumber(_ number: Double, _ s: JSONObject, fail: (String) -> Void) {
        if let min = s["minimum"]?.doubleValue {
            if s["exclusiveMinimum"]?.boolValue == true ? number <= min : number < min { fail("below minimum \(min)") }
        }
        if let max = s["maximum"]?.doubleValue {
            if s["exclusiveMaximum"]?.boolValue == true ? number >= max : number > max { fail("above maximum \(max)") }
        }
        if let bound = s["exclusiveMinimum"]?.doubleValue, number <= bound { fail("not above \(bound)") }
        if let bound = s["exclusiveMaximum"]?.doubleValue, number >= bound { fail("not below \(bound)") }
        if let divisor = s["multipleOf"]?.doubleValue, !SchemaSupport.isMultiple(number, of: divisor) {
            fail("not a multiple of \(divisor)")
        }
    }
}
