/// Why ``HTTPServer/start()`` failed.
public enum HTTPServerStartError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Another socket is already bound to the address.
    case addressInUse(host: String, port: Int)
    /// `host` is not a numeric address or a resolvable name.
    case invalidAddress(host: String, port: Int, reason: String)
    /// A system call failed (socket, bind, listen, epoll, thread creation…).
    case systemError(call: String, errno: Int32, message: String)
    /// `start()` was called twice.
    case alreadyStarted

    public var description: String {
        switch self {
        case let .addressInUse(host, port):
            return "cannot listen on \(host):\(port): address already in use"
        case let .invalidAddress(host, port, reason):
            return "cannot listen on \(host):\(port): \(reason)"
        case let .systemError(call, errno, message):
            return "\(call) failed: \(message) (errno \(errno))"
        case .alreadyStarted:
            return "the server is already started"
        }
    }
}
