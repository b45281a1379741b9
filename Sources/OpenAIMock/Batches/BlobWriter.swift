import Synchronization

/// Writes a new blob in pieces off the loop threads, a megabyte at a time, so that a large batch's
/// files never sit whole in memory.
final class BlobWriter: Sendable {
    private let blob: BlobFile
    private let buffer = Mutex<[UInt8]>([])
    private static let flushBytes = 1 << 20

    init(_ blob: BlobFile) { self.blob = blob }

    func append(_ bytes: [UInt8]) async throws(OpenAIError) {
        let full = buffer.withLock { b -> [UInt8]? in
            b += bytes
            guard b.count >= Self.flushBytes else { return nil }
            defer { b = [] }
            return b
        }
        if let full { try await write(full) }
    }

    /// Writes what is left and closes the blob, ready to be adopted.
    func finish() async throws(OpenAIError) -> BlobFile {
        let rest = buffer.withLock { b -> [UInt8] in
            defer { b = [] }
            return b
        }
        try await write(rest, finishing: true)
        return blob
    }

    private func write(_ bytes: [UInt8], finishing: Bool = false) async throws(OpenAIError) {
        let blob = self.blob
        do {
            try await BlockingIO.run { () throws(FileSystemError) in
                if !bytes.isEmpty { try blob.write(bytes) }
                if finishing { try blob.finish() }
            }
        } catch {
            throw OpenAIError.storageFailure(error)
        }
    }
}
