import Testing
@testable import OpenAIMock

@Suite struct LearningTrainingRunTests {
    typealias F = LearningFixtures

    static func data(_ pairs: [(String, String)]) throws -> TrainingData {
        try TrainingData.parse(F.promptCompletionFile(pairs))
    }

    @Test func stepsEpochsAndTokensFollowTheHyperparameters() throws {
        let training = try Self.data(F.stories)
        let run = TrainingRun(training: training, epochs: 3, batchSize: 5, seed: 7)
        #expect(run.totalSteps == 15)  // ceil(24 × 3 ÷ 5)
        #expect(run.steps.map(\.step) == Array(1...15))
        #expect(run.epochEndSteps == [5, 10, 15])
        #expect(run.trainedTokens == training.totalTokens * 3)
        #expect(run.steps.last?.elapsedExamples == 72)
        #expect(run.steps.last?.elapsedTokens == training.totalTokens * 3)
        #expect(run.epochOrders.count == 3 && run.epochOrders.allSatisfy { $0.sorted() == Array(0..<24) })
        #expect(run.epochOrders[0] != run.epochOrders[1])
        #expect(run.steps.allSatisfy { $0.validation == nil && $0.classification == nil })
    }

    @Test func lossFallsAsTheModelSeesDataAndLaterEpochsMemorise() throws {
        let run = TrainingRun(training: try Self.data(F.stories), epochs: 4, batchSize: 4, seed: 1)
        func epochMean(_ e: Int, _ value: (TrainingStep) -> Double) -> Double {
            let lower = e == 0 ? 0 : run.epochEndSteps[e - 1]
            let steps = run.steps[lower..<run.epochEndSteps[e]]
            return steps.map(value).reduce(0, +) / Double(steps.count)
        }
        let losses = (0..<4).map { epochMean($0) { $0.train.loss } }
        let accuracies = (0..<4).map { epochMean($0) { $0.train.tokenAccuracy } }
        #expect(losses == losses.sorted(by: >))
        #expect(Set(losses).count == 4)
        #expect(accuracies[3] > accuracies[0])
        #expect(run.steps[0].train.loss > 3 * run.steps[run.totalSteps - 1].train.loss)
        // The first batch is new to the model; from the second epoch on every prompt is known.
        #expect(run.steps[0].train.sequenceAccuracy == 0)
        #expect(epochMean(3) { $0.train.sequenceAccuracy } == 1)
    }

    @Test func checkpointsKnowOnlyTheExamplesSeenSoFar() throws {
        let training = try Self.data(F.jokes)
        let run = TrainingRun(training: training, epochs: 2, batchSize: 3, seed: 5)
        let first = run.epochOrders[0]
        let checkpoint = run.checkpoint(atStep: 2)
        #expect(checkpoint.trainedCount == 6)
        for (position, line) in first.enumerated() {
            let example = training.examples[line]
            let recalled = checkpoint.reply(to: example.prompt, seed: 0) == example.completion
            #expect(recalled == (position < 6))
            #expect(run.model.reply(to: example.prompt, seed: 0) == example.completion)
        }
        #expect(run.checkpoint(atStep: run.totalSteps).trainedCount == 12)
    }

    @Test func sameSeedSameHistory() throws {
        let training = try Self.data(F.interview)
        let a = TrainingRun(training: training, epochs: 2, batchSize: 2, seed: 3)
        let b = TrainingRun(training: training, epochs: 2, batchSize: 2, seed: 3)
        let c = TrainingRun(training: training, epochs: 2, batchSize: 2, seed: 4)
        #expect(a.steps == b.steps)
        #expect(a.epochOrders == b.epochOrders)
        #expect(a.epochOrders != c.epochOrders)
    }

    @Test func aParentsKnowledgeCountsFromTheFirstStep() throws {
        let training = try Self.data(F.stories)
        let parent = TrainingRun(training: training, epochs: 1, batchSize: 4, seed: 1)
        let child = TrainingRun(training: try Self.data(F.jokes), epochs: 1, batchSize: 4, seed: 1, parent: parent.model)
        #expect(child.model.reply(to: F.storyPrompt(2), seed: 0) == F.story(2))
        #expect(child.model.reply(to: F.jokes[2].0, seed: 0) == F.jokes[2].1)
        let again = TrainingRun(training: training, epochs: 1, batchSize: 4, seed: 1, parent: parent.model)
        #expect(again.steps[0].train.loss < parent.steps[0].train.loss)
        #expect(again.steps[0].train.sequenceAccuracy == 1)
    }

    @Test func newsClassifierAccuracyIsWhatTheModelAnswers() throws {
        let news = F.news
        let training = try Self.data(news.training), validation = try Self.data(news.validation)
        let run = TrainingRun(training: training, validation: validation, epochs: 3, batchSize: 8, seed: 42,
                              classification: ClassificationOptions(nClasses: 14))
        #expect(run.model.isClassifier)
        #expect(run.model.labels.count == 14)
        let withFigures = run.steps.filter { $0.classification != nil }.map(\.step)
        #expect(withFigures == run.epochEndSteps)
        let final = try #require(run.steps.last?.classification)

        var correct = 0
        for example in validation.examples {
            let answer = run.model.reply(to: example.prompt, seed: 99)
            #expect(run.model.labels.contains(answer))
            if RecallIndex.normalized(answer) == RecallIndex.normalized(example.completion) { correct += 1 }
        }
        #expect(final.accuracy == Double(correct) / Double(validation.examples.count))
        #expect(final.accuracy >= 0.75)
        #expect(final.weightedF1 != nil && final.precision == nil)
        #expect(run.steps.last?.fullValidation?.sequenceAccuracy == final.accuracy)
        let validated = run.steps.filter { $0.validation != nil }.map(\.step)
        #expect(validated == Array(stride(from: run.validationInterval, through: run.totalSteps, by: run.validationInterval)))
        #expect(run.steps.filter { $0.fullValidation != nil }.map(\.step) == [run.totalSteps])
        // The loss follows the answers: a known title's label costs little, a voted one its share.
        let last = try #require(run.steps.last)
        #expect(last.train.loss < run.steps[0].train.loss / 4)
        #expect(last.train.tokenAccuracy == 1)
        #expect((last.fullValidation?.tokenAccuracy ?? 0) >= final.accuracy)
    }

    @Test func binarySentimentMetricsComeFromTheAnswers() throws {
        let positive = ["I love this phone", "Great battery and a lovely screen", "Wonderful service, love it",
                        "The camera is great", "Lovely design and great sound", "I really love the colours",
                        "Great value, wonderful quality", "Fast delivery, great product"]
        let negative = ["I hate this phone", "Terrible battery and an awful screen", "Awful service, hate it",
                        "The camera is terrible", "Ugly design and awful sound", "I really hate the colours",
                        "Terrible value, awful quality", "Slow delivery, broken product"]
        func pairs(_ range: Range<Int>) -> [(String, String)] {
            range.flatMap { [(positive[$0] + " ->", " positive"), (negative[$0] + " ->", " negative")] }
        }
        let validation = try Self.data(pairs(6..<8) + [("Love the great screen ->", " positive"), ("Awful, I hate it ->", " negative")])
        let run = TrainingRun(training: try Self.data(pairs(0..<6)), validation: validation, epochs: 2, batchSize: 4, seed: 8,
                              classification: ClassificationOptions(positiveClass: "positive", betas: [0.5, 2]))
        let figures = try #require(run.steps.last?.classification)
        let truth = validation.examples.map { $0.completion == " positive" }
        let predicted = validation.examples.map { run.model.reply(to: $0.prompt, seed: 0) == " positive" }
        let agree = zip(truth, predicted).filter { $0 == $1 }.count
        #expect(figures.accuracy == Double(agree) / Double(truth.count))
        #expect(figures.accuracy >= 0.75)
        #expect(figures.fScores.map(\.beta) == [1, 0.5, 2])
        #expect(figures.weightedF1 == nil)
        let auroc = try #require(figures.auroc)
        #expect(auroc >= 0.75 && auroc <= 1)
    }
}

@Suite struct LearningClassificationFiguresTests {
    @Test func binaryFiguresMatchHandComputedValues() {
        let f = ClassificationFigures.binary(truth: [true, true, false, false], predicted: [true, false, true, false],
                                             scores: [0.9, 0.4, 0.6, 0.1], betas: [2])
        #expect(f.accuracy == 0.5)
        #expect(f.precision == 0.5 && f.recall == 0.5)
        #expect(f.auroc == 0.75)
        #expect(abs((f.auprc ?? 0) - (0.5 + 0.5 * 2 / 3)) < 1e-12)
        #expect(f.fScores == [.init(beta: 1, value: 0.5), .init(beta: 2, value: 0.5)])
        #expect(ClassificationFigures.auroc([true, true], [0.1, 0.2]) == nil)
    }

    @Test func weightedF1WeighsClassesBySupport() {
        let f = ClassificationFigures.multiclass(truth: ["a", "a", "a", "b"], predicted: ["a", "a", "b", "b"])
        #expect(f.accuracy == 0.75)
        // a: p 1, r 2/3, f1 0.8; b: p 0.5, r 1, f1 2/3 → (3 × 0.8 + 2/3) ÷ 4
        #expect(abs((f.weightedF1 ?? 0) - (3 * 0.8 + 2.0 / 3) / 4) < 1e-12)
    }
}
