/// A fine-tuning job as the store keeps it: what was asked (model, files, method, hyperparameters,
/// suffix, seed, metadata), what the training file held (counted once, at creation), and what the
/// client did to it since (pauses, a cancellation). Everything a client observes — status, events,
/// checkpoints, the model — is derived from this and the clock (see ``JobPlan``).
package struct FineTuningJobRecord: StoreRecord, Equatable {
    package static let kind = "ft_job"

    package struct Pause: Sendable, Equatable {
        package var pausedMs: Int64
        package var resumedMs: Int64?
    }

    /// Why the job fails when its files are validated (decided from the data at creation).
    package struct Failure: Sendable, Equatable {
        package var code: String
        package var message: String
        package var param: String?
    }

    package var id: String
    package var sequence: Int
    package var createdMs: Int64
    /// The model shown on the job: the resolved snapshot, or the `ft:` model trained further.
    package var model: String
    /// The catalogue model the result derives from (decides its endpoint and context window).
    package var baseModel: String
    /// An `ft:` model this job trains further (its examples are learned too).
    package var parentModel: String?
    package var trainingFile: String
    package var validationFile: String?
    /// The files' contents, kept alive by the job (a file deleted after creation still trains).
    package var trainingBlob: String
    package var validationBlob: String?
    package var suffix: String?
    package var seed: Int
    package var method: FineTuneMethod
    package var integrations: JSONValue
    package var metadata: JSONValue
    package var organizationID: String
    package var organizationSlug: String
    /// Training examples (lines) and tokens of one pass over the training file.
    package var exampleCount: Int
    package var tokensPerEpoch: Int
    package var failure: Failure?
    package var pauses: [Pause] = []
    package var cancelledMs: Int64?
    /// The model and result file were created (the store's record of success).
    package var resultFileID: String?

    package var blobs: [String] { [trainingBlob] + (validationBlob.map { [$0] } ?? []) }

    package var stored: JSONValue {
        var o = JSONObject([
            ("id", .string(id)), ("seq", .int(sequence)), ("created_ms", .int(Int(createdMs))),
            ("model", .string(model)), ("base_model", .string(baseModel)),
            ("training_file", .string(trainingFile)), ("training_blob", .string(trainingBlob)),
            ("seed", .int(seed)), ("method", method.stored), ("integrations", integrations), ("metadata", metadata),
            ("organization_id", .string(organizationID)), ("organization_slug", .string(organizationSlug)),
            ("examples", .int(exampleCount)), ("tokens", .int(tokensPerEpoch)),
            ("pauses", .array(pauses.map { p in
                .object(JSONObject([("paused", .int(Int(p.pausedMs))), ("resumed", p.resumedMs.map { .int(Int($0)) } ?? .null)]))
            })),
        ])
        if let parentModel { o.append("parent_model", .string(parentModel)) }
        if let validationFile { o.append("validation_file", .string(validationFile)) }
        if let validationBlob { o.append("validation_blob", .string(validationBlob)) }
        if let suffix { o.append("suffix", .string(suffix)) }
        if let failure {
            o.append("failure", .object(JSONObject([("code", .string(failure.code)), ("message", .string(failure.message)),
                                                    ("param", failure.param.map(JSONValue.string) ?? .null)])))
        }
        if let cancelledMs { o.append("cancelled_ms", .int(Int(cancelledMs))) }
        if let resultFileID { o.append("result_file", .string(resultFileID)) }
        return .object(o)
    }

    package init(id: String, sequence: Int, createdMs: Int64, model: String, baseModel: String, parentModel: String?,
                 trainingFile: String, validationFile: String?, trainingBlob: String, validationBlob: String?,
                 suffix: String?, seed: Int, method: FineTuneMethod, integrations: JSONValue, metadata: JSONValue,
                 organizationID: String, organizationSlug: String, exampleCount: Int, tokensPerEpoch: Int,
                 failure: Failure?) {
        self.id = id
        self.sequence = sequence
        self.createdMs = createdMs
        self.model = model
        self.baseModel = baseModel
        self.parentModel = parentModel
        self.trainingFile = trainingFile
        self.validationFile = validationFile
        self.trainingBlob = trainingBlob
        self.validationBlob = validationBlob
        self.suffix = suffix
        self.seed = seed
        self.method = method
        self.integrations = integrations
        self.metadata = metadata
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
        validationFile = v.optionalString("validation_file")
        trainingBlob = try v.string("training_blob")
        validationBlob = v.optionalString("validation_blob")
        suffix = v.optionalString("suffix")
        seed = try v.int("seed")
        method = try FineTuneMethod(stored: v["method"] ?? .null)
        integrations = v["integrations"] ?? .null
        metadata = v["metadata"] ?? .null
        organizationID = try v.string("organization_id")
        organizationSlug = try v.string("organization_slug")
        exampleCount = try v.int("examples")
        tokensPerEpoch = try v.int("tokens")
        if let f = v["failure"], case .object = f {
            failure = Failure(code: try f.string("code"), message: try f.string("message"), param: f.optionalString("param"))
        }
        pauses = (v["pauses"]?.arrayValue ?? []).map { p in
            Pause(pausedMs: Int64(p["paused"]?.intValue ?? 0), resumedMs: p["resumed"]?.intValue.map(Int64.init))
        }
        cancelledMs = v.optionalInt("cancelled_ms").map(Int64.init)
        resultFileID = v.optionalString("result_file")
    }
}
