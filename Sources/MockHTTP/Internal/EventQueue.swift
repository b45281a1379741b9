/// Which readiness a descriptor is registered for.
struct Interest: OptionSet, Sendable {
    let rawValue: UInt8
    static let read = Interest(rawValue: 1)
    static let write = Interest(rawValue: 2)
}

/// One readiness notification. `hangup` reports errors / full hang-ups; a readable socket
/// at end-of-stream is reported as `readable` (the read then returns 0).
struct ReadyEvent {
    var fd: Int32
    var readable: Bool
    var writable: Bool
    var hangup: Bool
}

/// The readiness backend of one event loop: epoll on Linux, kqueue on Darwin, `poll(2)`
/// anywhere. All methods except ``Waker/wake()`` are called on the loop's own thread only.
/// Registrations are level-triggered.
protocol EventQueue: AnyObject {
    /// Thread-safe handle that interrupts a blocked ``wait(timeoutNanoseconds:into:)``.
    var waker: Waker { get }
    func register(_ fd: Int32, _ interest: Interest) throws
    func modify(_ fd: Int32, from old: Interest, to new: Interest)
    func unregister(_ fd: Int32, _ current: Interest)
    /// Blocks until something is ready, the waker fires, or the timeout (-1 = none) passes;
    /// a backend that cannot wait for less than a millisecond rounds the timeout up, never
    /// down. Replaces the content of `events`; wake-ups are consumed and not reported.
    func wait(timeoutNanoseconds: Int64, into events: inout [ReadyEvent])
    func close()
}

extension Int64 {
    /// A wait timeout in whole milliseconds for `poll`-style calls: rounded up (a deadline is
    /// never woken for early), -1 kept as "no limit".
    var roundedUpMilliseconds: Int32 {
        guard self >= 0 else { return -1 }
        return Int32(clamping: (self + 999_999) / 1_000_000)
    }
}

enum EventQueueKind: Sendable {
    /// epoll on Linux, kqueue on Darwin.
    case native
    /// `poll(2)`: portable fallback (and tested on Linux so it does not rot).
    case poll

    func make() throws -> any EventQueue {
        switch self {
        case .native:
            #if os(Linux)
            return try EpollQueue()
            #elseif canImport(Darwin)
            return try KqueueQueue()
            #else
            return try PollQueue()
            #endif
        case .poll:
            return try PollQueue()
        }
    }
}
