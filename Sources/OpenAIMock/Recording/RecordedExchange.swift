/// One request and what the upstream did with it, as `openai-mock record` saw it.
public struct RecordedExchange: Sendable {
    public var method: String
    public var path: String
    /// The query string as sent ("" when none).
    public var query: String
    public var requestHeaders: [(name: String, value: String)]
    public var requestBody: [UInt8]
    public var outcome: Outcome
    /// The test the request belonged to (`X-Mock-Test-Id`): its rules go to its own directory.
    public var testID: String?

    public enum Outcome: Sendable {
        case response(RecordedResponse)
        /// No response: refused, reset or timed out.
        case failed
    }

    /// The request body as JSON, when it is a JSON object.
    var jsonBody: JSONValue? {
        guard !requestBody.isEmpty, case .object? = try? JSONValue.parse(requestBody) else { return nil }
        return try? JSONValue.parse(requestBody)
    }

    /// The rule's `when`: endpoint, model, query and canonical body, so that replay answers exactly
    /// this request (any upload to the same endpoint, for bodies that are not JSON), and the test id.
    func when(canonical: JSONValue?) -> JSONValue {
        var w = JSONObject()
        w.append("endpoint", .string(method + " " + path))
        if let model = jsonBody?["model"]?.stringValue { w.append("model", .string(model)) }
        w.append("query", .string(query))
        if let canonical { w.append("canonical_body", canonical) }
        // A test's cassette answers that test only (replay of several tests' cassettes from one directory).
        if let testID { w.append("headers", .object([IsolationStep.header: .string(testID)])) }
        return .object(w)
    }

    /// The rule's step for this exchange: the response as sent, an upstream error as a fault, no
    /// response as a dropped connection.
    func action(redaction: Redaction) -> JSONValue {
        guard case .response(let r) = outcome else { return .object(["drop_connection": true]) }
        let kept = r.headers.filter { redaction.keeps(responseHeader: $0.name) }
        if r.status >= 400, r.events == nil, case .object(let e)? = (try? JSONValue.parse(r.body))?["error"],
           let message = e["message"]?.stringValue, !message.contains("{{") {
            var fault = JSONObject()
            fault.append("status", .int(r.status))
            fault.append("message", .string(message))
            for key in ["type", "param"] { if let v = e[key]?.stringValue { fault.append(key, .string(v)) } }
            if let code = e["code"], code == .null || code.stringValue != nil { fault.append("code", code) }
            let headers = kept.filter { $0.name.lowercased() != "content-type" }
            if !headers.isEmpty {
                fault.append("headers", .object(JSONObject(headers.map { ($0.name.lowercased(), .string($0.value)) })))
            }
            return .object(["fault": .object(fault)])
        }
        var response = JSONObject()
        response.append("status", .int(r.status))
        response.append("headers", .object(JSONObject(kept.map { ($0.name.lowercased(), .string($0.value)) })))
        if let events = r.events {
            response.append("events", .array(events.map { event in
                let text = String(decoding: event.text, as: UTF8.self)
                let isData = text.hasPrefix("data: ") && !text.contains("\n") && !text.contains("\r")
                return .object(JSONObject([
                    ("after_ms", .int(event.afterMilliseconds)),
                    isData ? ("data", .string(String(text.dropFirst(6)))) : ("text", .string(text)),
                ]))
            }))
        } else if let text = String(validating: r.body, as: UTF8.self) {
            response.append("body", .string(text))
        } else {
            response.append("body_base64", .string(Base64.encode(r.body)))
        }
        return .object(["response": .object(response)])
    }
}
