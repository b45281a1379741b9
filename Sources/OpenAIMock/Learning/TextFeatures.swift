/// The features two prompts are compared by: lowercased words and word pairs for alphabetic scripts, single
/// characters and character pairs for CJK (which has no spaces), each as a stable 64-bit hash. A feature
/// that occurs twice appears twice.
enum TextFeatures {
    private static let wordTag: UInt64 = 0x57
    private static let wordPairTag: UInt64 = 0x5750
    private static let charTag: UInt64 = 0x43
    private static let charPairTag: UInt64 = 0x4350

    static func hashes(_ text: String) -> [UInt64] {
        var out: [UInt64] = []
        var word: UInt64 = 0
        var wordLength = 0
        var previousWord: UInt64 = 0
        var previousChar: UInt32 = 0
        func endWord() {
            guard wordLength > 0 else { return }
            let w = SplitMix64.mix(word ^ wordTag)
            out.append(w)
            if previousWord != 0 { out.append(SplitMix64.mix(previousWord &* 31 ^ w ^ wordPairTag)) }
            previousWord = w
            word = 0
            wordLength = 0
        }
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if isCJK(v) {
                endWord()
                out.append(SplitMix64.mix(UInt64(v) << 8 ^ charTag))
                if previousChar != 0 { out.append(SplitMix64.mix((UInt64(previousChar) << 32 | UInt64(v)) ^ charPairTag)) }
                previousChar = v
                continue
            }
            previousChar = 0
            if isWordScalar(scalar) {
                let lower = v >= 0x41 && v <= 0x5A ? v | 0x20 : v
                word = (word ^ UInt64(lower)) &* 0x0000_0100_0000_01B3 &+ 1
                wordLength += 1
            } else {
                endWord()
            }
        }
        endWord()
        return out
    }

    /// Letters and digits (ASCII without a Unicode property lookup).
    @inline(__always) static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x80 { return (v >= 0x30 && v <= 0x39) || ((v | 0x20) >= 0x61 && (v | 0x20) <= 0x7A) }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }

    /// Whitespace (ASCII without a Unicode property lookup).
    @inline(__always) static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x80 { return v == 0x20 || (v >= 0x09 && v <= 0x0D) }
        return scalar.properties.isWhitespace
    }

    /// Han, kana and Hangul: scripts compared character by character.
    @inline(__always) static func isCJK(_ v: UInt32) -> Bool {
        (0x3040...0x30FF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v)
            || (0xAC00...0xD7AF).contains(v) || (0xF900...0xFAFF).contains(v)
    }
}
