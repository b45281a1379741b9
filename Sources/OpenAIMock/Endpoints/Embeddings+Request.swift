/// A validated `POST /v1/embeddings` body.
///
/// Validation follows the real API's order and wording: body shape first (missing / mistyped
/// fields, the four input forms), then the model (exists, is an embedding model), then what
/// depends on the model (`dimensions`), then token limits.
public struct EmbeddingsRequest: Sendable, Equatable {
    public var model: String
    public var inputs: [EmbeddingInput]
    public var encodingFormat: EncodingFormat
    public var dimensions: Int?

    public enum EncodingFormat: String, Sendable, Equatable {
        case float, base64
    }

    /// Inputs per request, and tokens per input and per request (real API limits).
    public static let maxInputs = 2048
    public static let maxTokensPerInput = 8192
    public static let maxTokensPerRequest = 300_000

    /// Parses the body's shape; model and token checks come later (``validate(models:)``).
    public init(_ body: JSONObject) throws(OpenAIError) {
        switch body["model"] {
        case nil, .null?: throw OpenAIError.invalidRequest("you must provide a model parameter")
        case .string(let m)?: model = m
        case let other?: throw OpenAIError.invalidType("model", expected: "a string", got: other)
        }
        guard let input = body["input"], input != .null else { throw OpenAIError.missingParameter("input") }
        inputs = try Self.parseInput(input)

        switch body["encoding_format"] {
        case nil, .null?: encodingFormat = .float
        case .string(let f)?:
            guard let format = EncodingFormat(rawValue: f) else {
                throw OpenAIError.invalidRequest("Invalid value: '\(f)'. Supported values are: 'float' and 'base64'.",
                                                 param: "encoding_format", code: "invalid_value")
            }
            encodingFormat = format
        case let other?: throw OpenAIError.invalidType("encoding_format", expected: "a string", got: other)
        }

        switch body["dimensions"] {
        case nil, .null?: dimensions = nil
        case let value?:
            guard let d = value.intValue else { throw OpenAIError.invalidType("dimensions", expected: "an integer", got: value) }
            dimensions = d
        }
    }

    /// The schema error the real API gives for any input that fits none of the four forms
    /// (empty string, empty array, mixed or nested types, more than 2,048 items).
    static var invalidInput: OpenAIError {
        .invalidRequest("'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.")
    }

    /// string | [string] | [int] (one token array) | [[int]] (several token arrays).
    static func parseInput(_ input: JSONValue) throws(OpenAIError) -> [EmbeddingInput] {
        switch input {
        case .string(let s):
            guard !s.isEmpty else { throw invalidInput }
            return [.text(s)]
        case .array(let items):
            guard let first = items.first else { throw invalidInput }
            switch first {
            case .string:
                guard items.count <= maxInputs else { throw invalidInput }
                var out: [EmbeddingInput] = []
                out.reserveCapacity(items.count)
                for item in items {
                    guard case .string(let s) = item, !s.isEmpty else { throw invalidInput }
                    out.append(.text(s))
                }
                return out
            case .int, .double:
                // One token array; its length is bounded by the per-input token limit instead.
                return [.tokens(try tokenIDs(items))]
            case .array:
                guard items.count <= maxInputs else { throw invalidInput }
                var out: [EmbeddingInput] = []
                out.reserveCapacity(items.count)
                for item in items {
                    guard case .array(let ids) = item, !ids.isEmpty else { throw invalidInput }
                    out.append(.tokens(try tokenIDs(ids)))
                }
                return out
            default:
                throw invalidInput
            }
        case .int, .double, .bool, .object, .null:
            throw invalidInput
        }
    }

    private static func tokenIDs(_ items: [JSONValue]) throws(OpenAIError) -> [Int] {
        var ids: [Int] = []
        ids.reserveCapacity(items.count)
        for item in items {
            guard let id = item.intValue, id >= 0 else { throw invalidInput }
            ids.append(id)
        }
        return ids
    }

    /// Model-dependent checks. Returns the output vector size.
    public func validate(models: ModelCatalog) throws(OpenAIError) -> Int {
        guard let info = models.resolve(model, for: .embedding) else { throw OpenAIError.modelNotFound(model) }
        guard info.kind == .embedding else {
            throw OpenAIError(status: 403, message: "You are not allowed to generate embeddings from this model")
        }
        let native = EmbeddingModels.nativeDimensions(model)
        guard let d = dimensions else { return native }
        guard EmbeddingModels.supportsDimensions(model) else {
            throw OpenAIError.invalidRequest("This model does not support specifying dimensions.")
        }
        if d < 1 {
            throw OpenAIError.invalidRequest(
                "Invalid 'dimensions': integer below minimum value. Expected a value >= 1, but got \(d) instead.",
                param: "dimensions", code: "integer_below_min_value")
        }
        if d > native {
            throw OpenAIError.invalidRequest(
                "Invalid 'dimensions': integer above maximum value. Expected a value <= \(native), but got \(d) instead.",
                param: "dimensions", code: "integer_above_max_value")
        }
        return d
    }

    /// Token count of each input (the project's counter for text, the length for token arrays),
    /// checked against the per-input and per-request limits.
    public func tokenCounts() throws(OpenAIError) -> [Int] {
        var counts: [Int] = []
        counts.reserveCapacity(inputs.count)
        var total = 0
        for (i, input) in inputs.enumerated() {
            let n: Int
            switch input {
            case .text(let s): n = TokenCounter.count(s)
            case .tokens(let ids): n = ids.count
            }
            if n > Self.maxTokensPerInput {
                throw OpenAIError.invalidRequest("Invalid 'input[\(i)]': maximum input length is \(Self.maxTokensPerInput) tokens.")
            }
            counts.append(n)
            total += n
        }
        if total > Self.maxTokensPerRequest {
            throw OpenAIError(status: 400, message: "Requested \(total) tokens, max \(Self.maxTokensPerRequest) tokens per request",
                              type: "max_tokens_per_request", code: "max_tokens_per_request")
        }
        return counts
    }
}
