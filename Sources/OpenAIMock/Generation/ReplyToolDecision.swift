/// Adapts a validated ``ChatRequest`` to the colleague-owned ``ToolCallPlanner``, which makes the
/// actual decision (mention matching, `tool_choice` rules, no repeat after a tool result) and
/// generates schema-valid arguments.
///
/// What this adapter adds: the legacy `functions` / `function_call` path (one call, no
/// parallelism), and free-text input for `custom` tools (which take no JSON).
enum ReplyToolDecision {
    static func toolCalls(_ request: ChatRequest, seed: UInt64) -> [ReplyPlan.ToolCall]? {
        guard !request.tools.isEmpty else { return nil }
        let calls = plan(request.tools, choice: request.toolChoice, parallel: request.parallelToolCalls,
                         request: request, seed: seed)
        guard !calls.isEmpty else { return nil }
        return calls.map { call in
            let custom = request.tools.first { $0.name == call.name }?.isCustom ?? false
            let arguments = custom
                ? TextGenerator(lengthRange: 5...15).generate(prompt: request.lastUserText, seed: seed).text
                : (call.arguments.objectValue != nil ? call.argumentsJSON : "{}")
            return ReplyPlan.ToolCall(id: call.id, name: call.name, arguments: arguments, isCustom: custom)
        }
    }

    /// The legacy `function_call` answer: name and JSON arguments of at most one function.
    static func functionCall(_ request: ChatRequest, seed: UInt64) -> (name: String, arguments: String)? {
        guard !request.functions.isEmpty else { return nil }
        guard let call = plan(request.functions, choice: request.functionCall, parallel: false,
                              request: request, seed: seed).first else { return nil }
        return (call.name, call.arguments.objectValue != nil ? call.argumentsJSON : "{}")
    }

    private static func plan(_ tools: [ChatTool], choice: ChatToolChoice, parallel: Bool, request: ChatRequest,
                             seed: UInt64) -> [ToolCallPlanner.Call] {
        let plannerChoice: ToolCallPlanner.Choice
        switch choice {
        case .none: return []
        case .auto: plannerChoice = .auto
        case .required: plannerChoice = .required
        case .named(let name): plannerChoice = .named(name)
        case .allowed(let names, let required): plannerChoice = .allowed(names: names, required: required)
        }
        let last = request.messages.last?.role
        return ToolCallPlanner.plan(
            tools: tools.map { ToolCallPlanner.Tool(name: $0.name, description: $0.description, parameters: $0.parameters,
                                                    strict: $0.strict) },
            choice: plannerChoice, parallel: parallel, lastUserMessage: request.lastUserText,
            lastMessageIsToolResult: last == .tool || last == .function, seed: seed)
    }
}
