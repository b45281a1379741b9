/// How the engine behaves; built by the CLI from its flags or by tests directly.
public struct MockConfiguration: Sendable {
    /// Mixed into every derived id, text, vector and fault roll.
    public var seed: UInt64 = 0
    /// Accepted bearer keys; empty accepts any key (but a key is still required).
    public var apiKeys: [String] = []
    /// Scenario files or directories (used by the scenarios feature).
    public var scenarioPaths: [String] = []
    /// Answer requests no scenario rule matches with an error instead of the default generator.
    public var strict: Bool = false
    /// Probability of injecting scripted (and built-in) faults, rolled per request from `seed`.
    public var chaos: Double = 0
    /// Where `created` / `created_at` timestamps come from (default: fixed at 2024-06-01T00:00:00Z).
    public var clock: VirtualClock.Mode = .fixed(VirtualClock.defaultEpoch)
    /// How a fixed clock moves while jobs run (default: auto, 100× wall time).
    public var pace: VirtualClock.Pace = .default
    /// `strict`: ids the catalogue does not know get 404 `model_not_found`; `open`: any id is accepted as a
    /// model of the kind the endpoint serves (private model names behind a proxy).
    public var models: ModelCatalog.Mode = .strict
    /// Where the state store lives (`--state-dir`); nil: a temporary directory removed at stop.
    public var stateDirectory: String? = nil
    /// Recorded event streams replay at this multiple of their recorded pace (`--replay-speed`; nil: instant).
    public var replaySpeed: Double? = 1
    /// Per-request log line on stderr; nil logs nothing (tests).
    public var log: LogFormat? = nil
    /// The server version reported by `/_mock/health` and `--version`.
    public static let version = "0.1.0"

    public enum LogFormat: String, Sendable, CaseIterable {
        case text, json
    }

    public init(seed: UInt64 = 0, apiKeys: [String] = [], scenarioPaths: [String] = [], log: LogFormat? = nil) {
        self.seed = seed
        self.apiKeys = apiKeys
        self.scenarioPaths = scenarioPaths
        self.log = log
    }
}
