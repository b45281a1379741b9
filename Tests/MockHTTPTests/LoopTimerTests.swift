import Testing
@testable import MockHTTP

/// The event loop's timer heap, driven directly on a running loop: deadline order, many timers,
/// re-arming and cancelling. Assertions are on order and lower bounds only (never "fired within
/// N ms"), so a loaded machine cannot make them flake.
struct LoopTimerTests {
    /// Runs `body` on the server's (single) loop thread.
    private func onLoop(_ server: HTTPServer, _ body: @escaping @Sendable (EventLoop) -> Void) {
        let loop = server.eventLoops[0]
        loop.execute { body(loop) }
    }

    @Test func timersFireInDeadlineOrderAndNeverEarly() async throws {
        let fired = Box<[(name: String, late: Bool)]>([])
        try await withServer { server in
            onLoop(server) { loop in
                let start = loop.refreshNow()
                for (name, ms) in [("c", 60), ("a", 20), ("b1", 40), ("b2", 40), ("zero", 0)] {
                    let deadline = start + UInt64(ms) * 1_000_000
                    loop.arm(ActionTimer { fired.mutate { $0.append((name, Syscall.now() >= deadline)) } }, at: deadline)
                }
            }
            #expect(await eventually { fired.get.count == 5 })
            #expect(fired.get.map { $0.name } == ["zero", "a", "b1", "b2", "c"])  // equal deadlines: arming order
            #expect(!fired.get.contains { !$0.late })
        }
    }

    @Test func manyTimersAllFireInOrder() async throws {
        let count = 10_000
        let fired = Box<[UInt64]>([])
        let early = Box(0)
        try await withServer { server in
            onLoop(server) { loop in
                let start = loop.refreshNow()
                var generator = SystemRandomNumberGenerator()
                for _ in 0..<count {
                    let deadline = start + UInt64.random(in: 0..<80_000_000, using: &generator)
                    loop.arm(ActionTimer {
                        if Syscall.now() < deadline { early.mutate { $0 += 1 } }
                        fired.mutate { $0.append(deadline) }
                    }, at: deadline)
                }
            }
            #expect(await eventually(timeout: 20) { fired.get.count == count })
            let deadlines = fired.get
            #expect(zip(deadlines, deadlines.dropFirst()).allSatisfy { $0 <= $1 })
            #expect(early.get == 0)
        }
    }

    @Test func rearmingReplacesAndCancellingPrevents() async throws {
        let fired = Box<[String]>([])
        let armed = Box<ActionTimer?>(nil)
        try await withServer { server in
            onLoop(server) { loop in
                let start = loop.refreshNow()
                let cancelled = ActionTimer { fired.mutate { $0.append("cancelled") } }
                loop.arm(cancelled, at: start + 10_000_000)
                loop.cancel(cancelled)
                let moved = ActionTimer { fired.mutate { $0.append("moved") } }
                loop.arm(moved, at: start + 10_000_000)
                loop.arm(moved, at: start + 30_000_000)  // replaces the first arming
                let marker = ActionTimer { fired.mutate { $0.append("marker") } }
                loop.arm(marker, at: start + 20_000_000)
                let pending = ActionTimer { fired.mutate { $0.append("pending") } }
                loop.arm(pending, at: start + 60_000_000_000)
                armed.mutate { $0 = pending }
            }
            #expect(await eventually { fired.get.count >= 2 })
            try await Task.sleep(for: .milliseconds(60))
            #expect(fired.get == ["marker", "moved"])
            // A far-away timer is still armed; cancelling it from the loop disarms it.
            let disarmed = Box<Bool?>(nil)
            onLoop(server) { loop in
                guard let timer = armed.get else { return }
                loop.cancel(timer)
                disarmed.mutate { $0 = !timer.isArmed }
            }
            #expect(await eventually { disarmed.get != nil })
            #expect(disarmed.get == true)
        }
    }

    @Test func heapOrdersAndDropsStaleEntries() {
        var heap = TimerHeap()
        var timers: [ActionTimer] = []
        for deadline in [50, 10, 40, 20, 30] as [UInt64] {
            let timer = ActionTimer {}
            timers.append(timer)
            heap.arm(timer, at: deadline)
        }
        heap.cancel(timers[1])  // deadline 10
        #expect(heap.nearestDeadline() == 20)
        var due: [LoopTimer] = []
        heap.popDue(now: 40, into: &due)
        #expect(due.map { ObjectIdentifier($0) } == [timers[3], timers[4], timers[2]].map { ObjectIdentifier($0) })
        #expect(due.allSatisfy { !$0.isArmed })
        #expect(heap.nearestDeadline() == 50)
        // Re-arming the same timer over and over does not let stale entries pile up.
        let busy = ActionTimer {}
        for deadline in 0..<100_000 as Range<UInt64> { heap.arm(busy, at: 1_000 + deadline) }
        #expect(heap.count < 5_000)
        due.removeAll()
        heap.popDue(now: UInt64.max, into: &due)
        #expect(due.count == 2)  // timers[0] and `busy`, once
    }
}
