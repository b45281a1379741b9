extension JSONValue {
    /// Compact JSON (`{"a":1}`), keys in stored order, as the real API sends it.
    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024)  // a chat completion's size: no regrowth for most replies
        write(to: &out)
        return out
    }

    public var jsonString: String { String(decoding: serialized(), as: UTF8.self) }

    public func write(to out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: [110, 117, 108, 108])
        case .bool(let b): b ? out.append(contentsOf: [116, 114, 117, 101]) : out.append(contentsOf: [102, 97, 108, 115, 101])
        case .int(let i): JSONValue.writeInt(i, to: &out)
        case .double(let d): JSONValue.writeDouble(d, to: &out)
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (i, v) in a.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                v.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            out.append(UInt8(ascii: "{"))
            for (i, p) in o.pairs.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONValue.writeString(p.key, to: &out)
                out.append(UInt8(ascii: ":"))
                p.value.write(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Decimal digits without allocating a String.
    static func writeInt(_ i: Int, to out: inout [UInt8]) {
        if i < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = i.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var n = 0
            repeat {
                buffer[19 - n] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                n += 1
            } while magnitude > 0
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[(20 - n)...]))
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
        var s = s
        // Native strings are contiguous UTF-8: copy runs that need no escaping in one go.
        s.withUTF8 { bytes in
            var runStart = 0
            for (i, byte) in bytes.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                if runStart < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i])) }
                appendEscaped(byte, to: &out)
                runStart = i + 1
            }
            if runStart < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...])) }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func appendEscaped(_ byte: UInt8, to out: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "\""): out.append(contentsOf: [92, 34])
        case UInt8(ascii: "\\"): out.append(contentsOf: [92, 92])
        case 0x0A: out.append(contentsOf: [92, 110])
        case 0x0D: out.append(contentsOf: [92, 114])
        case 0x09: out.append(contentsOf: [92, 116])
        case 0x08: out.append(contentsOf: [92, 98])
        case 0x0C: out.append(contentsOf: [92, 102])
        default:
            let hex: StaticString = "0123456789abcdef"
            let digits = hex.utf8Start
            out.append(contentsOf: [92, 117, 48, 48, digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
        }
    }
}
