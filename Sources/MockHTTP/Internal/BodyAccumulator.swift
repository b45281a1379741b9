#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Collects a request body: in memory up to `threshold` bytes, then spooled to a temporary
/// file as it arrives, so a 512 MB upload never sits in memory. Enforces the body limit.
struct BodyAccumulator {
    private var memory: [UInt8] = []
    private var fileFD: Int32 = -1
    private var filePath = ""
    private(set) var count = 0
    let threshold: Int
    let limit: Int
    let directory: String

    init(expected: Int?, threshold: Int, limit: Int, directory: String) {
        self.threshold = threshold
        self.limit = limit
        self.directory = directory
        if let expected, expected <= threshold { memory.reserveCapacity(expected) }
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) throws(HTTPServerError) {
        guard !bytes.isEmpty else { return }
        guard count + bytes.count <= limit else { throw .payloadTooLarge(limit: limit) }
        count += bytes.count
        if fileFD < 0 && count > threshold {
            try openSpool()
        }
        if fileFD >= 0 {
            try writeAll(bytes)
        } else {
            memory.append(contentsOf: bytes)
        }
    }

    /// The finished body; the accumulator must not be used afterwards.
    mutating func finish() -> HTTPBody {
        guard fileFD >= 0 else { return .bytes(memory) }
        Syscall.close(fileFD)
        fileFD = -1
        return .file(TemporaryFile(path: filePath, size: count))
    }

    /// Drops a half-received body (connection closed or request rejected).
    mutating func discard() {
        memory = []
        if fileFD >= 0 {
            Syscall.close(fileFD)
            unlink(filePath)
            fileFD = -1
        }
    }

    private mutating func openSpool() throws(HTTPServerError) {
        var template = Array("\(directory)/mockhttp-body-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw .badRequest("cannot spool request body: \(Syscall.describe(errno))") }
        fileFD = fd
        filePath = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let buffered = memory
        memory = []
        // `count` already includes the new bytes; the buffered part goes first.
        let failure = buffered.withUnsafeBytes { raw -> HTTPServerError? in
            do throws(HTTPServerError) {
                try writeAll(raw)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws(HTTPServerError) {
        var offset = 0
        while offset < bytes.count {
            let n = write(fileFD, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw .badRequest("cannot spool request body: \(Syscall.describe(errno))")
            }
            offset += n
        }
    }
}
