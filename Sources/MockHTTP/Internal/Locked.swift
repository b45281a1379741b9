import Synchronization

/// A value guarded by a lock, for the few pieces of state shared between threads
/// (loop inboxes, the connection counter, the server's lifecycle).
///
/// A class (shared by reference between loops and the server) around a `Mutex`, not an
/// `NSLock`: MockHTTP stays free of Foundation. The mutex guards `state` beside it rather than
/// holding it, so `withLock` needs no `sending` values and works for any `State`.
final class Locked<State>: @unchecked Sendable {
    private let mutex = Mutex(())
    private var state: State

    init(_ state: State) { self.state = state }

    @inline(__always)
    func withLock<R, E: Error>(_ body: (inout State) throws(E) -> R) throws(E) -> R {
        try mutex.withLock { _ throws(E) -> R in try body(&state) }
    }
}
