/// A response as typed SSE events, derived from its final object alone (so a background response's
/// stream can be resumed later, `GET /v1/responses/{id}?stream=true&starting_after=N`, with the same
/// events and sequence numbers).
///
/// `response.created` (and `response.queued` for a background response), `response.in_progress`, then per
/// output item `response.output_item.added`, its parts and deltas (`response.content_part.added`,
/// `response.output_text.delta` … `.done`, `response.content_part.done`; `response.function_call_arguments.delta`
/// … `.done`; reasoning summary parts; a hosted call's progress events), `response.output_item.done`; and
/// `response.completed` or `response.incomplete`. Every frame is `event: <type>` + `data: {"type",
/// "sequence_number", …}`; there is no `[DONE]`. Deltas carry an `obfuscation` padding (deterministic here)
/// unless `stream_options.include_obfuscation` is false, and are the paced events.
struct ResponseStream: SSEEventSource {
    struct Event: Sendable {
        var type: String
        var fields: JSONObject
        var paced: Bool
    }

    let events: [Event]

    /// `tokensPerChunk` tokens per delta; `background` adds the queued state before `in_progress`.
    init(final: JSONValue, tokensPerChunk: Int, background: Bool, obfuscate: Bool) {
        var events: [Event] = []
        func add(_ type: String, _ fields: [(String, JSONValue)], paced: Bool = false) {
            var f = JSONObject(fields)
            if obfuscate && paced, let delta = f["delta"]?.stringValue {
                var h = StableHash(UInt64(events.count))
                h.combine(delta)
                f.append("obfuscation", .string(StableHash.idSuffix(h.finalized, length: max(1, 16 - delta.utf8.count % 16))))
            }
            events.append(Event(type: type, fields: f, paced: paced))
        }
        let status = final["status"]?.stringValue ?? "completed"
        add("response.created", [("response", ResponseObject.snapshot(final, status: background ? "queued" : "in_progress"))])
        if background { add("response.queued", [("response", ResponseObject.snapshot(final, status: "queued"))]) }
        add("response.in_progress", [("response", ResponseObject.snapshot(final, status: "in_progress"))])
        for (i, item) in (final["output"]?.arrayValue ?? []).enumerated() {
            let index: (String, JSONValue) = ("output_index", .int(i))
            let itemID: (String, JSONValue) = ("item_id", item["id"] ?? .null)
            add("response.output_item.added", [index, ("item", Self.started(item))])
            switch item["type"]?.stringValue {
            case "message":
                for (c, part) in (item["content"]?.arrayValue ?? []).enumerated() {
                    let ci: (String, JSONValue) = ("content_index", .int(c))
                    if part["type"] == "refusal" {
                        let text = part["refusal"]?.stringValue ?? ""
                        add("response.content_part.added", [ci, itemID, index, ("part", .object(JSONObject([("type", "refusal"), ("refusal", "")])))])
                        for piece in ChatStream.chunked(text, perChunk: tokensPerChunk) {
                            add("response.refusal.delta", [ci, ("delta", .string(piece)), itemID, index], paced: true)
                        }
                        add("response.refusal.done", [ci, itemID, index, ("refusal", .string(text))])
                    } else {
                        let text = part["text"]?.stringValue ?? ""
                        let empty = JSONValue.object(JSONObject([("type", "output_text"), ("annotations", []), ("logprobs", []), ("text", "")]))
                        add("response.content_part.added", [ci, itemID, index, ("part", empty)])
                        let logprobs = part["logprobs"]?.arrayValue ?? []
                        var used = 0
                        for piece in ChatStream.chunked(text, perChunk: tokensPerChunk) {
                            // A delta's logprobs: the entries of its tokens.
                            let n = max(1, TokenCounter.tokenize(piece).count)
                            let mine = logprobs.isEmpty ? [] : Array(logprobs[min(used, logprobs.count)..<min(used + n, logprobs.count)])
                            used += n
                            add("response.output_text.delta", [ci, ("delta", .string(piece)), itemID, ("logprobs", .array(mine)), index],
                                paced: true)
                        }
                        for (a, annotation) in (part["annotations"]?.arrayValue ?? []).enumerated() {
                            add("response.output_text.annotation.added", [("annotation", annotation), ("annotation_index", .int(a)), ci, itemID, index])
                        }
                        add("response.output_text.done", [ci, itemID, ("logprobs", .array(logprobs)), index, ("text", .string(text))])
                    }
                    add("response.content_part.done", [ci, itemID, index, ("part", part)])
                }
            case "function_call":
                let arguments = item["arguments"]?.stringValue ?? ""
                for piece in ChatStream.chunked(arguments, perChunk: tokensPerChunk) {
                    add("response.function_call_arguments.delta", [("delta", .string(piece)), itemID, index], paced: true)
                }
                add("response.function_call_arguments.done", [("arguments", .string(arguments)), itemID, ("name", item["name"] ?? .null), index])
            case "custom_tool_call":
                let input = item["input"]?.stringValue ?? ""
                for piece in ChatStream.chunked(input, perChunk: tokensPerChunk) {
                    add("response.custom_tool_call_input.delta", [("delta", .string(piece)), itemID, index], paced: true)
                }
                add("response.custom_tool_call_input.done", [("input", .string(input)), itemID, index])
            case "reasoning":
                for (s, part) in (item["summary"]?.arrayValue ?? []).enumerated() {
                    let si: (String, JSONValue) = ("summary_index", .int(s))
                    let text = part["text"]?.stringValue ?? ""
                    add("response.reasoning_summary_part.added",
                        [itemID, index, ("part", .object(JSONObject([("type", "summary_text"), ("text", "")]))), si])
                    for piece in ChatStream.chunked(text, perChunk: tokensPerChunk) {
                        add("response.reasoning_summary_text.delta", [("delta", .string(piece)), itemID, index, si], paced: true)
                    }
                    add("response.reasoning_summary_text.done", [itemID, index, si, ("text", .string(text))])
                    add("response.reasoning_summary_part.done", [itemID, index, ("part", part), si])
                }
            case "web_search_call"?, "file_search_call"?:
                let type = item["type"]?.stringValue ?? ""
                for phase in ["in_progress", "searching", "completed"] { add("response.\(type).\(phase)", [itemID, index]) }
            case "code_interpreter_call":
                add("response.code_interpreter_call.in_progress", [itemID, index])
                let code = item["code"]?.stringValue ?? ""
                for piece in ChatStream.chunked(code, perChunk: tokensPerChunk) {
                    add("response.code_interpreter_call_code.delta", [("delta", .string(piece)), itemID, index], paced: true)
                }
                add("response.code_interpreter_call_code.done", [("code", .string(code)), itemID, index])
                add("response.code_interpreter_call.interpreting", [itemID, index])
                add("response.code_interpreter_call.completed", [itemID, index])
            default: break
            }
            add("response.output_item.done", [index, ("item", item)])
        }
        add(status == "incomplete" ? "response.incomplete" : status == "failed" ? "response.failed" : "response.completed",
            [("response", final)])
        self.events = events
    }

    /// An item as `response.output_item.added` shows it: in progress, with nothing generated yet.
    static func started(_ item: JSONValue) -> JSONValue {
        guard case .object(var o) = item else { return item }
        switch o["type"]?.stringValue {
        case "message": o["content"] = .array([])
        case "function_call": o["arguments"] = ""
        case "custom_tool_call": o["input"] = ""
        case "reasoning": o["summary"] = .array([])
        case "code_interpreter_call": o["code"] = ""; o["outputs"] = .null
        case "file_search_call": o["results"] = .null
        default: break
        }
        if o["status"] != nil { o["status"] = "in_progress" }
        return .object(o)
    }

    var eventCount: Int { events.count }

    func isPaced(_ index: Int) -> Bool { events[index].paced }

    var closingFrame: [UInt8] { [] }

    func event(_ index: Int, into out: inout [UInt8]) {
        let e = events[index]
        var o = JSONObject([("type", .string(e.type)), ("sequence_number", .int(index))])
        for (k, v) in e.fields { o.append(k, v) }
        Self.frame(e.type, .object(o), into: &out)
    }

    /// The `error` event: `{"type":"error","sequence_number","code","message","param"}`.
    func errorFrame(_ error: OpenAIError, at index: Int) -> [UInt8] {
        var out: [UInt8] = []
        Self.frame("error", .object(JSONObject([
            ("type", "error"), ("sequence_number", .int(index)), ("code", error.code.map(JSONValue.string) ?? .string(error.type)),
            ("message", .string(error.message)), ("param", error.param.map(JSONValue.string) ?? .null),
        ])), into: &out)
        return out
    }

    static func frame(_ type: String, _ data: JSONValue, into out: inout [UInt8]) {
        out.append(contentsOf: "event: ".utf8)
        out.append(contentsOf: type.utf8)
        out.append(0x0A)
        out.append(contentsOf: SSEStream.dataPrefix)
        data.write(to: &out)
        out.append(contentsOf: [0x0A, 0x0A])
    }
}

/// Resumes a stream after the events a client has seen.
struct ResumedResponseStream: SSEEventSource {
    let stream: ResponseStream
    let skipped: Int

    var eventCount: Int { max(0, stream.eventCount - skipped) }
    func isPaced(_ index: Int) -> Bool { stream.isPaced(index + skipped) }
    var closingFrame: [UInt8] { [] }
    func event(_ index: Int, into out: inout [UInt8]) { stream.event(index + skipped, into: &out) }
    func errorFrame(_ error: OpenAIError, at index: Int) -> [UInt8] { stream.errorFrame(error, at: index + skipped) }
}
