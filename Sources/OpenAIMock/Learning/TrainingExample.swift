/// One turn of a chat prompt, reduced to what learning needs: who spoke and what they said.
package struct LearningTurn: Sendable, Equatable {
    package var role: ChatMessage.Role
    package var text: String

    package init(_ role: ChatMessage.Role, _ text: String) {
        self.role = role
        self.text = text
    }
}

/// What a model is asked: legacy completion text, or a chat conversation.
package enum LearningPrompt: Sendable, Equatable {
    case text(String)
    case chat([LearningTurn])

    /// A chat request's messages; an assistant turn that only called tools reads as its calls' text.
    package init(_ messages: [ChatMessage]) {
        self = .chat(messages.map { message in
            let calls = message.toolCalls.map { LearnedToolCall(name: $0.name, arguments: $0.arguments) }
                + (message.functionCall.map { [LearnedToolCall(name: $0.name, arguments: $0.arguments)] } ?? [])
            let text = message.text.isEmpty && !calls.isEmpty ? LearnedToolCall.text(of: calls) : message.text
            return LearningTurn(message.role, text)
        })
    }

    /// The text that says what is asked, for similarity: the whole completion prompt, or the last user turn
    /// of a conversation followed by any tool results after it.
    package var queryText: String {
        switch self {
        case .text(let text): return text
        case .chat(let turns):
            guard let last = turns.lastIndex(where: { $0.role == .user }) else {
                return turns.last { $0.role != .assistant }?.text ?? turns.last?.text ?? ""
            }
            let after = turns[(last + 1)...].filter { $0.role == .tool || $0.role == .function }
            return ([turns[last]] + after).map(\.text).joined(separator: "\n")
        }
    }
}

/// A function or tool call an assistant answered with.
package struct LearnedToolCall: Sendable, Equatable {
    package var name: String
    package var arguments: String

    package init(name: String, arguments: String) {
        self.name = name
        self.arguments = arguments
    }

    /// How calls read as text (for matching, the style model and the loss): their arguments, one per line.
    package static func text(of calls: [LearnedToolCall]) -> String {
        calls.map(\.arguments).joined(separator: "\n")
    }
}

/// One thing a model learns: a prompt and the answer to give it.
///
/// A chat line yields one example per trainable assistant message (its prompt is every message before it);
/// a prompt/completion line one; a preference (DPO) line one whose `completion` is the preferred answer and
/// `rejected` the non-preferred one. An assistant message that calls tools keeps the calls in `toolCalls`,
/// and its `completion` is its text content or, when it has none, `LearnedToolCall.text(of:)`.
package struct TrainingExample: Sendable, Equatable {
    package var prompt: LearningPrompt
    package var completion: String
    package var toolCalls: [LearnedToolCall]
    /// The non-preferred answer of a preference example.
    package var rejected: String?
    /// The 1-based number of the example (line) of the file it came from.
    package var line: Int

    package init(prompt: LearningPrompt, completion: String, toolCalls: [LearnedToolCall] = [],
                 rejected: String? = nil, line: Int = 0) {
        self.prompt = prompt
        self.completion = completion
        self.toolCalls = toolCalls
        self.rejected = rejected
        self.line = line
    }

    package init(prompt: String, completion: String, line: Int = 0) {
        self.init(prompt: .text(prompt), completion: completion, line: line)
    }

    /// Estimated cl100k tokens of the prompt (chat-counted for a conversation) plus the completion.
    package var tokens: Int {
        let promptTokens: Int
        switch prompt {
        case .text(let text): promptTokens = TokenCounter.count(text)
        case .chat(let turns): promptTokens = TokenCounter.countChat(turns.map { ($0.role.rawValue, $0.text, nil) })
        }
        return promptTokens + TokenCounter.count(completion)
    }
}
