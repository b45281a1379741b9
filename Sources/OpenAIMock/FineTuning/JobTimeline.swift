/// A job's plan placed in virtual time: its creation, shifted by each pause (a paused job stands still;
/// after a resume it is queued again for a few seconds, then goes on where it was) and cut by a
/// cancellation. Answers what a client sees at any moment: the status, the events so far, when it will
/// finish. Pure: the record and the plan decide everything.
struct JobTimeline: Sendable {
    let record: FineTuningJobRecord
    let plan: JobPlan

    /// After a resume the job waits in the queue this long before it runs again.
    static let requeueMs: Int64 = 5_000

    init(_ record: FineTuningJobRecord) {
        self.record = record
        plan = JobPlan(examples: record.exampleCount, epochs: record.method.epochs, batchSize: record.method.batchSize,
                       failed: record.failure != nil, seed: Self.seed(record))
    }

    static func seed(_ record: FineTuningJobRecord) -> UInt64 {
        var h = StableHash(UInt64(bitPattern: Int64(record.seed)))
        h.combine(record.id)
        return h.finalized
    }

    // MARK: Time

    /// The virtual time (ms) at which the plan reaches `offset`, or nil when it does not (yet): after
    /// a pause that was not resumed, or after the job was cancelled.
    func absolute(_ offset: Int64) -> Int64? {
        var shift: Int64 = 0
        for pause in record.pauses {
            let pausedAt = pause.pausedMs - record.createdMs - shift
            if offset <= pausedAt { break }
            guard let resumed = pause.resumedMs else { return nil }
            shift += resumed - pause.pausedMs + Self.requeueMs
        }
        let time = record.createdMs + offset + shift
        if let cancelled = record.cancelledMs, time > cancelled { return nil }
        return time
    }

    /// What the job is doing at virtual time `now` (ms).
    func status(at now: Int64) -> JobStatus {
        if let cancelled = record.cancelledMs, now >= cancelled { return .cancelled }
        for pause in record.pauses where now >= pause.pausedMs {
            guard let resumed = pause.resumedMs else { return .paused }
            if now < resumed { return .paused }
            if now < resumed + Self.requeueMs { return .queued }
        }
        // The plan offset now corresponds to: the latest phase change that has happened.
        for (offset, status) in phaseChanges.reversed() {
            if let t = absolute(offset), t <= now { return status }
        }
        return .validatingFiles
    }

    private var phaseChanges: [(Int64, JobStatus)] {
        if plan.failed { return [(0, .validatingFiles), (plan.validatedAt, .failed)] }
        return [(0, .validatingFiles), (plan.validatedAt, .queued), (plan.startedAt, .running), (plan.succeededAt, .succeeded)]
    }

    /// When the job ends (succeeds or fails), if it still will.
    var endMs: Int64? { absolute(plan.endsAt) }

    /// When the job succeeds, if it will (nil: failed, cancelled or paused for now).
    var successMs: Int64? { plan.failed ? nil : absolute(plan.succeededAt) }

    /// A pause is allowed while the job trains (started, before its model is created).
    func canPause(at now: Int64) -> Bool {
        guard status(at: now) == .running, let created = absolute(plan.modelCreatedAt) else { return false }
        return now < created
    }

    // MARK: Events

    /// The non-step events (phase changes, checkpoints, pauses), in time order.
    struct Message: Sendable {
        var time: Int64
        var code: Int
        var level: String
        var text: String
        /// A checkpoint's step.
        var checkpointStep: Int?
    }

    /// Event codes: stable per event (they make its id), messages below `stepCodeBase`.
    static let stepCodeBase = 10_000

    /// The messages that have happened by `now`, in order.
    func messages(at now: Int64, modelName: String) -> [Message] {
        var out: [Message] = []
        func add(_ offset: Int64, _ code: Int, _ text: String, level: String = "info", step: Int? = nil) {
            if let t = absolute(offset), t <= now { out.append(Message(time: t, code: code, level: level, text: text, checkpointStep: step)) }
        }
        add(0, 0, "Created fine-tuning job: \(record.id)")
        add(0, 1, record.validationFile.map { "Validating training file: \(record.trainingFile) and validation file: \($0)" }
            ?? "Validating training file: \(record.trainingFile)")
        if let failure = record.failure {
            add(plan.validatedAt, 24, failure.message, level: "error")
        } else {
            add(plan.validatedAt, 2, "Files validated, moving job to queued state")
            add(plan.startedAt, 3, "Fine-tuning job started")
            for (k, step) in plan.checkpointSteps.enumerated() {
                add(plan.stepAt(step), 10 + k, "Checkpoint created at step \(step)", step: step)
            }
            add(plan.modelCreatedAt, 20, "New fine-tuned model created: \(modelName)")
            add(plan.modelCreatedAt + 1, 21, "Evaluating model against our usage policies")
            add(plan.evaluatedAt, 22, "Usage policy evaluations completed, model is now enabled for sampling")
            add(plan.succeededAt, 23, "The job has successfully completed")
        }
        for (k, pause) in record.pauses.enumerated() {
            if pause.pausedMs <= now { out.append(Message(time: pause.pausedMs, code: 100 + 2 * k, level: "info", text: "Fine-tuning job paused")) }
            if let r = pause.resumedMs, r <= now {
                out.append(Message(time: r, code: 101 + 2 * k, level: "info", text: "Fine-tuning job resumed"))
            }
        }
        if let c = record.cancelledMs, c <= now {
            out.append(Message(time: c, code: 25, level: "info", text: "Fine-tuning job cancelled"))
        }
        return out.sorted { ($0.time, $0.code) < ($1.time, $1.code) }
    }

    /// Training steps that have happened by `now`.
    func stepsDone(at now: Int64) -> Int {
        guard !plan.failed else { return 0 }
        var low = 0, high = plan.totalSteps  // the answer is in low...high
        while low < high {
            let mid = (low + high + 1) / 2
            if let t = absolute(plan.stepAt(mid)), t <= now { low = mid } else { high = mid - 1 }
        }
        return low
    }

    func stepTime(_ step: Int) -> Int64 { absolute(plan.stepAt(step)) ?? .max }
}

/// The events a client can list at one moment, oldest first: the timeline's messages merged with one
/// event per training step (a step comes before a message at the same instant).
struct JobEventList: Sendable {
    enum Item: Sendable {
        case message(JobTimeline.Message)
        case step(Int)

        var code: Int {
            switch self {
            case .message(let m): return m.code
            case .step(let s): return JobTimeline.stepCodeBase + s
            }
        }
    }

    let messages: [JobTimeline.Message]
    let steps: Int
    private let stepTime: @Sendable (Int) -> Int64
    /// Position of each message in the merged list.
    private let messagePositions: [Int]

    init(timeline: JobTimeline, now: Int64, modelName: String) {
        messages = timeline.messages(at: now, modelName: modelName)
        steps = timeline.stepsDone(at: now)
        let steps = self.steps
        stepTime = { timeline.stepTime($0) }
        messagePositions = messages.enumerated().map { j, m in
            // Steps at or before the message's time come first.
            var low = 0, high = steps
            while low < high {
                let mid = (low + high + 1) / 2
                if timeline.stepTime(mid) <= m.time { low = mid } else { high = mid - 1 }
            }
            return j + low
        }
    }

    var count: Int { messages.count + steps }

    /// The item at `position` (0 = oldest).
    func item(at position: Int) -> Item {
        var before = 0
        for (j, p) in messagePositions.enumerated() {
            if p == position { return .message(messages[j]) }
            if p < position { before += 1 }
        }
        return .step(position - before + 1)
    }

    /// The position of the event with `code`, if it is in the list.
    func position(ofCode code: Int) -> Int? {
        if code >= JobTimeline.stepCodeBase {
            let step = code - JobTimeline.stepCodeBase
            guard step >= 1 && step <= steps else { return nil }
            // The step fills the step-th slot not taken by a message (message positions increase).
            var position = step - 1
            for p in messagePositions where p <= position { position += 1 }
            return position
        }
        guard let j = messages.firstIndex(where: { $0.code == code }) else { return nil }
        return messagePositions[j]
    }

    func time(of item: Item) -> Int64 {
        switch item {
        case .message(let m): return m.time
        case .step(let s): return stepTime(s)
        }
    }
}
