/// Something the state store keeps: a file, an upload, and (in later features) jobs, models,
/// batches. Records are immutable values; a change replaces a record whole.
package protocol StoreRecord: Sendable {
    /// The record's table, e.g. `file`; also its tag in the store's log.
    static var kind: String { get }
    var id: String { get }
    /// Creation order in the store: lists sort by it, ids derive from it.
    var sequence: Int { get }
    /// Blobs (file contents) this record owns; a blob stays on disk while any record names it.
    var blobs: [String] { get }
    /// The record as the store persists it (its own format, not necessarily the API's).
    var stored: JSONValue { get }
    init(stored: JSONValue) throws(StoreDecodingError)
}

extension StoreRecord {
    package var blobs: [String] { [] }
}

/// A persisted record that cannot be read back (a newer or damaged store).
package struct StoreDecodingError: Error, Sendable, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}

/// Field access for decoding stored records.
extension JSONValue {
    func required<T>(_ key: String, _ get: (JSONValue) -> T?) throws(StoreDecodingError) -> T {
        guard let value = self[key], let typed = get(value) else { throw StoreDecodingError("missing or invalid '\(key)'") }
        return typed
    }

    func string(_ key: String) throws(StoreDecodingError) -> String { try required(key, \.stringValue) }
    func int(_ key: String) throws(StoreDecodingError) -> Int { try required(key, \.intValue) }
    func optionalString(_ key: String) -> String? { self[key]?.stringValue }
    func optionalInt(_ key: String) -> Int? { self[key]?.intValue }
}

/// Every record kind the store knows how to read back, in one place.
package enum StoreSchema {
    package static let types: [any StoreRecord.Type] = [
        FileRecord.self, UploadRecord.self, FineTuningJobRecord.self, FineTunedModelRecord.self, CheckpointPermissionRecord.self,
        LegacyFineTuneRecord.self, StoredChatCompletionRecord.self, BatchRecord.self,
        StoredResponseRecord.self, ConversationRecord.self,
    ]

    static func decode(kind: String, _ value: JSONValue) throws(StoreDecodingError) -> any StoreRecord {
        guard let type = types.first(where: { $0.kind == kind }) else { throw StoreDecodingError("unknown record kind '\(kind)'") }
        return try type.init(stored: value)
    }
}
