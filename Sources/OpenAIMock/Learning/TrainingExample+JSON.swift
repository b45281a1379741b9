/// Compact persistence of examples: `{"p":"…"}` or `{"m":[["user","…"],…]}`, then `"c"` completion,
/// optional `"t"` tool calls `[[name, arguments]]`, `"r"` rejected answer and `"l"` line number.
extension TrainingExample {
    package var jsonValue: JSONValue {
        var o = JSONObject()
        switch prompt {
        case .text(let text): o.append("p", .string(text))
        case .chat(let turns): o.append("m", .array(turns.map { .array([.string($0.role.rawValue), .string($0.text)]) }))
        }
        o.append("c", .string(completion))
        if !toolCalls.isEmpty { o.append("t", .array(toolCalls.map { .array([.string($0.name), .string($0.arguments)]) })) }
        if let rejected { o.append("r", .string(rejected)) }
        if line != 0 { o.append("l", .int(line)) }
        return .object(o)
    }

    /// Reads what `jsonValue` wrote; nil for anything else.
    package init?(json: JSONValue) {
        guard let completion = json["c"]?.stringValue else { return nil }
        let prompt: LearningPrompt
        if let text = json["p"]?.stringValue {
            prompt = .text(text)
        } else if let items = json["m"]?.arrayValue {
            var turns: [LearningTurn] = []
            for item in items {
                guard let name = item[0]?.stringValue, let role = ChatMessage.Role(rawValue: name),
                      let text = item[1]?.stringValue else { return nil }
                turns.append(LearningTurn(role, text))
            }
            prompt = .chat(turns)
        } else {
            return nil
        }
        var calls: [LearnedToolCall] = []
        for item in json["t"]?.arrayValue ?? [] {
            guard let name = item[0]?.stringValue, let arguments = item[1]?.stringValue else { return nil }
            calls.append(LearnedToolCall(name: name, arguments: arguments))
        }
        self.init(prompt: prompt, completion: completion, toolCalls: calls, rejected: json["r"]?.stringValue,
                  line: json["l"]?.intValue ?? 0)
    }
}
