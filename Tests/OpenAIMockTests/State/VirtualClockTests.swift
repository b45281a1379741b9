import Synchronization
import Testing
@testable import OpenAIMock

struct VirtualClockTests {
    let start = Int64(VirtualClock.defaultEpoch) * 1000

    @Test func aFixedClockStandsStillUntilWorkIsPending() async throws {
        let clock = VirtualClock(.fixed(VirtualClock.defaultEpoch), pace: .auto(speed: 1000))
        try await Task.sleep(nanoseconds: 20_000_000)
        #expect(clock.nowMillis() == start)  // nothing pending: timestamps stay put
        clock.run(until: start + 60_000)
        try await Task.sleep(nanoseconds: 20_000_000)
        let running = clock.nowMillis()
        #expect(running > start && running <= start + 60_000)
        // It stops exactly at the horizon, so what follows is deterministic again.
        #expect(await eventually(timeout: 5) { clock.nowMillis() == start + 60_000 })
        try await Task.sleep(nanoseconds: 20_000_000)
        #expect(clock.nowMillis() == start + 60_000)
    }

    @Test func timersFireWhenTimePassesTheirDeadline() async throws {
        let clock = VirtualClock(.fixed(VirtualClock.defaultEpoch), pace: .manual)
        let fired = Mutex<[Int]>([])
        clock.schedule(at: start + 2000) { fired.withLock { $0.append(2) } }
        clock.schedule(at: start + 1000) { fired.withLock { $0.append(1) } }
        clock.schedule(at: start) { fired.withLock { $0.append(0) } }  // already due: at once
        #expect(fired.withLock { $0 } == [0])
        clock.advance(byMillis: 999)
        #expect(fired.withLock { $0 } == [0])
        clock.advance(by: 5)
        #expect(fired.withLock { $0 } == [0, 1, 2])  // in deadline order, before advance returns
        #expect(clock.pendingTimers == 0)

        let auto = VirtualClock(.fixed(VirtualClock.defaultEpoch), pace: .auto(speed: 10_000))
        let woke = Mutex(false)
        auto.schedule(at: start + 5_000) { woke.withLock { $0 = true } }
        auto.run(until: start + 10_000)  // 5 s of virtual time ≈ 0.5 ms of wall time
        #expect(await eventually(timeout: 5) { woke.withLock { $0 } })
    }

    @Test func eachOwnerKeepsTheClockRunningUntilItsOwnWorkEnds() async throws {
        let clock = VirtualClock(.fixed(VirtualClock.defaultEpoch), pace: .auto(speed: 100_000))
        clock.run(until: start + 60_000, for: "batches")
        clock.run(until: start + 10_000, for: "fine-tuning")  // an earlier horizon does not stop the batches
        clock.run(until: nil, for: "fine-tuning")
        #expect(await eventually(timeout: 5) { clock.nowMillis() == start + 60_000 })
        clock.run(until: nil, for: "batches")
        try await Task.sleep(nanoseconds: 20_000_000)
        #expect(clock.nowMillis() == start + 60_000)
    }

    @Test func instantPaceJumpsToTheHorizon() {
        let clock = VirtualClock(.fixed(VirtualClock.defaultEpoch), pace: .instant)
        clock.run(until: start + 90_000)
        #expect(clock.nowMillis() == start + 90_000)
        let manual = VirtualClock(.fixed(VirtualClock.defaultEpoch), pace: .manual)
        manual.run(until: start + 90_000)
        #expect(manual.nowMillis() == start)
    }

    @Test func aCancelledSleeperLeavesNothingBehind() async throws {
        let clock = VirtualClock(.fixed(VirtualClock.defaultEpoch), pace: .manual)
        let sleeper = Task { try await clock.sleep(until: start + 1_000_000) }
        #expect(await eventually { clock.pendingTimers == 1 })
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.pendingTimers == 0)

        let woken = Task { try await clock.sleep(until: start + 10) }
        #expect(await eventually { clock.pendingTimers == 1 })
        clock.advance(byMillis: 10)
        try await woken.value
    }

    @Test func resetGoesBackToTheStartAndWakesSleepers() async throws {
        let clock = VirtualClock(.fixed(VirtualClock.defaultEpoch), pace: .manual)
        clock.advance(by: 100)
        let sleeper = Task { try await clock.sleep(until: start + 1_000_000) }
        #expect(await eventually { clock.pendingTimers == 1 })
        clock.reset()
        try await sleeper.value
        #expect(clock.nowMillis() == start)
    }

    @Test func paceArgument() {
        #expect(VirtualClock.parsePace("auto") == .auto(speed: VirtualClock.Pace.defaultSpeed))
        #expect(VirtualClock.parsePace("auto:25") == .auto(speed: 25))
        #expect(VirtualClock.parsePace("instant") == .instant)
        #expect(VirtualClock.parsePace("manual") == .manual)
        #expect(VirtualClock.parsePace("auto:0") == nil)
        #expect(VirtualClock.parsePace("fast") == nil)
    }
}

/// Polls `condition` until it holds or `timeout` seconds pass.
func eventually(timeout: Double = 5, _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
    while !condition() {
        if ContinuousClock.now >= deadline { return false }
        try? await Task.sleep(nanoseconds: 2_000_000)
    }
    return true
}
