import Synchronization

/// The worlds of the tests that name themselves (`X-Mock-Test-Id`): each its own state store (files,
/// uploads, jobs, fine-tuned models, batches, stored completions), model catalogue and virtual clock,
/// made at the test's first request. The journal and the scenario rules are the engine's, shared;
/// entries and `times`/chaos counters are kept apart by test id inside them.
package final class TestWorlds: Sendable {
    /// Most tests with a world at once; past it a new test id gets a 400 until some are reset.
    static let limit = 1_000
    package typealias Factory = @Sendable (String) throws(StoreOpenError) -> MockState

    private let worlds = Mutex<[String: MockState]>([:])
    private let factory = Mutex<Factory?>(nil)

    init() {}

    /// The engine's way of making (and starting) a world for a test id.
    func attach(_ make: @escaping Factory) { factory.withLock { $0 = make } }

    func existing(_ id: String) -> MockState? { worlds.withLock { $0[id] } }

    /// The test's world, made at its first request.
    func world(_ id: String) throws(OpenAIError) -> MockState {
        try worlds.withLock { w throws(OpenAIError) -> MockState in
            if let world = w[id] { return world }
            guard w.count < Self.limit else {
                throw OpenAIError(status: 400, message: "Too many test ids at once (\(Self.limit)): reset finished tests with POST /_mock/reset?test_id=….",
                                  code: "too_many_test_ids")
            }
            guard let make = factory.withLock({ $0 }) else { throw OpenAIError.serverError("Test isolation is not attached.") }
            let world: MockState
            do { world = try make(id) } catch { throw OpenAIError.serverError("The test's state could not be opened: \(error)") }
            w[id] = world
            return world
        }
    }

    /// Every world, removed; the caller stops them.
    func removeAll() -> [MockState] {
        worlds.withLock { w in
            defer { w.removeAll() }
            return w.keys.sorted().compactMap { w[$0] }
        }
    }

    var all: [MockState] { worlds.withLock { w in w.keys.sorted().compactMap { w[$0] } } }
}
