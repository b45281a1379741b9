import MockHTTP

/// A loaded scenario rule: **when** a request meets every condition → **do** an action.
///
/// `steps` holds one action, or several returned in turn (a reply sequence): use *k* of the
/// rule answers with `steps[min(k, count-1)]`, so the last step repeats unless `times` stops it.
public struct ScenarioRule: Sendable {
    /// Where the rule's `{` is; `location.fileLine` is what the journal records.
    public var location: SourceLocation
    public var name: String?
    public var conditions: [RuleCondition]
    public var steps: [RuleAction]
    /// Use the rule this many times, then let later rules match (nil: forever).
    public var times: Int?
    /// Higher first; equal priorities keep load order.
    public var priority: Int
    /// Probability that the rule fires for a matching request (seeded roll); nil: always.
    public var chaos: Double?
    /// Position in load order, across all files.
    public var loadIndex: Int

    /// The label shown in strict-mode errors: `file:line` plus the name when there is one.
    public var label: String {
        name.map { "\(location.fileLine) (\"\($0)\")" } ?? location.fileLine
    }

    /// Whether any step is a fault, so `--chaos` applies to the rule.
    public var isFault: Bool { steps.contains { $0.isFault } }
}

/// One condition of a rule's `when`, with the key and position it was written at.
public struct RuleCondition: Sendable, Equatable {
    /// The key as written (`last_user_message`, `headers.x-team`, `body.response_format.type`).
    public var key: String
    public var test: Condition
    public var location: SourceLocation

    public enum Condition: Sendable, Equatable {
        /// Any of these endpoints.
        case endpoint([EndpointPattern])
        /// Any of these model globs.
        case model([Glob])
        case stream(Bool)
        case text(TextField, StringTest)
        case count(CountField, IntRange)
        case flag(FlagField, Bool)
        /// A tool (or legacy function) with a matching name is offered.
        case tool(StringTest)
        case header(String, StringTest)
        case body(BodyPath, ValueTest)
        /// The query string (after `?`, as sent; empty when there is none).
        case query(StringTest)
        /// The body's ``CanonicalBody`` form equals this one (`bytes`: its compact serialization).
        case canonicalBody(JSONValue, bytes: [UInt8])
    }

    public enum TextField: String, Sendable, Equatable {
        case lastUserMessage = "last_user_message"
        case anyMessage = "any_message"
        case systemPrompt = "system_prompt"
        case prompt
        case input
    }

    public enum CountField: String, Sendable, Equatable {
        case messageCount = "message_count"
        case turn
    }

    public enum FlagField: String, Sendable, Equatable {
        case hasTools = "has_tools"
        case hasToolResult = "has_tool_result"
    }
}

/// An endpoint in a `when`: a family name (`chat`, `responses`, `completions`, `embeddings`, `moderations`,
/// `models`, `files`, `fine_tuning`) or a path glob, optionally with a method (`GET /v1/models/*`).
public struct EndpointPattern: Sendable, Equatable {
    public var method: String?
    public var path: Glob

    public static let families: [String: String] = [
        "chat": "/v1/chat/completions",
        "responses": "/v1/responses",
        "completions": "/v1/completions",
        "embeddings": "/v1/embeddings",
        "moderations": "/v1/moderations",
        "models": "/v1/models*",
        "files": "/v1/files*",
        "uploads": "/v1/uploads*",
        "fine_tuning": "/v1/fine_tuning/*",
        "fine_tunes": "/v1/fine-tunes*",
    ]

    public func matches(method: String, path: String) -> Bool {
        (self.method == nil || self.method == method) && self.path.matches(path)
    }
}

/// One action (a step of a rule): a reply, a fault, or both a delay and either.
public struct RuleAction: Sendable {
    public var location: SourceLocation
    public var reply: ReplySpec
    public var fault: FaultSpec?
    public var dropConnection: Bool
    /// Wait this long before answering (faults and replies alike).
    public var delay: Duration?
    public var stream: StreamSpec?
    /// An upstream's response, replayed as it was (what `openai-mock record` writes).
    public var recorded: RecordedResponse?

    public var isFault: Bool {
        fault != nil || dropConnection || stream?.breakage != nil
    }
}

/// Reply content; every nil part falls back to the default generator.
public struct ReplySpec: Sendable {
    public var text: Template?
    public var refusal: Template?
    public var toolCalls: [ToolCallSpec]?
    /// JSON content: strings inside are templates; sent as compact JSON text.
    public var json: JSONValue?
    public var finishReason: String?
    public var usage: ReplyPlan.UsageOverride?
    public var embedding: [Float]?
    public var embedLike: Template?
    public var moderation: ModerationOverride?

    public var isEmpty: Bool {
        text == nil && refusal == nil && toolCalls == nil && json == nil && finishReason == nil && usage == nil
            && embedding == nil && embedLike == nil && moderation == nil
    }
}

public struct ToolCallSpec: Sendable {
    public var name: String
    /// An object (strings inside are templates) or a ready JSON string.
    public var arguments: JSONValue
    public var id: String?
}

/// A scripted error response: status, OpenAI error body and headers.
public struct FaultSpec: Sendable {
    public var status: Int
    public var message: Template?
    public var type: String?
    /// `.some(nil)` when the file says `code: null`; nil when it says nothing (default by status).
    public var code: String??
    public var param: String?
    public var headers: [(String, String)]
}

/// Stream pacing and breakage; nil fields keep the generator's defaults.
public struct StreamSpec: Sendable {
    public var timeToFirstToken: Duration?
    public var interTokenDelay: Duration?
    public var tokensPerChunk: Int?
    public var breakage: ReplyPlan.StreamBreakage?
}

/// A model a scenario file declares for `/v1/models` (e.g. a fine-tune its rules answer as).
public struct ScenarioModel: Sendable, Equatable {
    public var info: ModelInfo
    public var location: SourceLocation
}
