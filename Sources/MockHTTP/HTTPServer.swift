/// An HTTP/1.1 server: event loops on dedicated threads (epoll / kqueue / poll), handlers on
/// Swift tasks. Knows nothing of what it serves; see ``HTTPHandler``.
///
/// ```swift
/// let server = HTTPServer(configuration: .init(port: 0), handler: myHandler)
/// try server.start()
/// print(server.port)
/// await server.stop()
/// ```
public final class HTTPServer: Sendable {
    public let configuration: HTTPServerConfiguration
    private let handler: any HTTPHandler
    private let queueKind: EventQueueKind
    private let state = Locked(State())

    private struct State {
        var phase = Phase.idle
        var port: Int?
        var context: ServerContext?
        var loops: [EventLoop] = []
        var stopWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private enum Phase { case idle, running, stopping, stopped }

    public convenience init(configuration: HTTPServerConfiguration, handler: any HTTPHandler) {
        self.init(configuration: configuration, handler: handler, queueKind: .native)
    }

    /// Lets tests run the portable `poll(2)` backend on Linux too.
    init(configuration: HTTPServerConfiguration, handler: any HTTPHandler, queueKind: EventQueueKind) {
        self.configuration = configuration
        self.handler = handler
        self.queueKind = queueKind
    }

    /// The bound port (the real one when configured with port 0); the configured port before `start()`.
    public var port: Int {
        state.withLock { $0.port } ?? configuration.port
    }

    /// Open client connections across all loops.
    public var connectionCount: Int {
        state.withLock { $0.context }?.connectionCount ?? 0
    }

    /// The most bytes ever queued for one connection while its client was not reading.
    var peakQueuedOutput: Int {
        state.withLock { $0.context }?.peakQueuedOutput.withLock { $0 } ?? 0
    }

    /// The running event loops (tests drive loop timers directly).
    var eventLoops: [EventLoop] {
        state.withLock { $0.loops }
    }

    /// Binds, listens and starts the event loops. Throws ``HTTPServerStartError``.
    public func start() throws {
        try state.withLock { state in
            guard state.phase == .idle else { throw HTTPServerStartError.alreadyStarted }
            Syscall.ignoreSIGPIPE()
            let listener = try Listener.open(host: configuration.host, port: configuration.port)
            let count = configuration.eventLoopCount > 0
                ? configuration.eventLoopCount
                : max(1, ProcessorCount.active)
            let context = ServerContext(configuration: configuration, handler: handler,
                                        listenerFD: listener.fd, loopCount: count,
                                        onAllStopped: { [weak self] in self?.allLoopsStopped() })
            var loops: [EventLoop] = []
            do {
                for i in 0..<count {
                    loops.append(try EventLoop(context: context, kind: queueKind, name: "mockhttp-loop-\(i)"))
                }
            } catch {
                Syscall.close(listener.fd)
                throw error
            }
            state.phase = .running
            state.port = listener.port
            state.context = context
            state.loops = loops
            context.setPeers(loops)
            for loop in loops { loop.start() }
        }
    }

    /// Stops accepting at once, lets in-flight requests and streams finish for up to
    /// `gracePeriod` seconds, then closes every connection (which cancels their handler tasks),
    /// waits for the loops to exit and for the handler tasks to end. A handler that ignores
    /// cancellation is waited for half a second at most: stop returns within the grace period and
    /// that half second.
    public func stop(gracePeriod: Double = 5) async {
        let (loops, context) = state.withLock { state -> ([EventLoop], ServerContext?) in
            guard state.phase == .running else { return ([], nil) }
            state.phase = .stopping
            return (state.loops, state.context)
        }
        guard !loops.isEmpty, let context else {
            await waitUntilStopped()
            return
        }
        for loop in loops { loop.execute { loop.beginShutdown() } }
        // A timer, not a task group: a group would wait for its `waitUntilStopped` child,
        // which cannot finish before the force-close that the group itself should trigger.
        let timer = Task {
            try await Task.sleep(nanoseconds: ServerContext.nanos(gracePeriod))
            for loop in loops { loop.execute { loop.forceClose() } }
        }
        await waitUntilStopped()
        timer.cancel()
        await Self.wait(atMost: 0.5) { await context.handlersFinished() }
    }

    /// Handler tasks still running (tests check that stop leaves none behind).
    var runningHandlers: Int { state.withLock { $0.context }?.runningHandlers ?? 0 }

    /// Awaits `work` for at most `seconds` (the work itself goes on if it takes longer).
    private static func wait(atMost seconds: Double, for work: @escaping @Sendable () async -> Void) async {
        let (done, finish) = AsyncStream<Void>.makeStream()
        let worker = Task {
            await work()
            finish.yield()
        }
        let timer = Task {
            try? await Task.sleep(nanoseconds: ServerContext.nanos(seconds))
            finish.yield()
        }
        for await _ in done { break }
        timer.cancel()
        _ = worker
    }

    /// Returns once the server has stopped (immediately if it never started).
    public func waitUntilStopped() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let waiting = state.withLock { state -> Bool in
                guard state.phase == .running || state.phase == .stopping else { return false }
                state.stopWaiters.append(continuation)
                return true
            }
            if !waiting { continuation.resume() }
        }
    }

    private func allLoopsStopped() {
        let context = state.withLock { $0.context }
        context?.setPeers([])  // the loops and their context no longer refer to each other
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.phase = .stopped
            state.loops = []
            defer { state.stopWaiters = [] }
            return state.stopWaiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
