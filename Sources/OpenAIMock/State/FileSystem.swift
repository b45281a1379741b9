#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed file system call: `"open /tmp/x: No such file or directory"`.
public struct FileSystemError: Error, Sendable, Equatable, CustomStringConvertible {
    public var call: String
    public var path: String
    public var errno: Int32
    public var description: String { "\(call) \(path): \(String(cString: strerror(errno)))" }
}

/// The file system calls the state store needs, over POSIX (the serving library links no
/// Foundation). Durable writes are temp file + fsync + rename + fsync of the directory.
package enum FileSystem {
    static func fail(_ call: String, _ path: String) -> FileSystemError {
        FileSystemError(call: call, path: path, errno: errno)
    }

    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    /// Creates `path` (mode 0700) unless it is already a directory.
    static func makeDirectory(_ path: String) throws(FileSystemError) {
        if mkdir(path, 0o700) == 0 || (errno == EEXIST && isDirectory(path)) { return }
        throw fail("mkdir", path)
    }

    /// A new, empty, private directory under `$TMPDIR` (or /tmp).
    static func makeTemporaryDirectory(prefix: String) throws(FileSystemError) -> String {
        let base = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(base)/\(prefix)-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else { throw fail("mkdtemp", base) }
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Names in `directory` (not `.`/`..`), sorted; empty when it cannot be read.
    static func list(_ directory: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Removes `path` and, if it is a directory, everything below it (symlinks are not followed).
    static func removeTree(_ path: String) {
        var st = stat()
        guard lstat(path, &st) == 0 else { return }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            for name in list(path) { removeTree(path + "/" + name) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }

    static func remove(_ path: String) { unlink(path) }

    static func closeDescriptor(_ fd: Int32) { _ = systemClose(fd) }

    /// The whole file.
    static func read(_ path: String) throws(FileSystemError) -> [UInt8] {
        let file = try ReadableFile(path)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(file.size)
        while let chunk = try file.read(max: 1 << 20) { bytes.append(contentsOf: chunk) }
        return bytes
    }

    /// Replaces `path` with `bytes` atomically: a reader sees the old or the new content, never a
    /// mix, even after a crash; with `durable`, the new content is on disk when this returns.
    static func writeAtomically(_ bytes: [UInt8], to path: String, durable: Bool) throws(FileSystemError) {
        let temporary = path + ".tmp"
        let file = try WritableFile(creating: temporary)
        do throws(FileSystemError) {
            try file.write(bytes)
            if durable { try file.sync() }
            try file.close()
            try rename(temporary, to: path)
            if durable { syncDirectory(of: path) }
        } catch {
            file.closeQuietly()
            unlink(temporary)
            throw error
        }
    }

    static func rename(_ from: String, to: String) throws(FileSystemError) {
        guard systemRename(from, to) == 0 else { throw fail("rename", to) }
    }

    /// Makes a rename or creation in the directory holding `path` durable.
    static func syncDirectory(of path: String) {
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let fd = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    /// Takes an exclusive advisory lock on `path` (created if needed) for the life of the process
    /// or until the returned descriptor is closed; nil when another process holds it.
    static func lockExclusively(_ path: String) throws(FileSystemError) -> Int32? {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw fail("open", path) }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 { return fd }
        let busy = errno == EWOULDBLOCK
        let failure = fail("flock", path)
        close(fd)
        if busy { return nil }
        throw failure
    }
}

/// A file opened for writing; written with retries on short writes and EINTR.
package final class WritableFile: @unchecked Sendable {
    let path: String
    private var fd: Int32

    /// Creates a new file; fails if it exists.
    init(creating path: String) throws(FileSystemError) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw FileSystem.fail("open", path) }
    }

    /// Opens an existing file for appending.
    init(appendingTo path: String) throws(FileSystemError) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw FileSystem.fail("open", path) }
    }

    func write(_ bytes: [UInt8]) throws(FileSystemError) {
        let failure = bytes.withUnsafeBytes { raw -> FileSystemError? in
            do throws(FileSystemError) { try write(raw) } catch { return error }
            return nil
        }
        if let failure { throw failure }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(FileSystemError) {
        var offset = 0
        while offset < bytes.count {
            let n = systemWrite(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw FileSystem.fail("write", path)
            }
            offset += n
        }
    }

    func sync() throws(FileSystemError) {
        guard fsync(fd) == 0 else { throw FileSystem.fail("fsync", path) }
    }

    func truncate(to length: Int) throws(FileSystemError) {
        guard ftruncate(fd, off_t(length)) == 0 else { throw FileSystem.fail("ftruncate", path) }
    }

    func close() throws(FileSystemError) {
        guard fd >= 0 else { return }
        let rc = systemClose(fd)
        fd = -1
        guard rc == 0 else { throw FileSystem.fail("close", path) }
    }

    func closeQuietly() {
        if fd >= 0 { _ = systemClose(fd) }
        fd = -1
    }

    deinit { closeQuietly() }
}

/// A file opened for reading in chunks (a file's content served to a client, a blob read back).
/// Once open it stays readable even if the file is deleted meanwhile.
package final class ReadableFile: @unchecked Sendable {
    let path: String
    let size: Int
    private var fd: Int32

    init(_ path: String) throws(FileSystemError) {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystem.fail("open", path) }
        var st = stat()
        size = fstat(fd, &st) == 0 ? Int(st.st_size) : 0
    }

    /// Up to `max` bytes, or nil at the end of the file.
    func read(max: Int) throws(FileSystemError) -> [UInt8]? {
        var chunk = [UInt8](repeating: 0, count: max)
        while true {
            let n = chunk.withUnsafeMutableBytes { raw in systemRead(fd, raw.baseAddress!, raw.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileSystem.fail("read", path)
            }
            if n == 0 { return nil }
            chunk.removeLast(max - n)
            return chunk
        }
    }

    func close() {
        if fd >= 0 { _ = systemClose(fd) }
        fd = -1
    }

    deinit { close() }
}

#if canImport(Glibc)
private let systemClose = Glibc.close
private let systemRead = Glibc.read
private let systemWrite = Glibc.write
private let systemRename = Glibc.rename
#elseif canImport(Musl)
private let systemClose = Musl.close
private let systemRead = Musl.read
private let systemWrite = Musl.write
private let systemRename = Musl.rename
#elseif canImport(Darwin)
private let systemClose = Darwin.close
private let systemRead = Darwin.read
private let systemWrite = Darwin.write
private let systemRename = Darwin.rename
#endif
