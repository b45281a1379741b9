import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The engine's one source of time: response timestamps (`created`, `created_at`) and the
/// progress of everything that takes time (fine-tuning jobs, upload expiry, background work).
///
/// Two settings shape it:
/// - ``Mode`` — where time comes from: `fixed` starts at a given instant (default
///   2024-06-01T00:00:00Z) and moves only as ``Pace`` says, so timestamps are the same in every run;
///   `real` is wall time.
/// - ``Pace`` — how a fixed clock moves: `auto` runs at `speed` × wall time while some work is
///   pending (up to the latest deadline of that work, the *horizon*) and stands still otherwise, so a
///   job visibly passes through its states within seconds and the clock stops exactly when the last
///   job ends; `instant` jumps to the horizon as soon as work is created; `manual` moves only when
///   ``advance(byMillis:)`` / ``advance(to:)`` is called (`POST /_mock/clock/advance`).
///
/// The clock owns waiting: whoever must wake when virtual time passes a point schedules a timer
/// (``schedule(at:_:)``) or sleeps (``sleep(until:)``); moving the clock, by the wall-time driver or
/// by an advance, fires exactly the timers that came due. Nothing ticks per job.
public final class VirtualClock: Sendable {
    public enum Mode: Sendable, Equatable {
        /// Starts at the given Unix second and moves only as the pace says.
        case fixed(Int)
        /// Wall time (plus any advance).
        case real
    }

    public enum Pace: Sendable, Equatable {
        /// Runs at `speed` × wall time while work is pending (a fixed clock), then stops.
        case auto(speed: Double)
        /// Jumps to the end of pending work at once.
        case instant
        /// Moves only when advanced explicitly.
        case manual

        /// Virtual seconds per wall second while a job runs: a small job (a few minutes of virtual
        /// time) takes a few seconds.
        public static let defaultSpeed = 100.0
        public static let `default` = Pace.auto(speed: defaultSpeed)
    }

    /// 2024-06-01T00:00:00Z.
    public static let defaultEpoch = 1_717_200_000

    public let mode: Mode
    public let pace: Pace
    private let state: Mutex<State>
    private let queue = DispatchQueue(label: "openai-mock.clock")

    private struct State {
        /// Virtual milliseconds at `anchorWall` (fixed mode), or the offset added to wall time (real mode).
        var anchor: Int64
        var anchorWall: UInt64 = VirtualClock.monotonicNanos()
        /// Auto pace: the clock runs until here (nil: stands still) — the latest of `horizons`.
        var horizon: Int64?
        /// Each owner's latest deadline of pending work (fine-tuning jobs, batches).
        var horizons: [String: Int64] = [:]
        var timers: [Timer] = []
        var nextTimerID: UInt64 = 1
        var driver: DispatchWorkItem?
    }

    private struct Timer {
        var deadline: Int64
        var id: UInt64
        var action: @Sendable () -> Void
    }

    public init(_ mode: Mode = .fixed(VirtualClock.defaultEpoch), pace: Pace = .default) {
        self.mode = mode
        self.pace = pace
        switch mode {
        case .fixed(let start): state = Mutex(State(anchor: Int64(start) * 1000))
        case .real: state = Mutex(State(anchor: 0))
        }
    }

    // MARK: Reading

    /// The current time in integer Unix seconds (the API's timestamp unit).
    public func now() -> Int { Int(nowMillis().floorDivided(by: 1000)) }

    /// The current time in Unix milliseconds.
    public func nowMillis() -> Int64 { state.withLock { read($0) } }

    private func read(_ s: State) -> Int64 {
        switch mode {
        case .real:
            return Self.wallMillis() + s.anchor
        case .fixed:
            guard case .auto(let speed) = pace, let horizon = s.horizon, horizon > s.anchor else { return s.anchor }
            let elapsed = Double(Self.monotonicNanos() &- s.anchorWall) / 1e6 * speed
            return min(horizon, s.anchor + Int64(min(elapsed, 9e15)))
        }
    }

    // MARK: Moving

    /// Moves the clock forward by `millis` and fires the timers that came due before returning.
    public func advance(byMillis millis: Int64) {
        move { now in now + max(0, millis) }
    }

    /// Seconds, for callers that think in API timestamps.
    public func advance(by seconds: Int) { advance(byMillis: Int64(seconds) * 1000) }

    /// Moves the clock forward to `millis` (no-op if it is already later); fires due timers.
    public func advance(to millis: Int64) {
        move { now in max(now, millis) }
    }

    /// Starts a restarted store's clock no earlier than the last time it recorded.
    public func restore(atLeast millis: Int64) {
        guard case .fixed = mode else { return }
        advance(to: millis)
    }

    /// Back to the start (`POST /_mock/reset`); every timer fires so that sleepers re-check the
    /// (now empty) state.
    public func reset() {
        let fired = state.withLock { s -> [Timer] in
            switch mode {
            case .fixed(let start): s.anchor = Int64(start) * 1000
            case .real: s.anchor = 0
            }
            s.anchorWall = Self.monotonicNanos()
            s.horizon = nil
            s.horizons = [:]
            defer { s.timers = [] }
            return s.timers
        }
        for timer in fired { timer.action() }
        reschedule()
    }

    /// Auto pace: let the clock run until `horizon` (the latest deadline of `owner`'s pending work;
    /// nil when it has none) — or later, while another owner's work is pending. Instant pace: jump
    /// there now. Manual and real clocks ignore it.
    public func run(until horizon: Int64?, for owner: String = "work") {
        switch (mode, pace) {
        case (.fixed, .auto):
            state.withLock { s in
                let now = read(s)
                s.anchor = now
                s.anchorWall = Self.monotonicNanos()
                s.horizons[owner] = horizon
                s.horizon = s.horizons.values.max().map { max($0, now) }
            }
            fireDue()
            reschedule()
        case (_, .instant):
            if let horizon { advance(to: horizon) }
        default:
            break
        }
    }

    private func move(_ target: (Int64) -> Int64) {
        state.withLock { s in
            let now = read(s)
            let to = target(now)
            s.anchorWall = Self.monotonicNanos()
            switch mode {
            case .fixed: s.anchor = to
            case .real: s.anchor += to - now
            }
        }
        fireDue()
        reschedule()
    }

    // MARK: Waiting

    /// Runs `action` once virtual time reaches `millis` (at once, on this thread, if it already has).
    /// Returns an id for ``cancel(_:)``.
    @discardableResult
    public func schedule(at millis: Int64, _ action: @escaping @Sendable () -> Void) -> UInt64 {
        let (id, due) = state.withLock { s -> (UInt64, Bool) in
            let id = s.nextTimerID
            s.nextTimerID += 1
            if read(s) >= millis { return (id, true) }
            s.timers.append(Timer(deadline: millis, id: id, action: action))
            return (id, false)
        }
        if due {
            action()
        } else {
            reschedule()
        }
        return id
    }

    public func cancel(_ id: UInt64) {
        state.withLock { s in s.timers.removeAll { $0.id == id } }
    }

    /// Suspends until virtual time reaches `millis`. Throws `CancellationError` when the task is
    /// cancelled first (a client that went away).
    public func sleep(until millis: Int64) async throws {
        let box = Mutex<(id: UInt64?, continuation: CheckedContinuation<Void, any Error>?)>((nil, nil))
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                box.withLock { $0.continuation = continuation }
                let id = schedule(at: millis) {
                    box.withLock { b in
                        defer { b.continuation = nil }
                        return b.continuation
                    }?.resume()
                }
                box.withLock { $0.id = id }
                if Task.isCancelled {
                    cancel(id)
                    box.withLock { b in
                        defer { b.continuation = nil }
                        return b.continuation
                    }?.resume(throwing: CancellationError())
                }
            }
        } onCancel: {
            let (id, continuation) = box.withLock { b in
                defer { b.continuation = nil }
                return (b.id, b.continuation)
            }
            if let id { cancel(id) }
            continuation?.resume(throwing: CancellationError())
        }
    }

    /// Number of pending timers (tests check that cancelled waiters leave none behind).
    var pendingTimers: Int { state.withLock { $0.timers.count } }

    private func fireDue() {
        let due = state.withLock { s -> [Timer] in
            let now = read(s)
            let ready = s.timers.filter { $0.deadline <= now }.sorted { ($0.deadline, $0.id) < ($1.deadline, $1.id) }
            if !ready.isEmpty { s.timers.removeAll { $0.deadline <= now } }
            return ready
        }
        for timer in due { timer.action() }
    }

    /// Arms the wall-time driver for the earliest timer the running clock will reach by itself.
    private func reschedule() {
        state.withLock { s in
            s.driver?.cancel()
            s.driver = nil
            guard let next = s.timers.map(\.deadline).min() else { return }
            let wait: Double  // wall milliseconds
            switch (mode, pace) {
            case (.real, _):
                wait = Double(next - read(s))
            case (.fixed, .auto(let speed)):
                guard let horizon = s.horizon, next <= horizon else { return }
                wait = Double(next - read(s)) / speed
            default:
                return
            }
            let item = DispatchWorkItem { [weak self] in
                self?.fireDue()
                self?.reschedule()
            }
            s.driver = item
            queue.asyncAfter(deadline: .now() + .microseconds(Int(max(0, min(wait, 1e9)) * 1000) + 1), execute: item)
        }
    }

    // MARK: Parsing and time sources

    /// Parses the `--clock` argument: `real`, `fixed` (the default epoch), `fixed:<unix seconds>`
    /// or `fixed:YYYY-MM-DDTHH:MM:SSZ`.
    public static func parse(_ text: String) -> Mode? {
        if text == "real" { return .real }
        if text == "fixed" { return .fixed(defaultEpoch) }
        guard text.hasPrefix("fixed:") else { return nil }
        let value = String(text.dropFirst("fixed:".count))
        if let seconds = Int(value) { return .fixed(seconds) }
        return parseISO8601(value).map(Mode.fixed)
    }

    /// Parses the `--time` argument: `auto`, `auto:<speed>`, `instant` or `manual`.
    public static func parsePace(_ text: String) -> Pace? {
        switch text {
        case "auto": return .default
        case "instant": return .instant
        case "manual": return .manual
        default:
            guard text.hasPrefix("auto:"), let speed = Double(text.dropFirst(5)), speed > 0, speed <= 1e6 else { return nil }
            return .auto(speed: speed)
        }
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` (UTC only) to Unix seconds, without Foundation.
    static func parseISO8601(_ s: String) -> Int? {
        let b = Array(s.utf8)
        guard b.count == 20, b[4] == 45, b[7] == 45, b[10] == 84, b[13] == 58, b[16] == 58, b[19] == 90 else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                guard b[i] >= 48 && b[i] <= 57 else { return nil }
                v = v * 10 + Int(b[i] - 48)
            }
            return v
        }
        guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10),
              let hh = num(11..<13), let mm = num(14..<16), let ss = num(17..<19),
              (1...12).contains(m), (1...31).contains(d), hh < 24, mm < 60, ss < 61 else { return nil }
        return daysFromCivil(y, m, d) * 86_400 + hh * 3_600 + mm * 60 + ss
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func wallMillis() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    static func monotonicNanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}

extension Int64 {
    /// Division rounding toward negative infinity (timestamps before 1970 stay ordered).
    func floorDivided(by d: Int64) -> Int64 {
        let q = self / d
        return (self % d != 0 && (self < 0) != (d < 0)) ? q - 1 : q
    }
}
