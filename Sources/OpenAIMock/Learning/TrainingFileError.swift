/// Why a fine-tuning file was refused, in the real API's words (api-contract §8.9).
///
/// `message` is the text after the job error's `The job failed due to an invalid training file. ` prefix
/// (the caller adds it, and picks `param` `training_file` or `validation_file`). `isUploadError` marks the
/// check the real API makes already at `POST /files` (a line that is not a JSON object).
package struct TrainingFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `invalid_training_file` or `invalid_n_examples`.
    package var code: String
    package var message: String
    /// The 1-based example (line) the problem is in, when there is one.
    package var example: Int?
    /// The 1-based message within that example's `messages`, when there is one.
    package var messageNumber: Int?
    package var isUploadError: Bool

    package var description: String { message }

    init(_ message: String, example: Int? = nil, messageNumber: Int? = nil,
         code: String = "invalid_training_file", isUploadError: Bool = false) {
        self.code = code
        self.message = message
        self.example = example
        self.messageNumber = messageNumber
        self.isUploadError = isUploadError
    }

    static func notADictionary(line: Int) -> TrainingFileError {
        TrainingFileError("Expected file to have JSONL format, where every line is a JSON dictionary. Line \(line) is not a dictionary.",
                          example: line, isUploadError: true)
    }

    static let unexpectedFormat = TrainingFileError(
        "Unexpected file format, expected either prompt/completion pairs or chat messages.")

    static func tooFewExamples(_ count: Int, minimum: Int, file: String) -> TrainingFileError {
        TrainingFileError("\(file) file has \(count) example(s), but must have at least \(minimum) examples",
                          code: "invalid_n_examples")
    }

    /// `Invalid file format. Example 3, message 2 Discriminator 'role' is missing in value`.
    static func inMessage(_ detail: String, example: Int, message: Int) -> TrainingFileError {
        TrainingFileError("Invalid file format. Example \(example), message \(message) \(detail)",
                          example: example, messageNumber: message)
    }

    /// `Invalid file format. Example 3, message 2, key "content": Input should be a valid string`.
    static func inKey(_ key: String, _ detail: String, example: Int, message: Int? = nil) -> TrainingFileError {
        let place = message.map { "Example \(example), message \($0), key \"\(key)\"" } ?? "Example \(example), key \"\(key)\""
        return TrainingFileError("Invalid file format. \(place): \(detail)", example: example, messageNumber: message)
    }

    static func noAssistantMessage(example: Int) -> TrainingFileError {
        TrainingFileError("Invalid file format. Example \(example), no assistant messages found. Each example must contain at least one message with role 'assistant'.",
                          example: example)
    }

    static func invalidToken(_ token: String, example: Int) -> TrainingFileError {
        TrainingFileError("Invalid file format. Example \(example) message contains an invalid token: \(token).", example: example)
    }
}
