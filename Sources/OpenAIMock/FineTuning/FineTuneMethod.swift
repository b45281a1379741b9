/// A job's training method (`method` and the deprecated top-level `hyperparameters`): what the client
/// asked for — each hyperparameter `"auto"` or a value — and the concrete values the job runs with.
package struct FineTuneMethod: Sendable, Equatable {
    package enum Kind: String, Sendable {
        case supervised, dpo, reinforcement
    }

    /// One hyperparameter as requested.
    package enum Setting: Sendable, Equatable {
        case auto
        case value(JSONValue)

        var json: JSONValue {
            switch self {
            case .auto: return "auto"
            case .value(let v): return v
            }
        }
    }

    package var kind: Kind
    /// Requested hyperparameters by name, in the API's order.
    package var requested: [(name: String, setting: Setting)]
    /// What the job runs with.
    package var epochs: Int
    package var batchSize: Int
    package var learningRateMultiplier: Double
    package var beta: Double?
    /// The reinforcement grader, as sent.
    package var grader: JSONValue?

    package static func == (a: FineTuneMethod, b: FineTuneMethod) -> Bool {
        a.kind == b.kind && a.epochs == b.epochs && a.batchSize == b.batchSize
            && a.learningRateMultiplier == b.learningRateMultiplier && a.beta == b.beta && a.grader == b.grader
            && a.requested.map(\.name) == b.requested.map(\.name) && a.requested.map(\.setting) == b.requested.map(\.setting)
    }

    /// The names each method takes, in the API's order.
    static func names(_ kind: Kind) -> [String] {
        switch kind {
        case .supervised: return ["batch_size", "learning_rate_multiplier", "n_epochs"]
        case .dpo: return ["batch_size", "beta", "learning_rate_multiplier", "n_epochs"]
        case .reinforcement:
            return ["batch_size", "compute_multiplier", "eval_interval", "eval_samples", "learning_rate_multiplier",
                    "n_epochs", "reasoning_effort"]
        }
    }

    // MARK: Resolving "auto"

    /// The real API's defaults for `examples` training lines: 3 epochs, more for small files and fewer for
    /// large ones (the OpenAI cookbook's formula), a batch of about 0.2 % of the examples (1–256), and a
    /// learning-rate multiplier of 2 for small batches.
    static func autoEpochs(_ examples: Int) -> Int {
        let n = max(1, examples)
        if n * 3 < 100 { return min(25, (100 + n - 1) / n) }
        if n * 3 > 25_000 { return max(1, 25_000 / n) }
        return 3
    }

    static func autoBatchSize(_ examples: Int) -> Int { max(1, min(256, Int((Double(examples) * 0.002).rounded()))) }

    static func autoLearningRate(batchSize: Int) -> Double { batchSize >= 32 ? 1.0 : 2.0 }

    // MARK: JSON

    /// `{"batch_size": …, …}`: what was asked while the job has not started, the values used after.
    func hyperparametersJSON(resolved: Bool) -> JSONValue {
        .object(JSONObject(requested.map { item -> (String, JSONValue) in
            guard resolved else { return (item.name, item.setting.json) }
            switch item.name {
            case "n_epochs": return (item.name, .int(epochs))
            case "batch_size": return (item.name, .int(batchSize))
            case "learning_rate_multiplier": return (item.name, .double(learningRateMultiplier))
            case "beta": return (item.name, beta.map(JSONValue.double) ?? item.setting.json)
            default: return (item.name, item.setting == .auto ? Self.reinforcementDefault(item.name) : item.setting.json)
            }
        }))
    }

    static func reinforcementDefault(_ name: String) -> JSONValue {
        switch name {
        case "compute_multiplier": return .double(1)
        case "eval_interval": return .int(1)
        case "eval_samples": return .int(1)
        case "reasoning_effort": return "medium"
        default: return "auto"
        }
    }

    /// The `method` object of a job.
    func json(resolved: Bool) -> JSONValue {
        var inner = JSONObject([("hyperparameters", hyperparametersJSON(resolved: resolved))])
        if let grader { inner.append("grader", grader) }
        return .object(JSONObject([("type", .string(kind.rawValue)), (kind.rawValue, .object(inner))]))
    }

    var stored: JSONValue {
        var o = JSONObject([
            ("kind", .string(kind.rawValue)),
            ("requested", .object(JSONObject(requested.map { ($0.name, $0.setting.json) }))),
            ("epochs", .int(epochs)), ("batch_size", .int(batchSize)), ("lrm", .double(learningRateMultiplier)),
        ])
        if let beta { o.append("beta", .double(beta)) }
        if let grader { o.append("grader", grader) }
        return .object(o)
    }

    init(kind: Kind, requested: [(name: String, setting: Setting)], epochs: Int, batchSize: Int,
         learningRateMultiplier: Double, beta: Double?, grader: JSONValue?) {
        self.kind = kind
        self.requested = requested
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRateMultiplier = learningRateMultiplier
        self.beta = beta
        self.grader = grader
    }

    init(stored v: JSONValue) throws(StoreDecodingError) {
        guard let kind = Kind(rawValue: try v.string("kind")) else { throw StoreDecodingError("invalid method kind") }
        self.kind = kind
        requested = (v["requested"]?.objectValue?.pairs ?? []).map { pair in
            (pair.key, pair.value == "auto" ? Setting.auto : .value(pair.value))
        }
        epochs = try v.int("epochs")
        batchSize = try v.int("batch_size")
        learningRateMultiplier = v["lrm"]?.doubleValue ?? 1
        beta = v["beta"]?.doubleValue
        grader = v["grader"]
    }
}
