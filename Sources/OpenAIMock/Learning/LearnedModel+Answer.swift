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
        if let i = k.recall.recall(prompt, visible: known, promptOf: { k.examples[$0].prompt }) {
            var shares: [Float] = []
            if let labels = k.labels {
                shares = [Float](repeating: 0, count: labels.labels.count)
                shares[Int(labels.labelOfExample[i])] = 1
            }
            return LearnedAnswer(text: k.examples[i].completion, toolCalls: k.examples[i].toolCalls,
                                 source: .recalled(example: i), labelShares: shares)
        }
        guard known > 0 else {
            return LearnedAnswer(text: TextGenerator().naturalText(prompt: prompt.queryText, seed: seed).text,
                                 toolCalls: [], source: .untrained, labelShares: [])
        }
        if let labels = k.labels {
            let neighbours = k.similarity.nearest(prompt.queryText, visible: known, k: LabelSet.neighbours, scratch: &scratch)
            let shares = labels.votes(neighbours)
            let label = labels.winner(shares, neighbours: neighbours, visible: known)
            return LearnedAnswer(text: labels.labels[label], toolCalls: [], source: .classified(label: label), labelShares: shares)
        }
        let neighbours = k.similarity.nearest(prompt.queryText, visible: known, k: Self.styleNeighbours, scratch: &scratch)
        var generator = StyleGenerator(knowledge: k, known: known, seed: seed)
        return LearnedAnswer(text: generator.generate(prompt: prompt, neighbours: neighbours), toolCalls: [],
                             source: .generated, labelShares: [])
    }

    /// Whether this model's answer to `example`'s prompt is exactly its completion. Cheap: a recalled or
    /// classified answer is computed; a generated one never is a training completion, so it does not count.
    func reproduces(_ example: TrainingExample, scratch: inout SimilarityScratch) -> Bool {
        let k = knowledge
        if let i = k.recall.recall(example.prompt, visible: known, promptOf: { k.examples[$0].prompt }) {
            return k.examples[i].completion == example.completion && k.examples[i].toolCalls == example.toolCalls
        }
        guard known > 0, k.labels != nil else { return false }
        return answer(to: example.prompt, seed: 0, scratch: &scratch).text == example.completion
    }
}
