/// Writing vectors the two ways the API sends them, straight into a response byte buffer.
///
/// These are the hot path of a 2,048-input request (3 M floats), so they avoid `JSONValue`
/// (one enum box per float), `Data`/Foundation base64, and per-float heap allocations.
public enum EmbeddingEncoding {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Appends `"…"`: standard base64 (with `=` padding) of the vector as consecutive
    /// little-endian IEEE-754 float32 values, which is what the SDKs decode with
    /// `numpy.frombuffer(..., dtype="float32")`.
    public static func appendBase64(_ vector: UnsafeBufferPointer<Float>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        if 1.littleEndian == 1 {
            appendBase64(UnsafeRawBufferPointer(vector), to: &out)
        } else {
            let swapped = vector.map { Float(bitPattern: $0.bitPattern.littleEndian) }
            swapped.withUnsafeBytes { appendBase64($0, to: &out) }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Standard base64 of raw bytes, appended without intermediate strings: blocks of 3,072
    /// input bytes are encoded into a 4 KiB stack buffer and appended with one copy each (fast
    /// in debug builds too, unlike appending zeros and overwriting them).
    public static func appendBase64(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        let n = bytes.count
        guard n > 0, let src = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        out.reserveCapacity(out.count + (n + 2) / 3 * 4)
        alphabet.withUnsafeBufferPointer { table in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4096) { block in
                guard let base = block.baseAddress else { return }
                var i = 0
                while i < n {
                    let end = min(i + 3072, n)
                    var dst = base
                    while i + 3 <= end {
                        let v = UInt32(src[i]) << 16 | UInt32(src[i + 1]) << 8 | UInt32(src[i + 2])
                        dst[0] = table[Int(v >> 18)]
                        dst[1] = table[Int(v >> 12 & 0x3F)]
                        dst[2] = table[Int(v >> 6 & 0x3F)]
                        dst[3] = table[Int(v & 0x3F)]
                        dst += 4
                        i += 3
                    }
                    let rest = end - i
                    if rest > 0 {
                        let v = UInt32(src[i]) << 16 | (rest == 2 ? UInt32(src[i + 1]) << 8 : 0)
                        dst[0] = table[Int(v >> 18)]
                        dst[1] = table[Int(v >> 12 & 0x3F)]
                        dst[2] = rest == 2 ? table[Int(v >> 6 & 0x3F)] : UInt8(ascii: "=")
                        dst[3] = UInt8(ascii: "=")
                        dst += 4
                        i = end
                    }
                    out.append(contentsOf: UnsafeBufferPointer(start: base, count: dst - base))
                }
            }
        }
    }

    /// Appends `[f0,f1,…]` with each float in its shortest round-tripping float32 form
    /// (`-0.0123457`, `1e-05`), as the real API prints them.
    public static func appendFloatList(_ vector: UnsafeBufferPointer<Float>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (i, x) in vector.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            appendFloat(x, to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// One float in JSON. `Float.description` is the shortest round-trip form and fits Swift's
    /// small-string storage, so it does not allocate. Non-finite values (never produced by the
    /// embedder, possible from a pinned vector) become 0.
    @inline(__always)
    static func appendFloat(_ x: Float, to out: inout [UInt8]) {
        guard x.isFinite else { out.append(UInt8(ascii: "0")); return }
        if x == 0 { out.append(contentsOf: [48, 46, 48]); return }
        var s = x.description
        s.withUTF8 { out.append(contentsOf: $0) }
    }

    /// Decodes standard base64 (test helper and for scenario files that pin base64 vectors).
    public static func decodeBase64Floats(_ text: String) -> [Float]? {
        var values: [UInt8] = []
        values.reserveCapacity(text.utf8.count * 3 / 4)
        var buffer: UInt32 = 0
        var bits = 0
        for c in text.utf8 {
            let v: UInt32
            switch c {
            case 65...90: v = UInt32(c - 65)
            case 97...122: v = UInt32(c - 71)
            case 48...57: v = UInt32(c + 4)
            case 43: v = 62
            case 47: v = 63
            case 61: continue
            default: return nil
            }
            buffer = buffer << 6 | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                values.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        guard values.count % 4 == 0 else { return nil }
        return stride(from: 0, to: values.count, by: 4).map { i in
            let low = UInt32(values[i]) | UInt32(values[i + 1]) << 8
            let high = UInt32(values[i + 2]) << 16 | UInt32(values[i + 3]) << 24
            return Float(bitPattern: low | high)
        }
    }
}
