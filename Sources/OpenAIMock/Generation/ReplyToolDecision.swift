/// Adapts a validated ``ChatRequest`` to the colleague-owned ``ToolCallPlanner``, which makes the
/// actual decision (mention matching, `tool_choice` rules, no repeat after a tool result) and
/// generates schema-valid arguments.
///
/// What this adapter adds: the legacy `functions` / `function_call` path (one call, no
/// parallelism), and free-text input for `custom` tools (which take no JSON).
///
/// Arguments count against the output budget `cap` (tokens) like any other output: when they do not fit,
/// the last call's arguments are cut where the budget ends, later calls are dropped, and the choice
/// finishes with `length`, as a real model's would.
enum ReplyToolDecision {
    static func toolCalls(_ request: ChatRequest, seed: UInt64, cap: Int) -> (calls: [ReplyPlan.ToolCall], truncated: Bool)? {
        guard !request.tools.isEmpty else { return nil }
        let calls = plan(request.tools, choice: request.toolChoice, parallel: request.parallelToolCalls,
                         request: request, seed: seed, cap: cap)
        guard !calls.isEmpty else { return nil }
        var out: [ReplyPlan.ToolCall] = []
        var remaining = cap
        for call in calls {
            let tool = request.tools.first { $0.name == call.name }
            let custom = tool?.isCustom ?? false
            let arguments = if let tool, custom {
                CustomToolInput.generate(for: tool, prompt: request.lastUserText, seed: seed,
                                         budgetScalars: ReplyGenerator.jsonBudget(remaining))
            } else {
                call.arguments.objectValue != nil ? call.argumentsJSON : "{}"
            }
            let fitted = fit(arguments, call.truncated, &remaining)
            out.append(ReplyPlan.ToolCall(id: call.id, name: call.name, arguments: fitted.text, isCustom: custom))
            if fitted.truncated { return (out, true) }
        }
        return (out, false)
    }

    /// The legacy `function_call` answer: name and JSON arguments of at most one function.
    static func functionCall(_ request: ChatRequest, seed: UInt64, cap: Int) -> (name: String, arguments: String, truncated: Bool)? {
        guard !request.functions.isEmpty else { return nil }
        guard let call = plan(request.functions, choice: request.functionCall, parallel: false,
                              request: request, seed: seed, cap: cap).first else { return nil }
        var remaining = cap
        let fitted = fit(call.arguments.objectValue != nil ? call.argumentsJSON : "{}", call.truncated, &remaining)
        return (call.name, fitted.text, fitted.truncated)
    }

    /// Arguments within the tokens left; `truncated` when cut (or when generation already ran out).
    private static func fit(_ arguments: String, _ generationTruncated: Bool, _ remaining: inout Int)
        -> (text: String, truncated: Bool) {
        let limited = OutputLimiter.apply(text: arguments, maxTokens: max(remaining, 0))
        remaining -= limited.completionTokens
        return (limited.text, generationTruncated || limited.finishReason == .length)
    }

    private static func plan(_ tools: [ChatTool], choice: ChatToolChoice, parallel: Bool, request: ChatRequest,
                             seed: UInt64, cap: Int) -> [ToolCallPlanner.Call] {
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
            lastMessageIsToolResult: last == .tool || last == .function, seed: seed,
            outputBudget: ReplyGenerator.jsonBudget(cap))
    }
}
