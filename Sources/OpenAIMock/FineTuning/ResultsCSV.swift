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
