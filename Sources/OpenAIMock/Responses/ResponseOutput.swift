/// A response's `output` items, made from the generator's (or a scenario's) plan: a `reasoning` item for
/// a reasoning model, a hosted tool call (web search, file search, code interpreter) when the model uses
/// one, then the assistant `message`, or its `function_call` / `custom_tool_call` items.
struct ResponseOutput {
    var items: [JSONValue]
    /// `completed`, or `incomplete` with the reason (`max_output_tokens`, `content_filter`).
    var incompleteReason: String?

    var status: String { incompleteReason == nil ? "completed" : "incomplete" }

    /// `idSeed` roots the item ids; `prompt` is what a hosted tool searches for.
    init(_ choice: ReplyPlan.Choice, request: ResponsesRequest, reasoningTokens: Int, prompt: String, idSeed: UInt64,
         logprobSeed: UInt64) {
        var items: [JSONValue] = []
        func id(_ type: String) -> String { ResponseItems.itemID(type, seed: idSeed, index: items.count) }
        switch choice.finishReason {
        case "length": incompleteReason = "max_output_tokens"
        case "content_filter": incompleteReason = "content_filter"
        default: incompleteReason = nil
        }
        let itemStatus: JSONValue = incompleteReason == nil ? "completed" : "incomplete"

        if reasoningTokens > 0 {
            var o = JSONObject([("id", .string(id("reasoning"))), ("type", "reasoning")])
            var summary: [JSONValue] = []
            if request.reasoningSummary != nil {
                let text = TextGenerator(lengthRange: 24...48).generate(prompt: prompt, seed: idSeed ^ 0x5EA5_0000).text
                summary.append(.object(JSONObject([("type", "summary_text"), ("text", .string("**Considering the request**\n\n" + text))])))
            }
            o.append("summary", .array(summary))
            if request.include.contains("reasoning.encrypted_content") {
                o.append("encrypted_content", .string("gAAAAA" + StableHash.idSuffix(idSeed ^ 0xE4C7, length: 160)))
            }
            items.append(.object(o))
        }

        if case .text = choice.output, let hosted = request.calledHostedTool {
            items.append(Self.hostedCall(hosted, id: id(hosted.rawValue), request: request, prompt: prompt, seed: idSeed))
        }

        func message(_ part: JSONValue) {
            items.append(.object(JSONObject([
                ("id", .string(id("message"))), ("type", "message"), ("status", itemStatus), ("content", .array([part])),
                ("role", "assistant"),
            ])))
        }
        func outputText(_ text: String, annotations: [JSONValue]) -> JSONValue {
            var logprobs: [JSONValue] = []
            if let top = request.topLogprobs, request.include.contains("message.output_text.logprobs") {
                logprobs = LogprobSynthesizer.synthesize(TokenCounter.tokenize(text), topLogprobs: top, seed: logprobSeed)
                    .map(ChatResponse.entryJSON)
            }
            return .object(JSONObject([("type", "output_text"), ("annotations", .array(annotations)), ("logprobs", .array(logprobs)),
                                       ("text", .string(text))]))
        }
        switch choice.output {
        case .text(let text):
            let annotations = WebCitations.annotations(choice.citations, in: text).compactMap { a -> JSONValue? in
                guard case .object(let inner)? = a["url_citation"] else { return nil }
                return .object(JSONObject([("type", "url_citation")] + inner.map { ($0.key, $0.value) }))
            }
            message(outputText(text, annotations: annotations))
        case .refusal(let text):
            message(.object(JSONObject([("type", "refusal"), ("refusal", .string(text))])))
        case .toolCalls(let calls, let content):
            if let content, !content.isEmpty { message(outputText(content, annotations: [])) }
            for call in calls {
                if call.isCustom {
                    items.append(.object(JSONObject([
                        ("id", .string(id("custom_tool_call"))), ("type", "custom_tool_call"), ("status", itemStatus),
                        ("call_id", .string(call.id)), ("input", .string(call.arguments)), ("name", .string(call.name)),
                    ])))
                } else {
                    items.append(.object(JSONObject([
                        ("id", .string(id("function_call"))), ("type", "function_call"), ("status", itemStatus),
                        ("arguments", .string(call.arguments)), ("call_id", .string(call.id)), ("name", .string(call.name)),
                    ])))
                }
            }
        case .functionCall(let name, let arguments):
            items.append(.object(JSONObject([
                ("id", .string(id("function_call"))), ("type", "function_call"), ("status", itemStatus),
                ("arguments", .string(arguments)), ("call_id", .string("call_" + StableHash.idSuffix(idSeed, length: 24))),
                ("name", .string(name)),
            ])))
        }
        self.items = items
    }

    /// A hosted tool's call item: deterministic, plausible, and shaped as the SDK's types say.
    static func hostedCall(_ tool: ResponsesRequest.HostedTool, id: String, request: ResponsesRequest, prompt: String,
                           seed: UInt64) -> JSONValue {
        let query = String(prompt.prefix(200))
        switch tool {
        case .webSearch:
            var action = JSONObject([("type", "search"), ("query", .string(query))])
            if request.include.contains("web_search_call.action.sources") {
                let cited = WebCitations.cite(query, prompt: prompt).citations
                action.append("sources", .array(cited.map { .object(JSONObject([("type", "url"), ("url", .string($0.url))])) }))
            }
            return .object(JSONObject([("id", .string(id)), ("type", "web_search_call"), ("status", "completed"),
                                       ("action", .object(action))]))
        case .fileSearch:
            var results: JSONValue = .null
            if request.include.contains("file_search_call.results") {
                let text = TextGenerator(lengthRange: 20...40).generate(prompt: prompt, seed: seed).text
                results = .array([.object(JSONObject([
                    ("attributes", .object(JSONObject())), ("file_id", .string("file-" + StableHash.idSuffix(seed, length: 22))),
                    ("filename", "knowledge.txt"), ("score", .double(0.87)), ("text", .string(text)),
                ]))])
            }
            return .object(JSONObject([("id", .string(id)), ("type", "file_search_call"), ("status", "completed"),
                                       ("queries", .array([.string(query)])), ("results", results)]))
        case .codeInterpreter:
            let code = "# \(query.split(separator: "\n").first.map(String.init) ?? "")\nresult = sum(range(1, 11))\nprint(result)"
            let outputs: JSONValue = request.include.contains("code_interpreter_call.outputs")
                ? .array([.object(JSONObject([("type", "logs"), ("logs", "55\n")]))]) : .null
            return .object(JSONObject([("id", .string(id)), ("type", "code_interpreter_call"), ("status", "completed"),
                                       ("code", .string(code)), ("container_id", .string("cntr_" + StableHash.idSuffix(seed, length: 48, mixedCase: false))),
                                       ("outputs", outputs)]))
        }
    }
}
