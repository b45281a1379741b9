/// Cost models for letter runs, punctuation and wide (CJK) characters. The numbers are averages measured
/// on real cl100k output (Python docs prose, hand-written English and Chinese paragraphs).
extension TokenScanner {
    /// Where a word sits, which changes how likely cl100k has it as one token.
    enum Lead { case space, none, punctuation }

    /// `[^\r\n\p{L}\p{N}]?\p{L}+`: `start..<lettersStart` is the optional prefix (a space or a mark).
    mutating func letterRun(start: Int, lettersStart: Int) -> Int {
        // Most runs are one plain word: an ASCII letter, then ASCII lowercase (`plain` stays true).
        var j = lettersStart
        var plain = bytes[j] < 0x80
        if plain { j += 1 }
        while j < bytes.count {
            let b = bytes[j]
            if b >= 0x61 && b <= 0x7A { j += 1; continue }
            let (v, l) = scalar(at: j)
            guard Self.classify(v) == .letter else { break }
            plain = false
            j += l
        }
        let end = j
        var lead: Lead = start == lettersStart ? .none : (bytes[start] == 0x20 ? .space : .punctuation)
        var pendingPrefix = start  // bytes from here not yet emitted
        if lead == .punctuation && (lettersStart - start > 1 || scalar(at: lettersStart).length > 2) {
            // A CJK mark (`，`, `、`) or a mark before CJK stays its own token.
            let (p, pl) = scalar(at: start)
            emit(start, lettersStart, pl == 1 ? 1 : Self.wideCost(p, length: pl))
            pendingPrefix = lettersStart
            lead = .none
        }
        if plain {
            // What the loop below finds for such a word, without walking it again.
            let firstUpper = bytes[lettersStart] <= 0x5A
            let letters = end - lettersStart
            let expected = Self.wordCost(upper: firstUpper ? 1 : 0, lower: letters - (firstUpper ? 1 : 0), wide: 0,
                                         firstUpper: firstUpper, lead: lead)
            let tokens = realize(expected, pendingPrefix, end)
            if lead == .punctuation && tokens > 1 {
                emit(pendingPrefix, lettersStart, 1)
                split(lettersStart, end, into: tokens - 1, pieces: letters)
            } else {
                split(pendingPrefix, end, into: tokens, pieces: letters + (lettersStart > pendingPrefix ? 1 : 0))
            }
            return end
        }
        var k = lettersStart
        while k < end {
            let (v, l) = scalar(at: k)
            if l == 1 || l == 2 {
                // A Latin/Cyrillic/Greek word; split camelCase and ACRONYMWord boundaries.
                var m = k
                var upper = 0, lower = 0, wide = 0
                var previousUpper = false
                while m < end {
                    let (w, wl) = scalar(at: m)
                    if wl > 2 { break }
                    let isUpper = wl == 1 && w <= 0x5A
                    if m > k && wl == 1 {
                        if isUpper && !previousUpper && lower + wide > 0 { break }  // fooBar → foo|Bar
                        if !isUpper && previousUpper && upper > 1 {  // HTTPServer → HTTP|Server
                            m -= 1; upper -= 1; break
                        }
                    }
                    if wl == 2 { wide += 1 } else if isUpper { upper += 1 } else { lower += 1 }
                    previousUpper = isUpper
                    m += wl
                }
                let expected = Self.wordCost(upper: upper, lower: lower, wide: wide,
                                             firstUpper: bytes[k] >= 0x41 && bytes[k] <= 0x5A, lead: lead)
                let tokens = realize(expected, pendingPrefix, m)
                if lead == .punctuation && tokens > 1 {
                    emit(pendingPrefix, k, 1)
                    split(k, m, into: tokens - 1, pieces: upper + lower + wide)
                } else {
                    split(pendingPrefix, m, into: tokens, pieces: upper + lower + wide + (k > pendingPrefix ? 1 : 0))
                }
                pendingPrefix = m
                k = m
            } else {
                // A wide character (Han, kana, Hangul, …): table cost, or a multi-character Han word.
                var stop = k + l
                var tokens = Self.wideCost(v, length: l)
                var isWord = false
                if let candidates = TokenCounter.hanWords[v] {
                    for word in candidates where matches(word, at: k + l, end: end) {
                        stop = k + l + 3 * word.count
                        tokens = 1
                        isWord = true
                        break
                    }
                }
                if lead == .space && tokens == 1 && !isWord {
                    tokens = realize(1.5, pendingPrefix, stop)  // ` 的` is a token, ` 年` is ` \xe5` + `\xb9\xb4`
                }
                emit(pendingPrefix, stop, tokens)
                pendingPrefix = stop
                k = stop
            }
            lead = .none
        }
        return end
    }

    /// Whether the scalars after a Han word's first character (`tail`, all 3-byte) follow at `i`.
    func matches(_ tail: [UInt32], at i: Int, end: Int) -> Bool {
        var j = i
        for expected in tail {
            guard j + 3 <= end, scalar(at: j).value == expected else { return false }
            j += 3
        }
        return true
    }

    /// Expected tokens of one word (no camelCase inside) given its letters and what precedes it.
    static func wordCost(upper: Int, lower: Int, wide: Int, firstUpper: Bool, lead: Lead) -> Double {
        let letters = upper + lower
        var cost: Double
        if letters == 0 {
            cost = 0
        } else if upper == letters && letters > 1 {
            cost = letters <= 2 ? 1 : 1 + 0.15 * Double(letters - 1)
        } else {
            cost = lead == .space ? spaceWordCost(letters) : bareWordCost(letters)
            if lead == .punctuation { cost += 0.15 }
            if firstUpper && letters >= 4 { cost += letters >= 8 ? 0.1 : 0.03 }
        }
        cost += 0.45 * Double(wide)
        return max(1, cost)
    }

    /// A lowercase word of `letters` letters after a space (a switch, not a table: this runs for every word).
    static func spaceWordCost(_ letters: Int) -> Double {
        switch letters {
        case ...6: 1
        case 7: 1.01
        case 8: 1.04
        case 9: 1.06
        case 10: 1.1
        case 11: 1.15
        case 12: 1.25
        case 13: 1.3
        case 14: 1.4
        default: 1.4 + 0.15 * Double(letters - 14)
        }
    }

    /// A lowercase word of `letters` letters at the start of a line or after a mark.
    static func bareWordCost(_ letters: Int) -> Double {
        switch letters {
        case ...3: 1
        case 4, 5: 1.07
        case 6: 1.08
        case 7: 1.2
        case 8, 9, 10: 1.4
        case 11: 1.5
        case 12: 2.0
        case 13: 2.2
        default: 2.2 + 0.15 * Double(letters - 13)
        }
    }

    /// Expected tokens of a run of `n` ASCII punctuation marks.
    static func punctuationCost(_ n: Int) -> Double {
        switch n {
        case 0: return 0
        case 1: return 1
        case 2: return 1.05
        case 3: return 1.15
        case 4: return 1.5
        default: return 0.45 * Double(n)
        }
    }

    /// Tokens of one non-ASCII scalar outside a Latin word: 3-byte scalars from the cl100k tables,
    /// 2-byte ones 1, 4-byte ones (emoji, rare ideographs) 2.
    static func wideCost(_ v: UInt32, length: Int) -> Int {
        switch length {
        case 2: return 1
        case 3:
            if TokenCounter.singleTokenBitmap[Int(v >> 6)] & (1 << UInt64(v & 63)) != 0 { return 1 }
            let lead = (v >> 12) & 0x0F
            let second = (v >> 6) & 0x3F
            let bit = Int(lead * 64 + second)
            return TokenCounter.twoBytePrefixBits[bit >> 6] & (1 << UInt64(bit & 63)) != 0 ? 2 : 3
        default: return 2
        }
    }
}

extension TokenCounter {
    /// One bit per BMP scalar: set when its UTF-8 form is a single cl100k token.
    static let singleTokenBitmap: [UInt64] = {
        var bits = [UInt64](repeating: 0, count: 1024)
        for s in singleTokenScalars { bits[Int(s >> 6)] |= 1 << UInt64(s & 63) }
        return bits
    }()

    /// First scalar → the remaining scalars of multi-character Han tokens, longest first.
    static let hanWords: [UInt32: [[UInt32]]] = {
        var map: [UInt32: [[UInt32]]] = [:]
        for word in hanWordList.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            let scalars = word.unicodeScalars.map(\.value)
            guard let first = scalars.first, scalars.count > 1 else { continue }
            map[first, default: []].append(Array(scalars.dropFirst()))
        }
        for key in map.keys { map[key]?.sort { $0.count > $1.count } }
        return map
    }()
}
