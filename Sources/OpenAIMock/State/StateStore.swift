import Synchronization

/// The one home of everything the mock creates at run time — files, uploads, and the jobs,
/// models and objects later features add — owned by the engine and opened by its `start()`.
///
/// In memory it is a ``StoreData`` value behind a lock; on disk, a directory:
/// ```
/// DIR/lock            held (flock) while a server uses DIR: a second one is refused
/// DIR/snapshot.json   every record, replaced atomically when the log is compacted
/// DIR/log.jsonl       one checksummed line per committed change since the snapshot
/// DIR/blobs/NAME      file contents, renamed into place by the change that adopts them
/// DIR/tmp/            contents being written (uploads in progress); emptied at start
/// ```
/// Every change is one ``update(_:)``: the closure reads the current records and describes the
/// change; the store renames adopted blobs into place, appends the change to the log (fsynced
/// when durable), and only then applies it in memory. A change touching several records (a job
/// that creates a model and a result file) is therefore all or nothing, also across `kill -9`.
/// At start the snapshot and log are replayed, a torn last log line is cut off, and blobs no
/// record names (an upload that was cut off) are deleted.
///
/// Without `--state-dir` the directory is a temporary one, not fsynced, removed at stop.
package final class StateStore: Sendable {
    package let clock: VirtualClock
    private let state = Mutex<Opened?>(nil)

    private struct Opened {
        var directory: String
        var temporary: Bool
        var durable: Bool
        var lockFD: Int32
        var log: StoreLog
        var data: StoreData
        var nextTemporary = 0
    }

    /// Counts committed changes (and resets): caches of derived views compare it.
    private let changes = Atomic<Int>(0)
    package var version: Int { changes.load(ordering: .acquiring) }

    package init(clock: VirtualClock) {
        self.clock = clock
    }

    // MARK: Life cycle

    /// Opens `directory` (created if needed; nil: a new temporary directory). Throws when another
    /// process uses it or it cannot be read. A given directory is written durably (fsync) unless
    /// `durable` says otherwise (tests).
    package func open(directory: String?, durable: Bool? = nil) throws(StoreOpenError) {
        let temporary = directory == nil
        let durable = durable ?? !temporary
        let root: String
        do {
            if let directory {
                root = directory
            } else {
                root = try FileSystem.makeTemporaryDirectory(prefix: "openai-mock-state")
            }
            try FileSystem.makeDirectory(root)
            try FileSystem.makeDirectory(root + "/blobs")
            try FileSystem.makeDirectory(root + "/tmp")
        } catch {
            throw .io(error)
        }
        let lock: Int32?
        do { lock = try FileSystem.lockExclusively(root + "/lock") } catch { throw .io(error) }
        guard let lockFD = lock else { throw .locked(root) }
        for name in FileSystem.list(root + "/tmp") { FileSystem.removeTree(root + "/tmp/" + name) }
        let data: StoreData, recordedNow: Int64?, log: StoreLog
        do {
            (data, recordedNow, log) = try StoreLog.open(directory: root, durable: durable)
        } catch {
            closeLock(lockFD)
            if temporary { FileSystem.removeTree(root) }
            throw error
        }
        // Contents no record names: uploads cut off by a crash, deletions not finished.
        for name in FileSystem.list(root + "/blobs") where !data.isReferenced(name) {
            FileSystem.remove(root + "/blobs/" + name)
        }
        if let recordedNow { clock.restore(atLeast: recordedNow) }
        state.withLock {
            $0 = Opened(directory: root, temporary: temporary, durable: durable, lockFD: lockFD, log: log, data: data)
        }
    }

    /// Closes the log, releases the directory (removing it when temporary). A kept directory gets a
    /// final snapshot that also records how far the clock went.
    package func close() {
        guard let opened = state.withLock({ s -> Opened? in defer { s = nil }; return s }) else { return }
        if !opened.temporary { try? opened.log.compact(opened.data, now: clock.nowMillis()) }
        opened.log.close()
        closeLock(opened.lockFD)
        if opened.temporary { FileSystem.removeTree(opened.directory) }
    }

    private func closeLock(_ fd: Int32) { FileSystem.closeDescriptor(fd) }

    package var isOpen: Bool { state.withLock { $0 != nil } }

    /// The directory in use (nil when closed).
    package var directory: String? { state.withLock { $0?.directory } }

    // MARK: Reading and changing

    /// A consistent view of every record.
    package func read<R>(_ body: (StoreData) throws(OpenAIError) -> R) throws(OpenAIError) -> R {
        let data = try state.withLock { s throws(OpenAIError) -> StoreData in
            guard let s else { throw Self.notStarted }
            return s.data
        }
        return try body(data)
    }

    /// One atomic change. `body` reads the records and fills in the change (or throws to abort:
    /// nothing is written). Updates are serialised: `body` sees every earlier change.
    @discardableResult
    package func update<R>(_ body: (StoreData, inout StoreChange) throws(OpenAIError) -> R) throws(OpenAIError) -> R {
        let (result, orphaned, directory) = try state.withLock { s throws(OpenAIError) -> (R, [String], String) in
            guard var opened = s else { throw Self.notStarted }
            var change = StoreChange(after: opened.data.sequence)
            let result = try body(opened.data, &change)
            guard !change.isEmpty else { return (result, [], opened.directory) }
            let orphaned = try Self.commit(change, into: &opened, now: clock.nowMillis())
            s = opened
            changes.add(1, ordering: .releasing)
            return (result, orphaned, opened.directory)
        }
        for blob in orphaned { FileSystem.remove(directory + "/blobs/" + blob) }
        return result
    }

    private static func commit(_ change: StoreChange, into opened: inout Opened, now: Int64) throws(OpenAIError) -> [String] {
        var renamed: [(BlobFile, String)] = []
        do {
            for (blob, name) in change.adoptions {
                let destination = opened.directory + "/blobs/" + name
                try FileSystem.rename(blob.path, to: destination)
                renamed.append((blob, destination))
            }
            if opened.durable && !renamed.isEmpty { FileSystem.syncDirectory(of: opened.directory + "/blobs/x") }
            try opened.log.append(change.logEntry(now: now))
        } catch {
            for (blob, destination) in renamed { try? FileSystem.rename(destination, to: blob.path) }
            throw OpenAIError.storageFailure(error)
        }
        for (blob, _) in renamed { blob.markAdopted() }
        var orphaned: [String] = []
        for op in change.operations { orphaned += opened.data.apply(op) }
        opened.data.advanceSequence(to: change.sequence)
        if opened.log.wantsCompaction { try? opened.log.compact(opened.data, now: now) }
        return orphaned.filter { !opened.data.isReferenced($0) }
    }

    /// Records the clock's time without changing anything (after the clock was moved by hand), so a
    /// restart goes on from there.
    package func recordClock() throws(OpenAIError) {
        try state.withLock { s throws(OpenAIError) in
            guard let opened = s else { throw Self.notStarted }
            let entry = JSONValue.object(JSONObject([("seq", .int(opened.data.sequence)), ("now", .int(Int(clock.nowMillis()))),
                                                     ("ops", .array([]))]))
            do { try opened.log.append(entry) } catch { throw OpenAIError.storageFailure(error) }
        }
    }

    /// Forgets every record and content (`POST /_mock/reset`): the store is as new.
    package func reset() throws(OpenAIError) {
        let directory = try state.withLock { s throws(OpenAIError) -> String in
            guard var opened = s else { throw Self.notStarted }
            opened.data.removeAll()
            do {
                try opened.log.compact(opened.data, now: clock.nowMillis())
            } catch {
                throw OpenAIError.storageFailure(error)
            }
            s = opened
            changes.add(1, ordering: .releasing)
            return opened.directory
        }
        for name in FileSystem.list(directory + "/blobs") { FileSystem.remove(directory + "/blobs/" + name) }
    }

    // MARK: Blobs

    /// A new content file in the store's temporary area (written off the loop threads by the
    /// caller, adopted by a committed change).
    package func newBlob() throws(OpenAIError) -> BlobFile {
        let (path, durable) = try state.withLock { s throws(OpenAIError) -> (String, Bool) in
            guard s != nil else { throw Self.notStarted }
            s!.nextTemporary += 1
            return ("\(s!.directory)/tmp/blob-\(s!.nextTemporary)", s!.durable)
        }
        do {
            return try BlobFile(path: path, durable: durable)
        } catch {
            throw OpenAIError.storageFailure(error)
        }
    }

    /// Opens an adopted blob for reading (nil when it does not exist).
    package func openBlob(_ name: String) -> ReadableFile? {
        guard let directory else { return nil }
        return try? ReadableFile(directory + "/blobs/" + name)
    }

    private static let notStarted = OpenAIError(status: 503, message: "The mock's state store is not open: start the engine first.",
                                                type: "server_error")
}

extension OpenAIError {
    /// The disk failed under a write: the client's request was fine, so a 5xx.
    static func storageFailure(_ error: any Error) -> OpenAIError {
        OpenAIError(status: 500, message: "The server had an error while saving your request (\(error)). Sorry about that!",
                    type: "server_error")
    }
}
