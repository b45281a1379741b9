import Synchronization

/// The virtual times at which one owner's pending work (fine-tuning jobs, batches) comes due: a
/// wake-up at each, the clock kept running until the last (its horizon for `owner`), and a quick
/// "is anything due yet?" for the owner's lazy settling. Replaced whole whenever the work changes.
final class DueWork: Sendable {
    let clock: VirtualClock
    let owner: String
    private let wakeups = Mutex<[UInt64]>([])
    /// The earliest deadline (`Int64.max`: none): until then the owner has nothing to settle.
    private let earliest = Atomic<Int64>(.max)

    init(clock: VirtualClock, owner: String) {
        self.clock = clock
        self.owner = owner
    }

    /// Whether the earliest deadline has passed at `now`.
    func isDue(at now: Int64) -> Bool { now >= earliest.load(ordering: .acquiring) }

    /// Replaces the deadlines: `wake` runs as virtual time reaches each; the clock runs until the last.
    func set(_ deadlines: [Int64], wake: @escaping @Sendable () -> Void) {
        cancelWakeups()
        earliest.store(deadlines.min() ?? .max, ordering: .releasing)
        for deadline in deadlines {
            let id = clock.schedule(at: deadline, wake)
            wakeups.withLock { $0.append(id) }
        }
        clock.run(until: deadlines.max(), for: owner)
    }

    /// No more wake-ups, and the clock no longer runs for this owner (engine stop, reset).
    func clear() {
        cancelWakeups()
        earliest.store(.max, ordering: .releasing)
        clock.run(until: nil, for: owner)
    }

    private func cancelWakeups() {
        let ids = wakeups.withLock { w -> [UInt64] in
            defer { w = [] }
            return w
        }
        for id in ids { clock.cancel(id) }
    }
}
