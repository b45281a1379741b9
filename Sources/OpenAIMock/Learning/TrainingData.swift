/// A parsed fine-tuning JSONL file: its format, the examples a model learns from it, and per line (what
/// the API counts as an example, and bills) its token count.
package struct TrainingData: Sendable {
    package enum Format: String, Sendable, Equatable {
        /// `{"messages":[…]}` with at least one assistant message.
        case chat
        /// `{"prompt":"…","completion":"…"}`.
        case promptCompletion = "prompt_completion"
        /// DPO: `{"input":{"messages":[…]},"preferred_output":[…],"non_preferred_output":[…]}`.
        case preference
        /// `{"messages":[…]}` without an assistant message plus reference fields (the answer to learn is the
        /// first string-valued reference field, else the reference fields as JSON).
        case reinforcement
    }

    /// One line of the file.
    package struct Line: Sendable, Equatable {
        /// 1-based example number (blank lines are skipped and not counted).
        package var number: Int
        /// Billed tokens: the whole conversation (and its tools) or prompt + completion(s).
        package var tokens: Int
        /// The examples this line yielded, as indices into `examples`.
        package var examples: Range<Int>
    }

    package var format: Format
    package var examples: [TrainingExample]
    package var lines: [Line]

    /// What the API reports as the file's example count: its lines.
    package var exampleCount: Int { lines.count }
    /// Tokens of one pass over the file (`trained_tokens` is this times the epochs).
    package var totalTokens: Int { lines.reduce(0) { $0 + $1.tokens } }

    /// Examples made in code: one line each, billed at `TrainingExample.tokens`.
    package init(examples: [TrainingExample], format: Format = .promptCompletion) {
        self.format = format
        self.examples = examples
        lines = examples.indices.map { Line(number: $0 + 1, tokens: examples[$0].tokens, examples: $0..<($0 + 1)) }
    }

    init(format: Format, examples: [TrainingExample], lines: [Line]) {
        self.format = format
        self.examples = examples
        self.lines = lines
    }

    /// The real API's `invalid_n_examples` check (training files need 10; validation files have no minimum,
    /// so the caller decides whether to run it). `file` is `Training` or `Validation`.
    package func checkMinimumExamples(_ minimum: Int = 10, file: String = "Training") throws(TrainingFileError) {
        if exampleCount < minimum { throw TrainingFileError.tooFewExamples(exampleCount, minimum: minimum, file: file) }
    }

    /// Parses and validates a JSONL file with the real API's outcomes. A file mixing formats fails with the
    /// unexpected-format error, as one that is in none of them.
    package static func parse(_ bytes: [UInt8]) throws(TrainingFileError) -> TrainingData {
        var format: Format?
        var examples: [TrainingExample] = []
        var lines: [Line] = []
        var lineNumber = 0
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            lineNumber += 1
            let body = trimmed(bytes[start..<end])
            start = end + 1
            if body.isEmpty { continue }
            guard case .object(let object)? = try? JSONValue.parse(Array(body)) else {
                throw TrainingFileError.notADictionary(line: lineNumber)
            }
            let number = lines.count + 1
            guard let lineFormat = detectFormat(object), format == nil || format == lineFormat else {
                throw TrainingFileError.unexpectedFormat
            }
            format = lineFormat
            let parsed = try LineParser(object: object, example: number).parse(lineFormat)
            lines.append(Line(number: number, tokens: parsed.tokens, examples: examples.count..<(examples.count + parsed.examples.count)))
            examples += parsed.examples
        }
        return TrainingData(format: format ?? .chat, examples: examples, lines: lines)
    }

    /// The format a line is written in, or nil when it is in none.
    static func detectFormat(_ o: JSONObject) -> Format? {
        if case .array(let messages)? = o["messages"] {
            let hasAssistant = messages.contains { $0["role"]?.stringValue == "assistant" }
            let references = o.keys.contains { !LineParser.chatLineKeys.contains($0) }
            return !hasAssistant && references ? .reinforcement : .chat
        }
        if o["messages"] != nil { return .chat }
        if o["input"] != nil && LineParser.preferenceKeys.contains(where: { o[$0.preferred] != nil }) { return .preference }
        if o["prompt"] != nil || o["completion"] != nil { return .promptCompletion }
        return nil
    }

    private static func trimmed(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var line = line
        while let last = line.last, last == 0x0D || last == 0x20 || last == 0x09 { line = line.dropLast() }
        while let first = line.first, first == 0x20 || first == 0x09 || first == 0xEF || first == 0xBB || first == 0xBF {
            line = line.dropFirst()  // spaces, and a UTF-8 byte-order mark on the first line
        }
        return line
    }
}
