/// Loss and accuracies of a model on some examples.
package struct EvaluationFigures: Sendable, Equatable {
    /// Mean −ln p of the completion tokens (through the end of text) under the model so far.
    package var loss: Double
    /// Fraction of those tokens the model would have predicted (argmax).
    package var tokenAccuracy: Double
    /// Fraction of the examples whose answer from the model is exactly their completion.
    package var sequenceAccuracy: Double
}

/// One step of a training run: its batch's figures before the model learned from it.
package struct TrainingStep: Sendable, Equatable {
    /// 1-based.
    package var step: Int
    /// Lines (the API's examples) trained on, through this step.
    package var elapsedExamples: Int
    /// Their billed tokens, through this step.
    package var elapsedTokens: Int
    package var train: EvaluationFigures
    /// On a validation batch, every `validationInterval` steps and at the last step.
    package var validation: EvaluationFigures?
    /// On the whole validation file, at the last step.
    package var fullValidation: EvaluationFigures?
    /// At epoch ends, when classification metrics were asked for and there is a validation file.
    package var classification: ClassificationFigures?
}

/// The whole, deterministic history of a fine-tuning run, and the models it makes.
///
/// Lines are shuffled per epoch (seeded); steps take `batchSize` lines at a time through the epochs one
/// after another, `ceil(lines × epochs ÷ batchSize)` steps in all. The model learns examples in the first
/// epoch's order, so the checkpoint after step N knows the lines of the first N batches (all of them after
/// the first epoch). Each step's figures measure the model so far — the parent's examples and every batch
/// before this one — on the step's batch, teacher-forced over each completion's tokens (through the end of
/// text): the probability of each token mixes what the model would answer (a recalled completion, or a
/// label with its vote share; weight 0.75 in the first epoch, then halfway closer to 1 per epoch) with a
/// smoothed n-gram model of the completions seen so far (`NGramCounts`, where a line seen again counts
/// again), so loss falls as data is seen and keeps falling towards memorisation. Loss is the mean −ln p,
/// token accuracy the share of tokens the model would have said, sequence accuracy the share of examples
/// it answers exactly. Validation figures come after the step's update.
package struct TrainingRun: Sendable {
    package let epochs: Int
    package let batchSize: Int
    package let totalSteps: Int
    package let steps: [TrainingStep]
    /// The step that ends each epoch.
    package let epochEndSteps: [Int]
    /// Billed tokens: one pass over the training file times the epochs.
    package let trainedTokens: Int
    /// Line indices (into `TrainingData.lines`) in the order each epoch visits them.
    package let epochOrders: [[Int]]
    /// Steps between validation-batch figures: a hundredth of the run, at least 1 (and always the last step).
    package let validationInterval: Int
    /// The model after the last step.
    package let model: LearnedModel
    /// Own examples known after each count of first-epoch lines (`knownAfterLines[n]`).
    private let knownAfterLines: [Int]

    package init(training: TrainingData, validation: TrainingData? = nil, epochs: Int, batchSize: Int, seed: UInt64,
                 parent: LearnedModel? = nil, classification: ClassificationOptions? = nil) {
        let epochs = max(1, epochs), batchSize = max(1, batchSize)
        let lineCount = training.lines.count
        var rng = SeededRandom(seed: seed ^ 0x4550_4F43_4853)
        let orders = (0..<epochs).map { _ in Array(0..<lineCount).shuffled(using: &rng) }
        var ordered: [TrainingExample] = []
        var knownAfter = [0]
        for line in orders.first ?? [] {
            ordered += training.lines[line].examples.map { training.examples[$0] }
            knownAfter.append(ordered.count)
        }
        let model = LearnedModel(examples: ordered, parent: parent)
        let totalSteps = (lineCount * epochs + batchSize - 1) / batchSize

        self.epochs = epochs
        self.batchSize = batchSize
        self.totalSteps = totalSteps
        epochOrders = orders
        trainedTokens = training.totalTokens * epochs
        epochEndSteps = (1...epochs).map { (lineCount * $0 + batchSize - 1) / batchSize }
        validationInterval = max(1, totalSteps / 100)
        self.model = model
        knownAfterLines = knownAfter

        var recorder = StepRecorder(model: model, training: training, validation: validation, firstEpoch: orders.first ?? [],
                                    knownAfterLines: knownAfter, seed: seed)
        var steps: [TrainingStep] = []
        steps.reserveCapacity(totalSteps)
        let sequence = orders.joined().map { $0 }
        for s in 1...max(1, totalSteps) where totalSteps > 0 {
            let batch = sequence[((s - 1) * batchSize)..<min(s * batchSize, sequence.count)]
            var step = recorder.train(step: s, batch: batch, linesBefore: (s - 1) * batchSize)
            let linesAfter = min(s * batchSize, sequence.count)
            if validation != nil && (s % validationInterval == 0 || s == totalSteps) {
                step.validation = recorder.validate(batchSize: batchSize, linesSeen: linesAfter)
            }
            if s == totalSteps && validation != nil { step.fullValidation = recorder.validateAll() }
            if let classification, validation != nil, epochEndSteps.contains(s) {
                step.classification = recorder.classify(options: classification, linesSeen: linesAfter)
            }
            steps.append(step)
        }
        self.steps = steps
    }

    /// The checkpoint model after `step`: it knows the lines of the steps so far (and the parent's examples).
    package func checkpoint(atStep step: Int) -> LearnedModel {
        let lines = min(max(0, step) * batchSize, knownAfterLines.count - 1)
        return model.knowing(firstExamples: knownAfterLines[lines])
    }
}
