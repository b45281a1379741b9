import MockHTTP
import Synchronization

/// The request journal behind `GET /_mock/requests`: the last `capacity` requests, secrets masked.
///
/// Bounded so a long load test cannot grow memory; bodies are stored up to `bodyLimit` bytes.
public final class Journal: Sendable {
    public struct Entry: Sendable {
        public var sequence: Int
        public var requestID: String
        public var method: String
        public var path: String
        public var query: String?
        public var headers: [(name: String, value: String)]
        public var body: JSONValue
        public var status: Int
        public var durationMs: Double
        public var matchedRule: String?
        /// The request's `X-Mock-Test-Id`.
        public var testID: String?
    }

    public let capacity: Int
    public let bodyLimit: Int
    private let storage = Mutex<(entries: [Entry], next: Int)>(([], 1))

    public init(capacity: Int = 1000, bodyLimit: Int = 64 * 1024) {
        self.capacity = capacity
        self.bodyLimit = bodyLimit
    }

    func record(request: HTTPRequest, requestID: String, status: Int, durationMs: Double, matchedRule: String?,
                testID: String? = nil) {
        let headers = request.headers.map { field in
            (name: field.name, value: Secrets.isSecretHeader(field.name) ? Secrets.maskHeaderValue(field.value) : field.value)
        }
        let body = Self.bodySummary(request.body, limit: bodyLimit)
        storage.withLock { s in
            let entry = Entry(sequence: s.next, requestID: requestID, method: request.method, path: request.path, query: request.query,
                              headers: headers, body: body, status: status, durationMs: durationMs,
                              matchedRule: matchedRule, testID: testID)
            s.next += 1
            s.entries.append(entry)
            if s.entries.count > capacity { s.entries.removeFirst(s.entries.count - capacity) }
        }
    }

    public var entries: [Entry] { storage.withLock { $0.entries } }

    /// The entries of one test (`X-Mock-Test-Id`).
    public func entries(testID: String) -> [Entry] { storage.withLock { $0.entries.filter { $0.testID == testID } } }

    public func count(path: String? = nil, testID: String? = nil) -> Int {
        storage.withLock { s in
            s.entries.count { e in (path == nil || e.path == path) && (testID == nil || e.testID == testID) }
        }
    }

    public func clear() { storage.withLock { $0.entries.removeAll() } }

    /// Forgets one test's entries.
    public func clear(testID: String) { storage.withLock { $0.entries.removeAll { $0.testID == testID } } }

    /// JSON bodies are kept as JSON, other text as a string, binary or oversized bodies as a size note.
    static func bodySummary(_ body: HTTPBody, limit: Int) -> JSONValue {
        guard case .bytes(let bytes) = body else {
            guard case .stream(let stream) = body else { return .null }
            return .object(["omitted_bytes": .int(stream.expectedLength ?? stream.bytesRead)])
        }
        if bytes.isEmpty { return .null }
        if bytes.count > limit { return .object(["omitted_bytes": .int(bytes.count)]) }
        if let json = try? JSONValue.parse(bytes) { return json }
        if let text = String(validating: bytes, as: UTF8.self) { return .string(text) }
        return .object(["omitted_bytes": .int(bytes.count)])
    }
}

extension Journal.Entry {
    var json: JSONValue {
        .object(JSONObject([
            ("sequence", .int(sequence)),
            ("request_id", .string(requestID)),
            ("method", .string(method)),
            ("path", .string(path)),
            ("query", query.map(JSONValue.string) ?? .null),
            ("headers", .object(JSONObject(headers.map { ($0.name.lowercased(), JSONValue.string($0.value)) }))),
            ("body", body),
            ("status", .int(status)),
            ("duration_ms", .double((durationMs * 1000).rounded() / 1000)),
            ("matched_rule", matchedRule.map(JSONValue.string) ?? .null),
            ("test_id", testID.map(JSONValue.string) ?? .null),
        ]))
    }
}
