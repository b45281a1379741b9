/// A batch placed in virtual time, a pure function of its record: validation takes 5–10 s; a valid
/// batch then runs its lines one after another (0.5–1.5 s each, seeded by the batch's id, plus the
/// `delay_ms` of a scenario rule that answered the line — 50,000 plain lines end well within the 24 h
/// window), finalizes for 3–6 s and completes; an invalid one fails when validated. A batch whose
/// lines are not all done when its window closes expires then, with the lines done so far.
/// A cancellation stops it: `cancelling` for a couple of seconds, then `cancelled`, keeping the lines
/// done before the cancel. Answers what a client sees at any moment.
struct BatchTimeline: Sendable {
    enum Status: String, Sendable {
        case validating, failed, inProgress = "in_progress", finalizing, completed, expired, cancelling, cancelled

        var isTerminal: Bool { [.failed, .completed, .expired, .cancelled].contains(self) }
    }

    let record: BatchRecord
    let validatedMs: Int64
    /// When each line's answer is done, in input order.
    let lineDoneMs: [Int64]
    let finalizingMs: Int64
    let completedMs: Int64

    /// A batch must end within its window (24 h).
    static let windowMs: Int64 = 86_400_000
    /// How long cancelling takes.
    static let cancellingMs: Int64 = 2_000

    init(_ record: BatchRecord) {
        self.record = record
        var h = StableHash(0x6261_7463_68)
        h.combine(record.id)
        var rng = SeededRandom(seed: h.finalized)
        validatedMs = record.createdMs + 5_000 + Int64(rng.next() % 5_000)
        var t = validatedMs
        var done: [Int64] = []
        done.reserveCapacity(record.outcomes.count)
        for outcome in record.outcomes {
            t += 500 + Int64(rng.next() % 1_000) + min(outcome.delayMs, Self.windowMs)
            done.append(t)
        }
        lineDoneMs = done
        finalizingMs = t
        completedMs = t + 3_000 + Int64(rng.next() % 3_000)
    }

    var failed: Bool { !record.errors.isEmpty }

    /// Whether the window closes before every line is done.
    var expires: Bool { !failed && finalizingMs > expiresMs }

    /// When the cancel takes hold, if the client cancelled before the batch ended.
    var cancellingAt: Int64? {
        guard let c = record.cancelledMs, c < (failed ? validatedMs : expires ? expiresMs : completedMs) else { return nil }
        return c
    }

    var cancelledAt: Int64? { cancellingAt.map { $0 + Self.cancellingMs } }

    var expiresMs: Int64 { record.createdMs + Self.windowMs }

    /// When the batch ends: fails, completes, expires or is cancelled.
    var endMs: Int64 { cancelledAt ?? (failed ? validatedMs : expires ? expiresMs : completedMs) }

    func status(at now: Int64) -> Status {
        if let cancelledAt, now >= cancelledAt { return .cancelled }
        if let cancellingAt, now >= cancellingAt { return .cancelling }
        if now < validatedMs { return .validating }
        if failed { return .failed }
        if expires { return now < expiresMs ? .inProgress : .expired }
        if now < finalizingMs { return .inProgress }
        if now < completedMs { return .finalizing }
        return .completed
    }

    /// Lines done by `now` (those done before a cancel, once it takes hold, or before the window closed).
    func linesDone(at now: Int64) -> Int {
        let limit = min(now, cancellingAt ?? .max, expires ? expiresMs : .max)
        var low = 0, high = lineDoneMs.count
        while low < high {
            let mid = (low + high) / 2
            if lineDoneMs[mid] <= limit { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The `batch` object as the client sees it at `now` (after the batch's end was recorded).
    func json(now: Int64) -> JSONValue {
        let status = status(at: now)
        let seconds = { (ms: Int64) -> JSONValue in .int(Int(ms.floorDivided(by: 1000))) }
        let at = { (ms: Int64?) -> JSONValue in ms.flatMap { $0 <= now ? seconds($0) : nil } ?? .null }
        let started = failed ? nil : Optional(validatedMs)
        let done = status == .validating || failed ? 0 : linesDone(at: now)
        let finished = record.outcomes.prefix(done)
        let succeeded = finished.filter(\.succeeded)
        let usage = succeeded.reduce(BatchUsage()) { $0 + $1.usage }
        let total = status == .validating || failed ? 0 : record.outcomes.count
        // Once expired, the lines never run count as failed (they are in the error file).
        let unrun = status == .expired ? total - done : 0
        return .object(JSONObject([
            ("id", .string(record.id)),
            ("object", "batch"),
            ("endpoint", .string(record.endpoint)),
            ("model", record.model.map(JSONValue.string) ?? .null),
            ("errors", failed && status == .failed
                ? .object(JSONObject([("object", "list"), ("data", .array(record.errors.map(\.json)))])) : .null),
            ("input_file_id", .string(record.inputFileID)),
            ("completion_window", .string(record.completionWindow)),
            ("status", .string(status.rawValue)),
            ("output_file_id", status.isTerminal ? record.outputFileID.map(JSONValue.string) ?? .null : .null),
            ("error_file_id", status.isTerminal ? record.errorFileID.map(JSONValue.string) ?? .null : .null),
            ("created_at", seconds(record.createdMs)),
            ("in_progress_at", cancellingAt.map { $0 < validatedMs } == true ? .null : at(started)),
            ("expires_at", seconds(expiresMs)),
            ("finalizing_at", cancellingAt.map { $0 < finalizingMs } == true || expires ? .null : at(started.map { _ in finalizingMs })),
            ("completed_at", cancellingAt != nil || expires ? .null : at(started.map { _ in completedMs })),
            ("failed_at", cancellingAt == nil && failed ? at(validatedMs) : .null),
            ("expired_at", expires && cancellingAt == nil ? at(expiresMs) : .null),
            ("cancelling_at", at(cancellingAt)),
            ("cancelled_at", at(cancelledAt)),
            ("request_counts", .object(JSONObject([
                ("total", .int(total)), ("completed", .int(succeeded.count)), ("failed", .int(finished.count - succeeded.count + unrun)),
            ]))),
            ("usage", usage.json),
            ("metadata", record.metadata),
        ]))
    }
}
