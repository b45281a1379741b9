/// The engine's shared, mutable world: model catalogue, request journal, scenario rules, the
/// virtual clock and the state store (files, uploads, and what later features keep). Each part
/// guards itself; this bundles them and owns their start, stop and reset.
public final class MockState: Sendable {
    public let configuration: MockConfiguration
    public let models: ModelCatalog
    public let journal: Journal
    public let clock: VirtualClock
    /// Scenario rules and their counters, loaded from `configuration.scenarioPaths` at init.
    public let scenarios: ScenarioStore
    /// Everything created at run time; open between `start()` and `stop()`.
    package let store: StateStore
    /// Runs fine-tuning jobs on the clock and trains the models they make.
    package let fineTuning: FineTuningService
    /// Runs batches on the clock, their lines through the engine's pipeline.
    package let batches: BatchService

    public init(configuration: MockConfiguration) {
        self.configuration = configuration
        self.clock = VirtualClock(configuration.clock, pace: configuration.pace)
        self.store = StateStore(clock: clock)
        self.models = ModelCatalog(store: store, mode: configuration.models)
        self.fineTuning = FineTuningService(store: store, clock: clock, models: models)
        self.batches = BatchService(store: store, clock: clock)
        self.journal = Journal()
        self.scenarios = ScenarioStore(paths: configuration.scenarioPaths, seed: configuration.seed,
                                       chaos: configuration.chaos, strict: configuration.strict)
        scenarios.reload(models: models)
    }

    /// Opens the store (`configuration.stateDirectory`, or a temporary directory).
    func start() throws(StoreOpenError) {
        try store.open(directory: configuration.stateDirectory)
        fineTuning.jobsChanged()  // jobs and batches a restarted store holds run on
        batches.batchesChanged()
    }

    /// Records whatever jobs and batches have finished by now (their models and files), so that a
    /// read shows them.
    package func settle() async throws(OpenAIError) {
        try await fineTuning.settle()
        try await batches.settle()
    }

    func stop() {
        fineTuning.stop()
        batches.stop()
        store.close()
    }

    /// `POST /_mock/reset`: forget everything created since start (files, uploads, fine-tuned
    /// models, journal, counters, the clock's progress); configuration and scenario files stay.
    public func reset() throws(OpenAIError) {
        models.reset()
        journal.clear()
        scenarios.resetCounters()
        scenarios.addModels(to: models)
        fineTuning.reset()
        batches.stop()
        if store.isOpen { try store.reset() }
        clock.reset()
    }
}
