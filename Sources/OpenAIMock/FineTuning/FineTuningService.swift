import Synchronization

/// Owns running fine-tuning jobs: it keeps the clock running while jobs are pending (the clock's
/// horizon is the latest end of a job still due), wakes at each job's end to record its outcome — the
/// model and the result file, in one atomic change — and trains (once, in the background, cached) the
/// learned models that jobs produce and fine-tuned models answer from.
///
/// Nothing ticks per job: a job's observable state is its ``JobTimeline`` read at the clock's now.
/// Endpoints that show jobs, models or files call ``settle()`` first, so what a job shows as done
/// always exists, whatever the timers did meanwhile.
package final class FineTuningService: Sendable {
    let store: StateStore
    let clock: VirtualClock
    let models: ModelCatalog
    private let runs = Mutex<[String: Task<Result<TrainingRun, OpenAIError>, Never>]>([:])
    private let settling = Mutex<Set<String>>([])
    /// Each pending job's end: the clock runs until the last and wakes ``settle()`` at each.
    private let due: DueWork
    /// Whoever waits for a job to change (a stream following its events), by waiter number.
    private let waiters = Mutex<(next: UInt64, waiting: [UInt64: CheckedContinuation<Void, any Error>])>((1, [:]))

    init(store: StateStore, clock: VirtualClock, models: ModelCatalog) {
        self.store = store
        self.clock = clock
        self.models = models
        due = DueWork(clock: clock, owner: "fine-tuning")
    }

    // MARK: Time

    /// Recomputes the clock's horizon and the wake-up at each pending job's end, and wakes whoever
    /// waits for jobs to change; call after any change to jobs (and at start, for jobs a restarted
    /// store holds).
    func jobsChanged() {
        wakeWaiters()
        guard store.isOpen else { return }
        let now = clock.nowMillis()
        let ends = (try? store.read { data in
            Self.jobs(data).compactMap { job -> Int64? in
                // Still due: an end ahead, or a success whose outcome is not recorded yet.
                guard job.resultFileID == nil, let end = job.endMs, end > now || job.successMs != nil else { return nil }
                return end
            }
        }) ?? []
        due.set(ends) { [weak self] in
            guard let self else { return }
            Task { try? await self.settle() }
        }
    }

    /// Suspends until a job changes or virtual time reaches `deadline` (a stream's next event).
    /// Throws `CancellationError` when the task is cancelled (its client went away).
    func waitForChange(orUntil deadline: Int64?) async throws {
        let id = waiters.withLock { w -> UInt64 in
            defer { w.next += 1 }
            return w.next
        }
        let timer = Mutex<UInt64?>(nil)
        defer { if let t = timer.withLock({ $0 }) { clock.cancel(t) } }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                waiters.withLock { $0.waiting[id] = continuation }
                if Task.isCancelled { resume(id, throwing: CancellationError()) }
                if let deadline {
                    let t = clock.schedule(at: deadline) { [weak self] in self?.resume(id, throwing: nil) }
                    timer.withLock { $0 = t }
                }
            }
        } onCancel: {
            resume(id, throwing: CancellationError())
        }
    }

    /// Streams waiting for a job to change (tests check that a client going away leaves none).
    var waitingCount: Int { waiters.withLock { $0.waiting.count } }

    private func resume(_ id: UInt64, throwing error: (any Error)?) {
        guard let continuation = waiters.withLock({ $0.waiting.removeValue(forKey: id) }) else { return }
        if let error { continuation.resume(throwing: error) } else { continuation.resume() }
    }

    private func wakeWaiters() {
        let all = waiters.withLock { w -> [CheckedContinuation<Void, any Error>] in
            defer { w.waiting = [:] }
            return Array(w.waiting.values)
        }
        for continuation in all { continuation.resume() }
    }

    /// Stops waking anyone (engine stop).
    func stop() {
        wakeWaiters()
        due.clear()
    }

    /// Forgets trained runs (`POST /_mock/reset`).
    func reset() {
        runs.withLock { $0 = [:] }
        stop()
    }

    // MARK: Outcomes

    /// Records the outcome of every job that has succeeded by now but whose model and result file do
    /// not exist yet.
    package func settle() async throws(OpenAIError) {
        guard store.isOpen else { return }
        let now = clock.nowMillis()
        guard due.isDue(at: now) else { return }
        let due = try store.read { data in
            Self.jobs(data).filter { job in job.resultFileID == nil && job.successMs.map { $0 <= now } == true }
        }
        for job in due { try await materialize(job) }
    }

    /// Jobs of both APIs.
    static func jobs(_ data: StoreData) -> [any FineTuneJob] {
        data.all(FineTuningJobRecord.self) + data.all(LegacyFineTuneRecord.self)
    }

    private func materialize<Job: FineTuneJob>(_ job: Job) async throws(OpenAIError) {
        guard settling.withLock({ $0.insert(job.id).inserted }) else {
            // Someone else is recording it: wait for them, so the caller sees it done.
            while settling.withLock({ $0.contains(job.id) }) { try? await Task.sleep(nanoseconds: 1_000_000) }
            return
        }
        defer { _ = settling.withLock { $0.remove(job.id) } }
        guard let successMs = job.successMs else { return }
        let run = try await trainingRun(job.recipe)
        let csv = job.resultsFile(run)
        let blob = try store.newBlob()
        do {
            try await BlockingIO.run { () throws(FileSystemError) in
                try blob.write(csv)
                try blob.finish()
            }
        } catch {
            throw OpenAIError.storageFailure(error)
        }
        let created = Int(successMs.floorDivided(by: 1000))
        let fileID = job.outcomeResultFileID
        let name = job.outcomeModelName
        try store.update { data, change throws(OpenAIError) in
            guard var current = data.get(Job.self, job.id), current.resultFileID == nil,
                  current.successMs == successMs else { return }
            let file = FileRecord(id: fileID, sequence: job.sequence, bytes: blob.size, createdAt: created, expiresAt: nil,
                                  filename: Job.resultsFilename, purpose: "fine-tune-results", blob: fileID,
                                  contentHash: blob.hash.finalized, contentType: "text/csv", dataFormat: nil)
            change.adopt(blob, as: fileID)
            change.put(file)
            change.put(FineTunedModelRecord(id: name, sequence: job.sequence, createdAt: created, ownedBy: job.organizationID,
                                            baseModel: job.baseModel, recipe: job.recipe, checkpointSteps: job.checkpointSteps))
            current.resultFileID = fileID
            change.put(current)
        }
        jobsChanged()
    }

    // MARK: Learning

    /// The job's training run — trained once in the background (the first caller starts it), then cached.
    package func trainingRun(_ recipe: TrainingRecipe) async throws(OpenAIError) -> TrainingRun {
        try await start(recipe, training: nil, validation: nil).value.get()
    }

    /// Starts training a new job in the background with the data its validation already parsed.
    func prepare(_ recipe: TrainingRecipe, training: TrainingData, validation: TrainingData?) {
        _ = start(recipe, training: training, validation: validation)
    }

    private func start(_ recipe: TrainingRecipe, training: TrainingData?,
                       validation: TrainingData?) -> Task<Result<TrainingRun, OpenAIError>, Never> {
        runs.withLock { runs in
            if let running = runs[recipe.jobID] { return running }
            let task = Task { [self] in await self.train(recipe, training: training, validation: validation) }
            runs[recipe.jobID] = task
            return task
        }
    }

    private func train(_ recipe: TrainingRecipe, training parsed: TrainingData?,
                       validation parsedValidation: TrainingData?) async -> Result<TrainingRun, OpenAIError> {
        do throws(OpenAIError) {
            let training = if let parsed { parsed } else { try await data(recipe.trainingBlob) }
            let validation: TrainingData? = if let parsedValidation {
                parsedValidation
            } else if let v = recipe.validationBlob {
                try await data(v)
            } else {
                nil
            }
            var parent: LearnedModel?
            if let parentID = recipe.parentModel {
                guard let model = try await learnedModel(LearnedSource(modelID: parentID, checkpointStep: nil)) else {
                    throw OpenAIError.serverError("The model \(parentID) this fine-tune builds on is gone.")
                }
                parent = model
            }
            let frozenParent = parent
            let run = await BlockingIO.run { () -> TrainingRun in
                TrainingRun(training: training, validation: validation, epochs: recipe.epochs, batchSize: recipe.batchSize,
                            seed: recipe.seed, parent: frozenParent, classification: recipe.classification)
            }
            return .success(run)
        } catch {
            return .failure(error)
        }
    }

    /// A stored training file, parsed.
    func data(_ blob: String) async throws(OpenAIError) -> TrainingData {
        let bytes = try await self.bytes(blob)
        do {
            return try TrainingData.parse(bytes)
        } catch {
            throw OpenAIError.serverError("Training data \(blob) cannot be read: \(error.message)")
        }
    }

    /// A stored blob's content.
    func bytes(_ blob: String) async throws(OpenAIError) -> [UInt8] {
        guard let file = store.openBlob(blob) else { throw OpenAIError.serverError("Training data \(blob) is missing.") }
        return try await BlockingIO.run { () throws(OpenAIError) -> [UInt8] in
            var bytes: [UInt8] = []
            do {
                while let chunk = try file.read(max: 1 << 20) { bytes += chunk }
            } catch {
                throw OpenAIError.storageFailure(error)
            }
            return bytes
        }
    }

    /// What a fine-tuned model (or one of its checkpoints) knows; nil for a model with no recipe.
    package func learnedModel(_ source: LearnedSource) async throws(OpenAIError) -> LearnedModel? {
        guard let record = try store.read({ $0.get(FineTunedModelRecord.self, source.modelID) }) else { return nil }
        let run = try await trainingRun(record.recipe)
        if let step = source.checkpointStep { return run.checkpoint(atStep: step) }
        return run.model
    }

    // MARK: Names

    /// `ft:{base snapshot}:{org}:{suffix}:{8 characters}` (an empty suffix keeps its empty segment).
    static func modelName(_ job: FineTuningJobRecord) -> String {
        var h = StableHash(UInt64(bitPattern: Int64(job.seed)))
        h.combine("model")
        h.combine(job.id)
        return "ft:\(job.baseModel):\(job.organizationSlug):\(job.suffix ?? ""):\(StableHash.idSuffix(h.finalized, length: 8))"
    }

    static func resultFileID(_ job: FineTuningJobRecord) -> String {
        var h = StableHash(UInt64(bitPattern: Int64(job.seed)))
        h.combine("results")
        h.combine(job.id)
        return "file-" + StableHash.idSuffix(h.finalized, length: 22)
    }
}
