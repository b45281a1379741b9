/// The answers of classification data: few distinct, short completions, each repeated. A model trained on
/// such data answers an unknown prompt with the label its nearest known examples vote for.
struct LabelSet: Sendable {
    /// Distinct completions in first-seen order.
    let labels: [String]
    /// Label text → its index.
    let index: [String: Int32]
    /// Label index of each example.
    let labelOfExample: [Int32]
    /// The first example carrying each label, and how many examples carry it.
    let firstExample: [Int]
    let frequency: [Int]

    static let maxLabels = 200
    static let maxLabelTokens = 12
    static let neighbours = 7

    /// The label set of `completions` when they look like classification data: at least 4 examples, at most
    /// `maxLabels` distinct completions of at most `maxLabelTokens` tokens, each repeated on average at
    /// least twice (so 14 classes need 28 examples).
    init?(completions: [String]) {
        guard completions.count >= 4 else { return nil }
        var index: [String: Int32] = [:]
        var labels: [String] = []
        var labelOf: [Int32] = []
        var first: [Int] = []
        var frequency: [Int] = []
        labelOf.reserveCapacity(completions.count)
        for (i, c) in completions.enumerated() {
            if let known = index[c] {
                labelOf.append(known)
                frequency[Int(known)] += 1
                continue
            }
            guard labels.count < Self.maxLabels, TokenCounter.count(c) <= Self.maxLabelTokens else { return nil }
            index[c] = Int32(labels.count)
            labelOf.append(Int32(labels.count))
            labels.append(c)
            first.append(i)
            frequency.append(1)
        }
        guard labels.count * 2 <= completions.count else { return nil }
        self.labels = labels
        self.index = index
        labelOfExample = labelOf
        firstExample = first
        self.frequency = frequency
    }

    /// Score-weighted vote of `neighbours`: each label's share of the votes (zero-sum when there are none).
    func votes(_ neighbours: [SimilarityIndex.Neighbour]) -> [Float] {
        var votes = [Float](repeating: 0, count: labels.count)
        var total: Float = 0
        for n in neighbours {
            votes[Int(labelOfExample[n.document])] += n.score
            total += n.score
        }
        if total > 0 { for i in votes.indices { votes[i] /= total } }
        return votes
    }

    /// The winning label: highest vote; ties go to the label of the nearest neighbour among the tied, then to
    /// the most frequent known label. With no votes at all, the most frequent label among those known.
    func winner(_ votes: [Float], neighbours: [SimilarityIndex.Neighbour], visible: Int) -> Int {
        if let top = votes.max(), top > 0 {
            for n in neighbours where votes[Int(labelOfExample[n.document])] == top {
                return Int(labelOfExample[n.document])
            }
        }
        var best = 0
        for l in labels.indices where firstExample[l] < visible {
            if firstExample[best] >= visible || frequency[l] > frequency[best] { best = l }
        }
        return best
    }
}
