/// The state store on disk: a snapshot of every record (`snapshot.json`, replaced atomically)
/// and an append-only log of the changes made since (`log.jsonl`), one line per committed
/// change, each line checksummed. A crash can only tear the log's last line, which the next
/// start ignores (and cuts off): a change is in the store once its line is complete, and never
/// half. When the log grows long, the records are written to a new snapshot and the log starts
/// empty.
final class StoreLog: @unchecked Sendable {  // used only under the store's lock
    static let format = "openai-mock-state/1"
    let directory: String
    let durable: Bool
    private var file: WritableFile
    private var entries = 0
    private var bytes = 0

    /// Log entries or bytes after which the next commit writes a snapshot instead of growing the log.
    static let compactAfterEntries = 4096
    static let compactAfterBytes = 8 << 20

    var snapshotPath: String { directory + "/snapshot.json" }
    var logPath: String { directory + "/log.jsonl" }

    private init(directory: String, durable: Bool, file: WritableFile, entries: Int, bytes: Int) {
        self.directory = directory
        self.durable = durable
        self.file = file
        self.entries = entries
        self.bytes = bytes
    }

    /// Reads the snapshot and replays the log after it. Returns the records, the latest clock
    /// reading a change recorded, and the log ready for appending.
    static func open(directory: String, durable: Bool) throws(StoreOpenError) -> (StoreData, Int64?, StoreLog) {
        var data = StoreData()
        var now: Int64?
        var snapshotSequence = -1
        let snapshotPath = directory + "/snapshot.json"
        if FileSystem.exists(snapshotPath) {
            let snapshot: JSONValue
            do {
                snapshot = try JSONValue.parse(try FileSystem.read(snapshotPath))
            } catch {
                throw StoreOpenError.corrupt("\(snapshotPath): \(error)")
            }
            guard snapshot["format"]?.stringValue == format, let seq = snapshot["seq"]?.intValue else {
                throw StoreOpenError.corrupt("\(snapshotPath) is not an openai-mock state snapshot")
            }
            snapshotSequence = seq
            now = snapshot["now"]?.intValue.map(Int64.init)
            for item in snapshot["records"]?.arrayValue ?? [] {
                do {
                    _ = data.put(try StoreSchema.decode(kind: item["kind"]?.stringValue ?? "", item["value"] ?? .null))
                } catch {
                    throw StoreOpenError.corrupt("\(snapshotPath): \(error)")
                }
            }
            data.advanceSequence(to: seq)
        }

        let logPath = directory + "/log.jsonl"
        var content: [UInt8] = []
        if FileSystem.exists(logPath) {
            do { content = try FileSystem.read(logPath) } catch { throw StoreOpenError.io(error) }
        }
        var offset = 0
        var entries = 0
        while offset < content.count {
            guard let newline = content[offset...].firstIndex(of: 0x0A),
                  let entry = parseLine(content[offset..<newline]) else { break }  // a torn last line
            let seq = entry["seq"]?.intValue ?? 0
            let ops = entry["ops"]?.arrayValue ?? []
            if seq > snapshotSequence || (ops.isEmpty && seq == snapshotSequence) {
                do {
                    try apply(entry, to: &data)
                } catch {
                    throw StoreOpenError.corrupt("\(logPath): \(error)")
                }
                if let t = entry["now"]?.intValue.map(Int64.init) { now = max(now ?? t, t) }
            }
            entries += 1
            offset = newline + 1
        }
        do {
            let file = try WritableFile(appendingTo: logPath)
            if offset < content.count {
                try file.truncate(to: offset)
                if durable { try file.sync() }
            }
            return (data, now, StoreLog(directory: directory, durable: durable, file: file, entries: entries, bytes: offset))
        } catch {
            throw StoreOpenError.io(error)
        }
    }

    /// `XXXXXXXX {json}`: the checksum must match the JSON bytes.
    private static func parseLine(_ line: ArraySlice<UInt8>) -> JSONValue? {
        guard line.count > 9, line[line.startIndex + 8] == 0x20 else { return nil }
        let json = line.dropFirst(9)
        guard let sum = UInt32(String(decoding: line.prefix(8), as: UTF8.self), radix: 16),
              sum == checksum(json) else { return nil }
        return try? JSONValue.parse(Array(json))
    }

    private static func checksum(_ bytes: some Collection<UInt8>) -> UInt32 {
        var h = StableHash(0x5354_4F52_454C_4F47)
        h.combine(bytes)
        return UInt32(truncatingIfNeeded: h.finalized)
    }

    private static func apply(_ entry: JSONValue, to data: inout StoreData) throws(StoreDecodingError) {
        for op in entry["ops"]?.arrayValue ?? [] {
            if let kind = op["delete"]?.stringValue, let id = op["id"]?.stringValue {
                _ = data.delete(kind: kind, id: id)
            } else if let kind = op["put"]?.stringValue, let value = op["value"] {
                _ = data.put(try StoreSchema.decode(kind: kind, value))
            } else {
                throw StoreDecodingError("invalid log operation")
            }
        }
        data.advanceSequence(to: entry["seq"]?.intValue ?? 0)
    }

    /// Appends one committed change (fsynced in a durable store).
    func append(_ entry: JSONValue) throws(FileSystemError) {
        let json = entry.serialized()
        var line = Array(String(Self.checksum(json), radix: 16).utf8)
        line.insert(contentsOf: repeatElement(UInt8(ascii: "0"), count: 8 - line.count), at: 0)
        line.append(0x20)
        line.append(contentsOf: json)
        line.append(0x0A)
        try file.write(line)
        if durable { try file.sync() }
        entries += 1
        bytes += line.count
    }

    var wantsCompaction: Bool { entries >= Self.compactAfterEntries || bytes >= Self.compactAfterBytes }

    /// Writes every record to a new snapshot, then empties the log. A crash in between leaves a
    /// log whose entries the snapshot already holds; they are skipped on the next start.
    func compact(_ data: StoreData, now: Int64) throws(FileSystemError) {
        let snapshot = JSONValue.object(JSONObject([
            ("format", .string(Self.format)),
            ("seq", .int(data.sequence)),
            ("now", .int(Int(now))),
            ("records", .array(data.allRecords.map { record in
                .object(JSONObject([("kind", .string(type(of: record).kind)), ("value", record.stored)]))
            })),
        ]))
        try FileSystem.writeAtomically(snapshot.serialized(), to: snapshotPath, durable: durable)
        try file.truncate(to: 0)
        if durable { try file.sync() }
        entries = 0
        bytes = 0
    }

    func close() { file.closeQuietly() }
}

/// Why a state directory could not be opened.
public enum StoreOpenError: Error, Sendable, CustomStringConvertible {
    /// Another process holds the directory's lock.
    case locked(String)
    case io(FileSystemError)
    case corrupt(String)

    public var description: String {
        switch self {
        case .locked(let dir): return "state directory \(dir) is in use by another openai-mock process (it holds \(dir)/lock)"
        case .io(let e): return "\(e)"
        case .corrupt(let why): return "the state directory is damaged: \(why)"
        }
    }
}
