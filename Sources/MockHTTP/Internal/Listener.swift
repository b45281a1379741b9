#if canImport(Glibc)
import Glibc
import CSystem
#elseif canImport(Musl)
import Musl
import CSystem
#elseif canImport(Darwin)
import Darwin
#endif

/// The listening socket: resolved, bound, non-blocking. Shared by every event loop (each
/// registers it and accepts until `EAGAIN`).
struct Listener {
    let fd: Int32
    let port: Int

    static func open(host: String, port: Int, backlog: Int32 = 1024) throws -> Listener {
        guard (0...65535).contains(port) else {
            throw HTTPServerStartError.invalidAddress(host: host, port: port, reason: "port out of range")
        }
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_family = AF_UNSPEC
        #if canImport(Darwin)
        hints.ai_socktype = SOCK_STREAM
        #else
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host.isEmpty ? nil : host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            let reason = rc == 0 ? "no address" : String(cString: gai_strerror(rc))
            throw HTTPServerStartError.invalidAddress(host: host, port: port, reason: reason)
        }
        defer { freeaddrinfo(list) }

        var lastError = HTTPServerStartError.invalidAddress(host: host, port: port, reason: "no usable address")
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            cursor = info.pointee.ai_next
            do {
                return try bindAndListen(info.pointee, host: host, port: port, backlog: backlog)
            } catch let error as HTTPServerStartError {
                lastError = error
                if case .addressInUse = error { break }
            }
        }
        throw lastError
    }

    private static func bindAndListen(_ info: addrinfo, host: String, port: Int, backlog: Int32) throws -> Listener {
        #if os(Linux)
        let fd = csystem_socket_nonblocking(info.ai_family, info.ai_socktype)
        #else
        let fd = socket(info.ai_family, info.ai_socktype, 0)
        #endif
        guard fd >= 0 else { throw systemError("socket") }
        #if canImport(Darwin)
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        #endif
        Syscall.setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1)
        if info.ai_family == AF_INET6 {
            Syscall.setOption(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, 1)
        }
        guard bind(fd, info.ai_addr, info.ai_addrlen) == 0 else {
            let e = errno
            Syscall.close(fd)
            if e == EADDRINUSE { throw HTTPServerStartError.addressInUse(host: host, port: port) }
            throw HTTPServerStartError.systemError(call: "bind", errno: e, message: Syscall.describe(e))
        }
        guard listen(fd, backlog) == 0 else {
            let error = systemError("listen")
            Syscall.close(fd)
            throw error
        }
        return Listener(fd: fd, port: boundPort(fd) ?? port)
    }

    private static func boundPort(_ fd: Int32) -> Int? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) == 0 }
        }
        guard ok else { return nil }
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
            }
        case AF_INET6:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
            }
        default:
            return nil
        }
    }
}

func systemError(_ call: String) -> HTTPServerStartError {
    let e = errno
    return .systemError(call: call, errno: e, message: Syscall.describe(e))
}
