/// What the engine knows about a model: its `/v1/models` entry plus how it may be used.
public struct ModelInfo: Sendable, Equatable {
    /// Which endpoint serves the model. Kinds whose endpoint the mock does not serve yet (images,
    /// audio, realtime, video, the Responses API) are listed by `/v1/models` and refused by the others.
    public enum Kind: String, Sendable, CaseIterable {
        case chat, completion, embedding, moderation
        /// Served only by `/v1/responses` (`o1-pro`, `gpt-5-pro`, codex models, …).
        case responses
        case image, speech, transcription, realtime, video
    }

    public var id: String
    public var created: Int
    public var ownedBy: String
    public var kind: Kind
    /// Prompt + completion tokens the model accepts (0: not a token model, e.g. `dall-e-3`).
    public var contextWindow: Int
    /// Largest completion the model produces (nil: up to the context window).
    public var maxOutputTokens: Int?
    /// Reasoning models spend hidden reasoning tokens and reject `max_tokens` and sampling parameters.
    public var reasoning: Bool = false
    /// The `reasoning_effort` values the model takes (empty: it rejects the parameter) and the one
    /// it uses when none is sent.
    public var reasoningEfforts: [ReasoningEffort] = []
    public var defaultEffort: ReasoningEffort?
    /// What else the model does beyond text in and text out.
    public var features: ModelFeatures = []
    /// The model a dated snapshot belongs to (`gpt-4o` for `gpt-4o-2024-08-06`); its own id otherwise.
    public var family: String
    /// `YYYY-MM-DD` when the shutdown is announced.
    public var shutdownDate: String?
    /// Base models cannot be deleted; fine-tuned and scenario-declared ones can.
    public var deletable: Bool = false
    /// A fine-tuned model (or checkpoint) answers from what its training taught it.
    package var learned: LearnedSource?

    public init(id: String, created: Int, ownedBy: String, kind: Kind, contextWindow: Int,
                maxOutputTokens: Int? = nil, reasoning: Bool = false, deletable: Bool = false) {
        self.id = id
        self.created = created
        self.ownedBy = ownedBy
        self.kind = kind
        self.contextWindow = contextWindow
        self.maxOutputTokens = maxOutputTokens
        self.reasoning = reasoning
        self.deletable = deletable
        self.family = id
    }

    /// The `model` object, in the real API's field order.
    public var json: JSONValue {
        .object(JSONObject([
            ("id", .string(id)), ("object", "model"), ("created", .int(created)), ("owned_by", .string(ownedBy)),
            ("shutdown_date", shutdownDate.map(JSONValue.string) ?? .null),
        ]))
    }

    /// The same model under another name (a fine-tune or a scenario's model built on it): its kind,
    /// limits and features, none of its catalogue identity.
    func derived(id: String, created: Int, ownedBy: String, deletable: Bool) -> ModelInfo {
        var info = self
        info.id = id
        info.family = id
        info.created = created
        info.ownedBy = ownedBy
        info.deletable = deletable
        info.shutdownDate = nil
        info.learned = nil
        return info
    }
}

/// `reasoning_effort`, from least to most.
public enum ReasoningEffort: String, Sendable, CaseIterable {
    case noReasoning = "none", minimal, low, medium, high, xhigh, max

    /// How many times `minimal`'s reasoning budget the effort spends (`medium`: 4).
    var budgetScale: Int {
        switch self {
        case .noReasoning: 0
        case .minimal: 1
        case .low: 2
        case .medium: 4
        case .high: 8
        case .xhigh: 12
        case .max: 16
        }
    }
}

/// Capabilities beyond text that the chat endpoint checks and honours.
public struct ModelFeatures: OptionSet, Sendable, Equatable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Answers with audio when `modalities` asks for it.
    public static let audioOutput = ModelFeatures(rawValue: 1 << 0)
    /// Needs audio in the input or the output (the `*-audio-preview` and `gpt-audio` models).
    public static let audioOnly = ModelFeatures(rawValue: 1 << 1)
    /// Searches the web: takes `web_search_options` and cites its sources.
    public static let webSearch = ModelFeatures(rawValue: 1 << 2)
    /// Takes a `prediction` (Predicted Outputs).
    public static let predictedOutputs = ModelFeatures(rawValue: 1 << 3)
    /// Takes `verbosity` other than `medium`.
    public static let verbosity = ModelFeatures(rawValue: 1 << 4)
}
