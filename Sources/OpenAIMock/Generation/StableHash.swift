/// Process-independent hashing and random numbers.
///
/// Swift's `Hasher` is seeded randomly per process, so every id, text, vector and fault roll
/// derives from these instead: FNV-1a 64 for hashing, SplitMix64 for seeding, xoshiro256** for
/// streams of numbers.
public struct StableHash: Sendable, Hashable {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}
    public init(_ seed: UInt64) { combine(seed) }

    public mutating func combine(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            value ^= UInt64(byte)
            value &*= 0x0000_0100_0000_01B3
        }
    }

    public mutating func combine(_ string: String) {
        combine(string.utf8)
        combine(CollectionOfOne(0xFF))  // separator so ("ab","c") != ("a","bc")
    }

    public mutating func combine(_ number: UInt64) {
        withUnsafeBytes(of: number.littleEndian) { combine($0) }
    }

    public mutating func combine(_ number: Int) { combine(UInt64(bitPattern: Int64(number))) }

    /// A well-mixed final value (FNV alone mixes its last bytes poorly).
    public var finalized: UInt64 { SplitMix64.mix(value) }

    public static func of(_ parts: String...) -> UInt64 {
        var h = StableHash()
        for p in parts { h.combine(p) }
        return h.finalized
    }
}

public enum SplitMix64 {
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// xoshiro256** seeded through SplitMix64. Conforms to `RandomNumberGenerator`, so
/// `Int.random(in:using:)` and `shuffled(using:)` work deterministically with it.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var x = seed
        func next() -> UInt64 { defer { x &+= 0x9E37_79B9_7F4A_7C15 }; return SplitMix64.mix(x) }
        s = (next(), next(), next(), next())
        if s.0 | s.1 | s.2 | s.3 == 0 { s.0 = 1 }
    }

    public mutating func next() -> UInt64 {
        let result = ((s.1 &* 5) << 7 | (s.1 &* 5) >> 57) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = s.3 << 45 | s.3 >> 19
        return result
    }

    /// A Double in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
}

extension StableHash {
    /// Lowercase alphanumerics derived from `seed`, for ids like `chatcmpl-…` (base 62 when `mixedCase`).
    public static func idSuffix(_ seed: UInt64, length: Int, mixedCase: Bool = true) -> String {
        var rng = SeededRandom(seed: seed)
        let length = max(length, 0)
        return String(unsafeUninitializedCapacity: length) { buffer in
            // A constant divisor in each loop: the compiler multiplies instead of dividing.
            if mixedCase {
                let letters = ("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" as StaticString).utf8Start
                for i in 0..<length { buffer[i] = letters[Int(rng.next() % 62)] }
            } else {
                let letters = ("0123456789abcdef" as StaticString).utf8Start
                for i in 0..<length { buffer[i] = letters[Int(rng.next() % 16)] }
            }
            return length
        }
    }
}
