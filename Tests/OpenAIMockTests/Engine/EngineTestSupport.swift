import MockHTTP
@testable import OpenAIMock

/// Drives the engine in-process, with no socket.
struct TestClient {
    let engine: MockEngine

    init(_ configuration: MockConfiguration = MockConfiguration()) {
        engine = MockEngine(configuration: configuration)
    }

    func send(_ method: String, _ target: String, json: String? = nil, key: String? = "sk-test",
              headers extra: [(String, String)] = []) async -> (status: Int, headers: HTTPHeaders, json: JSONValue?, bytes: [UInt8]) {
        var headers = HTTPHeaders(extra)
        if let key { headers.add("Authorization", "Bearer \(key)") }
        if json != nil { headers.add("Content-Type", "application/json") }
        let request = HTTPRequest(method: method, target: target, headers: headers,
                                  body: .bytes(Array((json ?? "").utf8)))
        let response = await engine.handle(request)
        guard case .bytes(let bytes) = response.body else {
            return (response.status, response.headers, nil, [])
        }
        return (response.status, response.headers, try? JSONValue.parse(bytes), bytes)
    }
}

extension JSONValue {
    /// `error.message` etc. of an OpenAI error body.
    var error: JSONValue? { self["error"] }
}
