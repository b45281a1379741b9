/// Legacy `compute_classification_metrics` options (api-contract §9.2).
package struct ClassificationOptions: Sendable, Equatable {
    /// Binary classification: the completion that is the positive class (compared without surrounding
    /// whitespace). Without it, the metrics are multiclass.
    package var positiveClass: String?
    package var nClasses: Int?
    /// F-beta scores to add for binary classification (`f1.0` is always there).
    package var betas: [Double]

    package init(positiveClass: String? = nil, nClasses: Int? = nil, betas: [Double] = []) {
        self.positiveClass = positiveClass
        self.nClasses = nClasses
        self.betas = betas
    }
}

/// Classification metrics from what a model answered on the validation prompts (§9.4 columns). Answers and
/// labels are compared without surrounding whitespace (`" positive"` is `positive`).
package struct ClassificationFigures: Sendable, Equatable {
    package struct FScore: Sendable, Equatable {
        package var beta: Double
        package var value: Double
    }

    package var accuracy: Double
    /// Binary only.
    package var precision: Double?
    package var recall: Double?
    /// Binary only; nil when the validation labels hold one class only.
    package var auroc: Double?
    package var auprc: Double?
    /// Binary: `f1.0` first, then one per requested beta.
    package var fScores: [FScore]
    /// Multiclass only: F1 per true class, weighted by its support.
    package var weightedF1: Double?

    /// Binary figures. `scores` rank the examples by how positive the model thinks they are.
    static func binary(truth: [Bool], predicted: [Bool], scores: [Double], betas: [Double]) -> ClassificationFigures {
        var tp = 0.0, fp = 0.0, fn = 0.0, agree = 0.0
        for i in truth.indices {
            if truth[i] == predicted[i] { agree += 1 }
            if predicted[i] && truth[i] { tp += 1 }
            if predicted[i] && !truth[i] { fp += 1 }
            if !predicted[i] && truth[i] { fn += 1 }
        }
        let precision = tp + fp == 0 ? 0 : tp / (tp + fp)
        let recall = tp + fn == 0 ? 0 : tp / (tp + fn)
        let fScores = ([1.0] + betas).map { beta in
            let b2 = beta * beta
            let denominator = b2 * precision + recall
            return FScore(beta: beta, value: denominator == 0 ? 0 : (1 + b2) * precision * recall / denominator)
        }
        return ClassificationFigures(accuracy: truth.isEmpty ? 0 : agree / Double(truth.count), precision: precision,
                                     recall: recall, auroc: auroc(truth, scores), auprc: averagePrecision(truth, scores),
                                     fScores: fScores, weightedF1: nil)
    }

    /// Multiclass figures.
    static func multiclass(truth: [String], predicted: [String]) -> ClassificationFigures {
        var classes: [String] = []
        for t in truth where !classes.contains(t) { classes.append(t) }
        var weighted = 0.0
        for c in classes {
            var tp = 0.0, predictedCount = 0.0, support = 0.0
            for i in truth.indices {
                if truth[i] == c { support += 1 }
                if predicted[i] == c { predictedCount += 1 }
                if truth[i] == c && predicted[i] == c { tp += 1 }
            }
            let precision = predictedCount == 0 ? 0 : tp / predictedCount
            let recall = tp / support
            let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
            weighted += f1 * support
        }
        let agree = zip(truth, predicted).filter { $0 == $1 }.count
        return ClassificationFigures(accuracy: truth.isEmpty ? 0 : Double(agree) / Double(truth.count), precision: nil,
                                     recall: nil, auroc: nil, auprc: nil, fScores: [],
                                     weightedF1: truth.isEmpty ? 0 : weighted / Double(truth.count))
    }

    /// Area under the ROC curve: the chance a positive outranks a negative (ties count half).
    static func auroc(_ truth: [Bool], _ scores: [Double]) -> Double? {
        let order = truth.indices.sorted { scores[$0] != scores[$1] ? scores[$0] < scores[$1] : $0 < $1 }
        var rankSum = 0.0
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && scores[order[j + 1]] == scores[order[i]] { j += 1 }
            let averageRank = Double(i + j) / 2 + 1
            for k in i...j where truth[order[k]] { rankSum += averageRank }
            i = j + 1
        }
        let positives = Double(truth.filter { $0 }.count), negatives = Double(truth.count) - positives
        guard positives > 0 && negatives > 0 else { return nil }
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives)
    }

    /// Average precision: precision at each recall step, walking down the scores (tied scores as one step).
    static func averagePrecision(_ truth: [Bool], _ scores: [Double]) -> Double? {
        let positives = Double(truth.filter { $0 }.count)
        guard positives > 0 else { return nil }
        let order = truth.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
        var tp = 0.0, seen = 0.0, total = 0.0
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && scores[order[j + 1]] == scores[order[i]] { j += 1 }
            var stepPositives = 0.0
            for k in i...j where truth[order[k]] { stepPositives += 1 }
            tp += stepPositives
            seen += Double(j - i + 1)
            total += stepPositives / positives * (tp / seen)
            i = j + 1
        }
        return total
    }
}
