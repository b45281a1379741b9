import MockHTTP

extension JSONValue {
    /// Compact JSON (`{"a":1}`), keys in stored order, as the real API sends it.
    public func serialized() -> [UInt8] {
        var writer = JSONWriter(capacity: 1024)  // most replies' size: no regrowth
        writer.value(self)
        return writer.bytes()
    }

    public var jsonString: String { String(decoding: serialized(), as: UTF8.self) }

    public func write(to out: inout [UInt8]) {
        var writer = JSONWriter(capacity: 256)
        writer.value(self)
        writer.append(to: &out)
    }

    /// Decimal digits without allocating a String.
    static func writeInt(_ i: Int, to out: inout [UInt8]) {
        decimalDigits(i) { out.append(contentsOf: $0) }
    }

    @inline(__always)
    static func decimalDigits(_ i: Int, _ emit: (UnsafeBufferPointer<UInt8>) -> Void) {
        var magnitude = i.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 21) { buffer in
            var n = 0
            repeat {
                buffer[20 - n] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                n += 1
            } while magnitude > 0
            if i < 0 {
                buffer[20 - n] = UInt8(ascii: "-")
                n += 1
            }
            emit(UnsafeBufferPointer(rebasing: buffer[(21 - n)...]))
        }
    }

    /// Shortest round-tripping form; integral values keep a `.0` so they stay floats; NaN and
    /// infinities (not JSON) become `null`.
    static func writeDouble(_ d: Double, to out: inout [UInt8]) {
        guard d.isFinite else { out.append(contentsOf: [110, 117, 108, 108]); return }
        out.append(contentsOf: d.description.utf8)
    }

    static func writeString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        s.withUTF8Bytes { bytes in
            escapedRuns(bytes, run: { out.append(contentsOf: $0) }, escape: { escapeSequence($0) { out.append(contentsOf: $0) } })
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Splits `bytes` into runs that need no escaping (`run`) and the bytes between them that do (`escape`).
    @inline(__always)
    static func escapedRuns(_ bytes: UnsafeBufferPointer<UInt8>, run: (UnsafeBufferPointer<UInt8>) -> Void,
                            escape: (UInt8) -> Void) {
        guard let base = bytes.baseAddress else { return }
        let n = bytes.count
        var runStart = 0
        var i = 0
        while i < n {
            if i + 8 <= n && !containsEscapable(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) {
                i += 8  // eight plain bytes at once: most text has no escape in it
                continue
            }
            let byte = base[i]
            if byte < 0x20 || byte == 0x22 || byte == 0x5C {
                if runStart < i { run(UnsafeBufferPointer(rebasing: bytes[runStart..<i])) }
                escape(byte)
                runStart = i + 1
            }
            i += 1
        }
        if runStart < n { run(UnsafeBufferPointer(rebasing: bytes[runStart...])) }
    }

    /// Whether one of the eight bytes is a control character, `"` or `\\` (exact, with the usual
    /// "has a byte less than / equal to" word tricks).
    @inline(__always)
    static func containsEscapable(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let control = (word &- 0x20 &* ones) & ~word & highs
        let quote = word ^ (0x22 &* ones)
        let backslash = word ^ (0x5C &* ones)
        return (control | ((quote &- ones) & ~quote & highs) | ((backslash &- ones) & ~backslash & highs)) != 0
    }

    /// `\"`, `\\`, `\n`… or `\u00XX` for a byte that cannot appear raw in a JSON string.
    @inline(__always)
    static func escapeSequence(_ byte: UInt8, _ emit: (UnsafeBufferPointer<UInt8>) -> Void) {
        let second: UInt8
        switch byte {
        case UInt8(ascii: "\""): second = 34
        case UInt8(ascii: "\\"): second = 92
        case 0x0A: second = 110
        case 0x0D: second = 114
        case 0x09: second = 116
        case 0x08: second = 98
        case 0x0C: second = 102
        default:
            let hex: StaticString = "0123456789abcdef"
            let digits = hex.utf8Start
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 6) { b in
                (b[0], b[1], b[2], b[3], b[4], b[5]) = (92, 117, 48, 48, digits[Int(byte >> 4)], digits[Int(byte & 0xF)])
                emit(UnsafeBufferPointer(b))
            }
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2) { b in
            (b[0], b[1]) = (92, second)
            emit(UnsafeBufferPointer(b))
        }
    }
}

/// A JSON text being written: a growable buffer without `Array`'s checks on every append (uniqueness,
/// capacity through generic code), for serializing ``JSONValue`` trees.
struct JSONWriter: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The bytes written (the writer is used up).
    consuming func bytes() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            buffer.baseAddress!.update(from: base, count: count)
            initialized = count
        }
    }

    func append(to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: base, count: count))
    }

    @inline(__always)
    private mutating func reserve(_ n: Int) {
        if count + n > capacity { grow(count + n) }
    }

    private mutating func grow(_ needed: Int) {
        var larger = capacity * 2
        while larger < needed { larger *= 2 }
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.update(from: base, count: count)
        base.deallocate()
        base = moved
        capacity = larger
    }

    @inline(__always)
    mutating func byte(_ b: UInt8) {
        reserve(1)
        base[count] = b
        count += 1
    }

    @inline(__always)
    private mutating func raw(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        reserve(bytes.count)
        (base + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    /// Bytes written as they are: JSON punctuation and keys known to need no escaping.
    mutating func literal(_ text: StaticString) {
        raw(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func value(_ value: JSONValue) {
        switch value {
        case .null: literal("null")
        case .bool(let b): b ? literal("true") : literal("false")
        case .int(let i): int(i)
        case .double(let d):
            var text: [UInt8] = []
            JSONValue.writeDouble(d, to: &text)
            text.withUnsafeBufferPointer { raw($0) }
        case .string(let s): string(s)
        case .array(let a):
            byte(UInt8(ascii: "["))
            for i in a.indices {
                if i > 0 { byte(UInt8(ascii: ",")) }
                self.value(a[i])
            }
            byte(UInt8(ascii: "]"))
        case .object(let o):
            byte(UInt8(ascii: "{"))
            let pairs = o.pairs
            for i in pairs.indices {
                if i > 0 { byte(UInt8(ascii: ",")) }
                string(pairs[i].key)
                byte(UInt8(ascii: ":"))
                self.value(pairs[i].value)
            }
            byte(UInt8(ascii: "}"))
        }
    }

    mutating func int(_ i: Int) { JSONValue.decimalDigits(i) { raw($0) } }

    mutating func string(_ s: String) {
        byte(UInt8(ascii: "\""))
        s.withUTF8Bytes { bytes in
            reserve(bytes.count + 1)
            JSONValue.escapedRuns(bytes, run: { raw($0) }, escape: { JSONValue.escapeSequence($0) { raw($0) } })
        }
        byte(UInt8(ascii: "\""))
    }
}
