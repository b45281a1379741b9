import Dispatch
import MockHTTP
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Text for stderr (the request log, reload reports) without ever blocking the caller: lines go into a
/// bounded buffer that one dedicated thread writes out. A reader that stops draining the pipe — a test
/// harness's `Popen(stderr=PIPE)` that never reads — only stalls that thread; once the buffer is full,
/// further lines are dropped and counted, and the next line that fits is preceded by a notice saying
/// how many were lost.
public final class LogWriter: Sendable {
    /// The process's standard error.
    public static let standardError = LogWriter(fd: 2)

    /// Bytes queued at most before lines are dropped.
    let capacity: Int
    private let fd: Int32
    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)

    private struct State {
        var pending: [UInt8] = []
        var dropped = 0
        /// The thread holds bytes it has not finished writing.
        var writing = false
    }

    init(fd: Int32, capacity: Int = 1 << 20) {
        self.fd = fd
        self.capacity = capacity
        LoopThread.start(name: "openai-mock-log", stackSize: 128 * 1024) { [self] in run() }
    }

    /// Queues `text` (whole lines); false when it was dropped because the buffer is full. After
    /// drops, `notice(count)` is queued first, as soon as it and `text` fit.
    @discardableResult
    public func write(_ text: String, notice: (Int) -> String = LogWriter.plainNotice) -> Bool {
        write(utf8: text.utf8, notice: notice)
    }

    /// The same for text already in UTF-8.
    @discardableResult
    func write(utf8 text: some Collection<UInt8>, notice: (Int) -> String = LogWriter.plainNotice) -> Bool {
        let (accepted, wasIdle) = state.withLock { s -> (Bool, Bool) in
            let wasIdle = s.pending.isEmpty
            var extra: [UInt8] = []
            if s.dropped > 0 { extra = Array(notice(s.dropped).utf8) }
            guard s.pending.count + extra.count + text.count <= capacity else {
                s.dropped += 1
                return (false, false)
            }
            s.pending += extra
            s.pending += text
            s.dropped = 0
            return (true, wasIdle)
        }
        if accepted && wasIdle { wake.signal() }
        return accepted
    }

    /// The notice for `count` dropped lines, as a plain stderr line.
    public static func plainNotice(_ count: Int) -> String {
        "openai-mock: \(count) log line\(count == 1 ? "" : "s") dropped: stderr is not being read fast enough\n"
    }

    /// Lines dropped since the last one written (for tests).
    var droppedCount: Int { state.withLock { $0.dropped } }

    /// Waits until everything queued is written, or `timeout` passes (a reader may never drain): for
    /// the last words before the process exits.
    public func flush(timeout: Duration) {
        let deadline = ContinuousClock.now + timeout
        while state.withLock({ !$0.pending.isEmpty || $0.writing }) && ContinuousClock.now < deadline {
            usleep(1_000)
        }
    }

    /// Wake-ups of the writing thread are at least this far apart.
    static let coalescing = Duration.milliseconds(1)

    private func run() {
        var chunk: [UInt8] = []
        var lastWake = ContinuousClock.now
        while true {
            wake.wait()
            // Under load a line arrives just after each write: waking (and writing) once per line costs
            // more than the line. Wake-ups less than a millisecond apart wait out the rest of it, gathering
            // lines meanwhile; a line after a quiet spell is written at once.
            let sinceLast = ContinuousClock.now - lastWake
            if sinceLast < Self.coalescing {
                let (seconds, attoseconds) = (Self.coalescing - sinceLast).components
                usleep(UInt32(seconds * 1_000_000 + attoseconds / 1_000_000_000_000))
            }
            lastWake = ContinuousClock.now
            while true {
                state.withLock { s in
                    swap(&chunk, &s.pending)
                    s.writing = !chunk.isEmpty
                }
                if chunk.isEmpty { break }
                writeAll(chunk)
                chunk.removeAll(keepingCapacity: chunk.capacity <= 64 * 1024)
                state.withLock { $0.writing = false }
            }
        }
    }

    /// Blocking writes on this thread only; a closed or broken stderr just discards.
    private func writeAll(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = systemWrite(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += n
            }
        }
    }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Musl)
private let systemWrite = Musl.write
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
#endif
