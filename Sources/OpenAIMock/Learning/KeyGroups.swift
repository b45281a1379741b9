/// Entries grouped by a 64-bit key and laid out flat, group after group (a counting sort): the shape of
/// every learning index (contexts → positions, prompt keys → examples, features → documents).
///
/// Keys are numbered in the order they are first added, and entries keep their order within a group, so
/// the layout depends only on what was added and in which order.
struct KeyGroups {
    /// Key → group number.
    private(set) var numbers = FlatHashMap<Int32>(capacity: 1 << 12, empty: -1)
    /// Entries per group.
    private(set) var sizes: [Int32] = []
    /// Per entry, its group (or -1 for a skipped entry); `takeSlots` turns these into layout slots.
    private var entries: [Int32] = []

    init(expectedEntries: Int = 0) { entries.reserveCapacity(expectedEntries) }

    /// Adds an entry under `key` and returns the key's group number.
    @discardableResult
    mutating func add(_ key: UInt64) -> Int32 {
        let slot = numbers.slot(key)
        if numbers[slot: slot] < 0 {
            numbers[slot: slot] = Int32(sizes.count)
            sizes.append(0)
        }
        let group = numbers[slot: slot]
        sizes[Int(group)] += 1
        entries.append(group)
        return group
    }

    /// Adds an entry in no group, so that entry indices keep lining up with the caller's.
    mutating func skip() { entries.append(-1) }

    /// Where each group starts in the layout: group `g` is `offsets[g] ..< offsets[g + 1]`.
    var offsets: [Int32] {
        var offsets = [Int32](repeating: 0, count: sizes.count + 1)
        for g in sizes.indices { offsets[g + 1] = offsets[g] + sizes[g] }
        return offsets
    }

    /// Each entry's slot in the layout (-1 for skipped entries), in the order the entries were added.
    /// Reuses the entries' memory, so it is the last thing asked.
    mutating func takeSlots() -> [Int32] {
        var cursor = offsets
        var slots = entries
        entries = []
        for i in slots.indices where slots[i] >= 0 {
            let group = Int(slots[i])
            slots[i] = cursor[group]
            cursor[group] += 1
        }
        return slots
    }
}
