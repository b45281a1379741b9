import Synchronization

/// The models `/v1/models` lists: the built-in catalogue, models scenario files declare, and the
/// fine-tuned models in the state store (with their checkpoints, which answer but are not listed).
/// Only the last two kinds can be deleted.
///
/// In ``Mode/strict`` mode (the default) an id none of these name is unknown (404 `model_not_found`); in
/// ``Mode/open`` mode ``resolve(_:for:)`` accepts it as a model of the kind the endpoint serves.
public final class ModelCatalog: Sendable {
    /// `--models strict|open`.
    public enum Mode: String, Sendable, CaseIterable {
        case strict, open
    }

    public let mode: Mode
    private let added = Mutex<(models: [ModelInfo], listBody: [UInt8]?, storeVersion: Int)>(([], nil, -1))
    private let store: StateStore?

    public convenience init(mode: Mode = .strict) { self.init(store: nil, mode: mode) }

    package init(store: StateStore?, mode: Mode = .strict) {
        self.store = store
        self.mode = mode
    }

    /// Every model: built-in ones in catalogue order, then added ones in the order they arrived,
    /// then fine-tuned ones in the order they were made.
    public var all: [ModelInfo] { Self.builtIn + added.withLock { $0.models } + fineTuned() }

    /// The serialized `GET /v1/models` body, cached until the models change (it is the hottest read
    /// of the catalogue and identical between changes).
    public var listBody: [UInt8] {
        let version = store?.version ?? 0
        return added.withLock { state in
            if let body = state.listBody, state.storeVersion == version { return body }
            let body = JSONValue.object(JSONObject([
                ("object", "list"),
                ("data", .array((Self.builtIn + state.models + fineTuned()).map(\.json))),
            ])).serialized()
            state.listBody = body
            state.storeVersion = version
            return body
        }
    }

    public func model(_ id: String) -> ModelInfo? {
        if let m = Self.builtInIndex[id] { return m }
        if let m = added.withLock({ $0.models.first { $0.id == id } }) { return m }
        return fineTunedModel(id)
    }

    /// The model `id` as an endpoint serving `kind` sees it: the catalogue's entry, or in open mode one
    /// inferred for an id the catalogue does not know (nil in strict mode).
    public func resolve(_ id: String, for kind: ModelInfo.Kind) -> ModelInfo? {
        if let m = model(id) { return m }
        guard mode == .open else { return nil }
        return Self.inferred(id: id, kind: kind, ownedBy: "system")
    }

    private func fineTuned() -> [ModelInfo] {
        guard let store, store.isOpen else { return [] }
        return ((try? store.read { $0.all(FineTunedModelRecord.self) }) ?? []).map(info)
    }

    /// A fine-tuned model, or one of its checkpoints (`<model>:ckpt-step-N`).
    private func fineTunedModel(_ id: String) -> ModelInfo? {
        guard let store, store.isOpen else { return nil }
        if let record = try? store.read({ $0.get(FineTunedModelRecord.self, id) }) { return info(record) }
        guard let (modelID, step) = Self.checkpoint(id),
              let record = try? store.read({ $0.get(FineTunedModelRecord.self, modelID) }),
              record.checkpointSteps.contains(step) else { return nil }
        return record.modelInfo(base: base(of: record), id: id, checkpointStep: step)
    }

    /// `<model>:ckpt-step-N` → (`<model>`, N).
    static func checkpoint(_ id: String) -> (String, Int)? {
        guard let marker = id.ranges(of: ":ckpt-step-").last, let step = Int(id[marker.upperBound...]), step > 0 else { return nil }
        return (String(id[..<marker.lowerBound]), step)
    }

    private func info(_ record: FineTunedModelRecord) -> ModelInfo { record.modelInfo(base: base(of: record)) }

    private func base(of record: FineTunedModelRecord) -> ModelInfo {
        Self.builtInIndex[record.baseModel] ?? Self.inferred(id: record.baseModel, kind: .chat, ownedBy: "system")
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
        if Self.builtInIndex[id] != nil { return .notDeletable }
        if let store, store.isOpen, (try? store.read({ $0.get(FineTunedModelRecord.self, id) })) != nil {
            let deleted = try? store.update { data, change throws(OpenAIError) -> Bool in
                guard data.get(FineTunedModelRecord.self, id) != nil else { return false }
                change.delete(FineTunedModelRecord.self, id: id)
                return true
            }
            return deleted == true ? .deleted : .notFound
        }
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
