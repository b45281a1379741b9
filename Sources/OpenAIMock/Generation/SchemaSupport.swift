/// Helpers shared by `SchemaInstanceGenerator` and `SchemaValidator`: `$ref` resolution and the JSON
/// Schema view of types and numbers.
enum SchemaSupport {
    /// Resolves a local reference (`#`, `#/$defs/Name`, `#/definitions/Name`, any `#/a/b` JSON pointer
    /// with `~0`/`~1` escapes) against the root schema. Remote references are not followed.
    static func resolve(_ ref: String, in root: JSONValue) -> JSONValue? {
        guard ref.hasPrefix("#") else { return nil }
        var node = root
        let pointer = ref.dropFirst()
        guard !pointer.isEmpty else { return root }
        for raw in pointer.split(separator: "/", omittingEmptySubsequences: true) {
            let key = replace(replace(String(raw), "~1", "/"), "~0", "~")
            if let next = node[key] { node = next }
            else if let index = Int(key), let next = node[index] { node = next }
            else { return nil }
        }
        return node
    }

    /// Whether `value` is of JSON Schema type `type` (`integer` accepts `2.0`; `number` accepts integers).
    static func value(_ value: JSONValue, isOfType type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object):
            return true
        case ("integer", .int): return true
        case ("integer", .double(let d)): return d.rounded() == d
        case ("number", .int), ("number", .double): return true
        default: return false
        }
    }

    /// JSON equality as the schema means it: `1 == 1.0`, objects equal regardless of key order.
    static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.int, .double), (.double, .int), (.int, .int), (.double, .double):
            return a.doubleValue == b.doubleValue
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x), .object(let y)):
            guard x.count == y.count else { return false }
            var others: [String: JSONValue] = [:]
            for pair in y { others[pair.key] = pair.value }
            return x.allSatisfy { pair in others[pair.key].map { equal(pair.value, $0) } ?? false }
        default:
            return a == b
        }
    }

    /// A key equal for values ``equal(_:_:)`` calls equal (`1` and `1.0`; objects in any key order), so
    /// `uniqueItems` is checked with a set instead of comparing every pair.
    static func canonicalKey(_ value: JSONValue) -> String {
        var out = ""
        appendCanonical(value, to: &out)
        return out
    }

    private static func appendCanonical(_ value: JSONValue, to out: inout String) {
        switch value {
        case .int, .double: out += "n\(value.doubleValue ?? 0);"
        case .array(let items):
            out += "["
            for item in items { appendCanonical(item, to: &out) }
            out += "]"
        case .object(let o):
            out += "{"
            for pair in o.pairs.sorted(by: { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }) {
                out += JSONValue.string(pair.key).jsonString
                appendCanonical(pair.value, to: &out)
            }
            out += "}"
        default: out += value.jsonString
        }
    }

    /// Whether `value` is a whole multiple of `divisor`, tolerating binary rounding (`0.3` of `0.1`).
    static func isMultiple(_ value: Double, of divisor: Double) -> Bool {
        guard divisor > 0, divisor.isFinite else { return true }
        let quotient = value / divisor
        guard quotient.isFinite else { return false }
        return abs(quotient - quotient.rounded()) < 1e-9 * max(1, abs(quotient))
    }

    /// Replaces every occurrence of `target` (non-empty) without Foundation.
    static func replace(_ text: String, _ target: String, _ replacement: String) -> String {
        guard !target.isEmpty, text.contains(target) else { return text }
        var out = ""
        var rest = Substring(text)
        while let range = rest.firstRange(of: target) {
            out += rest[..<range.lowerBound]
            out += replacement
            rest = rest[range.upperBound...]
        }
        return out + rest
    }
}
