/// What a learned model says to a prompt, and how it came to say it.
package struct LearnedAnswer: Sendable, Equatable {
    package enum Source: Sendable, Equatable {
        /// The prompt repeats known example `example` (an index into `LearnedModel.examples`).
        case recalled(example: Int)
        /// Classification data: the label the nearest known examples voted for.
        case classified(label: Int)
        /// New text in the style of the training completions.
        case generated
        /// The model knows no example yet (a checkpoint before any step): the mock's default text.
        case untrained
    }

    /// The natural full answer (the caller applies `stop`, `max_tokens` and streaming, e.g. with `OutputLimiter`).
    package var text: String
    /// The tool calls of a recalled assistant message that made them (its `text` is then its content, or
    /// the calls' arguments when it had none).
    package var toolCalls: [LearnedToolCall]
    package var source: Source
    /// For classification data: each label's share of the vote (the recalled label gets 1), in `labels` order.
    package var labelShares: [Float]
}

extension LearnedModel {
    /// How many neighbours steer a generated answer.
    static let styleNeighbours = 4

    /// The answer to `prompt`, deterministic for a given `seed`:
    /// 1. a prompt (or conversation, or its system + last user message, or its last user message) it was
    ///    trained on gets that example's completion — the newest such example's;
    /// 2. on classification data, the label of the nearest known examples (TF-IDF cosine k-NN vote);
    /// 3. otherwise new text in the style of the training completions, steered by the nearest examples and
    ///    the prompt's words (`StyleGenerator`), never a verbatim copy of a training completion.
    package func answer(to prompt: LearningPrompt, seed: UInt64) -> LearnedAnswer {
        var scratch = SimilarityScratch()
        return answer(to: prompt, seed: seed, scratch: &scratch)
    }

    /// The answer's text.
    package func reply(to prompt: LearningPrompt, seed: UInt64) -> String { answer(to: prompt, seed: seed).text }

    /// The answer to a legacy completion prompt.
    package func reply(to prompt: String, seed: UInt64) -> String { reply(to: .text(prompt), seed: seed) }

    /// The answer to a chat request's conversation.
    package func reply(to messages: [ChatMessage], seed: UInt64) -> String { reply(to: LearningPrompt(messages), seed: seed) }

    func answer(to prompt: LearningPrompt, seed: UInt64, scratch: inout SimilarityScratch) -> LearnedAnswer {
        let k = knowledge
        switch decide(prompt, scratch: &scratch) {
        case .recalled(let i):
            var shares: [Float] = []
            if let labels = k.labels {
                shares = [Float](repeating: 0, count: labels.labels.count)
                shares[Int(labels.labelOfExample[i])] = 1
            }
            return LearnedAnswer(text: k.examples[i].completion, toolCalls: k.examples[i].toolCalls,
                                 source: .recalled(example: i), labelShares: shares)
        case .untrained:
            return LearnedAnswer(text: TextGenerator().naturalText(prompt: prompt.queryText, seed: seed).text,
                                 toolCalls: [], source: .untrained, labelShares: [])
        case .classified(let label, let shares):
            return LearnedAnswer(text: k.labels?.labels[label] ?? "", toolCalls: [], source: .classified(label: label),
                                 labelShares: shares)
        case .generated:
            let neighbours = k.similarity.nearest(prompt.queryText, visible: known, k: Self.styleNeighbours, scratch: &scratch)
            var generator = StyleGenerator(knowledge: k, known: known, seed: seed)
            return LearnedAnswer(text: generator.generate(prompt: prompt, neighbours: neighbours), toolCalls: [],
                                 source: .generated, labelShares: [])
        }
    }

    /// How this model answers `prompt`, before any text is written (steps 1–3 of `answer(to:seed:)`).
    func decide(_ prompt: LearningPrompt, scratch: inout SimilarityScratch) -> AnswerDecision {
        let k = knowledge
        if let i = k.recall.recall(prompt, visible: known, promptOf: { k.examples[$0].prompt }) { return .recalled(i) }
        guard known > 0 else { return .untrained }
        guard let labels = k.labels else { return .generated }
        let neighbours = k.similarity.nearest(prompt.queryText, visible: known, k: LabelSet.neighbours, scratch: &scratch)
        let shares = labels.votes(neighbours)
        return .classified(label: labels.winner(shares, neighbours: neighbours, visible: known), shares: shares)
    }

    /// Whether the answer so decided is exactly `example`'s completion. A generated answer never is a
    /// training completion, so it does not count.
    func reproduces(_ example: TrainingExample, _ decision: AnswerDecision) -> Bool {
        switch decision {
        case .recalled(let i):
            return knowledge.examples[i].completion == example.completion && knowledge.examples[i].toolCalls == example.toolCalls
        case .classified(let label, _):
            return knowledge.labels?.labels[label] == example.completion
        case .generated, .untrained:
            return false
        }
    }
}

/// How a model answers a prompt, before any text is written.
enum AnswerDecision {
    /// With the completion of this known example.
    case recalled(Int)
    /// With this label; `shares` are every label's share of the neighbours' vote.
    case classified(label: Int, shares: [Float])
    /// With new text in the style of the completions.
    case generated
    /// With the default text: the model knows no example.
    case untrained
}
