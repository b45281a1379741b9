import Synchronization

/// The models `/v1/models` lists: the built-in catalogue plus models added at run time
/// (fine-tunes, scenario files), which are the only ones that can be deleted.
public final class ModelCatalog: Sendable {
    private let added = Mutex<[ModelInfo]>([])
    private let baseIndex: [String: ModelInfo]

    public init() {
        baseIndex = Dictionary(Self.builtIn.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Every model: built-in ones in catalogue order, then added ones in the order they arrived.
    public var all: [ModelInfo] { Self.builtIn + added.withLock { $0 } }

    public func model(_ id: String) -> ModelInfo? {
        if let m = baseIndex[id] { return m }
        return added.withLock { list in list.first { $0.id == id } }
    }

    /// Adds (or replaces) a run-time model such as a fine-tune result.
    public func add(_ model: ModelInfo) {
        added.withLock { list in
            list.removeAll { $0.id == model.id }
            list.append(model)
        }
    }

    public enum DeleteResult: Sendable, Equatable { case deleted, notFound, notDeletable }

    public func delete(_ id: String) -> DeleteResult {
        if baseIndex[id] != nil { return .notDeletable }
        return added.withLock { list in
            guard let i = list.firstIndex(where: { $0.id == id }) else { return .notFound }
            guard list[i].deletable else { return .notDeletable }
            list.remove(at: i)
            return .deleted
        }
    }

    /// Removes a run-time model whatever its `deletable` flag (a scenario reload dropping a
    /// model its files no longer declare).
    public func removeRunTimeModel(_ id: String) {
        added.withLock { list in list.removeAll { $0.id == id } }
    }

    /// Drops every run-time model (`POST /_mock/reset`).
    public func reset() { added.withLock { $0.removeAll() } }
}
