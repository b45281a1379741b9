#if canImport(Glibc)
import Glibc
import CSystem
#elseif canImport(Musl)
import Musl
import CSystem
#elseif canImport(Darwin)
import Darwin
#endif

/// Wakes a loop blocked in its event queue: an eventfd on Linux, a non-blocking pipe elsewhere.
struct Waker: Sendable {
    /// The descriptor the queue watches for readability.
    let readFD: Int32
    /// The descriptor `wake()` writes to (the same eventfd on Linux).
    let writeFD: Int32

    static func make(preferEventFD: Bool = true) throws -> Waker {
        #if os(Linux)
        if preferEventFD {
            let fd = csystem_eventfd_create()
            guard fd >= 0 else { throw systemError("eventfd") }
            return Waker(readFD: fd, writeFD: fd)
        }
        #endif
        var fds: [Int32] = [-1, -1]
        #if os(Linux)
        guard csystem_pipe(&fds) == 0 else { throw systemError("pipe2") }
        #else
        guard pipe(&fds) == 0 else { throw systemError("pipe") }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        #endif
        return Waker(readFD: fds[0], writeFD: fds[1])
    }

    func wake() {
        #if os(Linux)
        if readFD == writeFD {
            _ = csystem_eventfd_signal(writeFD)
            return
        }
        #endif
        var byte: UInt8 = 1
        while true {
            // A full pipe (EAGAIN) already guarantees a pending wake-up.
            if write(writeFD, &byte, 1) >= 0 || errno != EINTR { return }
        }
    }

    /// Consumes pending wake-ups (called by the loop thread when `readFD` is readable).
    func drain() {
        #if os(Linux)
        if readFD == writeFD {
            _ = csystem_eventfd_drain(readFD)
            return
        }
        #endif
        var buffer = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        while true {
            let n = withUnsafeMutableBytes(of: &buffer) { Syscall.read(readFD, $0.baseAddress!, $0.count) }
            if n <= 0 { return }
        }
    }

    func close() {
        Syscall.close(readFD)
        if writeFD != readFD { Syscall.close(writeFD) }
    }
}
