/// Decides, deterministically, which tools the default generator calls and with which arguments.
///
/// `auto` calls a tool when the last user message mentions it: its name (or a salient part of it, split
/// on `_`, `-` and camelCase: `get_weather` → `weather`), or ≥ 2 salient words of its description
/// (case-insensitive, light stemming), or — for a Chinese message — a Chinese word of its description or
/// the Chinese for a name word (`weather` → `天气`). `required` always calls (the best match, else the first
/// tool); a named choice calls that tool. With `parallel` every matching tool is called once, otherwise
/// only the best. Under `auto`, a conversation whose last message is a tool result gets text, not
/// another call. Arguments come from `SchemaInstanceGenerator` with the user's message as context.
public enum ToolCallPlanner {
    public struct Tool: Sendable, Equatable {
        public var name: String
        public var description: String?
        /// JSON Schema of the arguments (nil → `{}`).
        public var parameters: JSONValue?
        public var strict: Bool

        public init(name: String, description: String? = nil, parameters: JSONValue? = nil, strict: Bool = false) {
            self.name = name
            self.description = description
            self.parameters = parameters
            self.strict = strict
        }
    }

    /// `tool_choice`.
    public enum Choice: Sendable, Equatable {
        case none, auto, required
        case named(String)
        /// `{"type":"allowed_tools","allowed_tools":{"mode":…,"tools":[…]}}`.
        case allowed(names: [String], required: Bool)

        /// Parses the request's `tool_choice` (absent → `auto`; the caller maps "no tools" to `none`).
        public init(json: JSONValue?) {
            switch json {
            case .string("none")?: self = .none
            case .string("required")?: self = .required
            case .object(let o)?:
                if let name = o["function"]?["name"]?.stringValue ?? o["custom"]?["name"]?.stringValue ?? o["name"]?.stringValue {
                    self = .named(name)
                } else if let allowed = o["allowed_tools"]?.objectValue {
                    let names = (allowed["tools"]?.arrayValue ?? []).compactMap {
                        $0["function"]?["name"]?.stringValue ?? $0["custom"]?["name"]?.stringValue ?? $0["name"]?.stringValue
                    }
                    self = .allowed(names: names, required: allowed["mode"]?.stringValue == "required")
                } else {
                    self = .auto
                }
            default: self = .auto
            }
        }
    }

    public struct Call: Sendable, Equatable {
        /// `call_` + 24 base-62 characters.
        public var id: String
        public var name: String
        public var arguments: JSONValue
        /// The output budget ran out while generating `arguments` (they are incomplete).
        public var truncated = false
        /// `arguments` as the JSON string the API sends.
        public var argumentsJSON: String { arguments.jsonString }
    }

    /// `outputBudget`: bytes of argument JSON all calls together may take (see ``SchemaInstanceGenerator``).
    public static func plan(tools: [Tool], choice: Choice, parallel: Bool = true, lastUserMessage: String,
                            lastMessageIsToolResult: Bool = false, seed: UInt64,
                            outputBudget: Int = SchemaInstanceGenerator.defaultBudget) -> [Call] {
        var candidates = tools
        var mustCall = false
        switch choice {
        case .none: return []
        case .auto: break
        case .required: mustCall = true
        case .named(let name):
            candidates = tools.filter { $0.name == name }
            mustCall = true
        case .allowed(let names, let required):
            candidates = tools.filter { names.contains($0.name) }
            mustCall = required
        }
        guard !candidates.isEmpty else { return [] }
        if lastMessageIsToolResult && !mustCall { return [] }

        let scores = candidates.map { score($0, message: lastUserMessage) }
        var picked = candidates.indices.filter { scores[$0] > 0 }
        picked.sort { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
        if picked.isEmpty {
            guard mustCall else { return [] }
            picked = [0]
        }
        if !parallel { picked = [picked[0]] }
        picked.sort()  // call order follows the tools' order
        var calls: [Call] = []
        var budget = outputBudget
        for (position, index) in picked.enumerated() where budget > 0 {
            let tool = candidates[index]
            var h = StableHash(seed)
            h.combine("tool_call")
            h.combine(tool.name)
            h.combine(position)
            let callSeed = h.finalized
            let schema = tool.parameters ?? .object(["type": "object", "properties": .object([:])])
            let generated = SchemaInstanceGenerator(schema: schema, context: lastUserMessage).generate(seed: callSeed, budget: budget)
            budget -= generated.value.serialized().count
            calls.append(Call(id: "call_" + StableHash.idSuffix(SplitMix64.mix(callSeed), length: 24), name: tool.name,
                              arguments: generated.value, truncated: generated.truncated))
            if generated.truncated { break }
        }
        return calls
    }

    /// 0 when the message does not mention the tool; higher is a better match.
    static func score(_ tool: Tool, message: String) -> Int {
        let lower = message.lowercased()
        let messageWords = Set(words(in: lower).map(stem))
        var score = 0
        if lower.contains(tool.name.lowercased()) { score += 5 }
        let nameWords = splitName(tool.name).filter { !genericVerbs.contains($0) }
        for word in nameWords where messageWords.contains(stem(word)) { score += 3 }
        let isChinese = TextLanguage.detect(message) == .chinese
        if isChinese {
            for word in nameWords { if let zh = chineseGlossary[word], message.contains(zh) { score += 3 } }
        }
        if let description = tool.description {
            let salient = Set(words(in: description.lowercased()).filter { $0.count >= 4 && !WordBank.english.stopwords.contains($0) }.map(stem))
            let hits = salient.filter { messageWords.contains($0) }.count
            if hits >= 2 { score += hits }
            if isChinese {
                let zhWords = TextGenerator.splitCJK(description, stopwords: WordBank.chinese.stopwords)
                    .filter { $0.count >= 2 && $0.unicodeScalars.allSatisfy { $0.value >= 0x3400 } }
                if zhWords.contains(where: { message.contains($0) }) { score += 2 }
            }
        }
        return score
    }

    /// `get_weather`, `getWeather`, `get-weather` → `["get", "weather"]`.
    static func splitName(_ name: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var previousLower = false
        for ch in name {
            if ch == "_" || ch == "-" || ch == " " || ch == "." {
                if !current.isEmpty { parts.append(current.lowercased()); current = "" }
                previousLower = false
                continue
            }
            if ch.isUppercase && previousLower && !current.isEmpty { parts.append(current.lowercased()); current = "" }
            current.append(ch)
            previousLower = ch.isLowercase || ch.isNumber
        }
        if !current.isEmpty { parts.append(current.lowercased()) }
        return parts
    }

    /// ASCII-ish word runs (letters and digits).
    static func words(in text: String) -> [String] {
        var out: [String] = []
        var current = ""
        for ch in text {
            if ch.isLetter && ch.isASCII || ch.isNumber { current.append(ch) }
            else if !current.isEmpty { out.append(current); current = "" }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// Light stemming so `forecasts`/`forecast`, `searching`/`search` meet.
    static func stem(_ word: String) -> String {
        for suffix in ["ing", "ies", "es", "ed", "s"] where word.count > suffix.count + 3 && word.hasSuffix(suffix) {
            return String(word.dropLast(suffix.count)) + (suffix == "ies" ? "y" : "")
        }
        return word
    }

    static let genericVerbs: Set<String> = ["get", "set", "fetch", "find", "list", "create", "update", "delete", "do",
                                            "run", "make", "lookup", "query", "call", "send", "add", "remove", "check",
                                            "current", "info", "data", "tool", "function", "by", "for", "the", "to"]

    static let chineseGlossary: [String: String] = [
        "weather": "天气", "time": "时间", "search": "搜索", "stock": "股票", "price": "价格", "news": "新闻",
        "translate": "翻译", "email": "邮件", "calendar": "日历", "location": "位置", "map": "地图", "music": "音乐",
        "flight": "航班", "hotel": "酒店", "order": "订单", "temperature": "温度", "exchange": "汇率", "rate": "汇率",
        "calculate": "计算", "calculator": "计算", "date": "日期", "user": "用户", "file": "文件", "image": "图片",
    ]
}
