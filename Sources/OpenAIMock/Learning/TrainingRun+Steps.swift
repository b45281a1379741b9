#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The state a `TrainingRun` carries from step to step: the growing n-gram counts, where each line's
/// examples sit in the model, and the validation examples as token ids.
struct StepRecorder {
    let model: LearnedModel
    let training: TrainingData
    let validation: TrainingData?
    /// Own examples known after each count of first-epoch lines.
    let knownAfterLines: [Int]
    /// Model index of each training line's first example.
    private let lineStart: [Int]
    private var counts: NGramCounts
    private var scratch = SimilarityScratch()
    /// Table slots noted while scoring a batch.
    private var pending: [Int] = []
    /// Validation completions as token ids (model ids, plus new ids for pieces the model never saw).
    private let validationTokens: [Int32]
    private let validationRanges: [Range<Int>]
    private let validationOrder: [Int]
    private var validationCursor = 0
    private var elapsedExamples = 0
    private var elapsedTokens = 0

    init(model: LearnedModel, training: TrainingData, validation: TrainingData?, firstEpoch: [Int],
         knownAfterLines: [Int], seed: UInt64) {
        self.model = model
        self.training = training
        self.validation = validation
        self.knownAfterLines = knownAfterLines
        let k = model.knowledge
        var lineStart = [Int](repeating: 0, count: training.lines.count)
        for (position, line) in firstEpoch.enumerated() { lineStart[line] = k.inherited + knownAfterLines[position] }
        self.lineStart = lineStart

        var tokens: [Int32] = []
        var ranges: [Range<Int>] = []
        var extra: [String: Int32] = [:]
        for example in validation?.examples ?? [] {
            let start = tokens.count
            tokens.append(TokenCorpus.bos)
            for piece in TokenCounter.tokenize(example.completion) {
                if let id = k.corpus.id(of: piece) ?? extra[piece] { tokens.append(id); continue }
                let id = Int32(k.corpus.vocabularySize + extra.count)
                extra[piece] = id
                tokens.append(id)
            }
            tokens.append(TokenCorpus.eos)
            ranges.append(start..<tokens.count)
        }
        validationTokens = tokens
        validationRanges = ranges
        var rng = SeededRandom(seed: seed ^ 0x5641_4C49_44)
        validationOrder = Array(0..<(validation?.lines.count ?? 0)).shuffled(using: &rng)
        var counts = NGramCounts(vocabularySize: k.corpus.vocabularySize + extra.count)
        var pending: [Int] = []
        counts.reserve(tokens: Int(k.corpus.starts[k.inherited]))
        k.corpus.tokens.withUnsafeBufferPointer { buffer in
            for e in 0..<k.inherited { _ = counts.score(buffer, k.corpus.range(e), noting: &pending) }
        }
        counts.commit(pending)
        self.counts = counts
    }

    /// The model after `lines` lines of training (all of them from the second epoch on).
    private func view(afterLines lines: Int) -> LearnedModel {
        model.knowing(firstExamples: knownAfterLines[min(lines, knownAfterLines.count - 1)])
    }

    /// How much the model's answer counts against its n-grams in the loss: 0.75 in the first epoch, then
    /// halfway closer to 1 with each epoch (it grows surer of what it has seen more often).
    private func answerWeight(linesSeen: Int) -> Double {
        let epochs = training.lines.isEmpty ? 0 : linesSeen / training.lines.count
        return 1 - 0.25 * pow(0.5, Double(min(epochs, 30)))
    }

    /// Completion tokens after BOS, through EOS, of model example `i`.
    private func completionTokens(_ i: Int) -> [Int32] {
        let r = model.knowledge.corpus.range(i)
        return Array(model.knowledge.corpus.tokens[(r.lowerBound + 1)..<r.upperBound])
    }

    /// The loss guide for a completion (`labelOfTarget` its label, if it is one) given the model's decision.
    private func guide(_ decision: AnswerDecision, labelOfTarget: Int?, linesSeen: Int) -> NGramCounts.Guide? {
        let weight = answerWeight(linesSeen: linesSeen)
        switch decision {
        case .recalled(let i):
            let tokens = completionTokens(i)
            return NGramCounts.Guide(expected: tokens, first: 1, predicted: tokens, weight: weight)
        case .classified(let label, let shares):
            guard let labels = model.knowledge.labels else { return nil }
            let expected = labelOfTarget.map { completionTokens(labels.firstExample[$0]) } ?? []
            return NGramCounts.Guide(expected: expected, first: labelOfTarget.map { Double(shares[$0]) } ?? 0,
                                     predicted: completionTokens(labels.firstExample[label]), weight: weight)
        case .generated, .untrained:
            return nil
        }
    }

    /// Scores `batch` (line indices) under the model so far, then learns it.
    mutating func train(step: Int, batch: ArraySlice<Int>, linesBefore: Int) -> TrainingStep {
        let k = model.knowledge
        let current = view(afterLines: linesBefore)
        var score = NGramCounts.Score()
        var reproduced = 0, examples = 0
        let exampleRanges = batch.map { lineStart[$0]..<(lineStart[$0] + training.lines[$0].examples.count) }
        counts.reserve(tokens: exampleRanges.joined().reduce(0) { $0 + k.corpus.range($1).count })
        pending.removeAll(keepingCapacity: true)
        k.corpus.tokens.withUnsafeBufferPointer { buffer in
            for e in exampleRanges.joined() {
                let decision = current.decide(k.examples[e].prompt, scratch: &scratch)
                let guide = guide(decision, labelOfTarget: k.labels.map { Int($0.labelOfExample[e]) }, linesSeen: linesBefore)
                score += counts.score(buffer, k.corpus.range(e), guide: guide, noting: &pending)
                if current.reproduces(k.examples[e], decision) { reproduced += 1 }
                examples += 1
            }
        }
        counts.commit(pending)
        elapsedExamples += batch.count
        elapsedTokens += batch.reduce(0) { $0 + training.lines[$1].tokens }
        let train = EvaluationFigures(loss: score.meanLoss, tokenAccuracy: score.accuracy,
                                      sequenceAccuracy: examples == 0 ? 0 : Double(reproduced) / Double(examples))
        return TrainingStep(step: step, elapsedExamples: elapsedExamples, elapsedTokens: elapsedTokens, train: train)
    }

    /// Figures on the next `batchSize` validation lines (cycling through them in a seeded order).
    mutating func validate(batchSize: Int, linesSeen: Int) -> EvaluationFigures? {
        guard !validationOrder.isEmpty else { return nil }
        var lines: [Int] = []
        for _ in 0..<min(batchSize, validationOrder.count) {
            lines.append(validationOrder[validationCursor])
            validationCursor = (validationCursor + 1) % validationOrder.count
        }
        return evaluate(lines: lines, on: view(afterLines: linesSeen), linesSeen: linesSeen)
    }

    /// Figures on the whole validation file with the final model.
    mutating func validateAll() -> EvaluationFigures? {
        guard let validation, !validation.lines.isEmpty else { return nil }
        return evaluate(lines: Array(validation.lines.indices), on: model, linesSeen: elapsedExamples)
    }

    private mutating func evaluate(lines: [Int], on view: LearnedModel, linesSeen: Int) -> EvaluationFigures? {
        guard let validation else { return nil }
        var score = NGramCounts.Score()
        var reproduced = 0, examples = 0
        let ranges = lines.flatMap { validation.lines[$0].examples.map { validationRanges[$0] } }
        counts.reserve(tokens: ranges.reduce(0) { $0 + $1.count })
        pending.removeAll(keepingCapacity: true)  // scored, never learned
        validationTokens.withUnsafeBufferPointer { buffer in
            for line in lines {
                for e in validation.lines[line].examples {
                    let example = validation.examples[e]
                    let decision = view.decide(example.prompt, scratch: &scratch)
                    let label = view.knowledge.labels?.index[example.completion].map { Int($0) }
                    let guide = guide(decision, labelOfTarget: label, linesSeen: linesSeen)
                    score += counts.score(buffer, validationRanges[e], guide: guide, noting: &pending)
                    if view.reproduces(example, decision) { reproduced += 1 }
                    examples += 1
                }
            }
        }
        return EvaluationFigures(loss: score.meanLoss, tokenAccuracy: score.accuracy,
                                 sequenceAccuracy: examples == 0 ? 0 : Double(reproduced) / Double(examples))
    }

    /// Classification figures of the checkpoint after `linesSeen` lines, from its answers to every
    /// validation prompt (compared to the labels without surrounding whitespace).
    mutating func classify(options: ClassificationOptions, linesSeen: Int) -> ClassificationFigures? {
        guard let validation, !validation.examples.isEmpty else { return nil }
        let checkpoint = view(afterLines: linesSeen)
        let labels = checkpoint.labels.map(RecallIndex.normalized)
        var truth: [String] = [], predicted: [String] = [], scores: [Double] = []
        let positive = options.positiveClass.map(RecallIndex.normalized)
        for example in validation.examples {
            let answer = checkpoint.answer(to: example.prompt, seed: 0, scratch: &scratch)
            truth.append(RecallIndex.normalized(example.completion))
            predicted.append(RecallIndex.normalized(answer.text))
            if let positive {
                let share = labels.indices.filter { labels[$0] == positive && $0 < answer.labelShares.count }
                    .reduce(Float(0)) { $0 + answer.labelShares[$1] }
                scores.append(answer.labelShares.isEmpty ? (predicted.last == positive ? 1 : 0) : Double(share))
            }
        }
        guard let positive else { return ClassificationFigures.multiclass(truth: truth, predicted: predicted) }
        return ClassificationFigures.binary(truth: truth.map { $0 == positive }, predicted: predicted.map { $0 == positive },
                                            scores: scores, betas: options.betas)
    }
}
