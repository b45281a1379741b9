/// `POST /v1/fine_tuning/jobs`, validated as the real API validates it.
struct FineTuningJobRequest: Sendable {
    var model: String
    var trainingFile: String
    var validationFile: String?
    var suffix: String?
    var seed: Int?
    var kind: FineTuneMethod.Kind
    var requested: [(name: String, setting: FineTuneMethod.Setting)]
    var grader: JSONValue?
    var integrations: JSONValue
    var metadata: JSONValue

    /// Models the real API fine-tunes, by the name a client uses → the snapshot a job shows.
    static let snapshots: [String: String] = {
        var map: [String: String] = [:]
        for (alias, snapshot) in [("gpt-4o-mini", "gpt-4o-mini-2024-07-18"), ("gpt-4o", "gpt-4o-2024-08-06"),
                                  ("gpt-4.1", "gpt-4.1-2025-04-14"), ("gpt-4.1-mini", "gpt-4.1-mini-2025-04-14"),
                                  ("gpt-4.1-nano", "gpt-4.1-nano-2025-04-14"), ("gpt-3.5-turbo", "gpt-3.5-turbo-0125"),
                                  ("gpt-3.5-turbo-1106", "gpt-3.5-turbo-1106"), ("gpt-4-0613", "gpt-4-0613"),
                                  ("davinci-002", "davinci-002"), ("babbage-002", "babbage-002"),
                                  ("o4-mini", "o4-mini-2025-04-16")] {
            map[alias] = snapshot
            map[snapshot] = snapshot
        }
        return map
    }()

    init(_ body: JSONObject) throws(OpenAIError) {
        model = try body.requiredString("model")
        trainingFile = try body.requiredString("training_file")
        validationFile = try Self.optionalString(body, "validation_file")
        suffix = try Self.optionalString(body, "suffix")
        if let suffix, suffix.count > 64 || suffix.isEmpty {
            throw OpenAIError.invalidRequest(
                "Invalid 'suffix': string too \(suffix.isEmpty ? "short" : "long"). Expected a string with \(suffix.isEmpty ? "minimum length 1" : "maximum length 64"), but got a string with length \(suffix.count) instead.",
                param: "suffix", code: suffix.isEmpty ? "string_below_min_length" : "string_above_max_length")
        }
        if let value = body["seed"], value != .null {
            guard let n = value.intValue else { throw OpenAIError.invalidType("seed", expected: "an integer", got: value) }
            guard (0...2_147_483_647).contains(n) else {
                throw OpenAIError.invalidRequest("Invalid 'seed': must be between 0 and 2147483647, but got \(n) instead.",
                                                 param: "seed", code: "invalid_value")
            }
            seed = n
        }
        let topLevel = body["hyperparameters"].flatMap { $0 == .null ? nil : $0 }
        var kind = FineTuneMethod.Kind.supervised
        var inner: JSONObject?
        if let method = body["method"], method != .null {
            guard case .object(let m) = method else { throw OpenAIError.invalidType("method", expected: "an object", got: method) }
            guard let typeValue = m["type"], case .string(let type) = typeValue else { throw OpenAIError.missingParameter("method.type") }
            guard let k = FineTuneMethod.Kind(rawValue: type) else {
                throw OpenAIError.invalidRequest("Invalid value: '\(type)'. Supported values are: 'supervised', 'dpo', and 'reinforcement'.",
                                                 param: "method.type", code: "invalid_value")
            }
            kind = k
            if let i = m[type], i != .null {
                guard case .object(let o) = i else { throw OpenAIError.invalidType("method.\(type)", expected: "an object", got: i) }
                inner = o
            }
        }
        var hyper = JSONObject()
        var path = "hyperparameters"
        if let nested = inner?["hyperparameters"], nested != .null {
            if topLevel != nil {
                throw OpenAIError.invalidRequest("Specify hyperparameters either in 'hyperparameters' or in 'method.\(kind.rawValue).hyperparameters', not both.",
                                                 param: "hyperparameters")
            }
            guard case .object(let o) = nested else {
                throw OpenAIError.invalidType("method.\(kind.rawValue).hyperparameters", expected: "an object", got: nested)
            }
            hyper = o
            path = "method.\(kind.rawValue).hyperparameters"
        } else if let topLevel {
            guard kind == .supervised else {
                throw OpenAIError.invalidRequest("'hyperparameters' applies to supervised fine-tuning only; use 'method.\(kind.rawValue).hyperparameters'.",
                                                 param: "hyperparameters")
            }
            guard case .object(let o) = topLevel else { throw OpenAIError.invalidType("hyperparameters", expected: "an object", got: topLevel) }
            hyper = o
        }
        self.kind = kind
        var requested: [(name: String, setting: FineTuneMethod.Setting)] = []
        for name in FineTuneMethod.names(kind) { requested.append((name, try Self.setting(hyper, name, path: path))) }
        self.requested = requested
        if kind == .reinforcement {
            guard let g = inner?["grader"], g != .null else { throw OpenAIError.missingParameter("method.reinforcement.grader") }
            _ = try Grader(g, path: "method.reinforcement.grader")
            grader = g
        }
        integrations = try Self.integrations(body["integrations"])
        metadata = try Metadata.validate(body["metadata"])
    }

    private static func optionalString(_ body: JSONObject, _ name: String) throws(OpenAIError) -> String? {
        guard let value = body[name], value != .null else { return nil }
        guard case .string(let s) = value else { throw OpenAIError.invalidType(name, expected: "a string", got: value) }
        return s
    }

    /// `"auto"` or a value within the hyperparameter's range.
    private static func setting(_ o: JSONObject, _ name: String, path: String) throws(OpenAIError) -> FineTuneMethod.Setting {
        guard let value = o[name], value != .null, value != "auto" else { return .auto }
        let param = "\(path).\(name)"
        func range(_ x: Double, _ low: Double, _ high: Double, open: Bool = false) throws(OpenAIError) {
            guard (open ? x > low : x >= low) && x <= high else {
                throw OpenAIError.invalidRequest(
                    "Invalid '\(param)': expected a value \(open ? ">" : ">=") \(CompletionFields.format(low)) and <= \(CompletionFields.format(high)), but got \(CompletionFields.format(x)) instead.",
                    param: param, code: "invalid_value")
            }
        }
        switch name {
        case "n_epochs", "batch_size", "eval_interval", "eval_samples":
            guard let n = value.intValue else { throw OpenAIError.invalidType(param, expected: "'auto' or an integer", got: value) }
            try range(Double(n), 1, name == "n_epochs" ? 50 : (name == "batch_size" ? 256 : 1_000_000))
        case "learning_rate_multiplier", "compute_multiplier":
            guard let x = value.doubleValue else { throw OpenAIError.invalidType(param, expected: "'auto' or a number", got: value) }
            try range(x, 0, 10, open: true)
        case "beta":
            guard let x = value.doubleValue else { throw OpenAIError.invalidType(param, expected: "'auto' or a number", got: value) }
            try range(x, 0, 2, open: true)
        case "reasoning_effort":
            guard let s = value.stringValue, ["default", "low", "medium", "high"].contains(s) else {
                throw OpenAIError.invalidRequest("Invalid value for '\(param)': supported values are 'default', 'low', 'medium' and 'high'.",
                                                 param: param, code: "invalid_value")
            }
        default:
            break
        }
        return .value(value)
    }

    private static func integrations(_ value: JSONValue?) throws(OpenAIError) -> JSONValue {
        guard let value, value != .null else { return .null }
        guard case .array(let items) = value else { throw OpenAIError.invalidType("integrations", expected: "an array", got: value) }
        guard items.count <= 5 else {
            throw OpenAIError.invalidRequest("Invalid 'integrations': array too long. Expected an array with maximum length 5, but got an array with length \(items.count) instead.",
                                             param: "integrations", code: "array_above_max_length")
        }
        for (i, item) in items.enumerated() {
            guard item["type"] == "wandb" else {
                throw OpenAIError.invalidRequest("Invalid value for 'integrations[\(i)].type': only 'wandb' is supported.",
                                                 param: "integrations[\(i)].type", code: "invalid_value")
            }
            guard item["wandb"]?["project"]?.stringValue != nil else { throw OpenAIError.missingParameter("integrations[\(i)].wandb.project") }
        }
        return value
    }

    /// The method with "auto" resolved for a file of `examples` lines.
    func method(examples: Int) -> FineTuneMethod {
        func value(_ name: String) -> JSONValue? {
            if case .value(let v) = requested.first(where: { $0.name == name })?.setting { return v }
            return nil
        }
        let batch = value("batch_size")?.intValue ?? FineTuneMethod.autoBatchSize(examples)
        return FineTuneMethod(kind: kind, requested: requested,
                              epochs: value("n_epochs")?.intValue ?? FineTuneMethod.autoEpochs(examples),
                              batchSize: batch,
                              learningRateMultiplier: value("learning_rate_multiplier")?.doubleValue
                                  ?? FineTuneMethod.autoLearningRate(batchSize: batch),
                              beta: kind == .dpo ? (value("beta")?.doubleValue ?? 0.1) : nil, grader: grader)
    }
}
