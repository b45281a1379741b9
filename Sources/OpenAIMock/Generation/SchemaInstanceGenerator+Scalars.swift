/// Numbers and strings: bounds, `multipleOf`, lengths, patterns, formats and name hints. Every
/// conversion of a client's number is checked: bounds beyond `Int` give an integral `Double`, huge
/// ranges never overflow to infinity, and a `multipleOf` too small to count with falls back to 0 or a bound.
extension SchemaInstanceGenerator {
    func integer(_ s: SchemaNode, name: String, run: inout Run) -> JSONValue {
        var (low, high) = Self.finite(s.bounds(epsilon: 1))
        let hint = SchemaHints.integerRange(for: name) ?? 1...100
        let hinted = (max(low, Double(hint.lowerBound)), min(high, Double(hint.upperBound)))
        if hinted.0 <= hinted.1 { (low, high) = hinted } else if high - low > 1000 { high = low + 100 }
        run.spend(8)
        if let step = s.multipleOf {
            return Self.integral(Self.multiple(of: step, from: low, to: high, &run.rng).rounded())
        }
        let lo = low.rounded(.up), hi = high.rounded(.down)
        guard lo <= hi else { return Self.integral(lo) }
        if lo >= -9e15 && hi <= 9e15 { return .int(Int.random(in: Int(lo)...Int(hi), using: &run.rng)) }
        return Self.integral(Self.between(lo, hi, run.rng.unit()).rounded().clamped(lo, hi))
    }

    func number(_ s: SchemaNode, name: String, run: inout Run) -> JSONValue {
        var (low, high) = Self.finite(s.bounds(epsilon: 0.01))
        let hint = SchemaHints.integerRange(for: name).map { (Double($0.lowerBound), Double($0.upperBound)) } ?? (0, 100)
        let hinted = (max(low, hint.0), min(high, hint.1))
        if hinted.0 <= hinted.1 { (low, high) = hinted } else if high - low > 1000 { high = low + 100 }
        run.spend(8)
        if let step = s.multipleOf {
            let value = Self.multiple(of: step, from: low, to: high, &run.rng)
            return value.rounded() == value && abs(value) < 9e15 ? .int(Int(value)) : .double(value)
        }
        var value = Self.between(low, high, run.rng.unit())
        if abs(value) < 1e13 { value = (value * 100).rounded() / 100 }
        if !(value >= low && value <= high) { value = low }
        return .double(value.isFinite ? value : 0)
    }

    /// Finite bounds: none → ±1e6 around 0; one side open → 100 beyond the other.
    static func finite(_ bounds: (low: Double, high: Double)) -> (Double, Double) {
        var (low, high) = bounds
        if low == -.infinity && high == .infinity { return (-1e6, 1e6) }
        if low == -.infinity { low = min(high, 0) - 100 }
        if high == .infinity { high = max(low, 0) + 100 }
        return (low.isFinite ? low : -Double.greatestFiniteMagnitude, high.isFinite ? high : .greatestFiniteMagnitude)
    }

    /// `low + (high - low) · unit` without overflowing when the range is wider than `Double` holds.
    static func between(_ low: Double, _ high: Double, _ unit: Double) -> Double {
        let span = high - low
        return span.isFinite ? low + span * unit : low * (1 - unit) + high * unit
    }

    /// A multiple of `step` in [low, high] (up to 1,000 steps from the lowest); 0 (a multiple of
    /// anything) or `low` when the quotients are beyond what a `Double` counts.
    static func multiple(of step: Double, from low: Double, to high: Double, _ rng: inout SeededRandom) -> Double {
        let first = (low / step).rounded(.up), last = (high / step).rounded(.down)
        if first.isFinite && last.isFinite && first <= last && abs(first) < 9e15 {
            let span = min(last - first, 1000)
            let k = first + (span >= 1 ? Double(Int.random(in: 0...Int(span), using: &rng)) : 0)
            let value = k * step
            if value.isFinite { return value }
        }
        return low <= 0 && high >= 0 ? 0 : low
    }

    /// An integer value: `Int` when it fits, else an integral `Double` (JSON has no integer limit).
    static func integral(_ d: Double) -> JSONValue {
        guard d.isFinite else { return .int(0) }
        return abs(d) < 9.2e18 ? .int(Int(d)) : .double(d)
    }

    func string(_ s: SchemaNode, name: String, run: inout Run) -> String {
        let minLength = s.minLength ?? 0
        let maxLength = s.maxLength ?? Int.max
        if let pattern = s.pattern, let text = patternString(pattern, &run) {
            run.spend(text.utf8.count + 2)
            return text
        }
        var text: String
        if let format = s.format, let value = SchemaFormats.generate(format, rng: &run.rng) {
            text = value
        } else if let value = SchemaHints.string(for: name, context: hints, rng: &run.rng) {
            text = value
        } else if name.utf8.count <= 64 && name.lowercased().hasSuffix("id") {
            text = "id_" + StableHash.idSuffix(run.rng.next(), length: 12)
        } else {
            text = freeText(name: name, rng: &run.rng)
        }
        var scalars = Array(text.unicodeScalars)
        if scalars.count > maxLength { scalars = Array(scalars.prefix(max(0, maxLength))) }
        run.spend(text.utf8.count + 2)
        let filler = Array("abcdefghij".unicodeScalars)
        while scalars.count < minLength && run.mayAdd() {
            scalars.append(filler[scalars.count % filler.count])
            run.spend(1)
        }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars)
        return String(out)
    }

    /// A string the pattern matches; nil when four samples found none.
    private func patternString(_ pattern: LinearRegex, _ run: inout Run) -> String? {
        for _ in 0..<4 {
            if let text = pattern.sample(seed: run.rng.next(), maxScalars: min(10_000, max(64, run.remaining))) { return text }
        }
        return nil
    }

    /// Free text for descriptive fields: a short sentence about the conversation's topics.
    private func freeText(name: String, rng: inout SeededRandom) -> String {
        let key = SchemaHints.key(name)
        if SchemaHints.has(key, Self.longTextWords) {
            let generator = TextGenerator(lengthRange: 12...30)
            return generator.naturalText(prompt: hints.text.isEmpty ? name : hints.text, seed: rng.next()).text
        }
        if SchemaHints.has(key, Self.titleWords) {
            let topic = hints.topics.first.map(TextGenerator.capitalizedFirst) ?? "Untitled"
            return hints.language == .chinese ? "关于\(topic)的思考" : "Notes on \(topic)"
        }
        if !hints.topics.isEmpty { return hints.topics[Int(rng.next() % UInt64(hints.topics.count))] }
        return fallbackWord(&rng)
    }

    private static let longTextWords = ["description", "summary", "content", "text", "reason", "message", "answer", "explanation",
                                        "body", "comment", "note", "details", "response", "reply", "bio"].map { Array($0.utf8) }
    private static let titleWords = ["title", "headline", "subject"].map { Array($0.utf8) }

    func fallbackWord(_ run: inout Run) -> String { fallbackWord(&run.rng) }

    private func fallbackWord(_ rng: inout SeededRandom) -> String {
        SchemaHints.words[Int(rng.next() % UInt64(SchemaHints.words.count))]
    }
}

extension Double {
    fileprivate func clamped(_ low: Double, _ high: Double) -> Double { Swift.min(Swift.max(self, low), high) }
}
