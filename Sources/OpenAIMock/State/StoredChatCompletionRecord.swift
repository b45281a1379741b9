/// A chat completion created with `store: true`: the completion as answered (for a stream, the one its
/// chunks assemble into), the request's messages as sent, and the request parameters the stored object
/// echoes. Served by `/v1/chat/completions` (list), `/{id}` (retrieve, update, delete) and `/{id}/messages`.
package struct StoredChatCompletionRecord: StoreRecord, Equatable {
    package static let kind = "chat_completion"
    package var id: String
    package var sequence: Int
    package var createdAt: Int
    /// The model the request named (what `?model=` filters on).
    package var model: String
    /// An object, or `.null`.
    package var metadata: JSONValue
    /// The `chat.completion` object.
    package var completion: JSONValue
    package var messages: [JSONValue]
    /// The echoed request fields, already in the stored object's form.
    package var request: JSONObject
    package var requestID: String

    /// Request fields the stored object repeats, with the API's defaults for those not sent.
    static let echoed: [(request: String, stored: String, default: JSONValue)] = [
        ("seed", "seed", .null), ("temperature", "temperature", .double(1)), ("top_p", "top_p", .double(1)),
        ("presence_penalty", "presence_penalty", .double(0)), ("frequency_penalty", "frequency_penalty", .double(0)),
        ("tool_choice", "tool_choice", .null), ("tools", "tools", .null), ("response_format", "response_format", .null),
        ("user", "input_user", .null),
    ]

    package init(id: String, sequence: Int, createdAt: Int, model: String, metadata: JSONValue, completion: JSONValue,
                 body: JSONObject, requestID: String) {
        self.id = id
        self.sequence = sequence
        self.createdAt = createdAt
        self.model = model
        self.metadata = metadata
        self.completion = completion
        messages = body["messages"]?.arrayValue ?? []
        request = JSONObject(Self.echoed.map { field in
            let sent = body[field.request] ?? .null
            return (field.stored, sent == .null ? field.default : sent)
        })
        self.requestID = requestID
    }

    /// The stored `chat.completion`: the completion, then `metadata`, `request_id` and the echoed request fields.
    package var json: JSONValue {
        var o = completion.objectValue ?? JSONObject()
        o.append("metadata", metadata == .null ? .object(JSONObject()) : metadata)
        o.append("request_id", .string(requestID))
        for (key, value) in request { o.append(key, value) }
        return .object(o)
    }

    /// The request's messages as `chat.completion.message` list items: `id` (`<completion>-<index>`), `role`,
    /// `content` (the text of a parts array), `name`, `content_parts` (text and image parts, else null),
    /// and whatever else the message carried (tool calls, tool call id, refusal, audio).
    package var messageItems: [(id: String, json: JSONValue)] {
        messages.enumerated().map { i, message in
            let id = "\(self.id)-\(i)"
            var o = JSONObject([("id", .string(id)), ("role", message["role"] ?? .null)])
            var parts: JSONValue = .null
            switch message["content"] {
            case .array(let items)?:
                let texts = items.compactMap { $0["type"] == "text" ? $0["text"]?.stringValue : nil }
                o.append("content", texts.isEmpty ? .null : .string(texts.joined(separator: "\n")))
                parts = .array(items.filter { $0["type"] == "text" || $0["type"] == "image_url" })
            case let content?:
                o.append("content", content)
            case nil:
                o.append("content", .null)
            }
            o.append("name", message["name"] ?? .null)
            o.append("content_parts", parts)
            for key in ["refusal", "tool_calls", "function_call", "tool_call_id", "audio"] {
                if let v = message[key], v != .null { o.append(key, v) }
            }
            return (id, .object(o))
        }
    }

    package var stored: JSONValue {
        .object(JSONObject([
            ("id", .string(id)), ("seq", .int(sequence)), ("created_at", .int(createdAt)), ("model", .string(model)),
            ("metadata", metadata), ("completion", completion), ("messages", .array(messages)), ("request", .object(request)),
            ("request_id", .string(requestID)),
        ]))
    }

    package init(stored v: JSONValue) throws(StoreDecodingError) {
        id = try v.string("id")
        sequence = try v.int("seq")
        createdAt = try v.int("created_at")
        model = try v.string("model")
        metadata = v["metadata"] ?? .null
        completion = try v.required("completion") { $0.objectValue.map(JSONValue.object) }
        messages = try v.required("messages", \.arrayValue)
        request = try v.required("request", \.objectValue)
        requestID = try v.string("request_id")
    }
}
