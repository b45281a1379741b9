/// What an upload for fine-tuning (or a batch) must be, checked as the real API checks it when
/// the file is created: a `.jsonl` name, and every non-blank line a JSON object. Also recognises
/// the training-data format (chat, prompt/completion, preference) and keeps it on the file for the
/// jobs that will read it; deeper checks (roles, example counts) happen when a job validates the file.
enum JSONLCheck {
    /// Longest line accepted (a line is parsed whole).
    static let maxLineBytes = 64 << 20

    struct Result: Sendable, Equatable {
        var lines: Int
        /// `chat`, `prompt_completion`, `preference`, or `mixed`/`unknown` (nil for an empty file).
        var format: String?
    }

    /// A name with an extension must end in `.jsonl`. One without (0.28's `File.create` sends `file`
    /// when it is not given a name, and the real API took those) is accepted.
    static func requireJSONLName(_ filename: String, api: String) throws(OpenAIError) {
        let base = filename.split(separator: "/").last.map(String.init) ?? filename
        guard !base.contains(".") || base.lowercased().hasSuffix(".jsonl") else {
            throw OpenAIError.invalidRequest("Invalid file format for \(api). Must be .jsonl", param: "file")
        }
    }

    /// Reads `file` back in chunks and checks every line (blocking: run through ``BlockingIO``).
    static func check(_ file: ReadableFile) throws(OpenAIError) -> Result {
        var scanner = Scanner()
        do {
            while let chunk = try file.read(max: 1 << 20) { try scanner.feed(chunk) }
        } catch let error as OpenAIError {
            throw error
        } catch {
            throw OpenAIError.storageFailure(error)
        }
        try scanner.finish()
        return Result(lines: scanner.lines, format: scanner.format)
    }

    /// Checks each line as the splitter hands it over.
    struct Scanner {
        private var splitter = Lines()
        private(set) var lines = 0
        private(set) var format: String?

        mutating func feed(_ chunk: [UInt8]) throws(OpenAIError) {
            var splitter = self.splitter
            defer { self.splitter = splitter }
            try splitter.feed(chunk) { number, bytes throws(OpenAIError) in try line(number, bytes) }
        }

        mutating func finish() throws(OpenAIError) {
            if let (number, last) = splitter.finish() { try line(number, last[...]) }
        }

        private mutating func line(_ number: Int, _ bytes: ArraySlice<UInt8>) throws(OpenAIError) {
            guard !Lines.isBlank(bytes) else { return }
            guard let value = try? JSONValue.parse(Array(bytes)), case .object(let object) = value else {
                throw OpenAIError.invalidRequest(
                    "Expected file to have JSONL format, where every line is a JSON dictionary. Line \(number) is not a dictionary (HINT: line starts with: \"\(Lines.hint(bytes))...\").",
                    param: "file")
            }
            lines += 1
            let kind = TrainingData.detectFormat(object)?.rawValue ?? "unknown"
            if lines == 1 {
                format = kind
            } else if format != kind {
                format = "mixed"
            }
        }
    }

    /// Splits bytes into numbered lines (from 1) across chunk boundaries; a line longer than
    /// ``maxLineBytes`` is refused.
    struct Lines {
        private var partial: [UInt8] = []
        private var number = 0

        /// Hands each complete line of `chunk` (with what earlier chunks left over) to `each`.
        mutating func feed(_ chunk: [UInt8], _ each: (Int, ArraySlice<UInt8>) throws(OpenAIError) -> Void) throws(OpenAIError) {
            var start = 0
            while let newline = chunk[start...].firstIndex(of: 0x0A) {
                number += 1
                if partial.isEmpty {
                    try each(number, chunk[start..<newline])
                } else {
                    partial.append(contentsOf: chunk[start..<newline])
                    let whole = partial
                    partial = []
                    try each(number, whole[...])
                }
                start = newline + 1
            }
            partial.append(contentsOf: chunk[start...])
            if partial.count > JSONLCheck.maxLineBytes {
                throw OpenAIError.invalidRequest("Line \(number + 1) of the file is longer than \(JSONLCheck.maxLineBytes) bytes.", param: "file")
            }
        }

        /// The last line when the input does not end with a newline.
        mutating func finish() -> (Int, [UInt8])? {
            guard !partial.isEmpty else { return nil }
            defer { partial = [] }
            number += 1
            return (number, partial)
        }

        static func isBlank(_ bytes: ArraySlice<UInt8>) -> Bool {
            !bytes.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D })
        }

        /// The start of a line, quoted for an error message.
        static func hint(_ bytes: ArraySlice<UInt8>) -> String {
            let text = String(decoding: bytes.prefix(40), as: UTF8.self)
            return String(text.prefix(20)).replacing("\"", with: "\\\"")
        }
    }
}
