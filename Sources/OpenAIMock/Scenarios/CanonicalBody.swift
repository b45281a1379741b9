/// The form of a JSON request body that recorded rules match on (`when: {canonical_body: …}`):
/// object keys sorted at every level, and the volatile top-level fields left out — those that name
/// the caller or tune delivery rather than ask for a different answer, and that tests tend to vary
/// from run to run: `user`, `safety_identifier`, `prompt_cache_key` (who asks), `metadata` (tags),
/// `stream_options` (only adds a usage chunk) and `seed` (the recording holds the answer the
/// upstream gave; replay is deterministic whatever the seed).
public enum CanonicalBody {
    public static let volatileFields: Set<String> = ["user", "safety_identifier", "prompt_cache_key", "metadata",
                                                     "stream_options", "seed"]

    /// The canonical form of a body (nil for a body that is not a JSON object).
    public static func form(_ body: JSONValue) -> JSONValue? {
        guard case .object(let o) = body else { return nil }
        return sorted(.object(JSONObject(o.pairs.filter { !volatileFields.contains($0.key) }.map { ($0.key, $0.value) })))
    }

    /// Compact bytes of the canonical form, what matching compares.
    public static func bytes(_ body: JSONValue) -> [UInt8]? { form(body)?.serialized() }

    static func sorted(_ v: JSONValue) -> JSONValue {
        switch v {
        case .object(let o):
            var seen: [String: JSONValue] = [:]
            for (k, value) in o.pairs { seen[k] = value }  // the last of duplicate keys, as lookups do
            return .object(JSONObject(seen.keys.sorted().map { ($0, sorted(seen[$0]!)) }))
        case .array(let a): return .array(a.map(sorted))
        default: return v
        }
    }

    /// Where two canonical forms first differ (`messages[0].content`), for `--strict`'s nearest-rule note.
    public static func firstDifference(_ a: JSONValue, _ b: JSONValue, at path: String = "") -> String? {
        switch (a, b) {
        case (.object(let x), .object(let y)):
            let keys = Set(x.keys).union(y.keys).sorted()
            for k in keys {
                let p = path.isEmpty ? k : path + "." + k
                guard let xv = x[k], let yv = y[k] else { return p }
                if let d = firstDifference(xv, yv, at: p) { return d }
            }
            return nil
        case (.array(let x), .array(let y)):
            for i in 0..<min(x.count, y.count) {
                if let d = firstDifference(x[i], y[i], at: path + "[\(i)]") { return d }
            }
            return x.count == y.count ? nil : path + "[\(min(x.count, y.count))]"
        default:
            return a == b ? nil : (path.isEmpty ? "the body" : path)
        }
    }
}
