/// `POST /v1/fine-tunes` (openai 0.28), validated as the legacy API did.
struct LegacyFineTuneRequest: Sendable {
    var trainingFile: String
    var validationFile: String?
    var model: String
    var epochs: Int?
    var batchSize: Int?
    var learningRateMultiplier: Double?
    var promptLossWeight: Double?
    var computeClassificationMetrics: Bool
    var classificationNClasses: Int?
    var classificationPositiveClass: String?
    var classificationBetas: [Double]?
    var suffix: String?

    init(_ body: JSONObject) throws(OpenAIError) {
        trainingFile = try body.requiredString("training_file")
        validationFile = try Self.string(body, "validation_file")
        model = try Self.string(body, "model") ?? "curie"
        func number(_ name: String, min: Double, open: Bool = false) throws(OpenAIError) -> Double? {
            guard let v = body[name], v != .null else { return nil }
            guard let x = v.doubleValue else { throw OpenAIError.invalidType(name, expected: "a number", got: v) }
            guard open ? x > min : x >= min else {
                throw OpenAIError.invalidRequest("\(CompletionFields.format(x)) is \(open ? "less than or equal to" : "less than") the minimum of \(CompletionFields.format(min)) - '\(name)'",
                                                 param: name, code: "invalid_value")
            }
            return x
        }
        func integer(_ name: String, min: Int) throws(OpenAIError) -> Int? {
            guard let v = body[name], v != .null else { return nil }
            guard let n = v.intValue else { throw OpenAIError.invalidType(name, expected: "an integer", got: v) }
            guard n >= min else {
                throw OpenAIError.invalidRequest("\(n) is less than the minimum of \(min) - '\(name)'", param: name, code: "invalid_value")
            }
            return n
        }
        epochs = try integer("n_epochs", min: 1)
        if let e = epochs, e > 50 {
            throw OpenAIError.invalidRequest("\(e) is greater than the maximum of 50 - 'n_epochs'", param: "n_epochs", code: "invalid_value")
        }
        batchSize = try integer("batch_size", min: 1)
        learningRateMultiplier = try number("learning_rate_multiplier", min: 0, open: true)
        promptLossWeight = try number("prompt_loss_weight", min: 0)
        if let v = body["compute_classification_metrics"], v != .null {
            guard case .bool(let b) = v else { throw OpenAIError.invalidType("compute_classification_metrics", expected: "a boolean", got: v) }
            computeClassificationMetrics = b
        } else {
            computeClassificationMetrics = false
        }
        classificationNClasses = try integer("classification_n_classes", min: 2)
        classificationPositiveClass = try Self.string(body, "classification_positive_class")
        if let v = body["classification_betas"], v != .null {
            guard let items = v.arrayValue, items.allSatisfy({ $0.doubleValue != nil }) else {
                throw OpenAIError.invalidType("classification_betas", expected: "an array of numbers", got: v)
            }
            classificationBetas = items.compactMap(\.doubleValue)
        }
        if computeClassificationMetrics {
            guard validationFile != nil else {
                throw OpenAIError.invalidRequest("compute_classification_metrics requires a validation_file.", param: "validation_file")
            }
            guard classificationNClasses != nil || classificationPositiveClass != nil else {
                throw OpenAIError.invalidRequest(
                    "compute_classification_metrics needs classification_n_classes (multiclass) or classification_positive_class (binary).",
                    param: "classification_n_classes")
            }
        }
        if let v = body["suffix"] {
            guard case .string(let s) = v else {
                throw OpenAIError.invalidRequest("\(v == .null ? "None" : v.jsonString) is not of type 'string' - 'suffix'", param: "suffix")
            }
            guard (1...40).contains(s.count) else {
                throw OpenAIError.invalidRequest("'\(s)' is \(s.isEmpty ? "too short" : "too long") - 'suffix'", param: "suffix")
            }
            // Model names carry the suffix lower-cased, with punctuation and spaces as hyphens.
            suffix = String(s.lowercased().map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "-" })
        }
    }

    private static func string(_ body: JSONObject, _ name: String) throws(OpenAIError) -> String? {
        guard let v = body[name], v != .null else { return nil }
        guard case .string(let s) = v else { throw OpenAIError.invalidType(name, expected: "a string", got: v) }
        return s
    }

    /// The legacy defaults: 4 epochs, a batch of about 0.2 % of the examples (1–256), a learning-rate
    /// multiplier of 0.05, 0.1 or 0.2 as the batch grows, prompt loss weight 0.01.
    func hyperparams(examples: Int) -> LegacyFineTuneRecord.Hyperparams {
        let batch = batchSize ?? FineTuneMethod.autoBatchSize(examples)
        return LegacyFineTuneRecord.Hyperparams(
            epochs: epochs ?? 4, batchSize: batch,
            learningRateMultiplier: learningRateMultiplier ?? (batch < 8 ? 0.05 : batch < 64 ? 0.1 : 0.2),
            promptLossWeight: promptLossWeight ?? 0.01, computeClassificationMetrics: computeClassificationMetrics,
            classificationNClasses: classificationNClasses, classificationPositiveClass: classificationPositiveClass,
            classificationBetas: classificationBetas)
    }
}
