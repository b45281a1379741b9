/// A timer owned by one event loop: an action run on the loop thread at an absolute monotonic
/// deadline. Armed with ``EventLoop/arm(_:at:)``; arming again replaces the previous deadline
/// and ``EventLoop/cancel(_:)`` disarms it.
///
/// A timer is meant to be created once and re-armed many times (one per paced stream, re-armed
/// for every event): the heap holds `(deadline, sequence, timer)` entries and an entry only fires
/// when its sequence is still the timer's current one, so re-arming and cancelling never search
/// the heap and a stale entry simply falls out when its deadline passes. That keeps a re-arm at
/// one heap push with no allocation. Loop-thread confined, like `Connection`.
final class LoopTimer: @unchecked Sendable {
    let action: () -> Void
    /// Sequence of the heap entry that may fire; 0 when disarmed.
    fileprivate(set) var armedSequence: UInt64 = 0

    init(_ action: @escaping () -> Void) { self.action = action }

    var isArmed: Bool { armedSequence != 0 }
}

/// Min-heap of timer entries ordered by deadline, then by arming order (equal deadlines fire
/// first-armed first).
struct TimerHeap {
    struct Entry {
        var deadline: UInt64
        var sequence: UInt64
        var timer: LoopTimer
    }

    private var entries: [Entry] = []
    private var nextSequence: UInt64 = 1

    var isEmpty: Bool { entries.isEmpty }
    var count: Int { entries.count }

    /// The earliest deadline of a still-armed timer, dropping stale entries on top.
    mutating func nearestDeadline() -> UInt64? {
        while let top = entries.first {
            if top.timer.armedSequence == top.sequence { return top.deadline }
            removeTop()
        }
        return nil
    }

    mutating func arm(_ timer: LoopTimer, at deadline: UInt64) {
        let sequence = nextSequence
        nextSequence &+= 1
        timer.armedSequence = sequence
        entries.append(Entry(deadline: deadline, sequence: sequence, timer: timer))
        siftUp(entries.count - 1)
        // Many re-arms of timers whose old entries are not due yet leave stale entries behind;
        // rebuild when they clearly outnumber live ones so the heap stays proportional.
        if entries.count > 1024 && entries.count > 4 * max(liveHint, 1) { compact() }
    }

    func cancel(_ timer: LoopTimer) {
        timer.armedSequence = 0
    }

    /// Removes every armed timer whose deadline is `<= now` and appends it to `due` (in firing
    /// order), disarming it. Timers armed while `due` runs land in the heap for the next pass.
    mutating func popDue(now: UInt64, into due: inout [LoopTimer]) {
        while let top = entries.first, top.deadline <= now {
            removeTop()
            if top.timer.armedSequence == top.sequence {
                top.timer.armedSequence = 0
                due.append(top.timer)
            }
        }
    }

    // MARK: Heap mechanics

    /// A cheap upper bound on live entries, refreshed by `compact()`.
    private var liveHint = 0

    private mutating func compact() {
        entries.removeAll { $0.timer.armedSequence != $0.sequence }
        liveHint = entries.count
        guard entries.count > 1 else { return }
        for index in stride(from: entries.count / 2 - 1, through: 0, by: -1) { siftDown(index) }
    }

    private mutating func removeTop() {
        let last = entries.removeLast()
        guard !entries.isEmpty else { return }
        entries[0] = last
        siftDown(0)
    }

    private func less(_ a: Entry, _ b: Entry) -> Bool {
        a.deadline != b.deadline ? a.deadline < b.deadline : a.sequence < b.sequence
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        let item = entries[child]
        while child > 0 {
            let parent = (child - 1) / 2
            guard less(item, entries[parent]) else { break }
            entries[child] = entries[parent]
            child = parent
        }
        entries[child] = item
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        let item = entries[parent]
        let count = entries.count
        while true {
            var child = 2 * parent + 1
            guard child < count else { break }
            if child + 1 < count && less(entries[child + 1], entries[child]) { child += 1 }
            guard less(entries[child], item) else { break }
            entries[parent] = entries[child]
            parent = child
        }
        entries[parent] = item
    }
}
