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

    /// The test this world belongs to (`X-Mock-Test-Id`); nil for the engine's own.
    public let testID: String?
    /// The worlds of tests, shared by the engine's world and every test's.
    package let tests: TestWorlds

    public convenience init(configuration: MockConfiguration) {
        let scenarios = ScenarioStore(paths: configuration.scenarioPaths, seed: configuration.seed,
                                      chaos: configuration.chaos, strict: configuration.strict)
        self.init(configuration: configuration, testID: nil, journal: Journal(), scenarios: scenarios, tests: TestWorlds())
        scenarios.reload(models: models)
    }

    /// A test's world: its own store, catalogue and clock; the engine's journal, rules and configuration.
    package convenience init(testID: String, sharing base: MockState) {
        var configuration = base.configuration
        configuration.stateDirectory = base.configuration.stateDirectory.map {
            $0 + "/tests/" + StableHash.idSuffix(StableHash.of("test", testID), length: 16, mixedCase: false)
        }
        self.init(configuration: configuration, testID: testID, journal: base.journal, scenarios: base.scenarios,
                  tests: base.tests)
        scenarios.addModels(to: models)
    }

    private init(configuration: MockConfiguration, testID: String?, journal: Journal, scenarios: ScenarioStore,
                 tests: TestWorlds) {
        self.configuration = configuration
        self.testID = testID
        self.tests = tests
        self.clock = VirtualClock(configuration.clock, pace: configuration.pace)
        self.store = StateStore(clock: clock)
        self.models = ModelCatalog(store: store, mode: configuration.models)
        self.fineTuning = FineTuningService(store: store, clock: clock, models: models)
        self.batches = BatchService(store: store, clock: clock)
        self.journal = journal
        self.scenarios = scenarios
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

    /// Closes the store; the engine's world also stops every test's.
    func stop() {
        fineTuning.stop()
        batches.stop()
        store.close()
        if testID == nil { for world in tests.removeAll() { world.stop() } }
    }

    /// `POST /_mock/reset`: forget everything created since start (files, uploads, fine-tuned
    /// models, journal, counters, the clock's progress); configuration and scenario files stay.
    /// The engine's world forgets every test's too; a test's world only its own.
    public func reset() throws(OpenAIError) {
        if let testID {
            Self.forget(testID: testID, journal: journal, scenarios: scenarios)
        } else {
            for world in tests.removeAll() { world.stop() }
            journal.clear()
            scenarios.resetCounters()
        }
        models.reset()
        scenarios.addModels(to: models)
        fineTuning.reset()
        batches.stop()
        if store.isOpen { try store.reset() }
        clock.reset()
    }

    /// A test's journal entries and scenario counters, for `POST /_mock/reset?test_id=` of a test
    /// that has no world (it made no API request yet).
    static func forget(testID: String, journal: Journal, scenarios: ScenarioStore) {
        journal.clear(testID: testID)
        scenarios.resetCounters(testID: testID)
    }
}
