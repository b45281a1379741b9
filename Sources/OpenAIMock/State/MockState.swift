/// The engine's shared, mutable world: model catalogue, request journal, and (later) files,
/// jobs and scenario counters. Each part guards itself; this only bundles them.
public final class MockState: Sendable {
    public let configuration: MockConfiguration
    public let models: ModelCatalog
    public let journal: Journal
    public let clock: VirtualClock
    /// Scenario rules and their counters, loaded from `configuration.scenarioPaths` at init.
    public let scenarios: ScenarioStore

    public init(configuration: MockConfiguration) {
        self.configuration = configuration
        self.models = ModelCatalog()
        self.journal = Journal()
        self.clock = VirtualClock(configuration.clock)
        self.scenarios = ScenarioStore(paths: configuration.scenarioPaths, seed: configuration.seed,
                                       chaos: configuration.chaos, strict: configuration.strict)
        scenarios.reload(models: models)
    }

    /// `POST /_mock/reset`: forget everything learned since start (fine-tuned models, journal,
    /// counters); configuration and scenario files stay.
    public func reset() {
        models.reset()
        journal.clear()
        scenarios.resetCounters()
        scenarios.addModels(to: models)
    }
}
