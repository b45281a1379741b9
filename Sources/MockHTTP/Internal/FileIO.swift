#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads over POSIX calls (MockHTTP links no Foundation).
enum FileIO {
    /// A failed file system call: `"open /tmp/x: No such file or directory"`.
    struct Error: Swift.Error, Sendable, Equatable, CustomStringConvertible {
        var call: String
        var path: String
        var errno: Int32
        var description: String { "\(call) \(path): \(Syscall.describe(errno))" }
    }

    /// The whole content of `path` (following symlinks).
    static func read(_ path: String) throws(Error) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Error(call: "open", path: path, errno: errno) }
        defer { Syscall.close(fd) }
        var bytes: [UInt8] = []
        var st = stat()
        if fstat(fd, &st) == 0 && st.st_size > 0 { bytes.reserveCapacity(Int(st.st_size)) }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { Syscall.read(fd, $0.baseAddress!, $0.count) }
            if n == 0 { return bytes }
            guard n > 0 else { throw Error(call: "read", path: path, errno: Int32(-n)) }
            bytes.append(contentsOf: chunk[..<n])
        }
    }
}
