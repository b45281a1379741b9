#if canImport(Glibc)
import Glibc
import CSystem
#elseif canImport(Musl)
import Musl
import CSystem
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin wrappers over the socket system calls. Each retries on `EINTR` and reports other
/// failures as a negative errno, so callers can switch on `EAGAIN` without touching `errno`.
enum Syscall {
    /// `read(2)`: bytes read, 0 at end of stream, or `-errno`.
    @inline(__always)
    static func read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
        while true {
            let n = systemRead(fd, buffer, count)
            if n >= 0 { return n }
            let e = errno
            if e != EINTR { return -Int(e) }
        }
    }

    /// `send(2)` without SIGPIPE: bytes written or `-errno`.
    @inline(__always)
    static func send(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
        while true {
            #if os(Linux)
            let n = csystem_send(fd, buffer, count)
            #else
            let n = Darwin.send(fd, buffer, count, 0)  // SO_NOSIGPIPE is set on every socket
            #endif
            if n >= 0 { return n }
            let e = errno
            if e != EINTR { return -Int(e) }
        }
    }

    /// `accept4` with non-blocking + close-on-exec: the new fd or `-errno`.
    static func accept(_ fd: Int32) -> Int32 {
        while true {
            #if os(Linux)
            let c = csystem_accept(fd)
            #else
            let c = Darwin.accept(fd, nil, nil)
            if c >= 0 {
                _ = fcntl(c, F_SETFL, fcntl(c, F_GETFL) | O_NONBLOCK)
                _ = fcntl(c, F_SETFD, FD_CLOEXEC)
                var one: Int32 = 1
                setsockopt(c, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
            }
            #endif
            if c >= 0 { return c }
            let e = errno
            if e != EINTR && e != ECONNABORTED { return -e }
        }
    }

    static func close(_ fd: Int32) {
        // close(2) must not be retried on EINTR on Linux: the descriptor is already gone.
        #if canImport(Darwin)
        _ = Darwin.close(fd)
        #else
        _ = Glibc.close(fd)
        #endif
    }

    static func shutdownWrite(_ fd: Int32) {
        #if canImport(Darwin)
        _ = Darwin.shutdown(fd, Int32(SHUT_WR))
        #else
        _ = Glibc.shutdown(fd, Int32(SHUT_WR))
        #endif
    }

    static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32) {
        var v = value
        _ = setsockopt(fd, level, name, &v, socklen_t(MemoryLayout<Int32>.size))
    }

    static func setNoDelay(_ fd: Int32) {
        setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
    }

    /// `SO_LINGER` with a zero timeout: the next close sends RST instead of FIN.
    static func setLingerZero(_ fd: Int32) {
        var l = linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
    }

    /// Monotonic time in nanoseconds.
    @inline(__always)
    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// Gives the allocator's free pages back to the system (glibc's `malloc_trim`; nothing elsewhere).
    static func releaseFreeMemory() {
        #if os(Linux)
        csystem_release_free_memory()
        #endif
    }

    /// True for `-EAGAIN` / `-EWOULDBLOCK` results.
    @inline(__always)
    static func wouldBlock(_ result: Int) -> Bool {
        result == -Int(EAGAIN) || result == -Int(EWOULDBLOCK)
    }

    static func describe(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// Ignores SIGPIPE for the whole process (defensive: sends never raise it anyway).
    static func ignoreSIGPIPE() {
        #if os(Linux)
        csystem_ignore_sigpipe()
        #else
        signal(SIGPIPE, SIG_IGN)
        #endif
    }
}

@inline(__always)
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Darwin)
    return Darwin.read(fd, buffer, count)
    #else
    return Glibc.read(fd, buffer, count)
    #endif
}
