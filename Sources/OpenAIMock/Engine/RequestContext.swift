import MockHTTP
import Synchronization

/// Everything an endpoint sees of one request: the raw HTTP request, decoded path
/// parameters and query, a stable request hash for deterministic ids, and the state it acts on.
///
/// One context goes through the whole ``Pipeline``. Its `var`s are set by the steps on the way
/// in (the body step reads a large body, the isolation step picks the test's state), in the one
/// task that runs the pipeline, before the endpoint runs; after that nothing changes them.
public final class RequestContext: Sendable {
    /// The request; a large body a ``RouteBody/whole`` route takes is in memory once the body step ran.
    public nonisolated(unsafe) private(set) var request: HTTPRequest
    /// Path parameters by name, percent-decoded (`+` → space, as 0.28's `quote_plus` sends).
    public let parameters: [String: String]
    /// `req_` + 32 hex characters derived from ``requestHash``.
    public nonisolated(unsafe) private(set) var requestID: String
    /// Stable hash of method, target, body and seed: the root of every derived id and text.
    public nonisolated(unsafe) private(set) var requestHash: UInt64
    /// The world the request acts on: the engine's, or its test's (see ``testID``).
    public nonisolated(unsafe) internal(set) var state: MockState
    /// The `X-Mock-Test-Id` the request carries (nil: none), set by the isolation step.
    public nonisolated(unsafe) internal(set) var testID: String?
    /// A line of a batch's input file, answered by the pipeline without a socket (no scenario delay).
    public let batchLine: Bool
    /// What the router found.
    public let kind: RouteKind
    let bodyKind: RouteBody
    let endpoint: Endpoint
    /// When the engine took the request (for the journal's and log's durations).
    let started: ContinuousClock.Instant
    /// Numbers a streamed body among the engine's (see ``MockEngine/requestHash(_:seed:streamNumber:)``).
    let streamNumber: Int
    private let notes = Mutex<Notes>(Notes())
    /// The request is being answered on the event loop thread that read it (see ``leaveEventLoop()``).
    private nonisolated(unsafe) var onEventLoop: Bool

    struct Notes: Sendable {
        var matchedRule: String?
        var parsedBody: JSONValue?
        var scenarioReply: ScenarioReply?
        var responseHistory: [JSONValue]?
        var scriptedDelay: Duration?
    }

    init(request: HTTPRequest, parameters: [String: String], kind: RouteKind, body: RouteBody, endpoint: @escaping Endpoint,
         state: MockState, streamNumber: Int, batchLine: Bool, started: ContinuousClock.Instant, onEventLoop: Bool = false) {
        self.request = request
        self.onEventLoop = onEventLoop
        self.parameters = parameters
        self.kind = kind
        self.bodyKind = body
        self.endpoint = endpoint
        self.state = state
        self.streamNumber = streamNumber
        self.batchLine = batchLine
        self.started = started
        testID = state.testID
        requestHash = MockEngine.requestHash(request, seed: state.configuration.seed, streamNumber: streamNumber)
        requestID = MockEngine.requestID(requestHash)
    }

    /// The body step: a streamed body replaced by its bytes, and the hash and id derived again from them.
    func bodyWasRead(_ bytes: [UInt8]) {
        request.body = .bytes(bytes)
        requestHash = MockEngine.requestHash(request, seed: state.configuration.seed, streamNumber: streamNumber)
        requestID = MockEngine.requestID(requestHash)
    }

    public var seed: UInt64 { state.configuration.seed }

    /// The earlier turns of this `POST /v1/responses` request (see ``ResponseTurn/history(_:state:)``), loaded
    /// once: the scenario step's facts and the endpoint both read them, and a chain can be 10,000 turns long.
    func responseHistory(_ request: ResponsesRequest) throws(OpenAIError) -> [JSONValue] {
        if let cached = notes.withLock({ $0.responseHistory }) { return cached }
        let history = try ResponseTurn.history(request, state: state)
        notes.withLock { $0.responseHistory = history }
        return history
    }

    /// Moves the rest of the request to the cooperative pool when it runs on an event loop thread: before
    /// work that may take long (training a fine-tuned model, loading a long history), which would hold up
    /// every other connection of that loop.
    func leaveEventLoop() async {
        guard onEventLoop else { return }
        onEventLoop = false
        await Task.yield()
    }

    /// Time since the engine took the request.
    var elapsedMilliseconds: Double {
        let elapsed = ContinuousClock.now - started
        return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
    }

    /// The world of the request's test, made now if the test has none yet (admin requests, which
    /// otherwise act on a test's world only when it exists: see ``IsolationStep``).
    func testWorld() throws(OpenAIError) -> MockState {
        guard let testID, state.testID != testID else { return state }
        return try state.tests.world(testID)
    }

    /// Which scenario rule answered (e.g. `scenarios/a.json:12`); shown in the journal and log.
    public var matchedRule: String? {
        get { notes.withLock { $0.matchedRule } }
        set { notes.withLock { $0.matchedRule = newValue } }
    }

    /// The matched scenario rule's reply, for the endpoint to lay over its generated plan
    /// (nil: no rule replied; the default generator answers alone).
    public var scenarioReply: ScenarioReply? {
        get { notes.withLock { $0.scenarioReply } }
        set { notes.withLock { $0.scenarioReply = newValue } }
    }

    /// A matched rule's `delay_ms`, which a batch line does not wait but spends in virtual time.
    public var scriptedDelay: Duration? {
        get { notes.withLock { $0.scriptedDelay } }
        set { notes.withLock { $0.scriptedDelay = newValue } }
    }

    /// The body as a JSON object; 400 with OpenAI's wording when it is not one.
    public func jsonBody() throws(OpenAIError) -> JSONObject {
        if let cached = notes.withLock({ $0.parsedBody }), case .object(let o) = cached { return o }
        guard case .bytes(let bytes) = request.body else { throw OpenAIError.serverError("The request body was not read.") }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw OpenAIError.invalidRequest("You must provide a JSON body in your request. (HINT: the body was empty.)")
        }
        let value: JSONValue
        do { value = try JSONValue.parse(bytes) } catch { throw OpenAIError.malformedJSON(error.description) }
        guard case .object(let object) = value else {
            throw OpenAIError.invalidRequest("The request body must be a JSON object, but got \(value.typeName).")
        }
        notes.withLock { $0.parsedBody = value }
        return object
    }

    /// The body of a ``RouteBody/streamed`` route as it arrives (a small body comes as one chunk).
    public var bodyStream: HTTPBodyStream {
        switch request.body {
        case .stream(let s): return s
        case .bytes(let b):
            let s = HTTPBodyStream.detached(expectedLength: b.count)
            s.feed(b)
            s.end()
            return s
        }
    }

    /// Query items in order, percent-decoded (`+` → space).
    public var query: [(name: String, value: String)] {
        guard let q = request.query, !q.isEmpty else { return [] }
        return q.split(separator: "&", omittingEmptySubsequences: true).map { item in
            if let eq = item.firstIndex(of: "=") {
                return (PercentDecoding.decode(item[..<eq], plusIsSpace: true),
                        PercentDecoding.decode(item[item.index(after: eq)...], plusIsSpace: true))
            }
            return (PercentDecoding.decode(item, plusIsSpace: true), "")
        }
    }

    public func queryValue(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }

    /// A deterministic id suffix for this request, varied by `salt` (e.g. a choice index).
    public func derivedID(_ salt: String = "", length: Int = 29) -> String {
        var h = StableHash(requestHash)
        h.combine(salt)
        return StableHash.idSuffix(h.finalized, length: length)
    }
}

enum PercentDecoding {
    /// Decodes `%XX` escapes (invalid ones are kept verbatim) and optionally `+` as a space.
    static func decode(_ s: Substring, plusIsSpace: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        let bytes = Array(s.utf8)
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "%"), i + 2 < bytes.count, let hi = hex(bytes[i + 1]), let lo = hex(bytes[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(plusIsSpace && c == UInt8(ascii: "+") ? 0x20 : c)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ s: String, plusIsSpace: Bool) -> String { decode(Substring(s), plusIsSpace: plusIsSpace) }

    private static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 65...70: return c - 55
        case 97...102: return c - 87
        default: return nil
        }
    }
}
