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

    /// Answers every line as a direct call with the same body would be answered: each line's outcome
    /// and the batch's output lines (JSONL, input order), written to a new blob.
    func answer(_ input: BatchInput, requestHash: UInt64) async throws(OpenAIError) -> ([BatchLineOutcome], BlobFile) {
        guard let respond = responder.withLock({ $0 }) else { throw OpenAIError.serverError("The batch runner is not attached.") }
        var outcomes: [BatchLineOutcome] = []
        var output: [UInt8] = []
        for (index, line) in input.lines.enumerated() {
            var h = StableHash(requestHash)
            h.combine("batch_req")
            h.combine(index)
            let (status, requestID, body) = await Self.answer(line.body, endpoint: input.endpoint, respond: respond,
                                                              fallbackID: h.finalized)
            outcomes.append(BatchLineOutcome(status: status, usage: (200..<300).contains(status) ? BatchUsage(answer: body) : BatchUsage()))
            let entry = JSONValue.object(JSONObject([
                ("id", .string("batch_req_" + StableHash.idSuffix(h.finalized, length: 32))),
                ("custom_id", .string(line.customID)),
                ("response", .object(JSONObject([
                    ("status_code", .int(status)), ("request_id", .string(requestID)), ("body", body),
                ]))),
                ("error", .null),
            ]))
            output += entry.serialized()
            output.append(0x0A)
        }
        return (outcomes, try await write(output))
    }

    /// One line: its status, request id and answer body. A streaming request cannot be answered in a
    /// batch; a dropped connection (a scenario fault) is a server error.
    private static func answer(_ body: JSONObject, endpoint: String, respond: Responder,
                               fallbackID: UInt64) async -> (Int, String, JSONValue) {
        let fallbackRequestID = MockEngine.requestID(fallbackID)
        if body["stream"] == true {
            let error = OpenAIError.invalidRequest("Streaming is not supported in the Batch API.", param: "stream",
                                                   code: "invalid_value")
            return (error.status, fallbackRequestID, error.body)
        }
        let request = HTTPRequest(method: "POST", target: endpoint, headers: ["content-type": "application/json"],
                                  body: .bytes(JSONValue.object(body).serialized()))
        let response = await respond(request)
        let requestID = response.headers["x-request-id"] ?? fallbackRequestID
        guard response.status != 0, case .bytes(let bytes) = response.body, let json = try? JSONValue.parse(bytes) else {
            return (500, requestID, OpenAIError.serverError().body)
        }
        return (response.status, requestID, json)
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
        var files: [(FileRecord, BlobFile)] = []
        if done > 0, let answers = batch.answersBlob {
            let (output, errors) = try await split(answers, outcomes: batch.outcomes.prefix(done))
            let created = Int(endMs.floorDivided(by: 1000))
            for (kind, lines) in [("output", output), ("error", errors)] where !lines.isEmpty {
                let blob = try await write(lines)
                var h = StableHash(0x6261_7463_68)
                h.combine(kind)
                h.combine(batch.id)
                let id = "file-" + StableHash.idSuffix(h.finalized, length: 22)
                files.append((FileRecord(id: id, sequence: batch.sequence, bytes: blob.size, createdAt: created,
                                         expiresAt: batch.outputExpiresAfter.map { created + $0 },
                                         filename: "\(batch.id)_\(kind).jsonl", purpose: "batch_output", blob: id,
                                         contentHash: blob.hash.finalized, contentType: "application/jsonl", dataFormat: nil),
                              blob))
            }
        }
        try store.update { data, change throws(OpenAIError) in
            guard var current = data.get(BatchRecord.self, batch.id), !current.finished,
                  BatchTimeline(current).endMs == endMs else { return }
            for (file, blob) in files {
                change.adopt(blob, as: file.blob)
                change.put(file)
                if file.filename.hasSuffix("_output.jsonl") { current.outputFileID = file.id } else { current.errorFileID = file.id }
            }
            current.finished = true
            current.answersBlob = nil
            change.put(current)
        }
    }

    /// The first lines of the answers blob, split into those answered with success and the others.
    private func split(_ blob: String, outcomes: ArraySlice<BatchLineOutcome>) async throws(OpenAIError) -> ([UInt8], [UInt8]) {
        guard let file = store.openBlob(blob) else { throw OpenAIError.serverError("The answers of a batch are missing.") }
        return try await BlockingIO.run { () throws(OpenAIError) -> ([UInt8], [UInt8]) in
            var output: [UInt8] = [], errors: [UInt8] = []
            var splitter = JSONLCheck.Lines()
            func take(_ number: Int, _ line: ArraySlice<UInt8>) {
                let index = number - 1
                guard index < outcomes.count else { return }
                if outcomes[outcomes.startIndex + index].succeeded {
                    output += line
                    output.append(0x0A)
                } else {
                    errors += line
                    errors.append(0x0A)
                }
            }
            do {
                while let chunk = try file.read(max: 1 << 20) { try splitter.feed(chunk) { n, line in take(n, line) } }
            } catch let error as OpenAIError {
                throw error
            } catch {
                throw OpenAIError.storageFailure(error)
            }
            if let (n, last) = splitter.finish() { take(n, last[...]) }
            return (output, errors)
        }
    }

    private func write(_ bytes: [UInt8]) async throws(OpenAIError) -> BlobFile {
        let blob = try store.newBlob()
        do {
            try await BlockingIO.run { () throws(FileSystemError) in
                try blob.write(bytes)
                try blob.finish()
            }
        } catch {
            throw OpenAIError.storageFailure(error)
        }
        return blob
    }
}
