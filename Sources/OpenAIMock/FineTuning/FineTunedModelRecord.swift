/// How to rebuild what a job taught its model: the training (and validation) content, the run's
/// shape and seed, the model it started from. Training is deterministic, so the recipe is the model.
package struct TrainingRecipe: Sendable, Equatable {
    /// The job whose run this is (the cache key of its training run).
    package var jobID: String
    package var trainingBlob: String
    package var validationBlob: String?
    package var epochs: Int
    package var batchSize: Int
    package var seed: UInt64
    /// An `ft:` (or legacy `…:ft-…`) model whose examples come first.
    package var parentModel: String?
    /// Legacy `compute_classification_metrics` options.
    package var classification: ClassificationOptions?

    var blobs: [String] { [trainingBlob] + (validationBlob.map { [$0] } ?? []) }

    var stored: JSONValue {
        var o = JSONObject([
            ("job", .string(jobID)), ("training_blob", .string(trainingBlob)), ("epochs", .int(epochs)),
            ("batch_size", .int(batchSize)), ("seed", .string(String(seed, radix: 16))),
        ])
        if let validationBlob { o.append("validation_blob", .string(validationBlob)) }
        if let parentModel { o.append("parent_model", .string(parentModel)) }
        if let c = classification {
            o.append("classification", .object(JSONObject([
                ("positive_class", c.positiveClass.map(JSONValue.string) ?? .null),
                ("n_classes", c.nClasses.map(JSONValue.int) ?? .null),
                ("betas", .array(c.betas.map(JSONValue.double))),
            ])))
        }
        return .object(o)
    }

    init(jobID: String, trainingBlob: String, validationBlob: String?, epochs: Int, batchSize: Int, seed: UInt64,
         parentModel: String?, classification: ClassificationOptions?) {
        self.jobID = jobID
        self.trainingBlob = trainingBlob
        self.validationBlob = validationBlob
        self.epochs = epochs
        self.batchSize = batchSize
        self.seed = seed
        self.parentModel = parentModel
        self.classification = classification
    }

    init(stored v: JSONValue) throws(StoreDecodingError) {
        jobID = try v.string("job")
        trainingBlob = try v.string("training_blob")
        validationBlob = v.optionalString("validation_blob")
        epochs = try v.int("epochs")
        batchSize = try v.int("batch_size")
        seed = UInt64(try v.string("seed"), radix: 16) ?? 0
        parentModel = v.optionalString("parent_model")
        if let c = v["classification"], case .object = c {
            classification = ClassificationOptions(positiveClass: c["positive_class"]?.stringValue,
                                                   nClasses: c["n_classes"]?.intValue,
                                                   betas: c["betas"]?.arrayValue?.compactMap(\.doubleValue) ?? [])
        }
    }
}

/// A model a fine-tune produced: listed by `/v1/models`, owned by the organisation, deletable, and
/// answering from what its recipe taught it.
package struct FineTunedModelRecord: StoreRecord, Equatable {
    package static let kind = "ft_model"
    package var id: String
    package var sequence: Int
    package var createdAt: Int
    package var ownedBy: String
    /// The catalogue model it derives from: its endpoint, context window and output limit.
    package var baseModel: String
    package var recipe: TrainingRecipe
    /// Steps with a checkpoint model (`<id>:ckpt-step-N`).
    package var checkpointSteps: [Int]

    package var blobs: [String] { recipe.blobs }

    package var stored: JSONValue {
        .object(JSONObject([
            ("id", .string(id)), ("seq", .int(sequence)), ("created_at", .int(createdAt)), ("owned_by", .string(ownedBy)),
            ("base_model", .string(baseModel)), ("recipe", recipe.stored),
            ("checkpoints", .array(checkpointSteps.map(JSONValue.int))),
        ]))
    }

    package init(id: String, sequence: Int, createdAt: Int, ownedBy: String, baseModel: String, recipe: TrainingRecipe,
                 checkpointSteps: [Int]) {
        self.id = id
        self.sequence = sequence
        self.createdAt = createdAt
        self.ownedBy = ownedBy
        self.baseModel = baseModel
        self.recipe = recipe
        self.checkpointSteps = checkpointSteps
    }

    package init(stored v: JSONValue) throws(StoreDecodingError) {
        id = try v.string("id")
        sequence = try v.int("seq")
        createdAt = try v.int("created_at")
        ownedBy = try v.string("owned_by")
        baseModel = try v.string("base_model")
        recipe = try TrainingRecipe(stored: v["recipe"] ?? .null)
        checkpointSteps = v["checkpoints"]?.arrayValue?.compactMap(\.intValue) ?? []
    }

    /// The catalogue entry: the base model's kind and limits under this id (or a checkpoint's).
    func modelInfo(base: ModelInfo, id: String? = nil, checkpointStep: Int? = nil) -> ModelInfo {
        var info = base.derived(id: id ?? self.id, created: createdAt, ownedBy: ownedBy, deletable: checkpointStep == nil)
        info.learned = LearnedSource(modelID: self.id, checkpointStep: checkpointStep)
        return info
    }
}

/// Which fine-tuned model (and checkpoint) a catalogue entry answers from.
package struct LearnedSource: Sendable, Equatable {
    package var modelID: String
    package var checkpointStep: Int?
}
