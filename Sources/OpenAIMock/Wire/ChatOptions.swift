/// The chat request fields beyond messages, sampling and tools: output modalities and audio, Predicted
/// Outputs, reasoning effort, verbosity, web search, moderation, and what the server keeps or bills
/// (`store`, `metadata`, `service_tier`, prompt caching, `safety_identifier`). Parsed and checked in
/// the real API's wording; the model-dependent checks are in `ChatRequest.validate(models:)`.
public struct ChatOptions: Sendable, Equatable {
    /// `modalities` contains `audio`; then `audio` says how.
    public var audio: AudioOutput?
    /// `prediction.content`, its text parts joined.
    public var prediction: String?
    public var reasoningEffort: ReasoningEffort?
    public var verbosity: String?
    /// `web_search_options` was sent (a search model searches with or without it).
    public var webSearch: Bool = false
    /// `moderation`: run this moderation model over the input and the output.
    public var moderation: Moderation?
    public var serviceTier: String?
    public var store: Bool = false
    /// `.null` when absent.
    public var metadata: JSONValue = .null

    public struct AudioOutput: Sendable, Equatable {
        public var voice: String
        public var format: AudioFormat
    }

    public struct Moderation: Sendable, Equatable {
        public var model: String
        public var blockInput: Bool
        public var blockOutput: Bool
    }

    /// Natural answer length in tokens: `verbosity` low, medium (the default) or high.
    public var answerLength: ClosedRange<Int> {
        switch verbosity {
        case "low"?: 8...40
        case "high"?: 80...300
        default: 20...120
        }
    }

    static let voices = ["alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer", "verse",
                         "marin", "cedar"]
    static let serviceTiers = ["auto", "default", "flex", "scale", "priority", "fast"]

    init(_ f: CompletionFields) throws(OpenAIError) {
        let modalities = try Self.strings(f.value("modalities"), "modalities", supported: ["text", "audio"])
        if modalities.contains("audio") {
            guard let a = f.value("audio") else { throw OpenAIError.missingParameter("audio") }
            audio = try Self.audio(a)
        } else if let a = f.value("audio") {
            _ = try Self.audio(a)
        }
        if let p = f.value("prediction") { prediction = try Self.prediction(p) }
        reasoningEffort = try f.oneOf("reasoning_effort", ReasoningEffort.allCases.map(\.rawValue)).flatMap(ReasoningEffort.init)
        verbosity = try f.oneOf("verbosity", ["low", "medium", "high"])
        if let w = f.value("web_search_options") {
            try Self.webSearchOptions(w)
            webSearch = true
        }
        if let m = f.value("moderation") { moderation = try Self.moderation(m) }
        serviceTier = try f.oneOf("service_tier", Self.serviceTiers)
        store = try f.bool("store") ?? false
        metadata = try Metadata.validate(f.value("metadata"))
        _ = try f.string("prompt_cache_key")
        _ = try f.oneOf("prompt_cache_retention", ["in_memory", "24h"])
        if let o = f.value("prompt_cache_options") {
            guard case .object(let options) = o else {
                throw OpenAIError.invalidType("prompt_cache_options", expected: "an object", got: o)
            }
            let sub = CompletionFields(options, path: "prompt_cache_options.")
            _ = try sub.oneOf("mode", ["implicit", "explicit"])
            _ = try sub.oneOf("ttl", ["30m"])
        }
        if let id = try f.string("safety_identifier"), id.count > 64 {
            throw OpenAIError.invalidRequest(
                "Invalid 'safety_identifier': string too long. Expected a string with maximum length 64, but got a string with length \(id.count) instead.",
                param: "safety_identifier", code: "string_above_max_length")
        }
    }

    /// An array of strings, each one of `supported`.
    private static func strings(_ value: JSONValue?, _ param: String, supported: [String]) throws(OpenAIError) -> [String] {
        guard let value else { return [] }
        guard case .array(let items) = value else { throw OpenAIError.invalidType(param, expected: "an array", got: value) }
        var out: [String] = []
        for (i, item) in items.enumerated() {
            guard case .string(let s) = item else { throw OpenAIError.invalidType("\(param)[\(i)]", expected: "a string", got: item) }
            guard supported.contains(s) else { throw OpenAIError.invalidValue(s, param: "\(param)[\(i)]", supported: supported) }
            out.append(s)
        }
        return out
    }

    /// `audio`: `{voice: <name> | {id}, format}`.
    private static func audio(_ value: JSONValue) throws(OpenAIError) -> AudioOutput {
        guard case .object(let o) = value else { throw OpenAIError.invalidType("audio", expected: "an object", got: value) }
        let f = CompletionFields(o, path: "audio.")
        let voice: String
        switch f.value("voice") {
        case nil: throw OpenAIError.missingParameter("audio.voice")
        case .string(let name)?:
            guard voices.contains(name) else { throw OpenAIError.invalidValue(name, param: "audio.voice", supported: voices) }
            voice = name
        case .object(let custom)?:
            voice = try ChatMessage.requiredString(custom, "id", path: "audio.voice")
        case let other?:
            throw OpenAIError.invalidType("audio.voice", expected: "one of a string or object", got: other)
        }
        guard let name = try f.oneOf("format", AudioFormat.allCases.map(\.rawValue)), let format = AudioFormat(rawValue: name) else {
            throw OpenAIError.missingParameter("audio.format")
        }
        return AudioOutput(voice: voice, format: format)
    }

    /// `prediction`: `{type: "content", content: string | [text parts]}`.
    private static func prediction(_ value: JSONValue) throws(OpenAIError) -> String {
        guard case .object(let o) = value else { throw OpenAIError.invalidType("prediction", expected: "an object", got: value) }
        let f = CompletionFields(o, path: "prediction.")
        guard try f.oneOf("type", ["content"]) != nil else { throw OpenAIError.missingParameter("prediction.type") }
        switch f.value("content") {
        case nil: throw OpenAIError.missingParameter("prediction.content")
        case .string(let s)?: return s
        case .array(let parts)?:
            if parts.isEmpty { throw ChatToolParsing.emptyArray("prediction.content") }
            var texts: [String] = []
            for (i, part) in parts.enumerated() {
                let path = "prediction.content[\(i)]"
                guard case .object(let p) = part else { throw OpenAIError.invalidType(path, expected: "an object", got: part) }
                guard try CompletionFields(p, path: path + ".").oneOf("type", ["text"]) != nil else {
                    throw OpenAIError.missingParameter("\(path).type")
                }
                texts.append(try ChatMessage.requiredString(p, "text", path: path))
            }
            return texts.joined()
        case let other?:
            throw OpenAIError.invalidType("prediction.content", expected: "one of a string or array of objects", got: other)
        }
    }

    /// `web_search_options`: `{search_context_size?, user_location?: {type: "approximate", approximate: {…}}}`.
    private static func webSearchOptions(_ value: JSONValue) throws(OpenAIError) {
        guard case .object(let o) = value else { throw OpenAIError.invalidType("web_search_options", expected: "an object", got: value) }
        let f = CompletionFields(o, path: "web_search_options.")
        _ = try f.oneOf("search_context_size", ["low", "medium", "high"])
        guard let location = f.value("user_location") else { return }
        let path = "web_search_options.user_location"
        guard case .object(let l) = location else { throw OpenAIError.invalidType(path, expected: "an object", got: location) }
        let lf = CompletionFields(l, path: path + ".")
        guard try lf.oneOf("type", ["approximate"]) != nil else { throw OpenAIError.missingParameter("\(path).type") }
        guard let approximate = lf.value("approximate") else { throw OpenAIError.missingParameter("\(path).approximate") }
        guard case .object(let a) = approximate else {
            throw OpenAIError.invalidType("\(path).approximate", expected: "an object", got: approximate)
        }
        let af = CompletionFields(a, path: path + ".approximate.")
        for key in ["city", "country", "region", "timezone"] { _ = try af.string(key) }
    }

    /// `moderation`: `{model, policy?: {input?: {mode}, output?: {mode}}}`.
    private static func moderation(_ value: JSONValue) throws(OpenAIError) -> Moderation {
        guard case .object(let o) = value else { throw OpenAIError.invalidType("moderation", expected: "an object", got: value) }
        let model = try ChatMessage.requiredString(o, "model", path: "moderation")
        var block = (input: false, output: false)
        if let policy = o["policy"], policy != .null {
            guard case .object(let p) = policy else { throw OpenAIError.invalidType("moderation.policy", expected: "an object", got: policy) }
            for side in ["input", "output"] {
                guard let s = p[side], s != .null else { continue }
                let path = "moderation.policy.\(side)"
                guard case .object(let so) = s else { throw OpenAIError.invalidType(path, expected: "an object", got: s) }
                guard let mode = try CompletionFields(so, path: path + ".").oneOf("mode", ["score", "block"]) else {
                    throw OpenAIError.missingParameter("\(path).mode")
                }
                if side == "input" { block.input = mode == "block" } else { block.output = mode == "block" }
            }
        }
        return Moderation(model: model, blockInput: block.input, blockOutput: block.output)
    }
}

/// `audio.format` of an audio reply.
public enum AudioFormat: String, Sendable, CaseIterable {
    case wav, aac, mp3, flac, opus, pcm16
}
