/// One validated entry of a chat request's `messages`, reduced to what the mock needs: who
/// spoke, the text they said (parts concatenated), and the tool-call bookkeeping that the
/// real API checks between turns.
public struct ChatMessage: Sendable, Equatable {
    public enum Role: String, Sendable, CaseIterable {
        case system, developer, user, assistant, tool, function
    }

    public var role: Role
    /// Text content; text parts joined with `\n`, null content as "".
    public var text: String
    public var name: String?
    /// Assistant turn's `tool_calls` (ids and names; arguments as sent).
    public var toolCalls: [ReplyPlan.ToolCall]
    /// Assistant turn's legacy `function_call`.
    public var functionCall: ReplyPlan.ToolCall?
    /// A `tool` message's `tool_call_id`.
    public var toolCallID: String?
    /// Non-text parts (images, audio, files): each costs a fixed number of prompt tokens.
    public var mediaParts: Int
    /// Of those, `input_audio` parts (billed as prompt audio tokens).
    public var audioParts: Int = 0

    public init(role: Role, text: String, name: String? = nil, toolCalls: [ReplyPlan.ToolCall] = [],
                functionCall: ReplyPlan.ToolCall? = nil, toolCallID: String? = nil, mediaParts: Int = 0) {
        self.role = role
        self.text = text
        self.name = name
        self.toolCalls = toolCalls
        self.functionCall = functionCall
        self.toolCallID = toolCallID
        self.mediaParts = mediaParts
    }
}

extension ChatMessage {
    /// Content-part types the API knows, in the order its error message lists them.
    static let partTypes = ["text", "image_url", "input_audio", "refusal", "audio", "file"]

    /// Parses `messages[index]` with the real API's error wording and `param` paths.
    static func parse(_ value: JSONValue, index: Int) throws(OpenAIError) -> ChatMessage {
        let path = "messages[\(index)]"
        guard case .object(let o) = value else { throw OpenAIError.invalidType(path, expected: "an object", got: value) }
        guard let roleValue = o["role"], roleValue != .null else { throw OpenAIError.missingParameter("\(path).role") }
        guard case .string(let roleName) = roleValue else {
            throw OpenAIError.invalidType("\(path).role", expected: "a string", got: roleValue)
        }
        guard let role = Role(rawValue: roleName) else {
            throw OpenAIError.invalidRequest(
                "Invalid value: '\(roleName)'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.",
                param: "\(path).role", code: "invalid_value")
        }

        var message = ChatMessage(role: role, text: "")
        if let n = o["name"], n != .null {
            guard case .string(let name) = n else { throw OpenAIError.invalidType("\(path).name", expected: "a string", got: n) }
            message.name = name
        }
        if role == .assistant {
            message.toolCalls = try parseToolCalls(o["tool_calls"], path: path)
            if let fc = o["function_call"], fc != .null {
                message.functionCall = try parseFunction(fc, path: "\(path).function_call", id: "")
            }
        }
        if role == .tool {
            guard let id = o["tool_call_id"], id != .null else { throw OpenAIError.missingParameter("\(path).tool_call_id") }
            guard case .string(let s) = id else {
                throw OpenAIError.invalidType("\(path).tool_call_id", expected: "a string", got: id)
            }
            message.toolCallID = s
        }
        if role == .function && message.name == nil { throw OpenAIError.missingParameter("\(path).name") }

        let content = o["content"] ?? .null
        switch content {
        case .null:
            switch role {
            case .assistant:
                if message.toolCalls.isEmpty && message.functionCall == nil && o["refusal"]?.stringValue == nil
                    && o["audio"] == nil {
                    throw OpenAIError.invalidRequest("Invalid value for 'content': expected a string, got null.",
                                                     param: "\(path).content")
                }
            case .function:
                break
            default:
                throw OpenAIError.missingParameter("\(path).content")
            }
        case .string(let s):
            message.text = s
        case .array(let parts):
            if parts.isEmpty && role != .assistant {
                throw OpenAIError.invalidRequest(
                    "Invalid '\(path).content': empty array. Expected an array with minimum length 1, but got an empty array instead.",
                    param: "\(path).content", code: "empty_array")
            }
            try parseParts(parts, role: role, path: path, into: &message)
        default:
            throw OpenAIError.invalidType("\(path).content", expected: "one of a string or array of objects", got: content)
        }
        return message
    }

    /// Text parts are kept; image/audio/file parts are checked and counted.
    private static func parseParts(_ parts: [JSONValue], role: Role, path: String,
                                   into message: inout ChatMessage) throws(OpenAIError) {
        var texts: [String] = []
        for (i, part) in parts.enumerated() {
            let partPath = "\(path).content[\(i)]"
            guard case .object(let p) = part else { throw OpenAIError.invalidType(partPath, expected: "an object", got: part) }
            guard let t = p["type"], t != .null else { throw OpenAIError.missingParameter("\(partPath).type") }
            guard case .string(let type) = t else { throw OpenAIError.invalidType("\(partPath).type", expected: "a string", got: t) }
            guard partTypes.contains(type) else {
                throw OpenAIError.invalidRequest(
                    "Invalid value: '\(type)'. Supported values are: 'text', 'image_url', 'input_audio', 'refusal', 'audio', and 'file'.",
                    param: "\(partPath).type", code: "invalid_value")
            }
            switch type {
            case "text":
                texts.append(try requiredString(p, "text", path: partPath))
            case "refusal":
                guard role == .assistant else { throw partNotAllowed(path, role: role, what: "Refusals", "a refusal") }
                texts.append(try requiredString(p, "refusal", path: partPath))
            case "image_url":
                guard role == .user else { throw partNotAllowed(path, role: role, what: "Image URLs", "an image URL") }
                guard let img = p["image_url"], img != .null else { throw OpenAIError.missingParameter("\(partPath).image_url") }
                guard case .object(let io) = img else {
                    throw OpenAIError.invalidType("\(partPath).image_url", expected: "an object", got: img)
                }
                _ = try requiredString(io, "url", path: "\(partPath).image_url")
                if let d = io["detail"]?.stringValue, !["auto", "low", "high"].contains(d) {
                    throw OpenAIError.invalidRequest("Invalid value: '\(d)'. Supported values are: 'auto', 'low', and 'high'.",
                                                     param: "\(partPath).image_url.detail", code: "invalid_value")
                }
                message.mediaParts += 1
            case "input_audio":
                guard role == .user else { throw partNotAllowed(path, role: role, what: "Audio inputs", "an audio input") }
                guard let a = p["input_audio"], case .object(let ao) = a else {
                    throw OpenAIError.missingParameter("\(partPath).input_audio")
                }
                _ = try requiredString(ao, "data", path: "\(partPath).input_audio")
                let format = try requiredString(ao, "format", path: "\(partPath).input_audio")
                guard format == "wav" || format == "mp3" else {
                    throw OpenAIError.invalidValue(format, param: "\(partPath).input_audio.format", supported: ["wav", "mp3"])
                }
                message.mediaParts += 1
                message.audioParts += 1
            case "file":
                guard role == .user else { throw partNotAllowed(path, role: role, what: "File inputs", "a file input") }
                guard let f = p["file"], case .object(let fo) = f else { throw OpenAIError.missingParameter("\(partPath).file") }
                if fo["file_id"]?.stringValue == nil && fo["file_data"]?.stringValue == nil {
                    throw OpenAIError.invalidRequest("Invalid '\(partPath).file': one of 'file_id' or 'file_data' must be provided.",
                                                     param: "\(partPath).file", code: "invalid_value")
                }
                message.mediaParts += 1
            default:  // "audio": an assistant's previous audio reply, by id
                message.mediaParts += 1
            }
        }
        message.text = texts.joined(separator: "\n")
    }

    private static func partNotAllowed(_ path: String, role: Role, what: String, _ article: String) -> OpenAIError {
        .invalidRequest("Invalid '\(path)'. \(what) are only allowed for messages with role 'user', but this message with role '\(role.rawValue)' contains \(article).",
                        param: path, code: "invalid_value")
    }

    static func requiredString(_ o: JSONObject, _ key: String, path: String) throws(OpenAIError) -> String {
        guard let v = o[key], v != .null else { throw OpenAIError.missingParameter("\(path).\(key)") }
        guard case .string(let s) = v else { throw OpenAIError.invalidType("\(path).\(key)", expected: "a string", got: v) }
        return s
    }

    /// An assistant turn's `tool_calls`: `[{id, type:"function", function:{name, arguments}}]`.
    private static func parseToolCalls(_ value: JSONValue?, path: String) throws(OpenAIError) -> [ReplyPlan.ToolCall] {
        guard let value, value != .null else { return [] }
        guard case .array(let items) = value else {
            throw OpenAIError.invalidType("\(path).tool_calls", expected: "an array", got: value)
        }
        var calls: [ReplyPlan.ToolCall] = []
        for (i, item) in items.enumerated() {
            let callPath = "\(path).tool_calls[\(i)]"
            guard case .object(let c) = item else { throw OpenAIError.invalidType(callPath, expected: "an object", got: item) }
            let id = try requiredString(c, "id", path: callPath)
            if let t = c["type"]?.stringValue, t == "custom" {
                guard case .object(let custom)? = c["custom"] else { throw OpenAIError.missingParameter("\(callPath).custom") }
                calls.append(ReplyPlan.ToolCall(id: id, name: try requiredString(custom, "name", path: "\(callPath).custom"),
                                                arguments: custom["input"]?.stringValue ?? ""))
                continue
            }
            guard let f = c["function"], f != .null else { throw OpenAIError.missingParameter("\(callPath).function") }
            calls.append(try parseFunction(f, path: "\(callPath).function", id: id))
        }
        return calls
    }

    private static func parseFunction(_ value: JSONValue, path: String, id: String) throws(OpenAIError) -> ReplyPlan.ToolCall {
        guard case .object(let f) = value else { throw OpenAIError.invalidType(path, expected: "an object", got: value) }
        let name = try requiredString(f, "name", path: path)
        let arguments = try requiredString(f, "arguments", path: path)
        return ReplyPlan.ToolCall(id: id, name: name, arguments: arguments)
    }

    /// Turn-order rules the real API enforces: a `tool` message answers a preceding assistant
    /// `tool_calls`, and every such call is answered before the conversation moves on.
    static func checkToolTurns(_ messages: [ChatMessage]) throws(OpenAIError) {
        var pending: [String] = []
        var pendingAt = -1
        var open = false
        for (i, m) in messages.enumerated() {
            if m.role == .tool {
                guard open, let id = m.toolCallID else {
                    throw OpenAIError.invalidRequest(
                        "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
                        param: "messages.[\(i)].role")
                }
                pending.removeAll { $0 == id }
                continue
            }
            if open && !pending.isEmpty {
                throw unanswered(pending, at: pendingAt)
            }
            open = m.role == .assistant && !m.toolCalls.isEmpty
            pending = open ? m.toolCalls.map(\.id) : []
            pendingAt = i
        }
        if open && !pending.isEmpty { throw unanswered(pending, at: pendingAt) }
    }

    private static func unanswered(_ ids: [String], at index: Int) -> OpenAIError {
        .invalidRequest(
            "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: \(ids.joined(separator: ", "))",
            param: "messages.[\(index)].role")
    }
}
