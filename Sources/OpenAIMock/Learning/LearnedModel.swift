/// A fine-tuned model that knows its training data: it recalls the answer to a prompt it was trained on,
/// answers classification data with the label of the nearest known examples, and otherwise writes new text
/// in the style of its training completions (see `answer(to:seed:)`).
///
/// Immutable and cheap to share: the indexes live in one reference-counted `LearnedKnowledge`; a
/// checkpoint (`knowing(firstExamples:)`) is the same knowledge with a smaller count of known examples,
/// so making one costs nothing.
package struct LearnedModel: Sendable {
    let knowledge: LearnedKnowledge
    /// Examples `0 ..< known` of `knowledge.examples` are known to this view.
    let known: Int

    /// A model that learned `examples` in this order, on top of everything `parent` knows (its examples
    /// come first, so on a conflicting prompt the newer example wins).
    package init(examples: [TrainingExample], parent: LearnedModel? = nil) {
        let inherited = parent.map { Array($0.examples) } ?? []
        knowledge = LearnedKnowledge(examples: inherited + examples, inherited: inherited.count)
        known = inherited.count + examples.count
    }

    init(knowledge: LearnedKnowledge, known: Int) {
        self.knowledge = knowledge
        self.known = max(0, min(known, knowledge.examples.count))
    }

    /// What this model knows, in training order: the parent's examples, then its own.
    package var examples: ArraySlice<TrainingExample> { knowledge.examples[..<known] }

    /// How many of `examples` came from the parent model.
    package var inheritedCount: Int { knowledge.inherited }

    /// How many of its own (not inherited) examples this view knows.
    package var trainedCount: Int { known - knowledge.inherited }

    /// The same model as it was when it had seen only the first `count` of its own training examples (a
    /// checkpoint); it still knows everything inherited from its parent.
    package func knowing(firstExamples count: Int) -> LearnedModel {
        LearnedModel(knowledge: knowledge, known: knowledge.inherited + max(0, min(count, trainedCount)))
    }

    /// Whether the training data was classification data (a small set of short, repeated completions).
    package var isClassifier: Bool { knowledge.labels != nil }

    /// The labels of classification data, in first-seen order (empty otherwise).
    package var labels: [String] { knowledge.labels?.labels ?? [] }

    /// Persistence: `{"inherited":n,"known":n,"examples":[…]}` (examples as `TrainingExample.jsonValue`).
    package var jsonValue: JSONValue {
        .object(JSONObject([
            ("inherited", .int(knowledge.inherited)),
            ("known", .int(known)),
            ("examples", .array(knowledge.examples.map(\.jsonValue))),
        ]))
    }

    /// Rebuilds what `jsonValue` saved; nil for anything else.
    package init?(json: JSONValue) {
        guard let items = json["examples"]?.arrayValue, let inherited = json["inherited"]?.intValue,
              let known = json["known"]?.intValue, inherited >= 0, inherited <= items.count else { return nil }
        var examples: [TrainingExample] = []
        examples.reserveCapacity(items.count)
        for item in items {
            guard let example = TrainingExample(json: item) else { return nil }
            examples.append(example)
        }
        self.init(knowledge: LearnedKnowledge(examples: examples, inherited: inherited), known: known)
    }
}

/// Everything a `LearnedModel` indexes, built once from all its examples in training order.
final class LearnedKnowledge: Sendable {
    let examples: [TrainingExample]
    let inherited: Int
    /// The completions (preferred answers for DPO) as token ids.
    let corpus: TokenCorpus
    let style: StyleIndex
    let similarity: SimilarityIndex
    let recall: RecallIndex
    let labels: LabelSet?
    /// Hashes of every normalized completion and rejected answer: generated text must be none of them.
    let knownTexts: Set<UInt64>
    /// How often each token occurs in the completions.
    let tokenFrequency: [Int32]

    init(examples: [TrainingExample], inherited: Int) {
        self.examples = examples
        self.inherited = inherited
        var corpus = TokenCorpus()
        var knownTexts = Set<UInt64>()
        for example in examples {
            corpus.append(example.completion)
            knownTexts.insert(LearningHash.text(RecallIndex.normalized(example.completion)))
            if let rejected = example.rejected { knownTexts.insert(LearningHash.text(RecallIndex.normalized(rejected))) }
        }
        var frequency = [Int32](repeating: 0, count: corpus.vocabularySize)
        for id in corpus.tokens { frequency[Int(id)] += 1 }
        self.corpus = corpus
        self.knownTexts = knownTexts
        tokenFrequency = frequency
        style = StyleIndex(corpus: corpus)
        similarity = SimilarityIndex(texts: examples.map(\.prompt.queryText))
        recall = RecallIndex(prompts: examples.map(\.prompt))
        labels = LabelSet(completions: examples.map(\.completion))
    }
}
