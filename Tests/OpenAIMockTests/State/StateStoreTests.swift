import Foundation
import Testing
@testable import OpenAIMock

/// The store on disk: atomic changes, replay after restart, a torn log, the lock, reset.
struct StateStoreTests {
    private func directory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString)").path
    }

    private func file(_ n: Int, blob: String = "") -> FileRecord {
        FileRecord(id: "file-\(n)", sequence: n, bytes: n, createdAt: 1000 + n, expiresAt: nil, filename: "f\(n).jsonl",
                   purpose: "fine-tune", blob: blob.isEmpty ? "file-\(n)" : blob, contentHash: UInt64(n),
                   contentType: nil, dataFormat: "chat")
    }

    /// Writes a blob with `bytes` and adds a file record adopting it.
    private func add(_ store: StateStore, _ n: Int, bytes: [UInt8]) throws {
        let blob = try store.newBlob()
        try blob.write(bytes)
        try blob.finish()
        try store.update { _, change throws(OpenAIError) in
            _ = change.nextSequence()
            change.adopt(blob, as: "file-\(n)")
            change.put(file(n))
        }
    }

    @Test func recordsAndBlobsSurviveARestart() throws {
        let dir = directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = StateStore(clock: VirtualClock())
        try store.open(directory: dir)
        try add(store, 1, bytes: Array("one".utf8))
        try add(store, 2, bytes: Array("two".utf8))
        try store.update { _, change throws(OpenAIError) in change.delete(FileRecord.self, id: "file-1") }
        store.close()
        #expect(!FileManager.default.fileExists(atPath: dir + "/blobs/file-1"))

        let again = StateStore(clock: VirtualClock())
        try again.open(directory: dir)
        defer { again.close() }
        let files = try again.read { $0.all(FileRecord.self) }
        #expect(files == [file(2)])
        #expect(try again.openBlob("file-2")?.read(max: 10) == Array("two".utf8))
        // Sequence numbers go on from where they were.
        #expect(try again.update { _, change throws(OpenAIError) in change.nextSequence() } == 3)
    }

    @Test func aTornLastLineAndOrphanBlobsAreDroppedAtStart() throws {
        let dir = directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = StateStore(clock: VirtualClock())
        try store.open(directory: dir)
        try add(store, 1, bytes: Array("kept".utf8))
        store.close()
        // A crash mid-commit: half a log line, a blob renamed but never recorded, an upload in tmp/.
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/log.jsonl"))
        log.seekToEndOfFile()
        log.write(Data("0badc0de {\"seq\":2,\"ops\":[{\"put\":\"file\",\"val".utf8))
        log.closeFile()
        _ = FileManager.default.createFile(atPath: dir + "/blobs/file-9", contents: Data("orphan".utf8))
        _ = FileManager.default.createFile(atPath: dir + "/tmp/blob-1", contents: Data("partial".utf8))

        let again = StateStore(clock: VirtualClock())
        try again.open(directory: dir)
        defer { again.close() }
        #expect(try again.read { $0.all(FileRecord.self) }.map(\.id) == ["file-1"])
        #expect(!FileManager.default.fileExists(atPath: dir + "/blobs/file-9"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/tmp").isEmpty)
        try add(again, 2, bytes: [1])  // appends after the cut-off line
        again.close()
        let third = StateStore(clock: VirtualClock())
        try third.open(directory: dir)
        #expect(try third.read { $0.all(FileRecord.self) }.map(\.id) == ["file-1", "file-2"])
        third.close()
    }

    @Test func aSecondStoreOnTheSameDirectoryIsRefused() throws {
        let dir = directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = StateStore(clock: VirtualClock())
        try first.open(directory: dir)
        let second = StateStore(clock: VirtualClock())
        #expect {
            try second.open(directory: dir)
        } throws: { error in
            guard case StoreOpenError.locked = error else { return false }
            return "\(error)".contains("in use by another openai-mock")
        }
        first.close()
        try second.open(directory: dir)  // free again
        second.close()
    }

    @Test func aFailedChangeWritesNothing() throws {
        let store = StateStore(clock: VirtualClock())
        try store.open(directory: nil)
        defer { store.close() }
        let blob = try store.newBlob()
        try blob.write([1, 2, 3])
        try blob.finish()
        #expect(throws: OpenAIError.self) {
            try store.update { _, change throws(OpenAIError) in
                change.adopt(blob, as: "file-1")
                change.put(file(1))
                throw OpenAIError.invalidRequest("no")
            }
        }
        #expect(try store.read { $0.all(FileRecord.self) }.isEmpty)
        #expect(store.openBlob("file-1") == nil)
    }

    @Test func compactionKeepsEveryRecord() throws {
        let dir = directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = StateStore(clock: VirtualClock())
        try store.open(directory: dir, durable: false)
        let count = StoreLog.compactAfterEntries + 10
        for n in 1...count {
            try store.update { _, change throws(OpenAIError) in
                _ = change.nextSequence()
                change.put(FileRecord(id: "file-\(n)", sequence: n, bytes: 0, createdAt: 0, expiresAt: nil, filename: "x",
                                      purpose: "user_data", blob: "shared", contentHash: 0, contentType: nil, dataFormat: nil))
            }
        }
        store.close()
        #expect(FileManager.default.fileExists(atPath: dir + "/snapshot.json"))
        let again = StateStore(clock: VirtualClock())
        try again.open(directory: dir)
        #expect(try again.read { $0.all(FileRecord.self) }.count == count)
        again.close()
    }

    @Test func resetForgetsEverythingAndATemporaryStoreIsRemovedAtClose() throws {
        let store = StateStore(clock: VirtualClock())
        try store.open(directory: nil)
        let dir = try #require(store.directory)
        try add(store, 1, bytes: [9])
        try store.reset()
        #expect(try store.read { $0.all(FileRecord.self) }.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/blobs").isEmpty)
        #expect(try store.update { _, change throws(OpenAIError) in change.nextSequence() } == 1)
        store.close()
        #expect(!FileManager.default.fileExists(atPath: dir))
    }

    @Test func hashesMatchKnownValues() {
        var md5 = MD5()
        md5.update(Array("The quick brown fox jumps over the lazy dog".utf8))
        #expect(md5.hexDigest == "9e107d9d372bb6826bd81d3542a419d6")
        #expect(MD5().hexDigest == "d41d8cd98f00b204e9800998ecf8427e")
        // Content hashes do not depend on how the bytes were split.
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        var whole = ContentHash()
        whole.update(bytes)
        var pieces = ContentHash()
        for piece in stride(from: 0, to: bytes.count, by: 33) { pieces.update(Array(bytes[piece..<min(bytes.count, piece + 33)])) }
        #expect(whole.finalized == pieces.finalized)
        var other = ContentHash()
        other.update(Array(bytes.reversed()))
        #expect(other.finalized != whole.finalized)
    }
}
