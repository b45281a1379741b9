import MockHTTP
import Synchronization

/// The request journal behind `GET /_mock/requests`: the last `capacity` requests, secrets masked.
///
/// Bounded so a long load test cannot grow memory; bodies are stored up to `bodyLimit` bytes. Recording
/// is on every request's path, so it only copies: the entries are a ring (no shifting of the kept ones)
/// and a body is kept as its bytes, read as JSON only when an entry is looked at.
public final class Journal: Sendable {
    public struct Entry: Sendable {
        public var sequence: Int
        public var requestID: String
        public var method: String
        public var path: String
        public var query: String?
        public var headers: [(name: String, value: String)]
        /// The body as sent (nil: none, streamed or over the limit; see ``bodySize``).
        var bodyBytes: [UInt8]?
        var bodySize: Int
        public var status: Int
        public var durationMs: Double
        public var matchedRule: String?
        /// The request's `X-Mock-Test-Id`.
        public var testID: String?

        /// JSON bodies as JSON, other text as a string, binary, streamed or oversized bodies as a size note.
        public var body: JSONValue {
            guard let bytes = bodyBytes else { return bodySize > 0 ? .object(["omitted_bytes": .int(bodySize)]) : .null }
            if let json = try? JSONValue.parse(bytes) { return json }
            if let text = String(validating: bytes, as: UTF8.self) { return .string(text) }
            return .object(["omitted_bytes": .int(bytes.count)])
        }
    }

    /// The kept entries, oldest first from `start` (a ring once full: `start` is the oldest).
    private struct Ring {
        var entries: [Entry] = []
        var start = 0
        var next = 1

        var ordered: [Entry] { Array(entries[start...] + entries[..<start]) }

        mutating func append(_ entry: Entry, capacity: Int) {
            if entries.count < capacity {
                entries.append(entry)
            } else {
                entries[start] = entry
                start = (start + 1) % capacity
            }
        }

        mutating func keep(where keep: (Entry) -> Bool) {
            entries = ordered.filter(keep)
            start = 0
        }
    }

    public let capacity: Int
    public let bodyLimit: Int
    private let storage = Mutex(Ring())

    public init(capacity: Int = 1000, bodyLimit: Int = 64 * 1024) {
        self.capacity = capacity
        self.bodyLimit = bodyLimit
    }

    func record(request: HTTPRequest, requestID: String, status: Int, durationMs: Double, matchedRule: String?,
                testID: String? = nil) {
        let headers = request.headers.map { field in
            (name: field.name, value: Secrets.isSecretHeader(field.name) ? Secrets.maskHeaderValue(field.value) : field.value)
        }
        var bodyBytes: [UInt8]?
        var bodySize = 0
        switch request.body {
        case .bytes(let b):
            bodySize = b.count
            if !b.isEmpty && b.count <= bodyLimit { bodyBytes = b }
        case .stream(let stream):
            bodySize = stream.expectedLength ?? stream.bytesRead
        }
        storage.withLock { s in
            let entry = Entry(sequence: s.next, requestID: requestID, method: request.method, path: request.path, query: request.query,
                              headers: headers, bodyBytes: bodyBytes, bodySize: bodySize, status: status, durationMs: durationMs,
                              matchedRule: matchedRule, testID: testID)
            s.next += 1
            s.append(entry, capacity: capacity)
        }
    }

    public var entries: [Entry] { storage.withLock { $0.ordered } }

    /// The entries of one test (`X-Mock-Test-Id`).
    public func entries(testID: String) -> [Entry] { storage.withLock { $0.ordered.filter { $0.testID == testID } } }

    public func count(path: String? = nil, testID: String? = nil) -> Int {
        storage.withLock { s in
            s.entries.count { e in (path == nil || e.path == path) && (testID == nil || e.testID == testID) }
        }
    }

    public func clear() {
        storage.withLock { s in
            s.entries.removeAll()
            s.start = 0
        }
    }

    /// Forgets one test's entries.
    public func clear(testID: String) { storage.withLock { $0.keep { $0.testID != testID } } }
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
