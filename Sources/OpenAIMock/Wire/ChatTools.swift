/// A function the caller offers the model (`tools[]` or the deprecated `functions[]`).
public struct ChatTool: Sendable, Equatable {
    public var name: String
    public var description: String?
    /// The JSON Schema of the arguments (nil: any object, generated as `{}`).
    public var parameters: JSONValue?
    public var strict: Bool
    /// `custom` tools take free text instead of JSON arguments.
    public var isCustom: Bool
    /// A custom tool's `format: {type: "grammar", …}`: its input must match it (nil: any text).
    public var grammar: CustomGrammar?

    public init(name: String, description: String? = nil, parameters: JSONValue? = nil, strict: Bool = false,
                isCustom: Bool = false, grammar: CustomGrammar? = nil) {
        self.name = name
        self.description = description
        self.parameters = parameters
        self.strict = strict
        self.isCustom = isCustom
        self.grammar = grammar
    }
}

/// The grammar a custom tool's input follows: a regex, or a Lark grammar.
public struct CustomGrammar: Sendable, Equatable {
    public enum Syntax: String, Sendable, CaseIterable { case lark, regex }
    public var syntax: Syntax
    public var definition: String
}

/// `tool_choice` (or the legacy `function_call`), normalised.
public enum ChatToolChoice: Sendable, Equatable {
    case none
    case auto
    case required
    /// Must call this function.
    case named(String)
    /// `allowed_tools`: restrict to `names`, with mode auto or required.
    case allowed(names: [String], required: Bool)
}

/// `response_format`.
public enum ChatResponseFormat: Sendable, Equatable {
    case text
    case jsonObject
    case jsonSchema(name: String, schema: JSONValue, strict: Bool)
}

enum ChatToolParsing {
    /// `^[a-zA-Z0-9_-]{1,64}$`, the rule for function and schema names.
    static func checkName(_ name: String, param: String) throws(OpenAIError) {
        let ok = name.utf8.allSatisfy { c in
            (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 || c == 45
        }
        guard ok && !name.isEmpty else {
            throw OpenAIError.invalidRequest(
                "Invalid '\(param)': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.",
                param: param, code: "invalid_value")
        }
        guard name.utf8.count <= 64 else {
            throw OpenAIError.invalidRequest(
                "Invalid '\(param)': string too long. Expected a string with maximum length 64, but got a string with length \(name.utf8.count) instead.",
                param: param, code: "string_above_max_length")
        }
    }

    static func emptyArray(_ param: String) -> OpenAIError {
        .invalidRequest("Invalid '\(param)': empty array. Expected an array with minimum length 1, but got an empty array instead.",
                        param: param, code: "empty_array")
    }

    static func tooLong(_ param: String, _ count: Int, max: Int) -> OpenAIError {
        .invalidRequest("Invalid '\(param)': array too long. Expected an array with maximum length \(max), but got an array with length \(count) instead.",
                        param: param, code: "array_above_max_length")
    }

    /// `tools`: `[{type:"function", function:{name, description?, parameters?, strict?}} | {type:"custom", custom:{…}}]`.
    static func tools(_ value: JSONValue?) throws(OpenAIError) -> [ChatTool] {
        guard let value, value != .null else { return [] }
        guard case .array(let items) = value else { throw OpenAIError.invalidType("tools", expected: "an array", got: value) }
        if items.isEmpty { throw emptyArray("tools") }
        if items.count > 128 { throw tooLong("tools", items.count, max: 128) }
        var out: [ChatTool] = []
        for (i, item) in items.enumerated() {
            let path = "tools[\(i)]"
            guard case .object(let o) = item else { throw OpenAIError.invalidType(path, expected: "an object", got: item) }
            let type = o["type"]?.stringValue ?? "function"
            switch type {
            case "function":
                guard let f = o["function"], f != .null else { throw OpenAIError.missingParameter("\(path).function") }
                out.append(try function(f, path: "\(path).function"))
            case "custom":
                guard case .object(let c)? = o["custom"] else { throw OpenAIError.missingParameter("\(path).custom") }
                let name = try ChatMessage.requiredString(c, "name", path: "\(path).custom")
                try checkName(name, param: "\(path).custom.name")
                out.append(ChatTool(name: name, description: c["description"]?.stringValue, isCustom: true,
                                    grammar: try customFormat(c["format"], path: "\(path).custom.format")))
            default:
                throw OpenAIError.invalidRequest("Invalid value: '\(type)'. Supported values are: 'function' and 'custom'.",
                                                 param: "\(path).type", code: "invalid_value")
            }
        }
        var seen: [String] = []
        for (i, tool) in out.enumerated() {
            if seen.contains(tool.name) {
                throw OpenAIError.invalidRequest("Invalid 'tools': duplicate function name '\(tool.name)' at tools[\(i)].",
                                                 param: "tools", code: "invalid_value")
            }
            seen.append(tool.name)
        }
        return out
    }

    /// A custom tool's `format`: `{type: "text"}` (nil) or `{type: "grammar", grammar: {definition, syntax}}`,
    /// whose definition must compile.
    static func customFormat(_ value: JSONValue?, path: String) throws(OpenAIError) -> CustomGrammar? {
        guard let value, value != .null else { return nil }
        guard case .object(let o) = value else { throw OpenAIError.invalidType(path, expected: "an object", got: value) }
        guard let type = try CompletionFields(o, path: path + ".").oneOf("type", ["text", "grammar"]) else {
            throw OpenAIError.missingParameter("\(path).type")
        }
        guard type == "grammar" else { return nil }
        guard case .object(let g)? = o["grammar"] else { throw OpenAIError.missingParameter("\(path).grammar") }
        let definition = try ChatMessage.requiredString(g, "definition", path: "\(path).grammar")
        guard let name = try CompletionFields(g, path: path + ".grammar.").oneOf("syntax", CustomGrammar.Syntax.allCases.map(\.rawValue)),
              let syntax = CustomGrammar.Syntax(rawValue: name) else {
            throw OpenAIError.missingParameter("\(path).grammar.syntax")
        }
        let grammar = CustomGrammar(syntax: syntax, definition: definition)
        if let problem = grammar.compileError {
            throw OpenAIError.invalidRequest("Invalid grammar for custom tool: \(problem)", param: "\(path).grammar.definition",
                                             code: "invalid_value")
        }
        return grammar
    }

    /// One `{name, description?, parameters?, strict?}` object.
    static func function(_ value: JSONValue, path: String) throws(OpenAIError) -> ChatTool {
        guard case .object(let f) = value else { throw OpenAIError.invalidType(path, expected: "an object", got: value) }
        let name = try ChatMessage.requiredString(f, "name", path: path)
        try checkName(name, param: "\(path).name")
        var tool = ChatTool(name: name)
        if let d = f["description"], d != .null {
            guard case .string(let s) = d else { throw OpenAIError.invalidType("\(path).description", expected: "a string", got: d) }
            tool.description = s
        }
        if let p = f["parameters"], p != .null {
            guard case .object = p else { throw OpenAIError.invalidType("\(path).parameters", expected: "an object", got: p) }
            tool.parameters = p
        }
        if let s = f["strict"], s != .null {
            guard case .bool(let b) = s else { throw OpenAIError.invalidType("\(path).strict", expected: "a boolean", got: s) }
            tool.strict = b
        }
        if let schema = tool.parameters {
            try ChatStrictSchema.check(schema, owner: "function '\(name)'", param: "\(path).parameters", strict: tool.strict)
        }
        return tool
    }

    /// Legacy `functions`: 1–128 function objects.
    static func functions(_ value: JSONValue?) throws(OpenAIError) -> [ChatTool] {
        guard let value, value != .null else { return [] }
        guard case .array(let items) = value else { throw OpenAIError.invalidType("functions", expected: "an array", got: value) }
        if items.isEmpty { throw emptyArray("functions") }
        if items.count > 128 { throw tooLong("functions", items.count, max: 128) }
        var out: [ChatTool] = []
        for (i, item) in items.enumerated() { out.append(try function(item, path: "functions[\(i)]")) }
        return out
    }

    /// `tool_choice` checked against the declared tools. Default: auto with tools, none without.
    static func toolChoice(_ value: JSONValue?, tools: [ChatTool]) throws(OpenAIError) -> ChatToolChoice {
        guard let value, value != .null else { return tools.isEmpty ? .none : .auto }
        if tools.isEmpty && value != .string("none") {
            throw OpenAIError.invalidRequest(
                "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.",
                param: "tool_choice")
        }
        switch value {
        case .string(let s):
            switch s {
            case "none": return .none
            case "auto": return .auto
            case "required": return .required
            default:
                throw OpenAIError.invalidRequest("Invalid value: '\(s)'. Supported values are: 'none', 'auto', and 'required'.",
                                                 param: "tool_choice", code: "invalid_value")
            }
        case .object(let o):
            let type = o["type"]?.stringValue ?? "function"
            switch type {
            case "function", "custom":
                guard case .object(let f)? = o[type] else { throw OpenAIError.missingParameter("tool_choice.\(type)") }
                let name = try ChatMessage.requiredString(f, "name", path: "tool_choice.\(type)")
                try requireDeclared(name, tools: tools, param: "tool_choice")
                return .named(name)
            case "allowed_tools":
                guard case .object(let a)? = o["allowed_tools"] else { throw OpenAIError.missingParameter("tool_choice.allowed_tools") }
                let mode = a["mode"]?.stringValue ?? "auto"
                guard mode == "auto" || mode == "required" else {
                    throw OpenAIError.invalidRequest("Invalid value: '\(mode)'. Supported values are: 'auto' and 'required'.",
                                                     param: "tool_choice.allowed_tools.mode", code: "invalid_value")
                }
                guard case .array(let list)? = a["tools"] else { throw OpenAIError.missingParameter("tool_choice.allowed_tools.tools") }
                var names: [String] = []
                for (i, entry) in list.enumerated() {
                    let t = entry["type"]?.stringValue ?? "function"
                    guard let name = entry[t]?["name"]?.stringValue ?? entry["name"]?.stringValue else {
                        throw OpenAIError.missingParameter("tool_choice.allowed_tools.tools[\(i)].\(t).name")
                    }
                    try requireDeclared(name, tools: tools, param: "tool_choice.allowed_tools.tools[\(i)]")
                    names.append(name)
                }
                return .allowed(names: names, required: mode == "required")
            default:
                throw OpenAIError.invalidRequest(
                    "Invalid value: '\(type)'. Supported values are: 'function', 'custom', and 'allowed_tools'.",
                    param: "tool_choice.type", code: "invalid_value")
            }
        default:
            throw OpenAIError.invalidType("tool_choice", expected: "one of a string or object", got: value)
        }
    }

    private static func requireDeclared(_ name: String, tools: [ChatTool], param: String) throws(OpenAIError) {
        guard tools.contains(where: { $0.name == name }) else {
            throw OpenAIError.invalidRequest("Invalid value for '\(param)': no function named '\(name)' was specified in the 'tools' parameter.",
                                             param: param, code: "invalid_value")
        }
    }

    /// Legacy `function_call`: "none" | "auto" | {name}.
    static func functionCall(_ value: JSONValue?, functions: [ChatTool]) throws(OpenAIError) -> ChatToolChoice {
        guard let value, value != .null else { return functions.isEmpty ? .none : .auto }
        if functions.isEmpty {
            throw OpenAIError.invalidRequest(
                "Invalid value for 'function_call': 'function_call' is only allowed when 'functions' are specified.",
                param: "function_call")
        }
        switch value {
        case .string("none"): return .none
        case .string("auto"): return .auto
        case .string(let s):
            throw OpenAIError.invalidRequest("Invalid value: '\(s)'. Supported values are: 'none' and 'auto'.",
                                             param: "function_call", code: "invalid_value")
        case .object(let o):
            let name = try ChatMessage.requiredString(o, "name", path: "function_call")
            guard functions.contains(where: { $0.name == name }) else {
                throw OpenAIError.invalidRequest("Invalid value for 'function_call': function '\(name)' was not found in 'functions'.",
                                                 param: "function_call", code: "invalid_value")
            }
            return .named(name)
        default:
            throw OpenAIError.invalidType("function_call", expected: "one of a string or object", got: value)
        }
    }

    /// `response_format`: text | json_object | json_schema {name, schema?, strict?}.
    static func responseFormat(_ value: JSONValue?) throws(OpenAIError) -> ChatResponseFormat {
        guard let value, value != .null else { return .text }
        guard case .object(let o) = value else {
            throw OpenAIError.invalidType("response_format", expected: "an object", got: value)
        }
        guard let t = o["type"], t != .null else { throw OpenAIError.missingParameter("response_format.type") }
        switch t.stringValue {
        case "text"?: return .text
        case "json_object"?: return .jsonObject
        case "json_schema"?:
            guard let js = o["json_schema"], js != .null else { throw OpenAIError.missingParameter("response_format.json_schema") }
            guard case .object(let j) = js else {
                throw OpenAIError.invalidType("response_format.json_schema", expected: "an object", got: js)
            }
            let name = try ChatMessage.requiredString(j, "name", path: "response_format.json_schema")
            try checkName(name, param: "response_format.json_schema.name")
            let schema = j["schema"] ?? .object(JSONObject())
            guard case .object = schema else {
                throw OpenAIError.invalidType("response_format.json_schema.schema", expected: "an object", got: schema)
            }
            let strict = j["strict"]?.boolValue ?? false
            try ChatStrictSchema.check(schema, owner: "response_format '\(name)'", param: "response_format", strict: strict)
            return .jsonSchema(name: name, schema: schema, strict: strict)
        default:
            throw OpenAIError.invalidRequest(
                "Invalid value: '\(t.stringValue ?? t.typeName)'. Supported values are: 'text', 'json_object', and 'json_schema'.",
                param: "response_format.type", code: "invalid_value")
        }
    }
}
