/// A validated `POST /v1/responses` body (also `POST /v1/responses/input_tokens`), and its
/// translation into the chat request the default generator answers.
///
/// The Responses API is a different shape over the same model: `input` items become chat messages
/// (``ResponseItems``), `instructions` a leading system message, function and custom tools chat
/// tools, `text.format` the `response_format`, `reasoning.effort` the `reasoning_effort`,
/// `max_output_tokens` the `max_completion_tokens`. So a prompt gets the same text from both
/// endpoints, and every chat check (tool schemas, strict structured output, reasoning restrictions,
/// the context window) applies, its errors renamed to the Responses parameters
/// (``renamed(_:)``). Hosted tools (web search, file search, code interpreter) are answered by
/// ``ResponseOutput`` around the generated message.
struct ResponsesRequest: Sendable {
    let body: JSONObject
    let model: String
    /// The input items as sent (a string input is one user message).
    let input: [JSONValue]
    /// Whether `input` was a plain string (its chat message then has string content, as chat's would).
    let inputIsText: Bool
    let instructions: String?
    /// `tools` as the response echoes them.
    let tools: [JSONValue]
    let hostedTools: [HostedTool]
    let toolChoice: JSONValue
    let parallelToolCalls: Bool
    /// `text.format` (default `{"type":"text"}`) and `text.verbosity`.
    let textFormat: JSONValue
    let verbosity: String?
    let reasoningEffort: String?
    let reasoningSummary: String?
    let maxOutputTokens: Int?
    let maxToolCalls: Int?
    let previousResponseID: String?
    let conversationID: String?
    let store: Bool
    let background: Bool
    let stream: Bool
    let includeObfuscation: Bool
    let include: [String]
    let metadata: JSONValue
    let truncation: String
    let temperature: Double?
    let topP: Double?
    let topLogprobs: Int?

    /// A built-in tool the API runs itself.
    enum HostedTool: String, Sendable {
        case webSearch = "web_search_call"
        case fileSearch = "file_search_call"
        case codeInterpreter = "code_interpreter_call"
    }

    static let toolTypes = ["function", "custom", "web_search", "web_search_2025_08_26", "web_search_preview",
                            "web_search_preview_2025_03_11", "file_search", "code_interpreter", "mcp", "image_generation",
                            "computer_use_preview", "local_shell", "shell", "apply_patch"]
    static let includable = ["file_search_call.results", "web_search_call.results", "web_search_call.action.sources",
                             "message.input_image.image_url", "computer_call_output.output.image_url",
                             "code_interpreter_call.outputs", "reasoning.encrypted_content", "message.output_text.logprobs"]

    init(_ body: JSONObject) throws(OpenAIError) {
        self.body = body
        let f = CompletionFields(body)
        model = try f.model()
        switch f.value("input") {
        case nil: input = []; inputIsText = false
        case .string(let s)?: input = [.object(JSONObject([("role", "user"), ("content", .string(s))]))]; inputIsText = true
        case .array(let items)?: input = items; inputIsText = false
        case let other?: throw OpenAIError.invalidType("input", expected: "a string or an array", got: other)
        }
        instructions = try f.string("instructions")
        previousResponseID = try f.string("previous_response_id")
        switch f.value("conversation") {
        case nil: conversationID = nil
        case .string(let s)?: conversationID = s
        case .object(let o)?:
            guard let id = o["id"]?.stringValue else { throw OpenAIError.missingParameter("conversation.id") }
            conversationID = id
        case let other?: throw OpenAIError.invalidType("conversation", expected: "a string or an object", got: other)
        }
        if previousResponseID != nil && conversationID != nil {
            throw OpenAIError.invalidRequest(
                "Mutually exclusive parameters: Ensure you are only providing one of: 'previous_response_id' or 'conversation'.",
                code: "mutually_exclusive_parameters")
        }
        if input.isEmpty && previousResponseID == nil && conversationID == nil && f.value("prompt") == nil {
            throw OpenAIError.missingParameter("input")
        }
        try f.validateSampling()
        temperature = f.value("temperature")?.doubleValue
        topP = f.value("top_p")?.doubleValue
        topLogprobs = try f.int("top_logprobs", in: 0...20)
        maxOutputTokens = try f.int("max_output_tokens", in: 16...Int.max)
        maxToolCalls = try f.int("max_tool_calls", in: 1...Int.max)
        store = try f.bool("store") ?? true
        background = try f.bool("background") ?? false
        stream = try f.bool("stream") ?? false
        if background && !store {
            throw OpenAIError.invalidRequest("Background mode requires 'store' to be true.", param: "background",
                                             code: "invalid_value")
        }
        let streamOptions = f.value("stream_options")
        if streamOptions != nil && !stream {
            throw OpenAIError.invalidRequest("Invalid value for 'stream_options': 'stream_options' is only allowed when 'stream' is true.",
                                             param: "stream_options", code: "invalid_value")
        }
        includeObfuscation = streamOptions?["include_obfuscation"]?.boolValue ?? true
        switch f.value("include") {
        case nil: include = []
        case .array(let items)?:
            include = try items.enumerated().map { i, v throws(OpenAIError) in
                guard let s = v.stringValue else { throw OpenAIError.invalidType("include[\(i)]", expected: "a string", got: v) }
                guard Self.includable.contains(s) else { throw OpenAIError.invalidValue(s, param: "include[\(i)]", supported: Self.includable) }
                return s
            }
        case let other?: throw OpenAIError.invalidType("include", expected: "an array", got: other)
        }
        metadata = try Metadata.validate(f.value("metadata"))
        truncation = try f.oneOf("truncation", ["auto", "disabled"]) ?? "disabled"

        let text = f.value("text")
        guard text == nil || text?.objectValue != nil else { throw OpenAIError.invalidType("text", expected: "an object", got: text!) }
        textFormat = text?["format"] ?? .object(JSONObject([("type", "text")]))
        verbosity = try CompletionFields(text?.objectValue ?? JSONObject(), path: "text.").oneOf("verbosity", ["low", "medium", "high"])
        let reasoning = f.value("reasoning")
        guard reasoning == nil || reasoning?.objectValue != nil else {
            throw OpenAIError.invalidType("reasoning", expected: "an object", got: reasoning!)
        }
        let r = CompletionFields(reasoning?.objectValue ?? JSONObject(), path: "reasoning.")
        reasoningEffort = try r.oneOf("effort", ReasoningEffort.allCases.map(\.rawValue))
        let summaries = ["auto", "concise", "detailed"]
        if let summary = try r.oneOf("summary", summaries) { reasoningSummary = summary }
        else { reasoningSummary = try r.oneOf("generate_summary", summaries) }

        var tools: [JSONValue] = []
        var hosted: [HostedTool] = []
        switch f.value("tools") {
        case nil: break
        case .array(let items)?:
            for (i, item) in items.enumerated() {
                let (echo, tool) = try Self.tool(item, index: i)
                tools.append(echo)
                if let tool, !hosted.contains(tool) { hosted.append(tool) }
            }
        case let other?: throw OpenAIError.invalidType("tools", expected: "an array", got: other)
        }
        self.tools = tools
        hostedTools = hosted
        toolChoice = f.value("tool_choice") ?? "auto"
        parallelToolCalls = try f.bool("parallel_tool_calls") ?? true
    }

    /// One `tools` entry: what the response echoes, and the hosted tool it names (nil: a function, a
    /// custom tool, or a hosted tool the mock never calls).
    static func tool(_ item: JSONValue, index i: Int) throws(OpenAIError) -> (JSONValue, HostedTool?) {
        guard case .object(var o) = item else { throw OpenAIError.invalidType("tools[\(i)]", expected: "an object", got: item) }
        guard let type = o["type"]?.stringValue else { throw OpenAIError.missingParameter("tools[\(i)].type") }
        guard toolTypes.contains(type) else { throw OpenAIError.invalidValue(type, param: "tools[\(i)].type", supported: toolTypes) }
        switch type {
        case "function":
            guard o["name"]?.stringValue != nil else { throw OpenAIError.missingParameter("tools[\(i)].name") }
            if o["strict"] == nil || o["strict"] == .null { o["strict"] = true }
            if o["description"] == nil { o["description"] = .null }
            if o["parameters"] == nil { o["parameters"] = .null }
            return (.object(o), nil)
        case "custom":
            guard o["name"]?.stringValue != nil else { throw OpenAIError.missingParameter("tools[\(i)].name") }
            return (.object(o), nil)
        case "file_search":
            guard o["vector_store_ids"]?.arrayValue != nil else { throw OpenAIError.missingParameter("tools[\(i)].vector_store_ids") }
            return (.object(o), .fileSearch)
        case "code_interpreter":
            guard o["container"] != nil else { throw OpenAIError.missingParameter("tools[\(i)].container") }
            return (.object(o), .codeInterpreter)
        case "mcp":
            // The mock reaches no network: the real API's answer when the server cannot be listed.
            let label = o["server_label"]?.stringValue ?? ""
            throw OpenAIError(status: 424,
                              message: "Error retrieving tool list from MCP server: '\(label)'. Http status code: 424 (Failed Dependency)",
                              param: "tools", code: "http_error")
        case let t where t.hasPrefix("web_search"):
            return (.object(o), .webSearch)
        default:
            return (.object(o), nil)
        }
    }

    /// Whether the request forces one hosted tool, or, with no function tools, leaves the choice to the
    /// model (which then uses its first hosted tool once before answering).
    var calledHostedTool: HostedTool? {
        guard let first = hostedTools.first else { return nil }
        if case .object(let o) = toolChoice, let type = o["type"]?.stringValue {
            if type.hasPrefix("web_search") { return hostedTools.contains(.webSearch) ? .webSearch : nil }
            if type == "file_search" { return hostedTools.contains(.fileSearch) ? .fileSearch : nil }
            if type == "code_interpreter" { return hostedTools.contains(.codeInterpreter) ? .codeInterpreter : nil }
            return nil
        }
        if toolChoice == "none" { return nil }
        let functions = tools.contains { $0["type"] == "function" || $0["type"] == "custom" }
        return functions && toolChoice != "required" ? nil : first
    }

    // MARK: translation

    /// The chat body that answers this request after `history` (chat messages of the previous
    /// response chain or the conversation).
    func chatBody(history: [JSONValue]) throws(OpenAIError) -> JSONObject {
        var messages: [JSONValue] = []
        if let instructions { messages.append(.object(JSONObject([("role", "system"), ("content", .string(instructions))]))) }
        messages += history
        messages += try ResponseItems.chatMessages(input, param: "input", context: history)
        if messages.isEmpty { throw OpenAIError.missingParameter("input") }

        var chat = JSONObject()
        chat.append("model", .string(model))
        chat.append("messages", .array(messages))
        var chatTools: [JSONValue] = []
        // The echo says `strict: true` for a function that did not say (the API's default), but only a
        // function that asked for strict mode has its schema held to it.
        let sent = body["tools"]?.arrayValue ?? []
        for (i, tool) in tools.enumerated() {
            switch tool["type"]?.stringValue {
            case "function":
                var fn = JSONObject()
                for key in ["name", "description", "parameters"] { if let v = tool[key], v != .null { fn.append(key, v) } }
                if sent[i]["strict"] == true, tool["parameters"] != nil, tool["parameters"] != .null { fn.append("strict", true) }
                chatTools.append(.object(JSONObject([("type", "function"), ("function", .object(fn))])))
            case "custom":
                var custom = JSONObject()
                for key in ["name", "description", "format"] { if let v = tool[key], v != .null { custom.append(key, v) } }
                chatTools.append(.object(JSONObject([("type", "custom"), ("custom", .object(custom))])))
            default: break
            }
        }
        if !chatTools.isEmpty {
            chat.append("tools", .array(chatTools))
            if let choice = chatToolChoice { chat.append("tool_choice", choice) }
            if body["parallel_tool_calls"] != nil && body["parallel_tool_calls"] != .null {
                chat.append("parallel_tool_calls", .bool(parallelToolCalls))
            }
        }
        switch textFormat["type"]?.stringValue {
        case "json_schema":
            var schema = JSONObject()
            for key in ["name", "description", "schema", "strict"] { if let v = textFormat[key], v != .null { schema.append(key, v) } }
            chat.append("response_format", .object(JSONObject([("type", "json_schema"), ("json_schema", .object(schema))])))
        case "json_object":
            chat.append("response_format", .object(JSONObject([("type", "json_object")])))
        case "text", nil: break
        case let other?:
            throw OpenAIError.invalidValue(other, param: "text.format.type", supported: ["text", "json_schema", "json_object"])
        }
        if let reasoningEffort { chat.append("reasoning_effort", .string(reasoningEffort)) }
        if let verbosity { chat.append("verbosity", .string(verbosity)) }
        if let maxOutputTokens { chat.append("max_completion_tokens", .int(maxOutputTokens)) }
        for key in ["temperature", "top_p", "seed"] { if let v = body[key], v != .null { chat.append(key, v) } }
        if let topLogprobs, include.contains("message.output_text.logprobs") {
            chat.append("logprobs", true)
            chat.append("top_logprobs", .int(topLogprobs))
        }
        return chat
    }

    /// `tool_choice` in chat's form (nil: hosted-only choices, which chat has no word for).
    private var chatToolChoice: JSONValue? {
        switch toolChoice {
        case .string(let s): return .string(s)
        case .object(let o):
            switch o["type"]?.stringValue {
            case "function": return .object(JSONObject([("type", "function"), ("function", .object(JSONObject([("name", o["name"] ?? .null)])))]))
            case "custom": return .object(JSONObject([("type", "custom"), ("custom", .object(JSONObject([("name", o["name"] ?? .null)])))]))
            case "allowed_tools": return o["mode"] ?? "auto"
            default: return nil
            }
        default: return nil
        }
    }

    /// A chat check's error in the Responses API's terms.
    static func renamed(_ error: OpenAIError) -> OpenAIError {
        var e = error
        let names = [("max_completion_tokens", "max_output_tokens"), ("response_format.json_schema", "text.format"),
                     ("response_format", "text.format"), ("reasoning_effort", "reasoning.effort"), ("verbosity", "text.verbosity"),
                     ("messages", "input")]
        for (chat, responses) in names {
            if let p = e.param, p == chat || p.hasPrefix(chat + ".") || p.hasPrefix(chat + "[") {
                e.param = responses + p.dropFirst(chat.count)
            }
            // Distinctive names are replaced wherever they appear; `messages` only where quoted as a parameter.
            e.message = chat.contains("_") ? e.message.replacing(chat, with: responses)
                                           : e.message.replacing("'\(chat)'", with: "'\(responses)'")
        }
        e.message = e.message.replacing("in the messages", with: "in the input")
            .replacing("in the completion", with: "in the output")
            .replacing("v1/chat/completions", with: "v1/responses")
        return e
    }
}
