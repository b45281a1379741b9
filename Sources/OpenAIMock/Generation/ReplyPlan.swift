/// What a completion-style endpoint will answer, decided before anything is rendered.
///
/// The plan sits between *deciding* a reply and *writing* it: the default generator
/// (``ReplyGenerator``) fills one from the request, a scenario rule may replace any part of it
/// (the text of a choice, its tool calls, the finish reason, the usage, the pacing, a broken
/// stream), and one renderer per endpoint family turns it into a JSON body or SSE chunks. So
/// chat and legacy completions, streamed or not, scripted or generated, share one path and
/// cannot drift apart.
public struct ReplyPlan: Sendable, Equatable {
    /// One entry per returned choice, in `index` order.
    public var choices: [Choice]
    /// Replaces computed usage numbers field by field (nil fields keep the computed value).
    public var usage: UsageOverride
    /// Timing of a streamed reply (ignored for non-streaming requests).
    public var pacing: StreamPacing
    /// A deliberately broken stream (nil: a well-formed stream).
    public var breakage: StreamBreakage?

    public init(choices: [Choice], usage: UsageOverride = UsageOverride(), pacing: StreamPacing = StreamPacing(),
                breakage: StreamBreakage? = nil) {
        self.choices = choices
        self.usage = usage
        self.pacing = pacing
        self.breakage = breakage
    }

    /// One choice: what the assistant says and why it stopped.
    public struct Choice: Sendable, Equatable {
        public var output: Output
        /// `stop`, `length`, `tool_calls`, `function_call`, `content_filter`.
        public var finishReason: String
        /// Tokens billed for this choice; nil counts the output's text. The generator sets it when
        /// a stop sequence was generated (billed, but cut from the text).
        public var completionTokens: Int?
        /// Pages a search model cites in its text (annotated where their links appear in it).
        public var citations: [WebCitations.Citation] = []

        public init(_ output: Output, finishReason: String? = nil, completionTokens: Int? = nil) {
            self.output = output
            self.finishReason = finishReason ?? output.naturalFinishReason
            self.completionTokens = completionTokens
        }

        /// Plain assistant text (legacy completions always use this).
        public static func text(_ text: String, finishReason: String = "stop") -> Choice {
            Choice(.text(text), finishReason: finishReason)
        }
    }

    public enum Output: Sendable, Equatable {
        /// Assistant content (chat) or completion text (legacy).
        case text(String)
        /// `message.refusal` with null content.
        case refusal(String)
        /// `message.tool_calls` with null content (optionally with some content before them).
        case toolCalls([ToolCall], content: String? = nil)
        /// The deprecated `message.function_call`.
        case functionCall(name: String, arguments: String)

        /// The finish reason a choice gets unless told otherwise.
        public var naturalFinishReason: String {
            switch self {
            case .text, .refusal: return "stop"
            case .toolCalls: return "tool_calls"
            case .functionCall: return "function_call"
            }
        }

        /// All generated text of the choice, as counted in `completion_tokens`.
        public var generatedText: String {
            switch self {
            case .text(let t), .refusal(let t): return t
            case .toolCalls(let calls, let content):
                // Each call costs its name, arguments and a few framing tokens (see ReplyUsage).
                return (content ?? "") + calls.map { $0.name + $0.arguments }.joined()
            case .functionCall(let name, let arguments): return name + arguments
            }
        }
    }

    /// A tool call; `arguments` is the JSON text exactly as sent (a custom tool's free-text
    /// `input` when `isCustom`).
    public struct ToolCall: Sendable, Equatable {
        public var id: String
        public var name: String
        public var arguments: String
        public var isCustom: Bool

        public init(id: String, name: String, arguments: String, isCustom: Bool = false) {
            self.id = id
            self.name = name
            self.arguments = arguments
            self.isCustom = isCustom
        }
    }

    /// Usage numbers a scenario pins; anything left nil is computed from the request and reply.
    public struct UsageOverride: Sendable, Equatable {
        public var promptTokens: Int?
        public var completionTokens: Int?
        public var cachedTokens: Int?
        public var reasoningTokens: Int?

        public init(promptTokens: Int? = nil, completionTokens: Int? = nil, cachedTokens: Int? = nil,
                    reasoningTokens: Int? = nil) {
            self.promptTokens = promptTokens
            self.completionTokens = completionTokens
            self.cachedTokens = cachedTokens
            self.reasoningTokens = reasoningTokens
        }
    }

    /// How a stream is paced. The default sends everything as fast as the client reads.
    public struct StreamPacing: Sendable, Equatable {
        /// Delay before the first chunk.
        public var timeToFirstToken: Duration
        /// Delay between content chunks.
        public var interTokenDelay: Duration
        /// Tokens per content chunk (≥ 1).
        public var tokensPerChunk: Int

        public init(timeToFirstToken: Duration = .zero, interTokenDelay: Duration = .zero, tokensPerChunk: Int = 1) {
            self.timeToFirstToken = timeToFirstToken
            self.interTokenDelay = interTokenDelay
            self.tokensPerChunk = max(1, tokensPerChunk)
        }

        public var isUnpaced: Bool { timeToFirstToken == .zero && interTokenDelay == .zero }
    }

    /// Ways a stream can go wrong on purpose. `afterChunks` counts `data:` events already sent.
    public enum StreamBreakage: Sendable, Equatable {
        /// Stop sending after N chunks and end the body properly; `sendDone` adds `data: [DONE]`.
        case cut(afterChunks: Int, sendDone: Bool)
        /// After N chunks send `data: {"error":{…}}` and end the body.
        case error(afterChunks: Int, OpenAIError)
        /// After N chunks close the connection without ending the body.
        case dropConnection(afterChunks: Int)

        public var afterChunks: Int {
            switch self {
            case .cut(let n, _), .error(let n, _), .dropConnection(let n): return n
            }
        }
    }
}
