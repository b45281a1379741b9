/// What the engine knows about a model: its `/v1/models` entry plus how it may be used.
public struct ModelInfo: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case chat, completion, embedding, moderation
    }

    public var id: String
    public var created: Int
    public var ownedBy: String
    public var kind: Kind
    /// Prompt + completion tokens the model accepts.
    public var contextWindow: Int
    /// Largest completion the model produces (nil: up to the context window).
    public var maxOutputTokens: Int?
    /// o-series reasoning models reject `max_tokens` and count reasoning tokens.
    public var reasoning: Bool = false
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
    }

    /// The `model` object, in the real API's field order.
    public var json: JSONValue {
        .object(JSONObject([
            ("id", .string(id)), ("object", "model"), ("created", .int(created)), ("owned_by", .string(ownedBy)),
        ]))
    }
}
