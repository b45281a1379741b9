/// What never reaches a recording: the values of credential headers (the bearer key, organisation and
/// project ids, cookies…) and of JSON fields with a redacted name, wherever they appear in what is
/// written (bodies, events, canonical request bodies). Request headers are not recorded at all; of the
/// response headers only those replay needs (content type, retry and rate-limit headers) are kept.
public struct Redaction: Sendable {
    public static let defaultHeaders: Set<String> = [
        "authorization", "proxy-authorization", "api-key", "x-api-key", "openai-api-key", "cookie", "set-cookie",
        "openai-organization", "openai-project",
    ]
    public static let defaultFields: Set<String> = ["api_key", "organization_id", "project_id", "organization", "project"]
    /// What replaces a secret.
    public static let mask = "[redacted]"
    /// Shorter values are not secrets worth replacing everywhere (`"system"`, `""`).
    static let minimumLength = 8

    public var headers: Set<String>
    public var fields: Set<String>

    /// The defaults plus `names` (`--redact NAME`, a header or JSON field name, case-insensitive for headers).
    public init(extra names: [String] = []) {
        headers = Self.defaultHeaders.union(names.map { $0.lowercased() })
        fields = Self.defaultFields.union(names)
    }

    /// The secret values of one exchange.
    func secrets(requestHeaders: [(name: String, value: String)], bodies: [JSONValue]) -> [String] {
        var found: [String] = []
        for (name, value) in requestHeaders where headers.contains(name.lowercased()) {
            found.append(value)
            let parts = value.split(separator: " ", maxSplits: 1)
            if parts.count == 2 { found.append(parts[1].trimmingCharacters(in: " \t")) }
        }
        for body in bodies { collect(body, into: &found) }
        return found.filter { $0.utf8.count >= Self.minimumLength }
    }

    private func collect(_ value: JSONValue, into found: inout [String]) {
        switch value {
        case .object(let o):
            for (k, v) in o.pairs {
                if fields.contains(k), let s = v.stringValue { found.append(s) } else { collect(v, into: &found) }
            }
        case .array(let a): for v in a { collect(v, into: &found) }
        default: break
        }
    }

    /// `text` with every secret replaced by ``mask`` (longest first, so a key inside a longer value goes too).
    static func scrub(_ text: String, secrets: [String]) -> String {
        var out = text
        for secret in secrets.sorted(by: { $0.utf8.count > $1.utf8.count }) where out.contains(secret) {
            out = out.replacing(secret, with: mask)
        }
        return out
    }

    /// Response headers a replay needs; everything else (cookies, ids, dates, encodings) is left out.
    func keeps(responseHeader name: String) -> Bool {
        let n = name.lowercased()
        if headers.contains(n) { return false }
        return n == "content-type" || n == "retry-after" || n == "retry-after-ms" || n == "x-should-retry"
            || n.hasPrefix("x-ratelimit-")
    }
}
