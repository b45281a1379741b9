/// The store's records in memory: one table per kind, plus the sequence counter that orders
/// them. A value: readers get a consistent snapshot for free.
package struct StoreData: Sendable {
    private(set) var tables: [String: [String: any StoreRecord]] = [:]
    /// The last sequence number handed out.
    private(set) var sequence = 0
    /// How many records name each blob.
    private(set) var blobReferences: [String: Int] = [:]

    package func get<R: StoreRecord>(_ type: R.Type, _ id: String) -> R? {
        tables[R.kind]?[id] as? R
    }

    /// Every record of a kind in creation order.
    package func all<R: StoreRecord>(_ type: R.Type) -> [R] {
        (tables[R.kind]?.values.compactMap { $0 as? R } ?? []).sorted { $0.sequence < $1.sequence }
    }

    /// Every record, kinds in schema order, each kind in creation order (what a snapshot holds).
    var allRecords: [any StoreRecord] {
        StoreSchema.types.flatMap { type in
            (tables[type.kind]?.values.map { $0 } ?? []).sorted { $0.sequence < $1.sequence }
        }
    }

    func isReferenced(_ blob: String) -> Bool { (blobReferences[blob] ?? 0) > 0 }

    /// Applies one operation; returns the blobs that nothing names any more.
    mutating func apply(_ op: StoreChange.Operation) -> [String] {
        switch op {
        case .put(let record): return put(record)
        case .delete(let kind, let id): return delete(kind: kind, id: id)
        }
    }

    /// Applies a put; returns blobs the replaced record owned that nothing names any more.
    mutating func put(_ record: any StoreRecord) -> [String] {
        let old = tables[type(of: record).kind, default: [:]].updateValue(record, forKey: record.id)
        for blob in record.blobs { blobReferences[blob, default: 0] += 1 }
        sequence = max(sequence, record.sequence)
        return release(old?.blobs ?? [])
    }

    /// Applies a delete; returns the blobs that nothing names any more.
    mutating func delete(kind: String, id: String) -> [String] {
        guard let old = tables[kind]?.removeValue(forKey: id) else { return [] }
        return release(old.blobs)
    }

    mutating func advanceSequence(to value: Int) { sequence = max(sequence, value) }

    mutating func removeAll() { self = StoreData() }

    private mutating func release(_ blobs: [String]) -> [String] {
        var orphaned: [String] = []
        for blob in blobs {
            let left = (blobReferences[blob] ?? 1) - 1
            if left <= 0 {
                blobReferences[blob] = nil
                orphaned.append(blob)
            } else {
                blobReferences[blob] = left
            }
        }
        return orphaned
    }
}

/// What one atomic update of the store does: records to put and delete, and new blobs (written
/// to the store's temporary area) to adopt under their final names. Nothing happens unless the
/// whole change is committed.
package struct StoreChange: Sendable {
    enum Operation: Sendable {
        case put(any StoreRecord)
        case delete(kind: String, id: String)
    }

    private(set) var sequence: Int
    private(set) var operations: [Operation] = []
    private(set) var adoptions: [(blob: BlobFile, name: String)] = []

    init(after sequence: Int) { self.sequence = sequence }

    /// A new sequence number (creation order; ids derive from it).
    package mutating func nextSequence() -> Int {
        sequence += 1
        return sequence
    }

    package mutating func put(_ record: any StoreRecord) { operations.append(.put(record)) }

    package mutating func delete<R: StoreRecord>(_ type: R.Type, id: String) {
        operations.append(.delete(kind: R.kind, id: id))
    }

    /// Keeps `blob` as `name` once the change commits (its temporary file is renamed, not copied).
    package mutating func adopt(_ blob: BlobFile, as name: String) { adoptions.append((blob, name)) }

    var isEmpty: Bool { operations.isEmpty && adoptions.isEmpty }

    /// The change as one line of the store's log.
    func logEntry(now: Int64) -> JSONValue {
        let ops: [JSONValue] = operations.map { op in
            switch op {
            case .put(let record):
                return .object(JSONObject([("put", .string(type(of: record).kind)), ("value", record.stored)]))
            case .delete(let kind, let id):
                return .object(JSONObject([("delete", .string(kind)), ("id", .string(id))]))
            }
        }
        return .object(JSONObject([("seq", .int(sequence)), ("now", .int(Int(now))), ("ops", .array(ops))]))
    }
}
