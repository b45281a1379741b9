/// Responses API items (`input` items, a response's `output`, a conversation's items) in the two forms
/// the mock needs: as chat messages for the generator, and as listed items with ids and statuses
/// (`GET /v1/responses/{id}/input_items`, `GET /v1/conversations/{id}/items`).
enum ResponseItems {
    static let inputTypes = ["message", "function_call", "function_call_output", "custom_tool_call", "custom_tool_call_output",
                             "reasoning", "item_reference", "web_search_call", "file_search_call", "code_interpreter_call",
                             "computer_call", "computer_call_output", "image_generation_call", "local_shell_call",
                             "local_shell_call_output", "mcp_call", "mcp_list_tools", "mcp_approval_request",
                             "mcp_approval_response", "compaction"]
    static let roles = ["user", "assistant", "system", "developer"]

    /// Chat messages saying what `items` say. Consecutive assistant text and calls become one assistant
    /// message with `tool_calls`; call outputs become `tool` messages; reasoning, references and hosted
    /// tool calls carry nothing the generator reads and are skipped. `context` (messages before the
    /// items) holds calls an output may answer.
    static func chatMessages(_ items: [JSONValue], param: String, context: [JSONValue] = []) throws(OpenAIError) -> [JSONValue] {
        var out: [JSONValue] = []
        var assistant: JSONObject?
        var callIDs = Set(context.flatMap { ($0["tool_calls"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue } })
        func flush() {
            if let a = assistant { out.append(.object(a)) }
            assistant = nil
        }
        func addCall(_ call: JSONValue) {
            var a = assistant ?? JSONObject([("role", "assistant"), ("content", .null)])
            var calls = a["tool_calls"]?.arrayValue ?? []
            calls.append(call)
            a["tool_calls"] = .array(calls)
            assistant = a
        }
        for (i, item) in items.enumerated() {
            let path = "\(param)[\(i)]"
            guard case .object(let o) = item else { throw OpenAIError.invalidType(path, expected: "an object", got: item) }
            let type = o["type"]?.stringValue ?? (o["role"] != nil ? "message" : "")
            switch type {
            case "message":
                guard let role = o["role"]?.stringValue else { throw OpenAIError.missingParameter("\(path).role") }
                guard roles.contains(role) else { throw OpenAIError.invalidValue(role, param: "\(path).role", supported: roles) }
                let content = try chatContent(o["content"], role: role, path: "\(path).content")
                flush()
                if role == "assistant" {
                    assistant = JSONObject([("role", "assistant"), ("content", content)])
                } else {
                    out.append(.object(JSONObject([("role", .string(role)), ("content", content)])))
                }
            case "function_call", "custom_tool_call":
                let callID = try string(o, "call_id", path)
                let name = try string(o, "name", path)
                callIDs.insert(callID)
                if type == "function_call" {
                    let arguments = try string(o, "arguments", path)
                    addCall(.object(JSONObject([("id", .string(callID)), ("type", "function"),
                                                ("function", .object(JSONObject([("name", .string(name)), ("arguments", .string(arguments))])))])))
                } else {
                    let input = try string(o, "input", path)
                    addCall(.object(JSONObject([("id", .string(callID)), ("type", "custom"),
                                                ("custom", .object(JSONObject([("name", .string(name)), ("input", .string(input))])))])))
                }
            case "function_call_output", "custom_tool_call_output":
                let callID = try string(o, "call_id", path)
                guard callIDs.contains(callID) else {
                    throw OpenAIError.invalidRequest("No tool call found for function call output with call_id \(callID).", param: param)
                }
                flush()
                let output: String
                switch o["output"] {
                case .string(let s)?: output = s
                case .array(let parts)?: output = parts.compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
                case nil, .null?: throw OpenAIError.missingParameter("\(path).output")
                case let other?: output = other.jsonString
                }
                out.append(.object(JSONObject([("role", "tool"), ("tool_call_id", .string(callID)), ("content", .string(output))])))
            case "":
                throw OpenAIError.missingParameter("\(path).type")
            default:
                guard inputTypes.contains(type) else { throw OpenAIError.invalidValue(type, param: "\(path).type", supported: inputTypes) }
            }
        }
        flush()
        return out
    }

    /// A message's `content` in chat's form: a string stays a string (so a prompt seeds the same reply as
    /// on chat); parts become chat parts; an assistant's parts become its text.
    static func chatContent(_ content: JSONValue?, role: String, path: String) throws(OpenAIError) -> JSONValue {
        switch content {
        case .string(let s)?: return .string(s)
        case .array(let parts)?:
            var chat: [JSONValue] = []
            for (j, part) in parts.enumerated() {
                let p = "\(path)[\(j)]"
                guard case .object(let o) = part else { throw OpenAIError.invalidType(p, expected: "an object", got: part) }
                switch o["type"]?.stringValue {
                case "input_text"?, "output_text"?, "text"?:
                    chat.append(.object(JSONObject([("type", "text"), ("text", .string(try string(o, "text", p)))])))
                case "refusal"?:
                    chat.append(.object(JSONObject([("type", "text"), ("text", .string(try string(o, "refusal", p)))])))
                case "input_image"?:
                    let url = o["image_url"]?.stringValue ?? o["file_id"]?.stringValue.map { "openai-file:" + $0 }
                    guard let url else { throw OpenAIError.missingParameter("\(p).image_url") }
                    chat.append(.object(JSONObject([("type", "image_url"), ("image_url", .object(JSONObject([
                        ("url", .string(url)), ("detail", o["detail"] ?? "auto"),
                    ])))])))
                case "input_file"?:
                    var file = JSONObject()
                    for key in ["file_id", "file_data", "filename"] { if let v = o[key], v != .null { file.append(key, v) } }
                    if file["file_id"] == nil && file["file_data"] == nil {
                        if let url = o["file_url"]?.stringValue { file.append("file_data", .string(url)) }
                        else { throw OpenAIError.invalidRequest("Invalid '\(p)': one of 'file_id', 'file_url' or 'file_data' must be provided.", param: p) }
                    }
                    chat.append(.object(JSONObject([("type", "file"), ("file", .object(file))])))
                case "input_audio"?:
                    chat.append(.object(JSONObject([("type", "input_audio"), ("input_audio", o["input_audio"] ?? .null)])))
                case let other?:
                    throw OpenAIError.invalidValue(other, param: "\(p).type",
                                                   supported: ["input_text", "input_image", "input_file", "input_audio", "output_text", "refusal"])
                case nil:
                    throw OpenAIError.missingParameter("\(p).type")
                }
            }
            if role == "assistant" {
                return .string(chat.compactMap { $0["text"]?.stringValue }.joined())
            }
            return .array(chat)
        case nil, .null?:
            throw OpenAIError.missingParameter(path)
        case let other?:
            throw OpenAIError.invalidType(path, expected: "a string or an array", got: other)
        }
    }

    private static func string(_ o: JSONObject, _ key: String, _ path: String) throws(OpenAIError) -> String {
        guard let v = o[key], v != .null else { throw OpenAIError.missingParameter("\(path).\(key)") }
        guard case .string(let s) = v else { throw OpenAIError.invalidType("\(path).\(key)", expected: "a string", got: v) }
        return s
    }

    // MARK: listed items

    /// `items` as the API lists them: every item with an `id` (kept when sent, else derived from `idSeed` and its
    /// place), a message's string content as one `input_text` (`output_text` for an assistant) part, a `status`.
    static func listed(_ items: [JSONValue], idSeed: UInt64) -> [JSONValue] {
        items.enumerated().map { i, item in
            guard case .object(let o) = item else { return item }
            let type = o["type"]?.stringValue ?? "message"
            var out = JSONObject()
            out.append("id", o["id"].flatMap { $0.stringValue.map(JSONValue.string) } ?? .string(itemID(type, seed: idSeed, index: i)))
            out.append("type", .string(type))
            if type == "message" {
                let role = o["role"]?.stringValue ?? "user"
                out.append("status", o["status"] ?? "completed")
                var content: [JSONValue]
                switch o["content"] {
                case .string(let s)?:
                    content = [role == "assistant"
                        ? .object(JSONObject([("type", "output_text"), ("text", .string(s)), ("annotations", []), ("logprobs", [])]))
                        : .object(JSONObject([("type", "input_text"), ("text", .string(s))]))]
                case .array(let parts)?: content = parts
                default: content = []
                }
                out.append("content", .array(content))
                out.append("role", .string(role))
                return .object(out)
            }
            for (key, value) in o where key != "id" && key != "type" { out.append(key, value) }
            if out["status"] == nil && (type == "function_call_output" || type == "custom_tool_call_output") {
                out.append("status", "completed")
            }
            return .object(out)
        }
    }

    /// `msg_…`, `fc_…`, `rs_…` and so on: the prefix the API gives items of `type`, then 50 hex digits.
    static func itemID(_ type: String, seed: UInt64, index: Int) -> String {
        var h = StableHash(seed)
        h.combine("item")
        h.combine(index)
        return prefix(type) + StableHash.idSuffix(h.finalized, length: 50, mixedCase: false)
    }

    static func prefix(_ type: String) -> String {
        switch type {
        case "message": "msg_"
        case "function_call": "fc_"
        case "function_call_output": "fco_"
        case "custom_tool_call": "ctc_"
        case "custom_tool_call_output": "ctco_"
        case "reasoning": "rs_"
        case "web_search_call": "ws_"
        case "file_search_call": "fs_"
        case "code_interpreter_call": "ci_"
        default: "item_"
        }
    }
}
