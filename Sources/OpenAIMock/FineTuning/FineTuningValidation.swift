/// What a job finds when it validates its files (decided at creation, observed when the timeline
/// reaches the end of `validating_files`): the examples and tokens it will train on, or why it fails —
/// with the real API's codes and texts.
enum FineTuningValidation {
    struct Outcome: Sendable {
        var examples = 0
        var tokens = 0
        var failure: FineTuningJobRecord.Failure?
        var data: TrainingData?
        var validationData: TrainingData?
    }

    static func check(training: FileRecord, validation: FileRecord?, request: FineTuningJobRequest, baseModel: String,
                      service: FineTuningService) async -> Outcome {
        var outcome = Outcome()
        func fail(_ code: String, _ message: String, _ param: String) -> Outcome {
            outcome.failure = .init(code: code, message: message, param: param)
            return outcome
        }
        let trainingPrefix = "The job failed due to an invalid training file. "
        let data: TrainingData
        do {
            data = try TrainingData.parse(try await service.bytes(training.blob))
        } catch let error as TrainingFileError {
            return fail(error.code, trainingPrefix + error.message, "training_file")
        } catch {
            return fail("invalid_training_file", trainingPrefix + "\(error)", "training_file")
        }
        outcome.examples = data.exampleCount
        outcome.tokens = data.totalTokens
        outcome.data = data
        if let mismatch = formatMismatch(data.format, file: training.id, kind: request.kind, baseModel: baseModel,
                                         models: service.models) {
            return fail("invalid_training_file", trainingPrefix + mismatch, "training_file")
        }
        do {
            try data.checkMinimumExamples()
        } catch {
            return fail(error.code, error.message, "training_file")
        }
        if let validation {
            let prefix = "The job failed due to an invalid validation file. "
            do {
                let v = try TrainingData.parse(try await service.bytes(validation.blob))
                if let mismatch = formatMismatch(v.format, file: validation.id, kind: request.kind, baseModel: baseModel,
                                                 models: service.models) {
                    return fail("invalid_validation_file", prefix + mismatch, "validation_file")
                }
                outcome.validationData = v
            } catch let error as TrainingFileError {
                return fail(error.code == "invalid_training_file" ? "invalid_validation_file" : error.code, prefix + error.message,
                            "validation_file")
            } catch {
                return fail("invalid_validation_file", prefix + "\(error)", "validation_file")
            }
        }
        return outcome
    }

    /// Why data of `format` cannot train `baseModel` with the `kind` method (nil: it can).
    static func formatMismatch(_ format: TrainingData.Format, file: String, kind: FineTuneMethod.Kind, baseModel: String,
                               models: ModelCatalog) -> String? {
        let name: String
        let method: FineTuneMethod.Kind
        switch format {
        case .chat: (name, method) = ("fine-tune-chat", .supervised)
        case .promptCompletion: (name, method) = ("fine-tune-completion", .supervised)
        case .preference: (name, method) = ("fine-tune-preference", .dpo)
        case .reinforcement: (name, method) = ("fine-tune-reinforcement", .reinforcement)
        }
        if method != kind {
            return "Invalid file format. Input file \(file) is in the \(name) format, but the specified fine-tuning job is not using '\(method.rawValue)' as the training method (provided method=\(kind.rawValue))."
        }
        let completionModel = models.model(baseModel)?.kind == .completion
        if kind == .supervised && completionModel && format == .chat {
            return "Invalid file format. Input file \(file) is in the fine-tune-chat format, but the specified model \(baseModel) is a completions model and expects prompt/completion pairs."
        }
        if kind == .supervised && !completionModel && format == .promptCompletion {
            return "Invalid file format. Input file \(file) is in the fine-tune-completion format, but the specified model \(baseModel) is a chat model and expects chat messages."
        }
        return nil
    }
}
