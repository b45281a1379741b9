import MockHTTP

/// What rules can look at in one request, extracted once: the endpoint, the body, and the
/// chat / completion / embedding parts that conditions and templates name.
///
/// Extraction is lenient on purpose: a malformed body simply has no facts (the endpoint itself
/// reports the real API's validation error afterwards), and non-JSON bodies (uploads) are never read.
public struct RequestFacts: Sendable {
    public var method: String
    public var path: String
    public var headers: HTTPHeaders
    /// The query string as sent (empty when there is none).
    public var query: String
    public var body: JSONValue
    /// ``CanonicalBody/bytes(_:)`` of the body, when some rule matches on it (nil otherwise).
    public var canonicalBody: [UInt8]?
    public var model: String?
    public var stream: Bool
    /// Chat messages as (role, text of the content), in order.
    public var messages: [(role: String, text: String)]
    public var toolNames: [String]
    /// Arguments of the most recent assistant tool call(s), merged by name.
    public var toolArguments: JSONObject
    /// Completion prompts as text (token-array prompts have none).
    public var prompts: [String]
    /// Embedding / moderation inputs as text.
    public var inputs: [String]

    public init(method: String, path: String, headers: HTTPHeaders = HTTPHeaders(), body: JSONValue = .null,
                query: String = "", canonical: Bool = false) {
        self.init(method: method, path: path, headers: headers, body: body, query: query, canonical: canonical, history: [])
    }

    /// `history`: chat messages before a Responses request's own (its `previous_response_id` chain or
    /// conversation), so `turn` and `has_tool_result` see the whole exchange.
    init(method: String, path: String, headers: HTTPHeaders, body: JSONValue, query: String, canonical: Bool,
         history: [JSONValue]) {
        self.method = method
        self.path = path
        self.headers = headers
        self.query = query
        self.body = body
        canonicalBody = canonical ? CanonicalBody.bytes(body) : nil
        model = body["model"]?.stringValue
        stream = body["stream"]?.boolValue ?? false
        // A Responses request is read as the chat request it becomes.
        var chat = body
        if path == "/v1/responses", let object = body.objectValue, let request = try? ResponsesRequest(object),
           let translated = try? request.chatBody(history: history) {
            chat = .object(translated)
            toolNames = request.tools.compactMap { $0["name"]?.stringValue }
        } else {
            toolNames = []
        }
        messages = (chat["messages"]?.arrayValue ?? []).compactMap { m in
            guard let role = m["role"]?.stringValue else { return nil }
            return (role, Self.text(of: m["content"]))
        }
        var names = toolNames
        for tool in chat["tools"]?.arrayValue ?? [] where path != "/v1/responses" {
            if let n = tool["function"]?["name"]?.stringValue ?? tool["custom"]?["name"]?.stringValue { names.append(n) }
        }
        for f in body["functions"]?.arrayValue ?? [] { if let n = f["name"]?.stringValue { names.append(n) } }
        toolNames = names
        toolArguments = Self.lastToolArguments(chat["messages"]?.arrayValue ?? [])
        prompts = Self.texts(body["prompt"])
        inputs = Self.texts(body["input"])
    }

    /// Facts of an engine request; the body is parsed only when it is JSON.
    init(_ ctx: RequestContext, canonical: Bool = false) {
        var body = JSONValue.null
        let type = ctx.request.headers["content-type"]?.lowercased() ?? ""
        let bodyIsSmall: Bool = if case .bytes(let b) = ctx.request.body { !b.isEmpty } else { false }
        if bodyIsSmall && (type.isEmpty || type.contains("json")), let o = try? ctx.jsonBody() { body = .object(o) }
        var history: [JSONValue] = []
        if ctx.request.path == "/v1/responses", let o = body.objectValue, let request = try? ResponsesRequest(o) {
            history = (try? ctx.responseHistory(request)) ?? []
        }
        self.init(method: ctx.request.method, path: ctx.request.path, headers: ctx.request.headers, body: body,
                  query: ctx.request.query ?? "", canonical: canonical, history: history)
    }

    public var lastUserMessage: String? { messages.last { $0.role == "user" }?.text }
    /// System and developer messages, joined by blank lines.
    public var systemPrompt: String? {
        let parts = messages.filter { $0.role == "system" || $0.role == "developer" }.map(\.text)
        return parts.isEmpty ? nil : parts.joined(separator: "\n\n")
    }
    public var turn: Int { messages.filter { $0.role == "user" }.count }
    public var hasToolResult: Bool { messages.contains { $0.role == "tool" || $0.role == "function" } }
    public var isChat: Bool { body["messages"] != nil || path == "/v1/responses" }

    /// The values a text condition tests (it passes when any of them matches).
    public func values(_ field: RuleCondition.TextField) -> [String] {
        switch field {
        case .lastUserMessage: return lastUserMessage.map { [$0] } ?? []
        case .anyMessage: return messages.map(\.text)
        case .systemPrompt: return systemPrompt.map { [$0] } ?? []
        case .prompt: return prompts
        case .input: return inputs
        }
    }

    public func count(_ field: RuleCondition.CountField) -> Int {
        switch field {
        case .messageCount: return messages.count
        case .turn: return turn
        }
    }

    public func flag(_ field: RuleCondition.FlagField) -> Bool {
        switch field {
        case .hasTools: return !toolNames.isEmpty
        case .hasToolResult: return hasToolResult
        }
    }

    /// Text of a message `content`: a string, or the text parts of an array joined by newlines.
    static func text(of content: JSONValue?) -> String {
        switch content {
        case .string(let s)?: return s
        case .array(let parts)?:
            return parts.compactMap { $0["text"]?.stringValue ?? $0["refusal"]?.stringValue ?? $0.stringValue }
                .joined(separator: "\n")
        default: return ""
        }
    }

    /// A string, an array of strings, or multimodal parts → their texts; token arrays → none.
    static func texts(_ value: JSONValue?) -> [String] {
        switch value {
        case .string(let s)?: return [s]
        case .array(let items)?: return items.compactMap { $0.stringValue ?? $0["text"]?.stringValue }
        default: return []
        }
    }

    static func lastToolArguments(_ messages: [JSONValue]) -> JSONObject {
        for m in messages.reversed() where m["role"]?.stringValue == "assistant" {
            var merged = JSONObject()
            var found = false
            for call in m["tool_calls"]?.arrayValue ?? [] {
                found = true
                if let args = call["function"]?["arguments"]?.stringValue, case .object(let o)? = try? JSONValue.parse(args) {
                    for (k, v) in o { merged[k] = v }
                }
            }
            if let args = m["function_call"]?["arguments"]?.stringValue, case .object(let o)? = try? JSONValue.parse(args) {
                found = true
                for (k, v) in o { merged[k] = v }
            }
            if found { return merged }
        }
        return JSONObject()
    }
}
