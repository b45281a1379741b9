/// The `response` object: the request's settings echoed with the API's defaults, the output and usage,
/// in the real API's field order. A response in progress (the first stream events, a background
/// response not yet done, a cancelled one) is its final object with the status changed and the output,
/// usage and completion time cleared (``snapshot(_:status:)``).
enum ResponseObject {
    struct Fields {
        var id: String
        var createdAt: Int
        var completedAt: Int?
        var output: ResponseOutput
        var usage: ReplyUsage
        var conversationID: String?
    }

    static func json(_ request: ResponsesRequest, _ f: Fields) -> JSONValue {
        var o = JSONObject()
        o.append("id", .string(f.id))
        o.append("object", "response")
        o.append("created_at", .int(f.createdAt))
        o.append("status", .string(f.output.status))
        o.append("background", .bool(request.background))
        o.append("billing", .object(JSONObject([("payer", "developer")])))
        o.append("completed_at", f.completedAt.map(JSONValue.int) ?? .null)
        if let c = f.conversationID { o.append("conversation", .object(JSONObject([("id", .string(c))]))) }
        o.append("error", .null)
        o.append("incomplete_details", f.output.incompleteReason.map { .object(JSONObject([("reason", .string($0))])) } ?? .null)
        o.append("instructions", request.instructions.map(JSONValue.string) ?? .null)
        o.append("max_output_tokens", request.maxOutputTokens.map(JSONValue.int) ?? .null)
        o.append("max_tool_calls", request.maxToolCalls.map(JSONValue.int) ?? .null)
        o.append("model", .string(request.model))
        o.append("output", .array(f.output.items))
        o.append("parallel_tool_calls", .bool(request.parallelToolCalls))
        o.append("previous_response_id", request.previousResponseID.map(JSONValue.string) ?? .null)
        o.append("prompt_cache_key", request.body["prompt_cache_key"] ?? .null)
        o.append("prompt_cache_retention", request.body["prompt_cache_retention"] ?? .null)
        o.append("reasoning", .object(JSONObject([
            ("effort", request.reasoningEffort.map(JSONValue.string) ?? .null),
            ("summary", request.reasoningSummary.map(JSONValue.string) ?? .null),
        ])))
        o.append("safety_identifier", request.body["safety_identifier"] ?? .null)
        o.append("service_tier", "default")
        o.append("store", .bool(request.store))
        o.append("temperature", .double(request.temperature ?? 1))
        o.append("text", .object(JSONObject([("format", request.textFormat), ("verbosity", .string(request.verbosity ?? "medium"))])))
        o.append("tool_choice", request.toolChoice)
        o.append("tools", .array(request.tools))
        o.append("top_logprobs", .int(request.topLogprobs ?? 0))
        o.append("top_p", .double(request.topP ?? 1))
        o.append("truncation", .string(request.truncation))
        o.append("usage", usageJSON(f.usage))
        o.append("user", request.body["user"] ?? .null)
        o.append("metadata", request.metadata == .null ? .object(JSONObject()) : request.metadata)
        return .object(o)
    }

    static func usageJSON(_ u: ReplyUsage) -> JSONValue {
        .object(JSONObject([
            ("input_tokens", .int(u.promptTokens)),
            ("input_tokens_details", .object(JSONObject([("cache_write_tokens", 0), ("cached_tokens", .int(u.cachedTokens))]))),
            ("output_tokens", .int(u.completionTokens)),
            ("output_tokens_details", .object(JSONObject([("reasoning_tokens", .int(u.reasoningTokens))]))),
            ("total_tokens", .int(u.totalTokens)),
        ]))
    }

    /// The final object as it looks while `status` (`queued`, `in_progress`, `cancelled`, `failed`).
    static func snapshot(_ final: JSONValue, status: String) -> JSONValue {
        guard case .object(var o) = final else { return final }
        o["status"] = .string(status)
        o["output"] = .array([])
        o["usage"] = .null
        o["completed_at"] = .null
        o["incomplete_details"] = .null
        return .object(o)
    }
}
