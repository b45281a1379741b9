/// JSON indented by two spaces, keys in their order: what recorded scenario files are written as
/// (JSON is JSON5, so the loader reads them and people can diff them).
enum PrettyJSON {
    static func text(_ value: JSONValue) -> String {
        var out = ""
        write(value, indent: "", to: &out)
        return out
    }

    private static func write(_ value: JSONValue, indent: String, to out: inout String) {
        let inner = indent + "  "
        switch value {
        case .object(let o) where !o.isEmpty:
            out += "{\n"
            for (i, pair) in o.pairs.enumerated() {
                out += inner + JSONValue.string(pair.key).jsonString + ": "
                write(pair.value, indent: inner, to: &out)
                out += i == o.count - 1 ? "\n" : ",\n"
            }
            out += indent + "}"
        case .array(let a) where !a.isEmpty:
            out += "[\n"
            for (i, item) in a.enumerated() {
                out += inner
                write(item, indent: inner, to: &out)
                out += i == a.count - 1 ? "\n" : ",\n"
            }
            out += indent + "]"
        default:
            out += value.jsonString
        }
    }
}
