/// Reply text that may echo parts of the request: `"You said: {{last_user_message}}"`.
///
/// A deliberately small, fixed set of placeholders (no expressions, no code), checked when the
/// file loads so a typo is a lint error rather than a literal `{{…}}` in a test's output:
///
/// | placeholder | value |
/// |---|---|
/// | `{{last_user_message}}` | text of the last `user` message |
/// | `{{system_prompt}}` | system / developer messages |
/// | `{{model}}` | the requested model |
/// | `{{prompt}}` | the (first) completions prompt |
/// | `{{input}}` | the (first) embeddings / moderations input |
/// | `{{turn}}`, `{{message_count}}` | user messages so far / all messages |
/// | `{{tool_args.NAME}}` | argument NAME of the latest assistant tool call in the conversation |
/// | `{{body.PATH}}` | any body field (`body.metadata.team`, `body.messages[0].role`) |
/// | `{{header.NAME}}` | a request header |
///
/// A missing value renders as an empty string; a non-string value as compact JSON.
public struct Template: Sendable, Equatable {
    enum Part: Sendable, Equatable {
        case literal(String)
        case variable(Variable)
    }

    enum Variable: Sendable, Equatable {
        case lastUserMessage, systemPrompt, model, prompt, input, turn, messageCount
        case toolArgument(String)
        case body(String)
        case header(String)
    }

    let parts: [Part]
    public let source: String

    public struct Error: Swift.Error, Sendable, Equatable {
        public var message: String
    }

    public static let names = ["last_user_message", "system_prompt", "model", "prompt", "input", "turn",
                               "message_count", "tool_args.NAME", "body.PATH", "header.NAME"]

    public init(_ source: String) throws(Template.Error) {
        self.source = source
        var parts: [Part] = []
        var rest = source[...]
        while let open = rest.firstRange(of: "{{") {
            if open.lowerBound > rest.startIndex { parts.append(.literal(String(rest[..<open.lowerBound]))) }
            guard let close = rest[open.upperBound...].firstRange(of: "}}") else {
                throw Error(message: "Unclosed '{{' in template")
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmingScalars { $0 == " " || $0 == "\t" }
            parts.append(.variable(try Self.variable(name)))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { parts.append(.literal(String(rest))) }
        self.parts = parts
    }

    /// A template with no placeholders.
    public static func literal(_ text: String) -> Template { (try? Template(text)) ?? Template(parts: [.literal(text)], source: text) }

    private init(parts: [Part], source: String) {
        self.parts = parts
        self.source = source
    }

    static func variable(_ name: String) throws(Template.Error) -> Variable {
        switch name {
        case "last_user_message": return .lastUserMessage
        case "system_prompt": return .systemPrompt
        case "model": return .model
        case "prompt": return .prompt
        case "input": return .input
        case "turn": return .turn
        case "message_count": return .messageCount
        default:
            let prefixed: [(String, (String) -> Variable)] = [("tool_args.", Variable.toolArgument),
                                                              ("body.", Variable.body), ("header.", Variable.header)]
            for (prefix, make) in prefixed
            where name.hasPrefix(prefix) && name.count > prefix.count {
                let rest = String(name.dropFirst(prefix.count))
                if prefix == "body." && BodyPath(rest) == nil { break }
                return make(rest)
            }
            throw Error(message: "Unknown placeholder '{{\(name)}}'; known: "
                        + names.map { "{{\($0)}}" }.joined(separator: ", "))
        }
    }

    public var isLiteral: Bool { !parts.contains { if case .variable = $0 { true } else { false } } }

    public func render(_ facts: RequestFacts) -> String {
        var out = ""
        for part in parts {
            switch part {
            case .literal(let s): out += s
            case .variable(let v): out += Self.value(v, facts)
            }
        }
        return out
    }

    static func value(_ v: Variable, _ facts: RequestFacts) -> String {
        func show(_ j: JSONValue?) -> String {
            switch j {
            case nil, .null?: return ""
            case .string(let s)?: return s
            case let other?: return other.jsonString
            }
        }
        switch v {
        case .lastUserMessage: return facts.lastUserMessage ?? ""
        case .systemPrompt: return facts.systemPrompt ?? ""
        case .model: return facts.model ?? ""
        case .prompt: return facts.prompts.first ?? ""
        case .input: return facts.inputs.first ?? ""
        case .turn: return String(facts.turn)
        case .messageCount: return String(facts.messages.count)
        case .toolArgument(let name): return show(facts.toolArguments[name])
        case .body(let path): return show(BodyPath(path)?.lookup(facts.body))
        case .header(let name): return facts.headers[name] ?? ""
        }
    }
}

extension JSONValue {
    /// Renders every string inside as a template (object keys stay as written).
    func renderingTemplates(_ facts: RequestFacts) -> JSONValue {
        switch self {
        case .string(let s):
            guard s.contains("{{"), let t = try? Template(s) else { return self }
            return .string(t.render(facts))
        case .array(let a): return .array(a.map { $0.renderingTemplates(facts) })
        case .object(let o): return .object(JSONObject(o.map { ($0.key, $0.value.renderingTemplates(facts)) }))
        default: return self
        }
    }
}
