import MockHTTP
import Synchronization

/// Owns batches: answers their lines through the engine's own request pipeline when a batch is
/// created, keeps the clock running while batches are pending, and records each batch's end — its
/// output and error files and the record, in one atomic change — once virtual time reaches it.
///
/// Nothing ticks per batch: a batch's observable state is its ``BatchTimeline`` read at the clock's
/// now. Endpoints that show batches or files call ``settle()`` first, so a batch shown as ended has
/// its files, whatever the timers did meanwhile.
package final class BatchService: Sendable {
    typealias Responder = @Sendable (HTTPRequest) async -> HTTPResponse

    let store: StateStore
    let clock: VirtualClock
    private let due: DueWork
    private let responder = Mutex<Responder?>(nil)
    private let settling = Mutex<Set<String>>([])

    init(store: StateStore, clock: VirtualClock) {
        self.store = store
        self.clock = clock
        due = DueWork(clock: clock, owner: "batches")
    }

    /// The engine's pipeline, which answers each line (set once by the engine).
    func attach(_ respond: @escaping Responder) { responder.withLock { $0 = respond } }

    // MARK: Answering

    /// Answers every line as a direct call with the same body would be answered: each line's outcome,
    /// and the batch's output lines (JSONL, input order) in a new blob, written as they come.
    func answer(_ input: BatchInput, requestHash: UInt64) async throws(OpenAIError) -> ([BatchLineOutcome], BlobFile) {
        guard let respond = responder.withLock({ $0 }) else { throw OpenAIError.serverError("The batch runner is not attached.") }
        var outcomes: [BatchLineOutcome] = []
        let writer = try BlobWriter(store.newBlob())
        for (index, line) in input.lines.enumerated() {
            var h = StableHash(requestHash)
            h.combine("batch_req")
            h.combine(index)
            let answer = await Self.answer(line.body, endpoint: input.endpoint, respond: respond, fallbackID: h.finalized)
            outcomes.append(BatchLineOutcome(status: answer.status,
                                             usage: (200..<300).contains(answer.status) ? BatchUsage(answer: answer.json) : BatchUsage(),
                                             delayMs: answer.delayMs))
            // The body's own bytes, so that they are exactly a direct call's.
            var entry = Array(#"{"id":"batch_req_"#.utf8) + Array(StableHash.idSuffix(h.finalized, length: 32).utf8)
            entry += Array(#"","custom_id":"#.utf8) + JSONValue.string(line.customID).serialized()
            entry += Array(#","response":{"status_code":\#(answer.status),"request_id":"#.utf8) + JSONValue.string(answer.requestID).serialized()
            entry += Array(#","body":"#.utf8) + answer.body + Array(#"},"error":null}"#.utf8)
            entry.append(0x0A)
            try await writer.append(entry)
        }
        return (outcomes, try await writer.finish())
    }

    private struct Answer {
        var status: Int
        var requestID: String
        var json: JSONValue
        /// The body as sent (compact JSON, one line).
        var body: [UInt8]
        var delayMs: Int64 = 0
    }

    /// One line: its status, request id and answer body. A streaming request cannot be answered in a
    /// batch; a dropped connection (a scenario fault) is a server error.
    private static func answer(_ body: JSONObject, endpoint: String, respond: Responder, fallbackID: UInt64) async -> Answer {
        let fallbackRequestID = MockEngine.requestID(fallbackID)
        func error(_ e: OpenAIError, _ requestID: String) -> Answer {
            Answer(status: e.status, requestID: requestID, json: e.body, body: e.body.serialized())
        }
        if body["stream"] == true {
            return error(.invalidRequest("Streaming is not supported in the Batch API.", param: "stream", code: "invalid_value"),
                         fallbackRequestID)
        }
        let request = HTTPRequest(method: "POST", target: endpoint, headers: ["content-type": "application/json"],
                                  body: .bytes(JSONValue.object(body).serialized()))
        let response = await respond(request)
        let requestID = response.headers["x-request-id"] ?? fallbackRequestID
        guard response.status != 0, case .bytes(let bytes) = response.body, let json = try? JSONValue.parse(bytes) else {
            return error(.serverError(), requestID)
        }
        return Answer(status: response.status, requestID: requestID, json: json,
                      body: bytes.contains(0x0A) || bytes.contains(0x0D) ? json.serialized() : bytes,
                      delayMs: Int64(response.headers["openai-processing-ms"] ?? "") ?? 0)
    }

    // MARK: Time

    /// Recomputes the wake-up at each pending batch's end; call after any change to batches (and at
    /// start, for batches a restarted store holds).
    func batchesChanged() {
        guard store.isOpen else { return }
        let ends = (try? store.read { data in
            data.all(BatchRecord.self).filter { !$0.finished }.map { BatchTimeline($0).endMs }
        }) ?? []
        due.set(ends) { [weak self] in
            guard let self else { return }
            Task { try? await self.settle() }
        }
    }

    /// Stops waking anyone (engine stop, reset).
    func stop() { due.clear() }

    // MARK: Ends

    /// Records the end of every batch that has ended by now but is not recorded yet.
    package func settle() async throws(OpenAIError) {
        guard store.isOpen else { return }
        let now = clock.nowMillis()
        guard due.isDue(at: now) else { return }
        let ended = try store.read { data in
            data.all(BatchRecord.self).filter { !$0.finished && BatchTimeline($0).endMs <= now }
        }
        for batch in ended { try await finish(batch) }
        if !ended.isEmpty { batchesChanged() }
    }

    private func finish(_ batch: BatchRecord) async throws(OpenAIError) {
        guard settling.withLock({ $0.insert(batch.id).inserted }) else {
            // Someone else is recording it: wait for them, so the caller sees it done.
            while settling.withLock({ $0.contains(batch.id) }) { try? await Task.sleep(nanoseconds: 1_000_000) }
            return
        }
        defer { _ = settling.withLock { $0.remove(batch.id) } }
        let timeline = BatchTimeline(batch)
        let endMs = timeline.endMs
        let done = timeline.linesDone(at: endMs)
        var output: FileRecord?, errors: FileRecord?
        var blobs: [BlobFile] = []
        let expired = timeline.expires && timeline.cancellingAt == nil
        if done > 0 || expired, let answers = batch.answersBlob {
            let (succeeded, failed) = try await split(answers, outcomes: batch.outcomes, done: done, expired: expired)
            let created = Int(endMs.floorDivided(by: 1000))
            func file(_ kind: String, _ blob: BlobFile?) -> FileRecord? {
                guard let blob else { return nil }
                blobs.append(blob)
                var h = StableHash(0x6261_7463_68)
                h.combine(kind)
                h.combine(batch.id)
                let id = "file-" + StableHash.idSuffix(h.finalized, length: 22)
                return FileRecord(id: id, sequence: batch.sequence, bytes: blob.size, createdAt: created,
                                  expiresAt: batch.outputExpiresAfter.map { created + $0 }, filename: "\(batch.id)_\(kind).jsonl",
                                  purpose: "batch_output", blob: id, contentHash: blob.hash.finalized,
                                  contentType: "application/jsonl", dataFormat: nil)
            }
            output = file("output", succeeded)
            errors = file("error", failed)
        }
        let files = [output, errors].compactMap { $0 }
        let adopted = blobs
        try store.update { data, change throws(OpenAIError) in
            guard var current = data.get(BatchRecord.self, batch.id), !current.finished,
                  BatchTimeline(current).endMs == endMs else { return }
            for (file, blob) in zip(files, adopted) {
                change.adopt(blob, as: file.blob)
                change.put(file)
            }
            current.outputFileID = output?.id
            current.errorFileID = errors?.id
            current.finished = true
            current.answersBlob = nil
            change.put(current)
        }
    }

    /// The first `done` lines of the answers blob, split into those answered with success and the others
    /// (each nil when it has no line); when the batch `expired`, every later line goes to the others as
    /// `batch_expired`.
    private func split(_ blob: String, outcomes: [BatchLineOutcome], done: Int, expired: Bool) async throws(OpenAIError)
        -> (BlobFile?, BlobFile?) {
        guard let file = store.openBlob(blob) else { throw OpenAIError.serverError("The answers of a batch are missing.") }
        let succeeded = try BlobWriter(store.newBlob()), failed = try BlobWriter(store.newBlob())
        var splitter = JSONLCheck.Lines()
        var lines: [(Int, [UInt8])] = []
        func take(_ lines: [(Int, [UInt8])]) async throws(OpenAIError) {
            for (number, line) in lines where number - 1 < outcomes.count {
                if number - 1 < done {
                    try await (outcomes[number - 1].succeeded ? succeeded : failed).append(line + [0x0A])
                } else if expired, let entry = try? JSONValue.parse(line) {
                    try await failed.append(Self.expiredLine(entry))
                }
            }
        }
        while let chunk = try await Self.read(file) {
            lines = []
            try splitter.feed(chunk) { number, line in lines.append((number, Array(line))) }
            try await take(lines)
        }
        if let (number, last) = splitter.finish() { try await take([(number, last)]) }
        let ok = try await succeeded.finish(), bad = try await failed.finish()
        return (ok.size > 0 ? ok : nil, bad.size > 0 ? bad : nil)
    }

    /// The error-file line of a request the window closed on.
    static func expiredLine(_ answered: JSONValue) -> [UInt8] {
        var line = JSONValue.object(JSONObject([
            ("id", answered["id"] ?? .null), ("custom_id", answered["custom_id"] ?? .null), ("response", .null),
            ("error", .object(JSONObject([
                ("code", "batch_expired"), ("message", "This request could not be executed before the completion window expired."),
            ]))),
        ])).serialized()
        line.append(0x0A)
        return line
    }

    private static func read(_ file: ReadableFile) async throws(OpenAIError) -> [UInt8]? {
        try await BlockingIO.run { () throws(OpenAIError) -> [UInt8]? in
            do { return try file.read(max: 1 << 20) } catch { throw OpenAIError.storageFailure(error) }
        }
    }
}
