/// `metadata` as the real API takes it on every object that has one (chat completions, fine-tuning jobs):
/// at most 16 string pairs, keys up to 64 characters, values up to 512; lists filter on it with
/// `metadata[key]=value` query items.
enum Metadata {
    /// The validated object (`.null` when absent or null).
    static func validate(_ value: JSONValue?) throws(OpenAIError) -> JSONValue {
        guard let value, value != .null else { return .null }
        guard case .object(let o) = value else { throw OpenAIError.invalidType("metadata", expected: "an object", got: value) }
        guard o.count <= 16 else {
            throw OpenAIError.invalidRequest("Invalid 'metadata': too many properties. Expected an object with at most 16 properties, but got an object with \(o.count) properties instead.",
                                             param: "metadata", code: "object_above_max_properties")
        }
        for (key, v) in o {
            guard key.count <= 64 else {
                throw OpenAIError.invalidRequest("Invalid 'metadata': key '\(key.prefix(20))…' is longer than 64 characters.", param: "metadata",
                                                 code: "invalid_value")
            }
            guard case .string(let s) = v else { throw OpenAIError.invalidType("metadata.\(key)", expected: "a string", got: v) }
            guard s.count <= 512 else {
                throw OpenAIError.invalidRequest("Invalid 'metadata.\(key)': string too long. Expected a string with maximum length 512, but got a string with length \(s.count) instead.",
                                                 param: "metadata.\(key)", code: "string_above_max_length")
            }
        }
        return value
    }

    /// A list's metadata filter: every `metadata[key]=value` item must match; `metadata=null` keeps
    /// only objects without metadata.
    struct Filter {
        let pairs: [(key: String, value: String)]
        let withoutMetadata: Bool

        init(_ ctx: RequestContext) {
            pairs = ctx.query.compactMap { item in
                guard item.name.hasPrefix("metadata["), item.name.hasSuffix("]") else { return nil }
                return (String(item.name.dropFirst(9).dropLast()), item.value)
            }
            withoutMetadata = ctx.queryValue("metadata") == "null"
        }

        func matches(_ metadata: JSONValue) -> Bool {
            if withoutMetadata { return metadata == .null || metadata.objectValue?.isEmpty == true }
            return pairs.allSatisfy { metadata[$0.key]?.stringValue == $0.value }
        }
    }
}
