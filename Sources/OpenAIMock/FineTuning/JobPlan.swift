/// A job's status as the API names it.
package enum JobStatus: String, Sendable {
    case validatingFiles = "validating_files"
    case queued, running, paused, succeeded, failed, cancelled

    var isTerminal: Bool { self == .succeeded || self == .failed || self == .cancelled }
}

/// A job's history as planned when it is created: when it is validated, queued, started, when each
/// training step and checkpoint happens and when it succeeds (or fails validation) — offsets in virtual
/// milliseconds from its creation. A pure function of the job's inputs and seed: nothing ticks, and
/// polling more or less often changes nothing. Pauses and a cancellation move or cut this plan (see
/// ``JobTimeline``).
struct JobPlan: Sendable, Equatable {
    let validatedAt: Int64
    let failed: Bool
    let startedAt: Int64
    let firstStepAt: Int64
    let stepMs: Int64
    let totalSteps: Int
    /// Steps that end one of the last (up to) three epochs; each makes a checkpoint.
    let checkpointSteps: [Int]
    let modelCreatedAt: Int64
    let evaluatedAt: Int64
    let succeededAt: Int64

    /// Virtual time the training steps take in all at most (a huge file runs fast rather than for days).
    static let maxTrainingMs: Int64 = 1_200_000
    static let maxStepMs: Int64 = 1_000

    init(examples: Int, epochs: Int, batchSize: Int, failed: Bool, seed: UInt64) {
        var rng = SeededRandom(seed: seed ^ 0x504C_414E)
        validatedAt = 2_000 + min(60_000, Int64(examples) * 5) + Int64(rng.next() % 2_000)
        self.failed = failed
        startedAt = validatedAt + 4_000 + Int64(rng.next() % 20_000)
        firstStepAt = startedAt + 8_000
        let steps = max(1, (examples * max(1, epochs) + max(1, batchSize) - 1) / max(1, batchSize))
        totalSteps = steps
        stepMs = max(1, min(Self.maxStepMs, Self.maxTrainingMs / Int64(steps)))
        let epochEnds = (1...max(1, epochs)).map { (examples * $0 + max(1, batchSize) - 1) / max(1, batchSize) }
        checkpointSteps = Array(Set(epochEnds.suffix(3).map { min(max(1, $0), steps) })).sorted()
        let lastStep = firstStepAt + Int64(steps - 1) * stepMs
        modelCreatedAt = lastStep + 10_000
        evaluatedAt = modelCreatedAt + 10_000 + Int64(rng.next() % 5_000)
        succeededAt = evaluatedAt + 1_000
    }

    func stepAt(_ step: Int) -> Int64 { firstStepAt + Int64(step - 1) * stepMs }

    /// When the job ends as planned: failing validation, or succeeding.
    var endsAt: Int64 { failed ? validatedAt : succeededAt }

    /// The planned status at `offset` (no pauses, no cancellation).
    func status(at offset: Int64) -> JobStatus {
        if offset < validatedAt { return .validatingFiles }
        if failed { return .failed }
        if offset < startedAt { return .queued }
        if offset < succeededAt { return .running }
        return .succeeded
    }
}
