import MockHTTP

/// An error answered to the client as `{"error":{"message","type","param","code"}}`.
///
/// Every failure in the engine is one of these, so the mapping to status + body lives in one
/// place. Constructors for the real API's recurring errors keep their exact wording.
public struct OpenAIError: Error, Sendable, Equatable {
    public var status: Int
    public var message: String
    public var type: String
    public var param: String?
    public var code: String?
    /// Extra response headers (e.g. `retry-after-ms`, `x-should-retry`).
    public var headers: HTTPHeaders

    public init(status: Int, message: String, type: String = "invalid_request_error",
                param: String? = nil, code: String? = nil, headers: HTTPHeaders = HTTPHeaders()) {
        self.status = status
        self.message = message
        self.type = type
        self.param = param
        self.code = code
        self.headers = headers
    }

    /// The `error` object alone (also used for mid-stream error events).
    public var errorObject: JSONValue {
        .object(JSONObject([
            ("message", .string(message)),
            ("type", .string(type)),
            ("param", param.map(JSONValue.string) ?? .null),
            ("code", code.map(JSONValue.string) ?? .null),
        ]))
    }

    public var body: JSONValue { .object(JSONObject([("error", errorObject)])) }

    public var response: HTTPResponse {
        var h = headers
        h.set("content-type", "application/json")
        return HTTPResponse(status: status, headers: h, bytes: body.serialized())
    }
}

extension OpenAIError {
    public static func invalidRequest(_ message: String, param: String? = nil, code: String? = nil) -> OpenAIError {
        OpenAIError(status: 400, message: message, param: param, code: code)
    }

    public static func invalidURL(method: String, path: String) -> OpenAIError {
        OpenAIError(status: 404, message: "Invalid URL (\(method) \(path))")
    }

    public static func methodNotAllowed(method: String, path: String) -> OpenAIError {
        OpenAIError(status: 405, message: "Invalid method for URL (\(method) \(path))")
    }

    public static func modelNotFound(_ model: String) -> OpenAIError {
        OpenAIError(status: 404, message: "The model `\(model)` does not exist or you do not have access to it.",
                    code: "model_not_found")
    }

    public static func missingParameter(_ name: String) -> OpenAIError {
        .invalidRequest("Missing required parameter: '\(name)'.", param: name, code: "missing_required_parameter")
    }

    /// `Invalid type for 'x': expected an integer, but got a string instead.`
    public static func invalidType(_ param: String, expected: String, got value: JSONValue) -> OpenAIError {
        let got: String
        switch value {
        case .null: got = "null"
        case .bool: got = "a boolean"
        case .int: got = "an integer"
        case .double: got = "a decimal"
        case .string: got = "a string"
        case .array: got = "an array"
        case .object: got = "an object"
        }
        return .invalidRequest("Invalid type for '\(param)': expected \(expected), but got \(got) instead.",
                               param: param, code: "invalid_type")
    }

    public static func serverError(_ message: String = "The server had an error while processing your request. Sorry about that!") -> OpenAIError {
        OpenAIError(status: 500, message: message, type: "server_error")
    }

    /// The body was not valid JSON.
    public static func malformedJSON(_ detail: String) -> OpenAIError {
        .invalidRequest("We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)")
    }
}

extension OpenAIError {
    /// `Invalid value: 'x'. Supported values are: 'a', 'b', and 'c'.`
    public static func invalidValue(_ value: String, param: String, supported: [String]) -> OpenAIError {
        .invalidRequest("Invalid value: '\(value)'. Supported values are: \(quotedList(supported)).", param: param,
                        code: "invalid_value")
    }

    /// `Unsupported parameter: 'logprobs' is not supported with this model.`
    public static func unsupportedParameter(_ param: String) -> OpenAIError {
        .invalidRequest("Unsupported parameter: '\(param)' is not supported with this model.", param: param,
                        code: "unsupported_parameter")
    }

    /// `Unsupported value: 'verbosity' does not support 'low' with this model. Supported values are: 'medium'.`
    public static func unsupportedValue(_ param: String, _ value: String, supported: [String], context: String = "with this model")
        -> OpenAIError {
        .invalidRequest("Unsupported value: '\(param)' does not support \(value) \(context). Supported values are: \(quotedList(supported)).",
                        param: param, code: "unsupported_value")
    }

    /// `'a'`, `'a' and 'b'`, `'a', 'b', and 'c'`: how the API lists allowed values.
    static func quotedList(_ items: [String]) -> String {
        let quoted = items.map { "'\($0)'" }
        switch quoted.count {
        case 0: return ""
        case 1: return quoted[0]
        case 2: return "\(quoted[0]) and \(quoted[1])"
        default: return quoted.dropLast().joined(separator: ", ") + ", and " + quoted[quoted.count - 1]
        }
    }
}
