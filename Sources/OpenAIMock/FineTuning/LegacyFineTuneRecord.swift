/// A fine-tune of the removed `/v1/fine-tunes` API (what openai 0.28 and its CLI drive), as the
/// store keeps it. It runs on the same plan as a current job (``JobPlan``), with the legacy API's
/// vocabulary: `pending → running → succeeded`, `Completed epoch k/n`, `curie:ft-…` model names.
package struct LegacyFineTuneRecord: StoreRecord, Equatable {
    package static let kind = "legacy_fine_tune"

    package struct Hyperparams: Sendable, Equatable {
        package var epochs: Int
        package var batchSize: Int
        package var learningRateMultiplier: Double
        package var promptLossWeight: Double
        package var computeClassificationMetrics: Bool
        package var classificationNClasses: Int?
        package var classificationPositiveClass: String?
        package var classificationBetas: [Double]?

        var json: JSONValue {
            var o = JSONObject([
                ("n_epochs", .int(epochs)), ("batch_size", .int(batchSize)), ("prompt_loss_weight", .double(promptLossWeight)),
                ("learning_rate_multiplier", .double(learningRateMultiplier)),
            ])
            if computeClassificationMetrics {
                o.append("compute_classification_metrics", true)
                if let n = classificationNClasses { o.append("classification_n_classes", .int(n)) }
                if let p = classificationPositiveClass { o.append("classification_positive_class", .string(p)) }
                if let b = classificationBetas { o.append("classification_betas", .array(b.map(JSONValue.double))) }
            }
            return .object(o)
        }

        init(epochs: Int, batchSize: Int, learningRateMultiplier: Double, promptLossWeight: Double,
             computeClassificationMetrics: Bool, classificationNClasses: Int?, classificationPositiveClass: String?,
             classificationBetas: [Double]?) {
            self.epochs = epochs
            self.batchSize = batchSize
            self.learningRateMultiplier = learningRateMultiplier
            self.promptLossWeight = promptLossWeight
            self.computeClassificationMetrics = computeClassificationMetrics
            self.classificationNClasses = classificationNClasses
            self.classificationPositiveClass = classificationPositiveClass
            self.classificationBetas = classificationBetas
        }

        init(stored v: JSONValue) throws(StoreDecodingError) {
            epochs = try v.int("n_epochs")
            batchSize = try v.int("batch_size")
            learningRateMultiplier = v["learning_rate_multiplier"]?.doubleValue ?? 0.1
            promptLossWeight = v["prompt_loss_weight"]?.doubleValue ?? 0.01
            computeClassificationMetrics = v["compute_classification_metrics"]?.boolValue ?? false
            classificationNClasses = v.optionalInt("classification_n_classes")
            classificationPositiveClass = v.optionalString("classification_positive_class")
            classificationBetas = v["classification_betas"]?.arrayValue?.compactMap(\.doubleValue)
        }
    }

    package var id: String
    package var sequence: Int
    package var createdMs: Int64
    /// As asked: `curie`, or the legacy fine-tuned model trained further.
    package var model: String
    package var baseModel: String
    package var parentModel: String?
    package var trainingFile: String
    package var trainingBlob: String
    package var validationFile: String?
    package var validationBlob: String?
    package var hyperparams: Hyperparams
    package var suffix: String?
    package var seed: Int
    package var organizationID: String
    package var organizationSlug: String
    package var exampleCount: Int
    package var tokensPerEpoch: Int
    /// Why validating the files fails (the text after `Error: `).
    package var failure: String?
    package var cancelledMs: Int64?
    package var resultFileID: String?

    package var blobs: [String] { [trainingBlob] + (validationBlob.map { [$0] } ?? []) }

    package var stored: JSONValue {
        var o = JSONObject([
            ("id", .string(id)), ("seq", .int(sequence)), ("created_ms", .int(Int(createdMs))), ("model", .string(model)),
            ("base_model", .string(baseModel)), ("training_file", .string(trainingFile)), ("training_blob", .string(trainingBlob)),
            ("hyperparams", hyperparams.json), ("seed", .int(seed)), ("organization_id", .string(organizationID)),
            ("organization_slug", .string(organizationSlug)), ("examples", .int(exampleCount)), ("tokens", .int(tokensPerEpoch)),
        ])
        if let parentModel { o.append("parent_model", .string(parentModel)) }
        if let validationFile { o.append("validation_file", .string(validationFile)) }
        if let validationBlob { o.append("validation_blob", .string(validationBlob)) }
        if let suffix { o.append("suffix", .string(suffix)) }
        if let failure { o.append("failure", .string(failure)) }
        if let cancelledMs { o.append("cancelled_ms", .int(Int(cancelledMs))) }
        if let resultFileID { o.append("result_file", .string(resultFileID)) }
        return .object(o)
    }

    package init(id: String, sequence: Int, createdMs: Int64, model: String, baseModel: String, parentModel: String?,
                 trainingFile: String, trainingBlob: String, validationFile: String?, validationBlob: String?,
                 hyperparams: Hyperparams, suffix: String?, seed: Int, organizationID: String, organizationSlug: String,
                 exampleCount: Int, tokensPerEpoch: Int, failure: String?) {
        self.id = id
        self.sequence = sequence
        self.createdMs = createdMs
        self.model = model
        self.baseModel = baseModel
        self.parentModel = parentModel
        self.trainingFile = trainingFile
        self.trainingBlob = trainingBlob
        self.validationFile = validationFile
        self.validationBlob = validationBlob
        self.hyperparams = hyperparams
        self.suffix = suffix
        self.seed = seed
        self.organizationID = organizationID
        self.organizationSlug = organizationSlug
        self.exampleCount = exampleCount
        self.tokensPerEpoch = tokensPerEpoch
        self.failure = failure
    }

    package init(stored v: JSONValue) throws(StoreDecodingError) {
        id = try v.string("id")
        sequence = try v.int("seq")
        createdMs = Int64(try v.int("created_ms"))
        model = try v.string("model")
        baseModel = try v.string("base_model")
        parentModel = v.optionalString("parent_model")
        trainingFile = try v.string("training_file")
        trainingBlob = try v.string("training_blob")
        validationFile = v.optionalString("validation_file")
        validationBlob = v.optionalString("validation_blob")
        hyperparams = try Hyperparams(stored: v["hyperparams"] ?? .null)
        suffix = v.optionalString("suffix")
        seed = try v.int("seed")
        organizationID = try v.string("organization_id")
        organizationSlug = try v.string("organization_slug")
        exampleCount = try v.int("examples")
        tokensPerEpoch = try v.int("tokens")
        failure = v.optionalString("failure")
        cancelledMs = v.optionalInt("cancelled_ms").map(Int64.init)
        resultFileID = v.optionalString("result_file")
    }
}
