/// Validates one line of a fine-tuning file and turns it into examples (wording: api-contract §8.9).
struct LineParser {
    let object: JSONObject
    /// 1-based example number, used in every error.
    let example: Int

    static let chatLineKeys: Set<String> = ["messages", "tools", "parallel_tool_calls", "functions", "response_format"]
    static let messageKeys: Set<String> = ["role", "content", "name", "function_call", "tool_calls", "tool_call_id", "weight"]
    static let roles = "'system', 'developer', 'user', 'assistant', 'tool', 'function'"
    /// Both spellings of the DPO answers (the API's `*_output`, the contract's `*_completion`).
    static let preferenceKeys: [(preferred: String, rejected: String)] = [
        ("preferred_output", "non_preferred_output"), ("preferred_completion", "non_preferred_completion"),
    ]

    /// One validated message.
    struct Message {
        var turn: LearningTurn
        var weight: Int
        var calls: [LearnedToolCall]
        var name: String?
    }

    func parse(_ format: TrainingData.Format) throws(TrainingFileError) -> (examples: [TrainingExample], tokens: Int) {
        switch format {
        case .chat: return try chat()
        case .promptCompletion: return try promptCompletion()
        case .preference: return try preference()
        case .reinforcement: return try reinforcement()
        }
    }

    private func chat() throws(TrainingFileError) -> (examples: [TrainingExample], tokens: Int) {
        let messages = try parseMessages(object["messages"], key: "messages")
        guard messages.contains(where: { $0.turn.role == .assistant }) else {
            throw TrainingFileError.noAssistantMessage(example: example)
        }
        var examples: [TrainingExample] = []
        for (i, m) in messages.enumerated() where m.turn.role == .assistant && m.weight != 0 {
            examples.append(TrainingExample(prompt: .chat(messages[..<i].map(\.turn)), completion: m.turn.text,
                                            toolCalls: m.calls, line: example))
        }
        return (examples, chatTokens(messages) + toolTokens())
    }

    private func promptCompletion() throws(TrainingFileError) -> (examples: [TrainingExample], tokens: Int) {
        let prompt = try string("prompt")
        let completion = try string("completion")
        return ([TrainingExample(prompt: prompt, completion: completion, line: example)],
                TokenCounter.count(prompt) + TokenCounter.count(completion))
    }

    private func preference() throws(TrainingFileError) -> (examples: [TrainingExample], tokens: Int) {
        guard case .object(let input)? = object["input"] else {
            throw TrainingFileError.inKey("input", "Input should be a valid dictionary", example: example)
        }
        let messages = try parseMessages(input["messages"], key: "messages")
        let keys = Self.preferenceKeys.first { object[$0.preferred] != nil } ?? Self.preferenceKeys[0]
        let preferred = try answer(keys.preferred)
        let rejected = try answer(keys.rejected)
        let ex = TrainingExample(prompt: .chat(messages.map(\.turn)), completion: preferred.turn.text,
                                 toolCalls: preferred.calls, rejected: rejected.turn.text, line: example)
        return ([ex], chatTokens(messages) + TokenCounter.count(preferred.turn.text) + TokenCounter.count(rejected.turn.text))
    }

    private func reinforcement() throws(TrainingFileError) -> (examples: [TrainingExample], tokens: Int) {
        let messages = try parseMessages(object["messages"], key: "messages")
        let references = object.filter { !Self.chatLineKeys.contains($0.key) }
        let reference = references.lazy.compactMap { $0.value.stringValue }.first
            ?? JSONValue.object(JSONObject(references.map { ($0.key, $0.value) })).jsonString
        let ex = TrainingExample(prompt: .chat(messages.map(\.turn)), completion: reference, line: example)
        return ([ex], chatTokens(messages) + toolTokens())
    }

    /// A DPO answer: a list holding one assistant message.
    private func answer(_ key: String) throws(TrainingFileError) -> Message {
        let messages = try parseMessages(object[key], key: key)
        guard let first = messages.first, first.turn.role == .assistant else {
            throw TrainingFileError.inKey(key, "Input should be a list with one assistant message", example: example)
        }
        return first
    }

    private func string(_ key: String) throws(TrainingFileError) -> String {
        guard let value = object[key] else { throw TrainingFileError.inKey(key, "Field required", example: example) }
        guard case .string(let s) = value else {
            throw TrainingFileError.inKey(key, "Input should be a valid string", example: example)
        }
        try checkTokens(s)
        return s
    }

    private func parseMessages(_ value: JSONValue?, key: String) throws(TrainingFileError) -> [Message] {
        guard let value else { throw TrainingFileError.inKey(key, "Field required", example: example) }
        guard case .array(let items) = value, !items.isEmpty else {
            throw TrainingFileError.inKey(key, "Input should be a non-empty list", example: example)
        }
        var messages: [Message] = []
        for (i, item) in items.enumerated() { messages.append(try parseMessage(item, number: i + 1)) }
        return messages
    }

    private func parseMessage(_ value: JSONValue, number: Int) throws(TrainingFileError) -> Message {
        guard case .object(let o) = value else {
            throw TrainingFileError.inMessage("Input should be a valid dictionary", example: example, message: number)
        }
        guard let roleValue = o["role"] else {
            throw TrainingFileError.inMessage("Discriminator 'role' is missing in value", example: example, message: number)
        }
        guard let name = roleValue.stringValue, let role = ChatMessage.Role(rawValue: name) else {
            throw TrainingFileError.inMessage(
                "Input tag '\(roleValue.stringValue ?? roleValue.jsonString)' found using 'role' does not match any of the expected tags: \(Self.roles)",
                example: example, message: number)
        }
        if let extra = o.keys.first(where: { !Self.messageKeys.contains($0) }) {
            throw TrainingFileError.inKey(extra, "Extra inputs are not permitted", example: example, message: number)
        }
        var message = Message(turn: LearningTurn(role, ""), weight: 1, calls: [], name: o["name"]?.stringValue)
        if let w = o["weight"] {
            guard role == .assistant, let weight = w.intValue, weight == 0 || weight == 1 else {
                throw TrainingFileError.inKey("weight", "Input should be 0 or 1", example: example, message: number)
            }
            message.weight = weight
        }
        if role == .assistant { message.calls = try toolCalls(o, number: number) }
        switch o["content"] ?? .null {
        case .string(let s):
            message.turn.text = s
        case .array(let parts):
            message.turn.text = parts.compactMap { $0["type"]?.stringValue == "text" ? $0["text"]?.stringValue : nil }
                .joined(separator: "\n")
        case .null where role == .function || (role == .assistant && !message.calls.isEmpty):
            break
        case .null where o["content"] == nil:
            throw TrainingFileError.inKey("content", "Field required", example: example, message: number)
        default:
            throw TrainingFileError.inKey("content", "Input should be a valid string", example: example, message: number)
        }
        try checkTokens(message.turn.text)
        if message.turn.text.isEmpty && !message.calls.isEmpty { message.turn.text = LearnedToolCall.text(of: message.calls) }
        return message
    }

    /// An assistant message's `tool_calls` and legacy `function_call`.
    private func toolCalls(_ o: JSONObject, number: Int) throws(TrainingFileError) -> [LearnedToolCall] {
        var functions: [JSONValue] = []
        if let calls = o["tool_calls"], calls != .null {
            guard case .array(let items) = calls else {
                throw TrainingFileError.inKey("tool_calls", "Input should be a valid list", example: example, message: number)
            }
            functions = items.map { $0["function"] ?? .null }
        }
        if let call = o["function_call"], call != .null { functions.append(call) }
        var out: [LearnedToolCall] = []
        for f in functions {
            guard let name = f["name"]?.stringValue, let arguments = f["arguments"]?.stringValue else {
                throw TrainingFileError.inKey(o["function_call"] != nil ? "function_call" : "tool_calls",
                                              "Input should have a function name and arguments", example: example, message: number)
            }
            try checkTokens(arguments)
            out.append(LearnedToolCall(name: name, arguments: arguments))
        }
        return out
    }

    /// Special tokens (`<|endoftext|>`, `<|fim_suffix|>`, …) may not appear in training text.
    private func checkTokens(_ text: String) throws(TrainingFileError) {
        if let token = Self.specialToken(in: text) { throw TrainingFileError.invalidToken(token, example: example) }
    }

    static func specialToken(in text: String) -> String? {
        let b = Array(text.utf8)
        var i = 0
        while i + 4 < b.count {
            if b[i] == UInt8(ascii: "<") && b[i + 1] == UInt8(ascii: "|") {
                var j = i + 2
                while j < b.count && j - i < 40 && (b[j] == UInt8(ascii: "_") || (b[j] | 0x20) >= 0x61 && (b[j] | 0x20) <= 0x7A
                    || (b[j] >= 0x30 && b[j] <= 0x39)) { j += 1 }
                if j > i + 2 && j + 1 < b.count && b[j] == UInt8(ascii: "|") && b[j + 1] == UInt8(ascii: ">") {
                    return String(decoding: b[i...(j + 1)], as: UTF8.self)
                }
            }
            i += 1
        }
        return nil
    }

    private func chatTokens(_ messages: [Message]) -> Int {
        TokenCounter.countChat(messages.map { ($0.turn.role.rawValue, $0.turn.text, $0.name) })
    }

    /// `tools` and `functions` definitions are billed as their JSON.
    private func toolTokens() -> Int {
        ["tools", "functions"].reduce(0) { sum, key in sum + (object[key].map { TokenCounter.count($0.jsonString) } ?? 0) }
    }
}
