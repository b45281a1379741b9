import Foundation

/// A value guarded by a lock, for the few pieces of state shared between threads
/// (loop inboxes, the connection counter, the server's lifecycle).
final class Locked<State>: @unchecked Sendable {
    private var state: State
    private let lock = NSLock()

    init(_ state: State) { self.state = state }

    @inline(__always)
    func withLock<R>(_ body: (inout State) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&state)
    }
}
