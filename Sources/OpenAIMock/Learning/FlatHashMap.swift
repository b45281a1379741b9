/// An open-addressing hash map from already well-mixed 64-bit keys to plain values, in two flat arrays:
/// the learning hot loops do tens of millions of lookups, which `Dictionary` makes several times slower.
/// Never iterated for output, so its layout cannot leak into results.
struct FlatHashMap<Value: BitwiseCopyable & Sendable>: Sendable {
    /// Key and value side by side: one cache line per probe.
    private struct Entry: Sendable {
        var key: UInt64
        var value: Value
    }

    private var entries: [Entry]
    private(set) var count = 0
    private var mask: Int
    private let empty: Value

    init(capacity: Int = 16, empty: Value) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        entries = [Entry](repeating: Entry(key: 0, value: empty), count: size)
        mask = size - 1
        self.empty = empty
    }

    /// 0 marks an empty slot, so a zero key is stored as 1.
    @inline(__always) private static func stored(_ key: UInt64) -> UInt64 { key == 0 ? 1 : key }

    /// The value for `key`, or nil.
    @inline(__always) func find(_ key: UInt64) -> Value? {
        let k = Self.stored(key)
        return entries.withUnsafeBufferPointer { e in
            var i = Int(truncatingIfNeeded: k) & mask
            while true {
                let probe = e[i].key
                if probe == k { return e[i].value }
                if probe == 0 { return nil }
                i = (i + 1) & mask
            }
        }
    }

    /// The slot of `key`, inserting it with the empty value if it is missing.
    @inline(__always) mutating func slot(_ key: UInt64) -> Int {
        if (count + 1) * 2 > entries.count { grow() }
        let k = Self.stored(key)
        let mask = mask
        let (slot, inserted) = entries.withUnsafeMutableBufferPointer { e -> (Int, Bool) in
            var i = Int(truncatingIfNeeded: k) & mask
            while true {
                let probe = e[i].key
                if probe == k { return (i, false) }
                if probe == 0 {
                    e[i].key = k
                    return (i, true)
                }
                i = (i + 1) & mask
            }
        }
        if inserted { count += 1 }
        return slot
    }

    /// Makes room for `additional` more keys now, so that slots stay valid while they are inserted.
    mutating func reserve(_ additional: Int) {
        while (count + additional + 1) * 2 > entries.count { grow() }
    }

    @inline(__always) subscript(slot slot: Int) -> Value {
        get { entries[slot].value }
        set { entries[slot].value = newValue }
    }

    private mutating func grow() {
        let old = entries
        entries = [Entry](repeating: Entry(key: 0, value: empty), count: old.count * 2)
        mask = entries.count - 1
        for entry in old where entry.key != 0 {
            var j = Int(truncatingIfNeeded: entry.key) & mask
            while entries[j].key != 0 { j = (j + 1) & mask }
            entries[j] = entry
        }
    }
}

/// The hashes the learning indexes share, so the style index and the loss model agree on contexts.
enum LearningHash {
    @inline(__always) static func step(_ h: UInt64, _ token: Int32) -> UInt64 {
        SplitMix64.mix(h ^ UInt64(UInt32(bitPattern: token)))
    }

    /// The hash of no context; `step` extends a context one token further back.
    static let emptyContext: UInt64 = 0x6A09_E667_F3BC_C908

    /// The hash of the `length` tokens before `position` (`tokens[position - length ..< position]`).
    @inline(__always) static func context(_ tokens: UnsafeBufferPointer<Int32>, before position: Int, length: Int) -> UInt64 {
        var h = emptyContext
        var back = 1
        while back <= length {
            h = step(h, tokens[position - back])
            back += 1
        }
        return h
    }

    /// The hash of `context` followed by `token`.
    @inline(__always) static func gram(_ context: UInt64, _ token: Int32) -> UInt64 {
        SplitMix64.mix((context &+ 0xBB67_AE85_84CA_A73B) ^ (UInt64(UInt32(bitPattern: token)) << 17))
    }

    /// A 64-bit hash of a string, for lookups keyed by text.
    static func text(_ s: String, salt: UInt64 = 0) -> UInt64 {
        var h = StableHash(salt)
        h.combine(s)
        return h.finalized
    }
}
