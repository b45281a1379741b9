/// A legacy fine-tune placed in virtual time: the same plan as a current job, told in the legacy
/// API's words and statuses (`pending`, `running`, `succeeded`, `failed`, `cancelled`).
struct LegacyTimeline: Sendable {
    let record: LegacyFineTuneRecord
    let plan: JobPlan

    init(_ record: LegacyFineTuneRecord) {
        self.record = record
        var h = StableHash(UInt64(bitPattern: Int64(record.seed)))
        h.combine(record.id)
        plan = JobPlan(examples: record.exampleCount, epochs: record.hyperparams.epochs, batchSize: record.hyperparams.batchSize,
                       failed: record.failure != nil, seed: h.finalized)
    }

    var seed: UInt64 {
        var h = StableHash(UInt64(bitPattern: Int64(record.seed)))
        h.combine(record.id)
        return h.finalized
    }

    /// Virtual time of a plan offset, unless the fine-tune was cancelled before.
    func absolute(_ offset: Int64) -> Int64? {
        let t = record.createdMs + offset
        if let c = record.cancelledMs, t > c { return nil }
        return t
    }

    func status(at now: Int64) -> String {
        if let c = record.cancelledMs, now >= c { return "cancelled" }
        let offset = now - record.createdMs
        if offset < plan.validatedAt { return "pending" }
        if plan.failed { return "failed" }
        if offset < plan.startedAt { return "pending" }
        if offset < plan.succeededAt { return "running" }
        return "succeeded"
    }

    var endMs: Int64? { absolute(plan.endsAt) }
    var successMs: Int64? { plan.failed ? nil : absolute(plan.succeededAt) }

    /// `curie:ft-{org}:{suffix}-YYYY-MM-DD-HH-MM-SS` (or `curie:ft-{org}-…` without a suffix), dated
    /// when the fine-tune succeeds.
    var modelName: String {
        let c = VirtualClock.civil(Int((record.createdMs + plan.succeededAt).floorDivided(by: 1000)))
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let date = "\(c.year)-\(two(c.month))-\(two(c.day))-\(two(c.hour))-\(two(c.minute))-\(two(c.second))"
        let suffix = record.suffix.map { ":\($0)" } ?? ""
        return "\(record.baseModel):ft-\(record.organizationSlug)\(suffix)-\(date)"
    }

    var resultFileID: String {
        var h = StableHash(seed)
        h.combine("results")
        return "file-" + StableHash.idSuffix(h.finalized, length: 22)
    }

    /// Training price per 1,000 tokens of the legacy base models.
    static func price(_ base: String) -> Double {
        switch base {
        case "ada": return 0.0004
        case "babbage": return 0.0006
        case "davinci": return 0.03
        default: return 0.003
        }
    }

    struct Event: Sendable {
        var time: Int64
        var level: String
        var message: String
    }

    /// Every event the plan holds (cancellation included), in order; those after `now` have not happened.
    var allEvents: [Event] {
        var out: [Event] = []
        func add(_ offset: Int64, _ message: String, level: String = "info") {
            if let t = absolute(offset) { out.append(Event(time: t, level: level, message: message)) }
        }
        add(0, "Created fine-tune: \(record.id)")
        if let failure = record.failure {
            add(plan.validatedAt, "Error: \(failure)", level: "error")
            add(plan.validatedAt, "Fine-tune failed")
        } else {
            let tokens = Double(record.tokensPerEpoch * record.hyperparams.epochs)
            add(plan.validatedAt, "Fine-tune costs $\(ResultsCSV.fixed(tokens / 1000 * Self.price(record.baseModel), places: 2))")
            add(plan.validatedAt, "Fine-tune enqueued. Queue number: 0")
            add(plan.startedAt, "Fine-tune started")
            let epochs = record.hyperparams.epochs
            for k in 1...max(1, epochs) {
                let step = (record.exampleCount * k + record.hyperparams.batchSize - 1) / max(1, record.hyperparams.batchSize)
                add(plan.stepAt(min(max(1, step), plan.totalSteps)), "Completed epoch \(k)/\(epochs)")
            }
            add(plan.modelCreatedAt, "Uploaded model: \(modelName)")
            add(plan.evaluatedAt, "Uploaded result file: \(resultFileID)")
            add(plan.succeededAt, "Fine-tune succeeded")
        }
        if let c = record.cancelledMs { out.append(Event(time: c, level: "info", message: "Fine-tune cancelled")) }
        return out
    }

    func events(at now: Int64) -> [Event] { allEvents.filter { $0.time <= now } }

    /// The first event still to come after `now`.
    func nextEvent(after now: Int64) -> Int64? { allEvents.first { $0.time > now }?.time }

    static func eventJSON(_ e: Event) -> JSONValue {
        .object(JSONObject([("object", "fine-tune-event"), ("created_at", .int(Int(e.time.floorDivided(by: 1000)))),
                            ("level", .string(e.level)), ("message", .string(e.message))]))
    }

    /// The `fine-tune` object at `now`, with full file objects and (unless listing) its events.
    func json(now: Int64, files: (String) -> JSONValue, withEvents: Bool) -> JSONValue {
        let status = status(at: now)
        let events = events(at: now)
        var fields: [(String, JSONValue)] = [
            ("object", "fine-tune"), ("id", .string(record.id)), ("hyperparams", record.hyperparams.json),
            ("organization_id", .string(record.organizationID)), ("model", .string(record.model)),
            ("training_files", .array([files(record.trainingFile)])),
            ("validation_files", .array(record.validationFile.map { [files($0)] } ?? [])),
            ("result_files", .array(status == "succeeded" ? [files(record.resultFileID ?? resultFileID)] : [])),
            ("created_at", .int(Int(record.createdMs.floorDivided(by: 1000)))),
            ("updated_at", .int(Int((events.last?.time ?? record.createdMs).floorDivided(by: 1000)))),
            ("status", .string(status)),
            ("fine_tuned_model", status == "succeeded" ? .string(modelName) : .null),
        ]
        if withEvents { fields.append(("events", .array(events.map(Self.eventJSON)))) }
        return .object(JSONObject(fields))
    }
}

extension VirtualClock {
    /// Unix seconds → UTC calendar date and time (Howard Hinnant's `civil_from_days`).
    static func civil(_ unix: Int) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        let days = unix >= 0 ? unix / 86_400 : (unix - 86_399) / 86_400
        let secs = unix - days * 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d, secs / 3600, secs % 3600 / 60, secs % 60)
    }
}
