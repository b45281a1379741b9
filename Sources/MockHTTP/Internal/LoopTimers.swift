/// Something an event loop wakes at an absolute monotonic deadline: ``fire()`` runs on the loop
/// thread. Armed with ``EventLoop/arm(_:at:)``; arming again replaces the previous deadline and
/// ``EventLoop/cancel(_:)`` disarms it. Loop-thread confined, like `Connection`.
///
/// A class to subclass rather than a closure: a `Connection` is its own timer (the next deadline
/// of the body it is playing), so a paced event touches no closure context, weak reference or
/// separate timer object — with thousands of streams each of those is a cache miss per event.
/// ``ActionTimer`` wraps a closure for everything else.
class LoopTimer: @unchecked Sendable {
    /// Slot of the heap's table while armed; -1 when disarmed.
    fileprivate(set) final var slot: Int32 = -1

    final var isArmed: Bool { slot >= 0 }

    /// Called on the loop thread when the deadline has passed; the timer is disarmed by then.
    func fire() {}
}

/// A loop timer that runs a closure.
final class ActionTimer: LoopTimer, @unchecked Sendable {
    let action: () -> Void

    init(_ action: @escaping () -> Void) { self.action = action }

    override func fire() { action() }
}

/// Min-heap of timer deadlines, ordered by deadline then by arming order (equal deadlines fire
/// first-armed first).
///
/// The heap holds plain `(deadline, sequence, slot)` entries — no object references, so sifting
/// moves 24-byte values with no reference counting. An armed timer occupies a slot of `slots`
/// (which keeps it alive) tagged with the sequence of its current arming; an entry fires only if
/// its slot still carries its sequence. Re-arming and cancelling therefore never search the heap:
/// they retag or free the slot, and the stale entry falls out when its deadline passes (or at
/// the next compaction). Sequences are never reused, so a recycled slot cannot revive an entry.
struct TimerHeap {
    struct Entry {
        var deadline: UInt64
        var sequence: UInt64
        var slot: Int32
    }

    private struct Slot {
        var timer: LoopTimer?
        /// Sequence of the entry that may fire; 0 when the slot is free.
        var sequence: UInt64
    }

    private var entries: [Entry] = []
    private var slots: [Slot] = []
    private var freeSlots: [Int32] = []
    private var nextSequence: UInt64 = 1

    var isEmpty: Bool { entries.isEmpty }
    /// Heap entries, stale ones included.
    var count: Int { entries.count }
    /// Timers currently armed.
    var armedCount: Int { slots.count - freeSlots.count }

    /// The earliest deadline of a still-armed timer, dropping stale entries on top.
    mutating func nearestDeadline() -> UInt64? {
        while let top = entries.first {
            if isLive(top) { return top.deadline }
            removeTop()
        }
        return nil
    }

    mutating func arm(_ timer: LoopTimer, at deadline: UInt64) {
        let sequence = nextSequence
        nextSequence &+= 1
        var slot = timer.slot
        if slot < 0 {
            if let free = freeSlots.popLast() {
                slot = free
                slots[Int(slot)] = Slot(timer: timer, sequence: sequence)
            } else {
                slot = Int32(slots.count)
                slots.append(Slot(timer: timer, sequence: sequence))
            }
            timer.slot = slot
        } else {
            slots[Int(slot)].sequence = sequence  // the old entry goes stale
        }
        entries.append(Entry(deadline: deadline, sequence: sequence, slot: slot))
        siftUp(entries.count - 1)
        // Many re-arms of timers whose old entries are not due yet leave stale entries behind;
        // rebuild when they clearly outnumber live ones so the heap stays proportional.
        if entries.count > 1024 && entries.count > 4 * max(armedCount, 1) { compact() }
    }

    mutating func cancel(_ timer: LoopTimer) {
        guard timer.slot >= 0 else { return }
        release(timer.slot)
    }

    /// Removes every armed timer whose deadline is `<= now` and appends it to `due` (in firing
    /// order), disarming it. Timers armed while `due` runs land in the heap for the next pass.
    mutating func popDue(now: UInt64, into due: inout [LoopTimer]) {
        while let top = entries.first, top.deadline <= now {
            removeTop()
            if isLive(top), let timer = slots[Int(top.slot)].timer {
                release(top.slot)
                due.append(timer)
            }
        }
    }

    // MARK: Slots

    private func isLive(_ entry: Entry) -> Bool {
        slots[Int(entry.slot)].sequence == entry.sequence
    }

    private mutating func release(_ slot: Int32) {
        slots[Int(slot)].timer?.slot = -1
        slots[Int(slot)] = Slot(timer: nil, sequence: 0)
        freeSlots.append(slot)
    }

    // MARK: Heap mechanics

    private mutating func compact() {
        let slots = self.slots
        entries.removeAll { slots[Int($0.slot)].sequence != $0.sequence }
        guard entries.count > 1 else { return }
        for index in stride(from: entries.count / 2 - 1, through: 0, by: -1) { siftDown(index) }
    }

    private mutating func removeTop() {
        let last = entries.removeLast()
        guard !entries.isEmpty else { return }
        entries[0] = last
        siftDown(0)
    }

    @inline(__always)
    private static func less(_ a: Entry, _ b: Entry) -> Bool {
        a.deadline != b.deadline ? a.deadline < b.deadline : a.sequence < b.sequence
    }

    private mutating func siftUp(_ start: Int) {
        entries.withUnsafeMutableBufferPointer { heap in
            var child = start
            let item = heap[child]
            while child > 0 {
                let parent = (child - 1) / 2
                guard Self.less(item, heap[parent]) else { break }
                heap[child] = heap[parent]
                child = parent
            }
            heap[child] = item
        }
    }

    private mutating func siftDown(_ start: Int) {
        entries.withUnsafeMutableBufferPointer { heap in
            var parent = start
            let item = heap[parent]
            let count = heap.count
            while true {
                var child = 2 * parent + 1
                guard child < count else { break }
                if child + 1 < count && Self.less(heap[child + 1], heap[child]) { child += 1 }
                guard Self.less(heap[child], item) else { break }
                heap[parent] = heap[child]
                parent = child
            }
            heap[parent] = item
        }
    }
}
