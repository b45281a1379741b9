import MockHTTP

/// Scripted faults as the real API would send them: a status, an OpenAI error body whose
/// type / code / message default to what that status really carries, and the retry headers.
public enum ScenarioFaults {
    /// The error a fault spec answers; `message` is the rendered template (nil: the status's usual text).
    static func error(_ spec: FaultSpec, message: String?) -> OpenAIError {
        let d = defaults(spec.status)
        var headers = HTTPHeaders()
        for (name, value) in spec.headers { headers.set(name, value) }
        return OpenAIError(status: spec.status, message: message ?? d.message, type: spec.type ?? d.type,
                           param: spec.param, code: spec.code ?? d.code, headers: headers)
    }

    /// What the real API usually says for a status (contract §2.2, §2.4).
    static func defaults(_ status: Int) -> (message: String, type: String, code: String?) {
        switch status {
        case 400: return ("Bad request.", "invalid_request_error", nil)
        case 401: return ("Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.",
                          "invalid_request_error", "invalid_api_key")
        case 403: return ("Country, region, or territory not supported", "invalid_request_error", "unsupported_country_region_territory")
        case 404: return ("The requested resource was not found.", "invalid_request_error", nil)
        case 408: return ("Request timed out.", "invalid_request_error", nil)
        case 409: return ("The request conflicted with another request. Please try again.", "invalid_request_error", nil)
        case 429: return ("Rate limit reached for requests. Please try again in 1s. Visit https://platform.openai.com/account/rate-limits to learn more.",
                          "requests", "rate_limit_exceeded")
        case 502: return ("Bad gateway.", "server_error", nil)
        case 503: return ("The engine is currently overloaded, please try again later", "server_error", nil)
        case 504: return ("Gateway timeout.", "server_error", nil)
        case 500...599: return ("The server had an error while processing your request. Sorry about that!", "server_error", nil)
        default: return ("Request failed with status \(status).", "invalid_request_error", nil)
        }
    }

    /// Faults `--chaos` injects into requests no rule answered, picked by a seeded roll: the
    /// failures real clients must survive (rate limit with a short `retry-after-ms`, 500, 503, a
    /// dropped connection).
    static func builtInChaos(_ roll: UInt64) -> HTTPResponse {
        switch roll % 4 {
        case 0:
            var e = OpenAIError(status: 429, message: defaults(429).message, type: "requests", code: "rate_limit_exceeded")
            e.headers.set("retry-after-ms", "10")
            e.headers.set("x-ratelimit-remaining-requests", "0")
            return e.response
        case 1: return OpenAIError.serverError().response
        case 2: return OpenAIError(status: 503, message: defaults(503).message, type: "server_error").response
        default: return dropped
        }
    }

    /// No response at all: the connection is closed (journal status 0).
    static var dropped: HTTPResponse { HTTPResponse(status: 0, body: .dropConnection) }

    /// `--strict` and no rule matched: a 404 naming the nearest rule and why it did not match.
    static let strictCode = "scenario_not_matched"

    static func strictError(method: String, path: String, nearest: String?) -> OpenAIError {
        var message = "openai-mock --strict: no scenario rule matched \(method) \(path)."
        if let nearest { message += " Nearest rule: \(nearest)." } else { message += " No rule applies to this endpoint." }
        return OpenAIError(status: 404, message: message, type: "invalid_request_error", code: strictCode)
    }
}
