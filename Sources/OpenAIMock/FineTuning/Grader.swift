/// A grader (`/v1/fine_tuning/alpha/graders/*`, reinforcement fine-tuning): parsed and checked, and
/// run locally — string checks and text similarity computed exactly, model graders answered by the
/// mock's own deterministic judgement, multi graders combined by their formula. Python graders would
/// need to run code and get a clear 400.
indirect enum Grader: Sendable {
    case stringCheck(name: String, input: String, reference: String, operation: String)
    case textSimilarity(name: String, input: String, reference: String, metric: String)
    case scoreModel(name: String, model: String, input: [(role: String, text: String)], range: ClosedRange<Double>)
    case labelModel(name: String, model: String, input: [(role: String, text: String)], labels: [String], passing: [String])
    case multi(name: String, graders: [(String, Grader)], formula: GraderFormula)

    static let metrics = ["cosine", "fuzzy_match", "bleu", "gleu", "meteor", "rouge_1", "rouge_2", "rouge_3", "rouge_4",
                          "rouge_5", "rouge_l"]

    var name: String {
        switch self {
        case .stringCheck(let n, _, _, _), .textSimilarity(let n, _, _, _), .scoreModel(let n, _, _, _),
             .labelModel(let n, _, _, _, _), .multi(let n, _, _): return n
        }
    }

    var type: String {
        switch self {
        case .stringCheck: return "string_check"
        case .textSimilarity: return "text_similarity"
        case .scoreModel: return "score_model"
        case .labelModel: return "label_model"
        case .multi: return "multi"
        }
    }

    init(_ value: JSONValue, path: String) throws(OpenAIError) {
        guard case .object(let o) = value else { throw OpenAIError.invalidType(path, expected: "an object", got: value) }
        func string(_ key: String) throws(OpenAIError) -> String {
            guard let v = o[key], v != .null else { throw OpenAIError.missingParameter("\(path).\(key)") }
            guard case .string(let s) = v else { throw OpenAIError.invalidType("\(path).\(key)", expected: "a string", got: v) }
            return s
        }
        func oneOf(_ key: String, _ allowed: [String]) throws(OpenAIError) -> String {
            let s = try string(key)
            guard allowed.contains(s) else {
                throw OpenAIError.invalidRequest("Invalid value: '\(s)'. Supported values are: \(allowed.map { "'\($0)'" }.joined(separator: ", ")).",
                                                 param: "\(path).\(key)", code: "invalid_value")
            }
            return s
        }
        let name = try string("name")
        switch try string("type") {
        case "string_check":
            self = .stringCheck(name: name, input: try string("input"), reference: try string("reference"),
                                operation: try oneOf("operation", ["eq", "ne", "like", "ilike"]))
        case "text_similarity":
            self = .textSimilarity(name: name, input: try string("input"), reference: try string("reference"),
                                   metric: try oneOf("evaluation_metric", Self.metrics))
        case "score_model":
            var range = 0.0...1.0
            if let r = o["range"], r != .null {
                guard let items = r.arrayValue?.compactMap(\.doubleValue), items.count == 2, items[0] < items[1] else {
                    throw OpenAIError.invalidRequest("Invalid '\(path).range': expected two increasing numbers.", param: "\(path).range")
                }
                range = items[0]...items[1]
            }
            self = .scoreModel(name: name, model: try string("model"), input: try Self.messages(o["input"], path: "\(path).input"),
                               range: range)
        case "label_model":
            func strings(_ key: String) throws(OpenAIError) -> [String] {
                guard let items = o[key]?.arrayValue, !items.isEmpty else { throw OpenAIError.missingParameter("\(path).\(key)") }
                var out: [String] = []
                for item in items {
                    guard case .string(let s) = item else { throw OpenAIError.invalidType("\(path).\(key)", expected: "an array of strings", got: item) }
                    out.append(s)
                }
                return out
            }
            let labels = try strings("labels")
            let passing = try strings("passing_labels")
            if let bad = passing.first(where: { !labels.contains($0) }) {
                throw OpenAIError.invalidRequest("Invalid '\(path).passing_labels': '\(bad)' is not one of the labels.",
                                                 param: "\(path).passing_labels", code: "invalid_value")
            }
            self = .labelModel(name: name, model: try string("model"), input: try Self.messages(o["input"], path: "\(path).input"),
                               labels: labels, passing: passing)
        case "multi":
            guard let g = o["graders"], case .object(let graders) = g, !graders.isEmpty else {
                throw OpenAIError.missingParameter("\(path).graders")
            }
            var parts: [(String, Grader)] = []
            if graders["type"] != nil {  // one grader, named by its own name
                let one = try Grader(g, path: "\(path).graders")
                parts = [(one.name, one)]
            } else {
                for (key, sub) in graders { parts.append((key, try Grader(sub, path: "\(path).graders.\(key)"))) }
            }
            let formula: GraderFormula
            do {
                formula = try GraderFormula(try string("calculate_output"))
            } catch let error as OpenAIError {
                throw error
            } catch {
                throw OpenAIError.invalidRequest("Invalid '\(path).calculate_output': \(error)", param: "\(path).calculate_output")
            }
            if let unknown = formula.variables.first(where: { v in !parts.contains { $0.0 == v } }) {
                throw OpenAIError.invalidRequest("Invalid '\(path).calculate_output': '\(unknown)' is not one of the graders.",
                                                 param: "\(path).calculate_output", code: "invalid_value")
            }
            self = .multi(name: name, graders: parts, formula: formula)
        case "python":
            throw OpenAIError.invalidRequest(
                "Python graders are not supported by openai-mock: it does not run code. Use string_check, text_similarity, score_model, label_model or multi.",
                param: "\(path).type", code: "unsupported_value")
        case let other:
            throw OpenAIError.invalidRequest(
                "Invalid value: '\(other)'. Supported values are: 'string_check', 'text_similarity', 'python', 'score_model', 'label_model', and 'multi'.",
                param: "\(path).type", code: "invalid_value")
        }
    }

    private static func messages(_ value: JSONValue?, path: String) throws(OpenAIError) -> [(role: String, text: String)] {
        guard let items = value?.arrayValue, !items.isEmpty else { throw OpenAIError.missingParameter(path) }
        var out: [(String, String)] = []
        for (i, item) in items.enumerated() {
            guard let role = item["role"]?.stringValue else { throw OpenAIError.missingParameter("\(path)[\(i)].role") }
            let content = item["content"]
            let text = content?.stringValue ?? content?["text"]?.stringValue
                ?? content?.arrayValue?.compactMap { $0["text"]?.stringValue }.joined(separator: "\n") ?? ""
            out.append((role, text))
        }
        return out
    }
}
