import Synchronization

/// The models `/v1/models` lists: the built-in catalogue plus models added at run time
/// (fine-tunes, scenario files), which are the only ones that can be deleted.
public final class ModelCatalog: Sendable {
    private let added = Mutex<(models: [ModelInfo], listBody: [UInt8]?)>(([], nil))
    private let baseIndex: [String: ModelInfo]

    public init() {
        baseIndex = Dictionary(Self.builtIn.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Every model: built-in ones in catalogue order, then added ones in the order they arrived.
    public var all: [ModelInfo] { Self.builtIn + added.withLock { $0.models } }

    /// The serialized `GET /v1/models` body, cached until the run-time models change (it is
    /// the hottest read of the catalogue and identical between changes).
    public var listBody: [UInt8] {
        added.withLock { state in
            if let body = state.listBody { return body }
            let body = JSONValue.object(JSONObject([
                ("object", "list"),
                ("data", .array((Self.builtIn + state.models).map(\.json))),
            ])).serialized()
            state.listBody = body
            return body
        }
    }

    public func model(_ id: String) -> ModelInfo? {
        if let m = baseIndex[id] { return m }
        return added.withLock { $0.models.first { $0.id == id } }
    }

    /// Adds (or replaces) a run-time model such as a fine-tune result.
    public func add(_ model: ModelInfo) {
        change { list in
            list.removeAll { $0.id == model.id }
            list.append(model)
        }
    }

    public enum DeleteResult: Sendable, Equatable { case deleted, notFound, notDeletable }

    public func delete(_ id: String) -> DeleteResult {
        if baseIndex[id] != nil { return .notDeletable }
        return change { list in
            guard let i = list.firstIndex(where: { $0.id == id }) else { return .notFound }
            guard list[i].deletable else { return .notDeletable }
            list.remove(at: i)
            return .deleted
        }
    }

    /// Removes a run-time model whatever its `deletable` flag (a scenario reload dropping a
    /// model its files no longer declare).
    public func removeRunTimeModel(_ id: String) {
        change { list in list.removeAll { $0.id == id } }
    }

    /// Drops every run-time model (`POST /_mock/reset`).
    public func reset() { change { $0.removeAll() } }

    private func change<T>(_ body: (inout [ModelInfo]) -> T) -> T {
        added.withLock { state in
            state.listBody = nil
            return body(&state.models)
        }
    }
}
