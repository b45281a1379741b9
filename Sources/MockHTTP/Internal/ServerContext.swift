/// What every event loop of one server shares: configuration, handler, the listening socket,
/// the global connection count and the shutdown bookkeeping.
final class ServerContext: Sendable {
    let configuration: HTTPServerConfiguration
    let handler: any HTTPHandler
    let listenerFD: Int32
    let limits: HTTPServerConfiguration.Limits
    let headerTimeoutNanos: UInt64
    let idleTimeoutNanos: UInt64
    let errorResponder: @Sendable (HTTPServerError) -> HTTPResponse
    private let connections = Locked(0)
    /// Largest output queue a connection had when the socket pushed back (tests assert that
    /// backpressure bounds it). Only touched on the EAGAIN path, never per request.
    let peakQueuedOutput = Locked(0)
    /// The loops, in turn, that adopt accepted connections: spreading them round-robin keeps
    /// the loops evenly loaded (whichever loop woke first on the shared listener would
    /// otherwise take a whole burst). Set at start, emptied once the loops have stopped.
    private let peers = Locked<(loops: [EventLoop], next: Int)>(([], 0))
    /// Called once every loop has left its run loop.
    private let lifecycle: Locked<Lifecycle>
    /// Handler tasks still running, and who waits for there to be none (a stopping server).
    private let handlers = Locked<(running: Int, idle: [CheckedContinuation<Void, Never>])>((0, []))

    struct Lifecycle {
        var runningLoops: Int
        var loopsStillListening: Int
        var onAllStopped: (@Sendable () -> Void)?
    }

    init(configuration: HTTPServerConfiguration, handler: any HTTPHandler, listenerFD: Int32,
         loopCount: Int, onAllStopped: @escaping @Sendable () -> Void) {
        self.configuration = configuration
        self.handler = handler
        self.listenerFD = listenerFD
        limits = configuration.limits
        headerTimeoutNanos = Self.nanos(configuration.limits.headerTimeout)
        idleTimeoutNanos = Self.nanos(configuration.limits.idleTimeout)
        errorResponder = configuration.errorResponder
        lifecycle = Locked(Lifecycle(runningLoops: loopCount, loopsStillListening: loopCount,
                                     onAllStopped: onAllStopped))
    }

    func setPeers(_ loops: [EventLoop]) { peers.withLock { $0 = (loops, 0) } }

    /// The loop that should adopt the next accepted connection (nil when stopped).
    func nextPeer() -> EventLoop? {
        peers.withLock { state in
            guard !state.loops.isEmpty else { return nil }
            defer { state.next = (state.next + 1) % state.loops.count }
            return state.loops[state.next]
        }
    }

    static func nanos(_ seconds: Double) -> UInt64 {
        guard seconds > 0 else { return 1 }
        return UInt64(min(seconds, 1e9) * 1e9)
    }

    var connectionCount: Int { connections.withLock { $0 } }

    /// Takes a connection slot; false when `maxConnections` are open.
    func reserveConnection() -> Bool {
        let max = limits.maxConnections
        return connections.withLock { count in
            guard count < max else { return false }
            count += 1
            return true
        }
    }

    func releaseConnection() {
        connections.withLock { $0 -= 1 }
    }

    /// A loop stopped watching the listener; the last one closes it so the port is freed
    /// (and queued connection attempts are refused) as soon as a stop begins.
    func loopStoppedListening() {
        let last = lifecycle.withLock { state -> Bool in
            state.loopsStillListening -= 1
            return state.loopsStillListening == 0
        }
        if last { Syscall.close(listenerFD) }
    }

    func handlerStarted() { handlers.withLock { $0.running += 1 } }

    func handlerEnded() {
        let waiters = handlers.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.running -= 1
            guard state.running == 0 else { return [] }
            defer { state.idle = [] }
            return state.idle
        }
        for waiter in waiters { waiter.resume() }
    }

    var runningHandlers: Int { handlers.withLock { $0.running } }

    /// Returns once no handler task is running.
    func handlersFinished() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = handlers.withLock { state -> Bool in
                guard state.running > 0 else { return true }
                state.idle.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }

    func loopExited() {
        let callback = lifecycle.withLock { state -> (@Sendable () -> Void)? in
            state.runningLoops -= 1
            guard state.runningLoops == 0 else { return nil }
            defer { state.onAllStopped = nil }
            return state.onAllStopped
        }
        callback?()
    }
}
