/// The content of a file being written into the store: a new file in the store's temporary
/// area, hashed as it is written (its id derives from the hash). A committed ``StoreChange``
/// adopts it under its final name by renaming it — the bytes are written once. Dropped without
/// being adopted, it is removed.
package final class BlobFile: @unchecked Sendable {
    let path: String
    private let file: WritableFile
    private let durable: Bool
    private(set) var hash = ContentHash()
    private(set) var size = 0
    private var adopted = false

    init(path: String, durable: Bool) throws(FileSystemError) {
        self.path = path
        self.durable = durable
        file = try WritableFile(creating: path)
    }

    /// Appends bytes (blocking: call it through ``BlockingIO``).
    func write(_ bytes: UnsafeRawBufferPointer) throws(FileSystemError) {
        try file.write(bytes)
        hash.update(bytes)
        size += bytes.count
    }

    func write(_ bytes: [UInt8]) throws(FileSystemError) {
        let failure = bytes.withUnsafeBytes { raw -> FileSystemError? in
            do throws(FileSystemError) { try write(raw) } catch { return error }
            return nil
        }
        if let failure { throw failure }
    }

    /// Flushes to disk (in a durable store) and closes; the blob is ready to be adopted.
    func finish() throws(FileSystemError) {
        if durable { try file.sync() }
        try file.close()
    }

    /// Called by the store when a commit renamed the file into place.
    func markAdopted() { adopted = true }

    deinit {
        file.closeQuietly()
        if !adopted { FileSystem.remove(path) }
    }
}
