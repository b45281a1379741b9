/// Typed reads of a chat / completions request body with the real API's validation wording.
///
/// Both endpoints share the sampling parameters (`temperature`, `top_p`, `n`, penalties, `stop`,
/// `seed`, `stream_options`, …), and the real API words their errors the same way:
/// `Invalid type for 'n': expected an integer, but got a string instead.`,
/// `Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 3 instead.`
/// A JSON `null` counts as absent everywhere, as the SDKs sometimes send explicit nulls.
struct CompletionFields {
    let body: JSONObject
    /// Prefix of error `param`s for a nested object (`audio.`).
    let path: String

    init(_ body: JSONObject, path: String = "") {
        self.body = body
        self.path = path
    }

    /// The value of `key`, or nil when missing or null.
    func value(_ key: String) -> JSONValue? {
        guard let v = body[key] else { return nil }
        if case .null = v { return nil }
        return v
    }

    /// `model`: required string, with the real API's lowercase message when missing.
    func model() throws(OpenAIError) -> String {
        switch value("model") {
        case nil: throw OpenAIError.invalidRequest("you must provide a model parameter")
        case .string(let m)?:
            guard !m.isEmpty else { throw OpenAIError.invalidRequest("you must provide a model parameter") }
            return m
        case let other?: throw OpenAIError.invalidType("model", expected: "a string", got: other)
        }
    }

    func bool(_ key: String) throws(OpenAIError) -> Bool? {
        guard let v = value(key) else { return nil }
        guard case .bool(let b) = v else { throw OpenAIError.invalidType(path + key, expected: "a boolean", got: v) }
        return b
    }

    func string(_ key: String) throws(OpenAIError) -> String? {
        guard let v = value(key) else { return nil }
        guard case .string(let s) = v else { throw OpenAIError.invalidType(path + key, expected: "a string", got: v) }
        return s
    }

    /// A string that is one of `supported`.
    func oneOf(_ key: String, _ supported: [String]) throws(OpenAIError) -> String? {
        guard let s = try string(key) else { return nil }
        guard supported.contains(s) else { throw OpenAIError.invalidValue(s, param: path + key, supported: supported) }
        return s
    }

    /// An integer within `range`.
    func int(_ key: String, in range: ClosedRange<Int>? = nil) throws(OpenAIError) -> Int? {
        guard let v = value(key) else { return nil }
        guard let i = v.intValue else { throw OpenAIError.invalidType(key, expected: "an integer", got: v) }
        if let range { try Self.check(i, key, range) }
        return i
    }

    /// A number within `range` (`decimal` in the API's words).
    func number(_ key: String, in range: ClosedRange<Double>) throws(OpenAIError) -> Double? {
        guard let v = value(key) else { return nil }
        guard let d = v.doubleValue else { throw OpenAIError.invalidType(key, expected: "a decimal", got: v) }
        if d < range.lowerBound {
            throw Self.outOfRange(key, kind: "decimal", below: true, bound: Self.format(range.lowerBound), got: Self.format(d))
        }
        if d > range.upperBound {
            throw Self.outOfRange(key, kind: "decimal", below: false, bound: Self.format(range.upperBound), got: Self.format(d))
        }
        return d
    }

    static func check(_ i: Int, _ key: String, _ range: ClosedRange<Int>) throws(OpenAIError) {
        if i < range.lowerBound {
            throw outOfRange(key, kind: "integer", below: true, bound: String(range.lowerBound), got: String(i))
        }
        if i > range.upperBound {
            throw outOfRange(key, kind: "integer", below: false, bound: String(range.upperBound), got: String(i))
        }
    }

    /// `Invalid 'n': integer above maximum value. Expected a value <= 128, but got 129 instead.`
    static func outOfRange(_ key: String, kind: String, below: Bool, bound: String, got: String) -> OpenAIError {
        let which = below ? "below minimum" : "above maximum"
        let op = below ? ">=" : "<="
        return .invalidRequest("Invalid '\(key)': \(kind) \(which) value. Expected a value \(op) \(bound), but got \(got) instead.",
                               param: key, code: "\(kind)_\(below ? "below_min" : "above_max")_value")
    }

    /// `2` for 2.0, `0.5` for 0.5: how the API echoes numbers in messages.
    static func format(_ d: Double) -> String {
        if d.rounded() == d && abs(d) < 1e15 { return String(Int(d)) }
        return d.description
    }

    /// The sampling parameters both endpoints accept; validated, values mostly unused by the mock.
    func validateSampling() throws(OpenAIError) {
        _ = try number("temperature", in: 0...2)
        _ = try number("top_p", in: 0...1)
        _ = try number("presence_penalty", in: -2...2)
        _ = try number("frequency_penalty", in: -2...2)
        _ = try int("seed")
        _ = try string("user")
        try validateLogitBias()
    }

    /// `n`: 1–128, default 1.
    func n() throws(OpenAIError) -> Int { try int("n", in: 1...128) ?? 1 }

    /// `stop`: a string or 1–4 strings; empty strings are ignored as the API does.
    func stop() throws(OpenAIError) -> [String] {
        guard let v = value("stop") else { return [] }
        switch v {
        case .string(let s): return s.isEmpty ? [] : [s]
        case .array(let items):
            if items.count > 4 {
                throw OpenAIError.invalidRequest(
                    "Invalid 'stop': array too long. Expected an array with maximum length 4, but got an array with length \(items.count) instead.",
                    param: "stop", code: "array_above_max_length")
            }
            var out: [String] = []
            for (i, item) in items.enumerated() {
                guard case .string(let s) = item else {
                    throw OpenAIError.invalidType("stop[\(i)]", expected: "a string", got: item)
                }
                if !s.isEmpty { out.append(s) }
            }
            return out
        default:
            throw OpenAIError.invalidType("stop", expected: "one of a string or array of strings", got: v)
        }
    }

    /// `stream` and `stream_options`; the latter only with `stream: true`.
    func streaming() throws(OpenAIError) -> (stream: Bool, includeUsage: Bool) {
        let stream = try bool("stream") ?? false
        guard let options = value("stream_options") else { return (stream, false) }
        guard case .object(let o) = options else {
            throw OpenAIError.invalidType("stream_options", expected: "an object", got: options)
        }
        guard stream else {
            throw OpenAIError.invalidRequest("The 'stream_options' parameter is only allowed when 'stream' is enabled.",
                                             param: "stream_options", code: "invalid_value")
        }
        let fields = CompletionFields(o, path: "stream_options.")
        _ = try fields.bool("include_obfuscation")
        return (stream, try fields.bool("include_usage") ?? false)
    }

    /// `logit_bias`: token id (as a string) → −100…100.
    func validateLogitBias() throws(OpenAIError) {
        guard let v = value("logit_bias") else { return }
        guard case .object(let o) = v else { throw OpenAIError.invalidType("logit_bias", expected: "an object", got: v) }
        for (key, bias) in o {
            guard Int(key) != nil else {
                throw OpenAIError.invalidRequest("Invalid key in 'logit_bias': \(key). You should only be submitting non-negative integers.",
                                                 param: "logit_bias", code: "invalid_value")
            }
            guard let b = bias.doubleValue else {
                throw OpenAIError.invalidType("logit_bias.\(key)", expected: "a number", got: bias)
            }
            if b < -100 || b > 100 {
                throw OpenAIError.invalidRequest("Invalid value for 'logit_bias': \(Self.format(b)) for key \(key). Values must be between -100 and 100.",
                                                 param: "logit_bias", code: "invalid_value")
            }
        }
    }
}
