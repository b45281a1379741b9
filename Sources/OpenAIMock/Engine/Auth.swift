import MockHTTP

/// Bearer-key checks with the real API's messages. By default any non-empty key passes.
enum Auth {
    static let missingKeyMessage = "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username. You can obtain an API key from https://platform.openai.com/account/api-keys."

    static func check(_ headers: HTTPHeaders, acceptedKeys: [String]) throws(OpenAIError) {
        guard let key = bearerKey(headers), !key.isEmpty else {
            throw OpenAIError(status: 401, message: missingKeyMessage)
        }
        if !acceptedKeys.isEmpty && !acceptedKeys.contains(key) {
            throw OpenAIError(
                status: 401,
                message: "Incorrect API key provided: \(Secrets.mask(key)). You can find your API key at https://platform.openai.com/account/api-keys.",
                code: "invalid_api_key")
        }
    }

    /// What follows `Bearer` (any case, after leading spaces), without surrounding spaces and tabs.
    static func bearerKey(_ headers: HTTPHeaders) -> String? {
        guard let value = headers["authorization"] else { return nil }
        let bytes = value.utf8
        var i = bytes.startIndex
        while i != bytes.endIndex && bytes[i] == 0x20 { i = bytes.index(after: i) }
        for expected in "bearer".utf8 {
            guard i != bytes.endIndex, bytes[i] | 0x20 == expected else { return nil }
            i = bytes.index(after: i)
        }
        var end = bytes.endIndex
        func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }
        while i != end && isBlank(bytes[i]) { i = bytes.index(after: i) }
        while i != end && isBlank(bytes[bytes.index(before: end)]) { end = bytes.index(before: end) }
        return String(decoding: bytes[i..<end], as: UTF8.self)
    }
}

/// Masking for anything secret that must be shown (error messages) or stored (journal).
public enum Secrets {
    /// Header names whose values are secrets.
    static let headerNames: [String] = ["authorization", "proxy-authorization", "api-key", "x-api-key",
                                           "openai-api-key", "cookie", "set-cookie"]

    static func isSecretHeader(_ name: String) -> Bool {
        headerNames.contains { HTTPHeaders.equalsIgnoringCase($0, name) }
    }

    /// `sk-abcdef…wxyz` → `sk-ab***yz`, as the real API prints keys; short keys are fully hidden.
    public static func mask(_ key: String) -> String {
        guard key.count >= 10 else { return "***" }
        return String(key.prefix(5)) + "***" + String(key.suffix(2))
    }

    /// A header value made safe to store: `Bearer sk-ab***yz`.
    static func maskHeaderValue(_ value: String) -> String {
        let bytes = value.utf8
        // `Scheme secret`, the usual shape, without splitting; anything else the general way.
        if let space = bytes.firstIndex(of: UInt8(ascii: " ")), space != bytes.startIndex,
           case let next = bytes.index(after: space), next != bytes.endIndex, bytes[next] != UInt8(ascii: " ") {
            return "\(value[..<space]) \(mask(String(value[next...])))"
        }
        let parts = value.split(separator: " ", maxSplits: 1)
        if parts.count == 2 { return "\(parts[0]) \(mask(String(parts[1])))" }
        return mask(value)
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        var s = self[...]
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
