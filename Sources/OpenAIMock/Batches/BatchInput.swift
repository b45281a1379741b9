/// A batch's input file read as the real API validates it: every line a JSON object with a unique
/// string `custom_id`, `method` POST, the batch's `url`, an object `body`, and one model for all.
/// A file with errors makes the batch fail with every error listed (see ``BatchLineError``).
struct BatchInput: Sendable {
    struct Line: Sendable {
        var customID: String
        var body: JSONObject
    }

    static let maxRequests = 50_000
    /// At most this many errors are listed on a failed batch.
    static let maxErrors = 100

    let endpoint: String
    private(set) var lines: [Line] = []
    private(set) var errors: [BatchLineError] = []
    /// The model the requests name (nil for endpoints that need none, e.g. moderations).
    private(set) var model: String?
    private var customIDs: Set<String> = []

    /// Reads `file` in chunks (blocking: run through ``BlockingIO``).
    static func read(_ file: ReadableFile, endpoint: String) throws(OpenAIError) -> BatchInput {
        var input = BatchInput(endpoint: endpoint)
        var splitter = JSONLCheck.Lines()
        do {
            while let chunk = try file.read(max: 1 << 20) {
                try splitter.feed(chunk) { number, bytes in input.add(number, bytes) }
            }
        } catch let error as OpenAIError {
            throw error
        } catch {
            throw OpenAIError.storageFailure(error)
        }
        if let (number, last) = splitter.finish() { input.add(number, last[...]) }
        if input.errors.isEmpty && input.lines.isEmpty {
            input.errors = [BatchLineError(code: "empty_file", message: "The batch input file is empty.", param: nil, line: nil)]
        }
        if input.lines.count > maxRequests {
            input.errors.insert(BatchLineError(code: "too_many_tasks",
                                               message: "The batch input file contains \(input.lines.count) requests: the maximum is \(maxRequests).",
                                               param: nil, line: nil), at: 0)
        }
        if input.errors.count > maxErrors { input.errors.removeLast(input.errors.count - maxErrors) }
        return input
    }

    private mutating func add(_ number: Int, _ bytes: ArraySlice<UInt8>) {
        guard !JSONLCheck.Lines.isBlank(bytes) else { return }
        func fail(_ code: String, _ message: String, _ param: String? = nil) {
            errors.append(BatchLineError(code: code, message: message, param: param, line: number))
        }
        guard let value = try? JSONValue.parse(Array(bytes)), case .object(let object) = value else {
            return fail("invalid_json_line", "This line is not parseable as valid JSON.")
        }
        guard let id = object["custom_id"], id != .null else {
            return fail("missing_required_parameter", "Missing required parameter: 'custom_id'.", "custom_id")
        }
        guard case .string(let customID) = id else {
            return fail("invalid_type", Self.typeMessage("custom_id", "a string", id), "custom_id")
        }
        guard customIDs.insert(customID).inserted else {
            return fail("duplicate_custom_id",
                        "The custom_id for this request is a duplicate of another request. The custom_id parameter must be unique for each request in a batch.",
                        "custom_id")
        }
        guard let method = object["method"]?.stringValue else {
            return fail("missing_required_parameter", "Missing required parameter: 'method'.", "method")
        }
        guard method == "POST" else {
            return fail("invalid_value", OpenAIError.invalidValue(method, param: "method", supported: ["POST"]).message, "method")
        }
        guard let url = object["url"]?.stringValue else {
            return fail("missing_required_parameter", "Missing required parameter: 'url'.", "url")
        }
        guard url == endpoint else {
            return fail("url_mismatch",
                        "The provided URL '\(url)' does not match the batch endpoint '\(endpoint)': every request in a batch must use the batch's endpoint.",
                        "url")
        }
        guard let body = object["body"] else {
            return fail("missing_required_parameter", "Missing required parameter: 'body'.", "body")
        }
        guard case .object(let request) = body else {
            return fail("invalid_type", Self.typeMessage("body", "an object", body), "body")
        }
        if let name = request["model"]?.stringValue {
            if let model, model != name {
                return fail("model_mismatch",
                            "The provided model '\(name)' does not match the model '\(model)' of the other requests in the batch: every request in a batch must use the same model.",
                            "body.model")
            }
            model = name
        }
        lines.append(Line(customID: customID, body: request))
    }

    private static func typeMessage(_ param: String, _ expected: String, _ value: JSONValue) -> String {
        OpenAIError.invalidType(param, expected: expected, got: value).message
    }
}

/// One entry of a failed batch's `errors.data`.
struct BatchLineError: Sendable, Equatable {
    var code: String
    var message: String
    var param: String?
    /// The input file's line (from 1); nil for an error about the whole file.
    var line: Int?

    var json: JSONValue {
        .object(JSONObject([
            ("code", .string(code)), ("message", .string(message)),
            ("param", param.map(JSONValue.string) ?? .null), ("line", line.map(JSONValue.int) ?? .null),
        ]))
    }

    init(code: String, message: String, param: String?, line: Int?) {
        self.code = code
        self.message = message
        self.param = param
        self.line = line
    }

    init(stored v: JSONValue) throws(StoreDecodingError) {
        code = try v.string("code")
        message = try v.string("message")
        param = v.optionalString("param")
        line = v.optionalInt("line")
    }
}
