/// The body of `POST /v1/batches`, checked with the real API's errors.
struct BatchRequest: Sendable {
    /// The endpoints a batch may target.
    static let endpoints = ["/v1/responses", "/v1/chat/completions", "/v1/embeddings", "/v1/completions", "/v1/moderations"]

    var inputFileID: String
    var endpoint: String
    var completionWindow: String
    var metadata: JSONValue
    var outputExpiresAfter: Int?

    init(_ body: JSONObject) throws(OpenAIError) {
        func string(_ name: String) throws(OpenAIError) -> String {
            guard let value = body[name], value != .null else { throw OpenAIError.missingParameter(name) }
            guard case .string(let s) = value else { throw OpenAIError.invalidType(name, expected: "a string", got: value) }
            return s
        }
        inputFileID = try string("input_file_id")
        endpoint = try string("endpoint")
        guard Self.endpoints.contains(endpoint) else {
            throw OpenAIError.invalidValue(endpoint, param: "endpoint", supported: Self.endpoints)
        }
        completionWindow = try string("completion_window")
        guard completionWindow == "24h" else { throw OpenAIError.invalidValue(completionWindow, param: "completion_window", supported: ["24h"]) }
        metadata = try Metadata.validate(body["metadata"])
        outputExpiresAfter = try Self.expiry(body["output_expires_after"])
    }

    /// `output_expires_after: {anchor: "created_at", seconds: 3600…2592000}`.
    private static func expiry(_ value: JSONValue?) throws(OpenAIError) -> Int? {
        guard let value, value != .null else { return nil }
        guard case .object(let o) = value else { throw OpenAIError.invalidType("output_expires_after", expected: "an object", got: value) }
        guard let anchor = o["anchor"], anchor != .null else { throw OpenAIError.missingParameter("output_expires_after.anchor") }
        guard case .string(let a) = anchor else {
            throw OpenAIError.invalidType("output_expires_after.anchor", expected: "a string", got: anchor)
        }
        guard a == "created_at" else { throw OpenAIError.invalidValue(a, param: "output_expires_after.anchor", supported: ["created_at"]) }
        guard let seconds = o["seconds"], seconds != .null else { throw OpenAIError.missingParameter("output_expires_after.seconds") }
        guard case .int(let n) = seconds else {
            throw OpenAIError.invalidType("output_expires_after.seconds", expected: "an integer", got: seconds)
        }
        guard n >= 3600 else {
            throw OpenAIError.invalidRequest(
                "Invalid 'output_expires_after.seconds': integer below minimum value. Expected a value >= 3600, but got \(n) instead.",
                param: "output_expires_after.seconds", code: "integer_below_min_value")
        }
        guard n <= 2_592_000 else {
            throw OpenAIError.invalidRequest(
                "Invalid 'output_expires_after.seconds': integer above maximum value. Expected a value <= 2592000, but got \(n) instead.",
                param: "output_expires_after.seconds", code: "integer_above_max_value")
        }
        return n
    }
}
