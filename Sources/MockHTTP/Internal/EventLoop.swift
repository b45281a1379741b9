#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One event loop: a dedicated thread blocked in its `EventQueue`, owning the connections it
/// accepted. Other threads talk to it only through `execute(_:)` (a locked inbox plus a
/// wake-up that is written only when the loop is actually asleep).
final class EventLoop: @unchecked Sendable {
    /// How long a closing connection keeps draining input so its last response arrives intact.
    static let lingerNanos: UInt64 = 1_000_000_000

    let context: ServerContext
    let queue: any EventQueue
    private let waker: Waker
    private let inbox = Locked(Inbox())
    private let name: String

    private struct Inbox {
        var jobs: [@Sendable () -> Void] = []
        var sleeping = false
        var exited = false
    }

    // Loop-thread state.
    private var connections: [Connection?] = []
    private var liveConnections = 0
    private var events: [ReadyEvent] = []
    private var spareJobs: [@Sendable () -> Void] = []
    /// Next job of `spareJobs` to run (jobs run in bounded batches).
    private var jobIndex = 0
    private var timers = TimerHeap()
    private var dueTimers: [LoopTimer] = []
    /// Handlers started on this thread since the loop last polled (see ``inlineHandlerBudget``).
    private var inlineHandlers = 0
    /// Handlers started on this thread since the allocator last gave free memory back.
    private var handlersSinceRelease = 0
    private(set) var isShuttingDown = false
    private var listening = true
    private var acceptPausedUntil: UInt64 = 0
    private var reserveFD: Int32 = -1
    private let sweepInterval: UInt64
    private var nextSweep: UInt64 = 0
    /// Monotonic time of the last wake-up (cheap "now" for deadlines).
    private(set) var now: UInt64 = Syscall.now()
    /// Read buffer shared by all connections of this loop.
    let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    /// Buffer reused to render scheduled chunks (see `takeRenderBuffer`).
    private var renderBuffer: [UInt8] = []

    init(context: ServerContext, kind: EventQueueKind, name: String) throws {
        self.context = context
        self.name = name
        queue = try kind.make()
        waker = queue.waker
        let shortest = min(context.configuration.limits.headerTimeout, context.configuration.limits.idleTimeout)
        sweepInterval = min(max(ServerContext.nanos(shortest / 8), 5_000_000), 250_000_000)
        reserveFD = open("/dev/null", O_RDONLY | O_CLOEXEC)
        do {
            try queue.register(context.listenerFD, .read)
        } catch {
            queue.close()
            throw error
        }
    }

    deinit {
        scratch.deallocate()
    }

    func start() {
        // Handlers may run here (``HTTPServerConfiguration/handlersStartOnLoop``): the stack of a pool
        // thread, so a request's depth limits hold on both (only the pages touched are ever mapped).
        LoopThread.start(name: name, stackSize: context.configuration.handlersStartOnLoop ? 8 << 20 : 512 * 1024) { [self] in run() }
    }

    /// Runs `job` on the loop thread. Returns false (job not run) once the loop has exited.
    @discardableResult
    func execute(_ job: @escaping @Sendable () -> Void) -> Bool {
        let (accepted, wake) = inbox.withLock { state -> (Bool, Bool) in
            guard !state.exited else { return (false, false) }
            state.jobs.append(job)
            guard state.sleeping else { return (true, false) }
            state.sleeping = false
            return (true, true)
        }
        if wake { waker.wake() }
        return accepted
    }

    // MARK: Run loop

    /// Most inbox jobs run per iteration before the loop polls its sockets again, so a flood of
    /// posted work (thousands of streams starting at once) cannot starve accepts and reads
    /// (due timers are checked in between, see ``timerCheckMask``).
    static let jobBatch = 512

    /// Each iteration runs a bounded batch of jobs, then the due timers, then always polls the
    /// event queue — without blocking while jobs or due timers are pending, otherwise until the
    /// nearest timer deadline (or the sweep interval).
    private func run() {
        while true {
            runJobs()
            now = Syscall.now()
            runDueTimers()
            if isShuttingDown && liveConnections == 0 { break }
            var timeout = waitTimeout()
            if timeout < 0 && handlersSinceRelease > 0 {
                // Going idle after handlers ran here: this thread's allocator arena keeps what they freed
                // (megabytes after a burst of streams) unless asked to give it back.
                handlersSinceRelease = 0
                Syscall.releaseFreeMemory()
            }
            if timeout != 0 {
                let hasJobs = jobIndex < spareJobs.count || inbox.withLock { state -> Bool in
                    if !state.jobs.isEmpty { return true }
                    state.sleeping = true
                    return false
                }
                if hasJobs { timeout = 0 }
            }
            queue.wait(timeoutNanoseconds: timeout, into: &events)
            if timeout != 0 { inbox.withLock { $0.sleeping = false } }
            inlineHandlers = 0
            now = Syscall.now()
            for (i, event) in events.enumerated() {
                handle(event)
                if i & Self.timerCheckMask == Self.timerCheckMask { catchUpTimers() }
            }
            if now >= nextSweep { sweep() }
        }
        let leftovers = inbox.withLock { state -> [@Sendable () -> Void] in
            state.exited = true
            defer { state.jobs = [] }
            return state.jobs
        }
        for job in spareJobs[jobIndex...] { job() }
        for job in leftovers { job() }  // they find their connections closed and fail cleanly
        // Jobs capture their loop (`loop.execute { loop.beginShutdown() }`): run ones kept in the
        // batch array would keep this loop alive after it stopped.
        spareJobs = []
        jobIndex = 0
        if listening { stopListening() }
        if reserveFD >= 0 { Syscall.close(reserveFD) }
        queue.close()
        context.loopExited()
    }

    /// Runs up to ``jobBatch`` jobs; the rest wait for the next iteration, after a poll.
    private func runJobs() {
        if jobIndex == spareJobs.count {
            spareJobs.removeAll(keepingCapacity: true)
            jobIndex = 0
            inbox.withLock { swap(&$0.jobs, &spareJobs) }
        }
        let end = min(spareJobs.count, jobIndex + Self.jobBatch)
        while jobIndex < end {
            let job = spareJobs[jobIndex]
            jobIndex += 1
            job()
            if jobIndex & Self.timerCheckMask == 0 { catchUpTimers() }
        }
    }

    /// Timers are also checked after every this-many-plus-one jobs or ready events, so a burst of
    /// other work (hundreds of streams starting at once) delays a paced stream's next event by
    /// a fraction of a millisecond, not by the whole burst.
    static let timerCheckMask = 31

    /// Handlers that start on the loop between two polls; later ones in a burst (thousands of streams
    /// at once) start on the pool, so the answers of the first ones are not held back by the rest.
    static let inlineHandlerBudget = 32

    /// Reads the clock and fires what has come due in the middle of other work.
    private func catchUpTimers() {
        now = Syscall.now()
        runDueTimers()
    }

    private func runDueTimers() {
        timers.popDue(now: now, into: &dueTimers)
        guard !dueTimers.isEmpty else { return }
        for timer in dueTimers { timer.fire() }
        dueTimers.removeAll(keepingCapacity: true)
    }

    /// Nanoseconds to block: 0 with timers already due, otherwise up to the nearest timer and
    /// at most the sweep interval while connections are open; -1 (forever) when there is
    /// nothing to wait for. The queue wakes to the nanosecond where the kernel allows (epoll_pwait2,
    /// kqueue), so a paced stream's events leave on their deadline rather than up to a
    /// millisecond after it.
    private func waitTimeout() -> Int64 {
        var timeout: Int64 = liveConnections == 0 && acceptPausedUntil == 0 ? -1 : Int64(sweepInterval)
        if let deadline = timers.nearestDeadline() {
            let wait = deadline > now ? Int64(clamping: deadline - now) : 0
            if timeout < 0 || wait < timeout { timeout = wait }
        }
        return timeout
    }

    // MARK: Timers

    /// Reads the clock into `now` (a schedule starting mid-iteration measures from the present,
    /// not from the last wake-up, so its first delay is never cut short).
    func refreshNow() -> UInt64 {
        now = Syscall.now()
        return now
    }

    /// Arms `timer` to run on this loop at the absolute monotonic `deadline` (ns), replacing
    /// any earlier arming. Loop thread only.
    func arm(_ timer: LoopTimer, at deadline: UInt64) {
        timers.arm(timer, at: deadline)
    }

    /// Disarms `timer`; its action will not run. Loop thread only.
    func cancel(_ timer: LoopTimer) {
        timers.cancel(timer)
    }

    /// The loop's render buffer, empty, moved out so it can be appended to without a copy.
    /// Loop thread only; hand it back, emptied, with `returnRenderBuffer`.
    func takeRenderBuffer() -> [UInt8] {
        var buffer: [UInt8] = []
        swap(&buffer, &renderBuffer)
        return buffer
    }

    func returnRenderBuffer(_ buffer: [UInt8]) {
        renderBuffer = buffer
    }

    /// Entries in the timer heap, stale ones included (tests check that cancelled timers do
    /// not pile up).
    var timerEntryCount: Int { timers.count }

    private func handle(_ event: ReadyEvent) {
        if event.fd == context.listenerFD {
            if listening { acceptConnections() }
            return
        }
        let index = Int(event.fd)
        guard index < connections.count, let connection = connections[index] else { return }
        if event.writable { connection.onWritable() }
        if event.readable && !connection.isClosed { connection.onReadable() }
        if event.hangup && !event.readable && !connection.isClosed { connection.close() }
    }

    private func sweep() {
        nextSweep = now + sweepInterval
        if acceptPausedUntil != 0 && now >= acceptPausedUntil && listening {
            acceptPausedUntil = 0
            queue.modify(context.listenerFD, from: [], to: .read)
        }
        for case let connection? in connections { connection.checkDeadline(now) }
    }

    // MARK: Accepting

    private func acceptConnections() {
        for i in 0..<256 {
            if i & Self.timerCheckMask == Self.timerCheckMask { catchUpTimers() }
            let fd = Syscall.accept(context.listenerFD)
            if fd >= 0 {
                if let peer = context.nextPeer(), peer !== self {
                    if !peer.execute({ peer.adopt(fd) }) { Syscall.close(fd) }
                } else {
                    adopt(fd)
                }
                continue
            }
            switch -fd {
            case EAGAIN, EWOULDBLOCK:
                return
            case EMFILE, ENFILE:
                shedOneConnection()
                return
            default:
                return  // ENOBUFS, ENOMEM, …: try again on the next readiness
            }
        }
    }

    /// Out of descriptors: free the reserve, accept and close the waiting client (it sees a
    /// clean close rather than hanging in the backlog), then take the reserve back. If that
    /// still fails, stop watching the listener briefly so the loop does not spin.
    private func shedOneConnection() {
        if reserveFD >= 0 {
            Syscall.close(reserveFD)
            reserveFD = -1
            let fd = Syscall.accept(context.listenerFD)
            if fd >= 0 { Syscall.close(fd) }
            reserveFD = open("/dev/null", O_RDONLY | O_CLOEXEC)
            if fd >= 0 && reserveFD >= 0 { return }
        }
        if acceptPausedUntil == 0 {
            acceptPausedUntil = now + 100_000_000
            queue.modify(context.listenerFD, from: .read, to: [])
        }
    }

    /// Takes `fd` into this loop. Loop thread only.
    func adopt(_ fd: Int32) {
        guard context.reserveConnection() else {
            Syscall.close(fd)
            return
        }
        Syscall.setNoDelay(fd)
        let connection = Connection(fd: fd, loop: self, now: now)
        do {
            try queue.register(fd, .read)
        } catch {
            Syscall.close(fd)
            context.releaseConnection()
            return
        }
        let index = Int(fd)
        if index >= connections.count {
            connections.append(contentsOf: repeatElement(nil, count: index + 1 - connections.count + 64))
        }
        connections[index] = connection
        liveConnections += 1
    }

    func connectionClosed(_ connection: Connection) {
        let index = Int(connection.fd)
        if index < connections.count, connections[index] === connection {
            connections[index] = nil
            liveConnections -= 1
            context.releaseConnection()
        }
    }

    // MARK: Handlers

    /// A handler's task body: on the pool once it suspends, whatever the caller's isolation (this package
    /// builds with `NonisolatedNonsendingByDefault`, where an unmarked async closure would not be).
    #if compiler(>=6.2)
    typealias HandlerRun = @concurrent @Sendable () async -> Void
    #else
    typealias HandlerRun = @Sendable () async -> Void
    #endif

    /// Runs the handler on the cooperative pool and posts its answer back to this loop. The task
    /// belongs to the connection: closing the connection cancels it, and the server's stop waits
    /// for it.
    func runHandler(_ request: HTTPRequest, isHead: Bool, version: HTTPVersion,
                    connection: Connection, serial: UInt64) {
        let context = self.context
        context.handlerStarted()
        let onLoop = context.configuration.handlersStartOnLoop && inlineHandlers < Self.inlineHandlerBudget
        if onLoop {
            inlineHandlers += 1
            handlersSinceRelease += 1
        }
        let run: HandlerRun = {
            defer { context.handlerEnded() }
            let response = await context.handler.handle(request)
            guard case .stream(let produce) = response.body else {
                self.execute { connection.respond(response, isHead: isHead, version: version, serial: serial) }
                return
            }
            let credit = StreamCredit(highWaterMark: context.limits.writeHighWaterMark)
            let delivered = self.execute {
                connection.respond(response, isHead: isHead, version: version, serial: serial, credit: credit)
            }
            guard delivered else { return }
            if onLoop { await Task.yield() }  // the events are produced on the pool, never on the loop
            let writer = StreamWriter(connection: connection, serial: serial, credit: credit)
            do {
                try await produce(writer)
                writer.finish()
            } catch {
                await writer.abort()
            }
        }
        #if compiler(>=6.2)  // `Task.immediate` (SE-0472); an older toolchain starts every handler on the pool
        if onLoop, #available(macOS 26.0, *) {
            connection.handlerTask = Task.immediate(operation: run)
            catchUpTimers()  // a paced stream's next event waits for one handler at most
            return
        }
        #endif
        connection.handlerTask = Task(operation: run)
    }

    // MARK: Shutdown

    /// Stops accepting and closes idle connections; busy ones close after their response.
    func beginShutdown() {
        guard !isShuttingDown else { return }
        isShuttingDown = true
        if listening { stopListening() }
        for case let connection? in connections { connection.beginShutdown() }
    }

    /// Grace period over: closes everything still open (stream writers then throw).
    func forceClose() {
        beginShutdown()
        for case let connection? in connections { connection.close() }
    }

    private func stopListening() {
        listening = false
        queue.unregister(context.listenerFD, acceptPausedUntil == 0 ? .read : [])
        context.loopStoppedListening()
    }
}
