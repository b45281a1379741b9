import MockHTTP
@testable import OpenAIMock

/// Runs `body` with a started engine (its state in a temporary directory), stopping it after.
func withStartedEngine<R>(_ configuration: MockConfiguration = MockConfiguration(),
                          _ body: (TestClient) async throws -> R) async throws -> R {
    let client = TestClient(configuration)
    try client.engine.start()
    do {
        let result = try await body(client)
        await client.engine.stop()
        return result
    } catch {
        await client.engine.stop()
        throw error
    }
}

/// A `multipart/form-data` body: text fields, then a file part.
func multipart(fields: [(String, String)], file: (field: String, name: String?, bytes: [UInt8])?,
               boundary: String = "----mockboundary7MA4YWxk") -> (contentType: String, body: [UInt8]) {
    var body: [UInt8] = []
    for (name, value) in fields {
        body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
    }
    if let file {
        let filename = file.name.map { "; filename=\"\($0)\"" } ?? ""
        body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"\(filename)\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
        body += file.bytes
        body += Array("\r\n".utf8)
    }
    body += Array("--\(boundary)--\r\n".utf8)
    return ("multipart/form-data; boundary=\(boundary)", body)
}

extension TestClient {
    /// `POST /v1/files` with a purpose and a file.
    func upload(_ bytes: [UInt8], filename: String? = "data.jsonl", purpose: String? = "fine-tune",
                extra: [(String, String)] = [], streamed: Bool = false) async -> (status: Int, json: JSONValue?) {
        var fields = extra
        if let purpose { fields.insert(("purpose", purpose), at: 0) }
        let form = multipart(fields: fields, file: ("file", filename, bytes))
        return await sendBody("POST", "/v1/files", contentType: form.contentType, body: form.body, streamed: streamed)
    }

    /// A request with a raw body, whole or as a stream fed in small pieces.
    func sendBody(_ method: String, _ target: String, contentType: String, body: [UInt8],
                  streamed: Bool = false) async -> (status: Int, json: JSONValue?) {
        let headers: HTTPHeaders = ["Authorization": "Bearer sk-test", "Content-Type": contentType]
        let requestBody: HTTPBody
        if streamed {
            let stream = HTTPBodyStream.detached(expectedLength: body.count)
            for start in stride(from: 0, to: body.count, by: 7) { stream.feed(Array(body[start..<min(body.count, start + 7)])) }
            stream.end()
            requestBody = .stream(stream)
        } else {
            requestBody = .bytes(body)
        }
        let response = await engine.handle(HTTPRequest(method: method, target: target, headers: headers, body: requestBody))
        guard case .bytes(let bytes) = response.body else { return (response.status, nil) }
        return (response.status, try? JSONValue.parse(bytes))
    }

    /// The whole body of a response, streamed or not.
    func content(_ target: String) async throws -> (status: Int, bytes: [UInt8]) {
        let response = await engine.handle(HTTPRequest(method: "GET", target: target, headers: ["Authorization": "Bearer sk-test"]))
        switch response.body {
        case .bytes(let b): return (response.status, b)
        case .stream(let produce):
            let sink = CollectingWriter()
            try await produce(sink)
            return (response.status, sink.bytes)
        default: return (response.status, [])
        }
    }
}

/// A body writer that keeps what it is given.
final class CollectingWriter: HTTPBodyWriter, @unchecked Sendable {
    private(set) var bytes: [UInt8] = []
    func write(_ chunk: [UInt8]) async throws { bytes += chunk }
    func abort() async {}
}
