import MockHTTP
import Synchronization
import Testing
@testable import OpenAIMock

/// A body writer that records every `write` (one SSE frame each) and whether it aborted; `play`
/// (MockHTTP) plays a scheduled body into it.
final class RecordingWriter: HTTPBodyWriter {
    private let state = Mutex<(writes: [[UInt8]], aborted: Bool)>(([], false))

    func write(_ bytes: [UInt8]) async throws { state.withLock { $0.writes.append(bytes) } }
    func abort() async { state.withLock { $0.aborted = true } }

    var writes: [[UInt8]] { state.withLock { $0.writes } }
    var aborted: Bool { state.withLock { $0.aborted } }
}

/// A collected event stream.
struct CollectedStream {
    var status: Int
    var headers: HTTPHeaders
    /// Each write as text.
    var frames: [String]
    var aborted: Bool
    /// JSON payloads of the `data:` frames other than `[DONE]`.
    var events: [JSONValue] {
        frames.compactMap { frame in
            guard frame.hasPrefix("data: "), frame != "data: [DONE]\n\n" else { return nil }
            return try? JSONValue.parse(Array(frame.dropFirst(6).utf8))
        }
    }
    /// The chunks that carry choices.
    var choiceChunks: [JSONValue] { events.filter { ($0["choices"]?.arrayValue?.isEmpty) == false } }
}

extension TestClient {
    /// POSTs `json` and plays a streamed body into a ``RecordingWriter``.
    func stream(_ target: String, json: String) async throws -> CollectedStream {
        var headers = HTTPHeaders([("Content-Type", "application/json")])
        headers.add("Authorization", "Bearer sk-test")
        let response = await engine.handle(HTTPRequest(method: "POST", target: target, headers: headers,
                                                       body: .bytes(Array(json.utf8))))
        let writer = RecordingWriter()
        switch response.body {
        case .stream(let body): try await body(writer)
        case .scheduled(let body): try await writer.play(body)
        case .bytes(let b): try await writer.write(b)
        case .dropConnection: await writer.abort()
        }
        return CollectedStream(status: response.status, headers: response.headers,
                               frames: writer.writes.map { String(decoding: $0, as: UTF8.self) }, aborted: writer.aborted)
    }

    func chat(_ json: String) async -> (status: Int, headers: HTTPHeaders, json: JSONValue?, bytes: [UInt8]) {
        await send("POST", "/v1/chat/completions", json: json)
    }

    func completion(_ json: String) async -> (status: Int, headers: HTTPHeaders, json: JSONValue?, bytes: [UInt8]) {
        await send("POST", "/v1/completions", json: json)
    }
}

extension JSONValue {
    /// `choices[i].message.content` as a string.
    func content(_ i: Int = 0) -> String? { self["choices"]?[i]?["message"]?["content"]?.stringValue }
}
