/// The schema rules the real API enforces on function `parameters` and `response_format.json_schema`:
/// always the JSON Schema meta-schema (`maxLength: -1`, `type: "strin"`, a `pattern` that is not a
/// regex…), plus constraints no instance can meet (`minLength` above `maxLength`); and with
/// `strict: true` (structured outputs and strict function tools) every object closes
/// `additionalProperties` and lists every property in `required`. The SDK's pydantic helpers produce
/// schemas that pass; hand-written ones that break a rule get the real 400, so tests written against
/// the mock also hold against the API.
enum ChatStrictSchema {
    static func check(_ schema: JSONValue, owner: String, param: String, strict: Bool) throws(OpenAIError) {
        if let issue = CompiledSchema(schema).issues.first {
            throw fail(owner, param, issue.context, issue.detail)
        }
        if strict { try walk(schema, context: [], owner: owner, param: param) }
    }

    private static func walk(_ schema: JSONValue, context: [String], owner: String, param: String) throws(OpenAIError) {
        guard case .object(let o) = schema else { return }
        let isObject = o["type"] == .string("object")
            || o["type"]?.arrayValue?.contains(.string("object")) == true
            || o["properties"] != nil
        if isObject && o["$ref"] == nil {
            guard o["additionalProperties"] == .bool(false) else {
                throw fail(owner, param, context, "'additionalProperties' is required to be supplied and to be false.")
            }
            let keys = o["properties"]?.objectValue?.keys ?? []
            let required = Set((o["required"]?.arrayValue ?? []).compactMap(\.stringValue))
            if let missing = keys.first(where: { !required.contains($0) }) {
                throw fail(owner, param, context,
                           "'required' is required to be supplied and to be an array including every key in properties. Missing '\(missing)'.")
            }
        }
        if let props = o["properties"]?.objectValue {
            for (key, sub) in props { try walk(sub, context: context + ["properties", key], owner: owner, param: param) }
        }
        if let items = o["items"] { try walk(items, context: context + ["items"], owner: owner, param: param) }
        for combinator in ["anyOf", "allOf"] {
            if let list = o[combinator]?.arrayValue {
                for (i, sub) in list.enumerated() {
                    try walk(sub, context: context + [combinator, String(i)], owner: owner, param: param)
                }
            }
        }
        for defs in ["$defs", "definitions"] {
            if let d = o[defs]?.objectValue {
                for (key, sub) in d { try walk(sub, context: context + [defs, key], owner: owner, param: param) }
            }
        }
    }

    /// `Invalid schema for response_format 'X': In context=('properties', 'a'), …` — the
    /// context is printed as a Python tuple, as the API does.
    private static func fail(_ owner: String, _ param: String, _ context: [String], _ detail: String) -> OpenAIError {
        let tuple: String
        switch context.count {
        case 0: tuple = "()"
        case 1: tuple = "('\(context[0])',)"
        default: tuple = "(" + context.map { "'\($0)'" }.joined(separator: ", ") + ")"
        }
        return .invalidRequest("Invalid schema for \(owner): In context=\(tuple), \(detail)",
                               param: param, code: "invalid_json_schema")
    }
}
