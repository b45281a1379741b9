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
        LoopThread.start(name: name, stackSize: 512 * 1024) { [self] in run() }
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

    private func run() {
        while true {
            runJobs()
            if isShuttingDown && liveConnections == 0 { break }
            let timeout = waitTimeout()
            let hasJobs = inbox.withLock { state -> Bool in
                if !state.jobs.isEmpty { return true }
                state.sleeping = true
                return false
            }
            if hasJobs { continue }
            queue.wait(timeoutMilliseconds: timeout, into: &events)
            inbox.withLock { $0.sleeping = false }
            now = Syscall.now()
            for event in events { handle(event) }
            if now >= nextSweep { sweep() }
        }
        let leftovers = inbox.withLock { state -> [@Sendable () -> Void] in
            state.exited = true
            defer { state.jobs = [] }
            return state.jobs
        }
        for job in leftovers { job() }  // they find their connections closed and fail cleanly
        if listening { stopListening() }
        if reserveFD >= 0 { Syscall.close(reserveFD) }
        queue.close()
        context.loopExited()
    }

    private func runJobs() {
        inbox.withLock { swap(&$0.jobs, &spareJobs) }
        guard !spareJobs.isEmpty else { return }
        for job in spareJobs { job() }
        spareJobs.removeAll(keepingCapacity: true)
    }

    private func waitTimeout() -> Int32 {
        if liveConnections == 0 && acceptPausedUntil == 0 { return -1 }
        return Int32(sweepInterval / 1_000_000)
    }

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
        for _ in 0..<256 {
            let fd = Syscall.accept(context.listenerFD)
            if fd >= 0 {
                adopt(fd)
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

    private func adopt(_ fd: Int32) {
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

    /// Runs the handler on the cooperative pool and posts its answer back to this loop.
    func runHandler(_ request: HTTPRequest, isHead: Bool, version: HTTPVersion,
                    connection: Connection, serial: UInt64) {
        let handler = context.handler
        Task {
            let response = await handler.handle(request)
            guard case .stream(let produce) = response.body else {
                self.execute { connection.respond(response, isHead: isHead, version: version, serial: serial) }
                return
            }
            let credit = StreamCredit(highWaterMark: self.context.limits.writeHighWaterMark)
            let delivered = self.execute {
                connection.respond(response, isHead: isHead, version: version, serial: serial, credit: credit)
            }
            guard delivered else { return }
            let writer = StreamWriter(connection: connection, serial: serial, credit: credit)
            do {
                try await produce(writer)
                writer.finish()
            } catch {
                await writer.abort()
            }
        }
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
