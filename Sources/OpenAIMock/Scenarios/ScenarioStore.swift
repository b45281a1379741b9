import Synchronization

/// The live scenario rules of one engine, their use counters, and reloading.
///
/// Selecting a rule and counting its use happen under one lock, so two concurrent requests can
/// never both get the first of "429 twice, then succeed". Chaos rolls are seeded by the seed,
/// the rule, the request hash and how many times that same request was rolled before, so a run
/// replays exactly (same requests → same faults) whatever the interleaving of *other* requests.
public final class ScenarioStore: Sendable {
    public let paths: [String]
    public let seed: UInt64
    /// `--chaos RATE`: probability for fault rules without their own `chaos`, and for a
    /// built-in fault on requests no rule answered.
    public let chaos: Double
    public let strict: Bool

    struct State {
        var set = ScenarioSet.empty
        var uses: [Counter: Int] = [:]       // key: test id and loadIndex
        var rolls: [Counter: Int] = [:]      // key: test id and hash(rule, request), at most `maxRollKeys`
        var lastLoad: [ScenarioDiagnostic] = []
        /// Rules added in code (``add(_:name:models:)``), kept across reloads.
        var inline: [(name: String, text: String)] = []
    }

    /// A counter of one test (`X-Mock-Test-Id`; nil: requests without one): every test counts its
    /// `times`, sequences and chaos rolls apart, so parallel tests never consume each other's.
    struct Counter: Hashable {
        var test: String?
        var key: UInt64
    }

    private let state = Mutex(State())

    public init(paths: [String], seed: UInt64 = 0, chaos: Double = 0, strict: Bool = false) {
        self.paths = paths
        self.seed = seed
        self.chaos = chaos
        self.strict = strict
    }

    public var set: ScenarioSet { state.withLock { $0.set } }
    /// Diagnostics of the last load or reload (errors mean the previous rules stayed in force).
    public var lastDiagnostics: [ScenarioDiagnostic] { state.withLock { $0.lastLoad } }

    /// Nothing to do per request: no rules, no strict mode, no chaos. The engine's fast path.
    var isInert: Bool { !strict && chaos == 0 && state.withLock { $0.set.rules.isEmpty } }

    /// Loads `paths`. On errors the current rules stay; on success they are replaced and every
    /// counter starts over. Returns the diagnostics either way.
    @discardableResult
    public func reload(models: ModelCatalog? = nil) -> ScenarioLoader.Result {
        let inline = state.withLock { $0.inline }
        let result = paths.isEmpty && inline.isEmpty ? ScenarioLoader.Result(set: .empty, diagnostics: [])
            : ScenarioLoader.load(paths: paths, inline: inline)
        install(result, models: models)
        return result
    }

    /// Installs an already loaded result (tests, reload); a failed result only records diagnostics.
    public func install(_ result: ScenarioLoader.Result, models: ModelCatalog? = nil) {
        let old: ScenarioSet? = state.withLock { s in
            s.lastLoad = result.diagnostics
            guard result.succeeded else { return nil }
            defer { s = State(set: result.set, lastLoad: result.diagnostics, inline: s.inline) }
            return s.set
        }
        guard let old, let models else { return }
        for m in old.models where !result.set.models.contains(where: { $0.info.id == m.info.id }) {
            models.removeRunTimeModel(m.info.id)
        }
        addModels(to: models)
    }

    /// Adds rules written in code (JSON5 text, as in a file) after the loaded ones; counters of the rules
    /// already there go on. Throws the diagnostics when the text has errors (nothing is added).
    public func add(_ text: String, name: String = "<swift>", models: ModelCatalog? = nil) throws(ScenarioLoadError) {
        let added: ScenarioSet = try state.withLock { s throws(ScenarioLoadError) -> ScenarioSet in
            let decoded = ScenarioLoader.decode(Array(text.utf8), file: name, firstIndex: s.set.rules.map(\.loadIndex).max().map { $0 + 1 } ?? 0)
            if decoded.diagnostics.hasErrors { throw ScenarioLoadError(diagnostics: decoded.diagnostics) }
            // In load order, these last; the set orders them by priority, then load order.
            s.set = ScenarioSet(rules: s.set.rules.sorted { $0.loadIndex < $1.loadIndex } + decoded.rules,
                                models: s.set.models + decoded.models, files: s.set.files + [name])
            s.inline.append((name, text))
            return s.set
        }
        if let models { for m in added.models { models.add(m.info) } }
    }

    /// Declares the scenario models in the catalogue (after start, reload and reset).
    public func addModels(to models: ModelCatalog) {
        for m in set.models { models.add(m.info) }
    }

    /// `POST /_mock/reset`: every `times` and sequence counter and chaos history starts over.
    public func resetCounters() {
        state.withLock { s in
            s.uses.removeAll()
            s.rolls.removeAll()
        }
    }

    /// `POST /_mock/reset?test_id=`: one test's counters start over.
    public func resetCounters(testID: String) {
        state.withLock { s in
            s.uses = s.uses.filter { $0.key.test != testID }
            s.rolls = s.rolls.filter { $0.key.test != testID }
        }
    }

    public func uses(of rule: ScenarioRule, testID: String? = nil) -> Int {
        state.withLock { $0.uses[Counter(test: testID, key: UInt64(rule.loadIndex))] ?? 0 }
    }

    /// What the store decided for one request.
    public enum Selection: Sendable {
        /// A rule fired: the step to perform and the rule's location.
        case rule(ScenarioRule, RuleAction)
        /// No rule fired and `--chaos` rolled a built-in fault (the roll's value picks which).
        case chaos(UInt64)
        /// No rule fired; `nearest` explains the closest miss (computed in strict mode only).
        case none(nearest: String?)
    }

    /// The rule for a request of test `testID` (nil: no test id), counted under that test.
    public func select(_ facts: RequestFacts, requestHash: UInt64, testID: String? = nil) -> Selection {
        state.withLock { s in
            for rule in s.set.rules {
                let counter = Counter(test: testID, key: UInt64(rule.loadIndex))
                let used = s.uses[counter] ?? 0
                if let times = rule.times, used >= times { continue }
                guard ScenarioMatcher.matches(rule, facts) else { continue }
                if let p = rule.chaos ?? (rule.isFault && chaos > 0 ? chaos : nil),
                   !Self.roll(&s, seed: seed, salt: "rule \(rule.loadIndex) \(rule.location.line):\(rule.location.column)",
                              requestHash: requestHash, testID: testID, probability: p).hit {
                    continue
                }
                s.uses[counter] = used + 1
                return .rule(rule, rule.steps[min(used, rule.steps.count - 1)])
            }
            if chaos > 0 {
                let r = Self.roll(&s, seed: seed, salt: "--chaos", requestHash: requestHash, testID: testID, probability: chaos)
                if r.hit { return .chaos(r.value) }
            }
            guard strict else { return .none(nearest: nil) }
            let uses = s.uses
            return .none(nearest: ScenarioMatcher.nearest(s.set.rules, facts) { rule in
                rule.times.map { (uses[Counter(test: testID, key: UInt64(rule.loadIndex))] ?? 0) >= $0 } ?? false
            })
        }
    }

    /// A seeded Bernoulli trial; the n-th roll of the same (rule, request) pair gets its own number,
    /// counted per test: a test gets the faults it would get alone, whatever other tests do.
    /// Bound on remembered (rule, request) roll counts so a long load test with ever-new
    /// requests cannot grow memory; past it the counts start over (still the same for the same
    /// sequence of requests).
    static let maxRollKeys = 65_536

    static func roll(_ s: inout State, seed: UInt64, salt: String, requestHash: UInt64, testID: String?,
                     probability: Double) -> (hit: Bool, value: UInt64) {
        var key = StableHash(requestHash)
        key.combine(salt)
        let k = key.finalized
        let counter = Counter(test: testID, key: k)
        if s.rolls.count >= maxRollKeys && s.rolls[counter] == nil { s.rolls.removeAll(keepingCapacity: true) }
        let n = s.rolls[counter, default: 0]
        s.rolls[counter] = n + 1
        var h = StableHash(seed)
        h.combine(k)
        h.combine(n)
        var rng = SeededRandom(seed: h.finalized)
        let hit = rng.unit() < probability
        return (hit, rng.next())
    }
}
