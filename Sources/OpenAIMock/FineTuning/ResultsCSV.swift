/// The result file a finished job leaves (`purpose: fine-tune-results`).
enum ResultsCSV {
    /// `step_metrics.csv` of the current API — `step,train_loss,train_accuracy,valid_loss,
    /// valid_mean_token_accuracy`, empty cells where no validation ran — served base64-encoded, as the
    /// real API serves it (the OpenAI cookbook decodes it with `base64.b64decode`).
    static func current(_ run: TrainingRun) -> [UInt8] {
        var csv = "step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy\n"
        for step in run.steps {
            csv += "\(step.step),\(fixed(step.train.loss)),\(fixed(step.train.tokenAccuracy)),"
            csv += "\(step.validation.map { fixed($0.loss) } ?? ""),\(step.validation.map { fixed($0.tokenAccuracy) } ?? "")\n"
        }
        var out: [UInt8] = []
        Array(csv.utf8).withUnsafeBytes { EmbeddingEncoding.appendBase64($0, to: &out) }
        return out
    }

    /// The legacy `compiled_results.csv`, served as plain CSV: a row per step with the training figures,
    /// the validation figures where a validation batch ran (empty cells elsewhere), and with
    /// `compute_classification_metrics` the classification columns at the epoch ends.
    static func legacy(_ run: TrainingRun, classification: ClassificationOptions?) -> [UInt8] {
        var header = ["step", "elapsed_tokens", "elapsed_examples", "training_loss", "training_sequence_accuracy",
                      "training_token_accuracy", "validation_loss", "validation_sequence_accuracy", "validation_token_accuracy"]
        let binary = classification?.positiveClass != nil
        let betas = [1.0] + (classification?.betas ?? []).filter { $0 != 1 }
        if classification != nil {
            if binary {
                header += ["classification/accuracy", "classification/precision", "classification/recall",
                           "classification/auroc", "classification/auprc"] + betas.map { "classification/f\(betaName($0))" }
            } else {
                header += ["classification/accuracy", "classification/weighted_f1_score"]
            }
        }
        var csv = header.joined(separator: ",") + "\n"
        for step in run.steps {
            var row = ["\(step.step)", "\(step.elapsedTokens)", "\(step.elapsedExamples)", fixed(step.train.loss),
                       fixed(step.train.sequenceAccuracy), fixed(step.train.tokenAccuracy)]
            let v = step.fullValidation ?? step.validation
            row += [v.map { fixed($0.loss) } ?? "", v.map { fixed($0.sequenceAccuracy) } ?? "", v.map { fixed($0.tokenAccuracy) } ?? ""]
            if classification != nil {
                let c = step.classification
                if binary {
                    row += [c.map { fixed($0.accuracy) } ?? "", c?.precision.map { fixed($0) } ?? "", c?.recall.map { fixed($0) } ?? "",
                            c?.auroc.map { fixed($0) } ?? "", c?.auprc.map { fixed($0) } ?? ""]
                    row += betas.map { beta in c?.fScores.first { $0.beta == beta }.map { fixed($0.value) } ?? "" }
                } else {
                    row += [c.map { fixed($0.accuracy) } ?? "", c?.weightedF1.map { fixed($0) } ?? ""]
                }
            }
            csv += row.joined(separator: ",") + "\n"
        }
        return Array(csv.utf8)
    }

    /// `1.0`, `0.5`, `2.0`: how the column names spell the beta.
    static func betaName(_ beta: Double) -> String {
        beta.rounded() == beta ? "\(Int(beta)).0" : beta.description
    }

    /// `x` with `places` decimals (no Foundation `String(format:)`).
    static func fixed(_ x: Double, places: Int = 5) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(x) * scale).rounded()
        guard scaled < 9e15 else { return x.description }
        let n = Int(scaled)
        let whole = n / Int(scale), frac = n % Int(scale)
        var digits = String(frac)
        digits = String(repeating: "0", count: max(0, places - digits.count)) + digits
        return (x < 0 && n != 0 ? "-" : "") + "\(whole)" + (places > 0 ? "." + digits : "")
    }
}
