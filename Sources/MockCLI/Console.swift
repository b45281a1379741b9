#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Unbuffered output and the port file over POSIX calls, so the executable links no
/// Foundation (`FileHandle`, `String.write(toFile:)`) and stays small in memory.
enum Console {
    /// Writes `text` to standard error at once (no stdio buffering).
    static func error(_ text: String) { write(text, to: STDERR_FILENO) }

    /// Writes `text` to standard output at once: a script reading the "listening" line sees it
    /// without waiting for a buffer to fill.
    static func output(_ text: String) { write(text, to: STDOUT_FILENO) }

    static func write(_ text: String, to fd: Int32) {
        var text = text
        _ = text.withUTF8 { writeAll(fd, UnsafeRawBufferPointer($0)) }  // nowhere to report to
    }

    /// Replaces `path` atomically (a temporary file beside it, then rename), created with mode
    /// 0666 less the umask. Throws the reason, e.g. "No such file or directory".
    static func writeFileAtomically(_ text: String, to path: String) throws(FileWriteError) {
        let temporary = "\(path).tmp-\(getpid())"
        unlink(temporary)  // a leftover of an earlier process that had this pid
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw FileWriteError(errno: errno) }
        var text = text
        var failure = text.withUTF8 { writeAll(fd, UnsafeRawBufferPointer($0)) } ? 0 : errno
        if close(fd) != 0 && failure == 0 { failure = errno }
        if failure == 0 && rename(temporary, path) != 0 { failure = errno }
        if failure != 0 {
            unlink(temporary)
            throw FileWriteError(errno: failure)
        }
    }

    struct FileWriteError: Error, CustomStringConvertible {
        var errno: Int32
        var description: String { String(cString: strerror(errno)) }
    }

    /// Retries short writes and `EINTR`; false on any other failure (`errno` says why).
    private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            #if canImport(Darwin)
            let n = Darwin.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            #else
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            #endif
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }
}
