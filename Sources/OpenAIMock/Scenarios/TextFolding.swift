/// `ignore_case` folding for the plain string tests: Unicode case folding plus half/full-width
/// folding ("ＢＯＯＫ" ~ "book", "ｶﾞ" ~ "ガ"), as Foundation's
/// `folding(options: [.caseInsensitive, .widthInsensitive], locale: nil)` did, without
/// linking Foundation (and ICU). Checked scalar by scalar against Foundation: identical except
/// for case pairs newer than Foundation's tables (e.g. U+1C80…, U+A7CB…), which fold here.
enum TextFolding {
    static func fold(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars {
            let u = widthFolded(scalar)
            if u.isASCII {
                out.append(u.value >= 0x41 && u.value <= 0x5A ? Unicode.Scalar(u.value + 0x20)! : u)
            } else if u == "\u{131}" || !u.properties.changesWhenCaseMapped {
                out.append(u)  // dotless ı has no case folding (İ/ı stay Turkish-only)
            } else {
                // lower→upper→lower is full case folding for all but a few scalars: ß and ẞ
                // both end as "ss", ς as σ, ﬁ as "fi".
                out.append(contentsOf: String(u).lowercased().uppercased().lowercased().unicodeScalars)
            }
        }
        return String(out)
    }

    /// Halfwidth and Fullwidth Forms (U+FF01…U+FFEE) to their ordinary counterparts.
    static func widthFolded(_ u: Unicode.Scalar) -> Unicode.Scalar {
        switch u.value {
        case 0xFF01...0xFF5E: return Unicode.Scalar(u.value - 0xFEE0)!
        case 0xFF5F: return "\u{2985}"
        case 0xFF60: return "\u{2986}"
        case 0xFF61...0xFFEE:
            let mapped = narrowForms[Int(u.value - 0xFF61)]
            return mapped == 0 ? u : Unicode.Scalar(mapped)!
        default: return u
        }
    }

    /// U+FF61…U+FFEE: halfwidth CJK punctuation, katakana, Hangul jamo, fullwidth signs,
    /// halfwidth symbols (0 = left as is).
    private static let narrowForms: [UInt16] = [
        0x3002, 0x300C, 0x300D, 0x3001, 0x30FB, 0x30F2, 0x30A1, 0x30A3,
        0x30A5, 0x30A7, 0x30A9, 0x30E3, 0x30E5, 0x30E7, 0x30C3, 0x30FC,
        0x30A2, 0x30A4, 0x30A6, 0x30A8, 0x30AA, 0x30AB, 0x30AD, 0x30AF,
        0x30B1, 0x30B3, 0x30B5, 0x30B7, 0x30B9, 0x30BB, 0x30BD, 0x30BF,
        0x30C1, 0x30C4, 0x30C6, 0x30C8, 0x30CA, 0x30CB, 0x30CC, 0x30CD,
        0x30CE, 0x30CF, 0x30D2, 0x30D5, 0x30D8, 0x30DB, 0x30DE, 0x30DF,
        0x30E0, 0x30E1, 0x30E2, 0x30E4, 0x30E6, 0x30E8, 0x30E9, 0x30EA,
        0x30EB, 0x30EC, 0x30ED, 0x30EF, 0x30F3, 0x3099, 0x309A, 0x1160,
        0x1100, 0x1101, 0x11AA, 0x1102, 0x11AC, 0x11AD, 0x1103, 0x1104,
        0x1105, 0x11B0, 0x11B1, 0x11B2, 0x11B3, 0x11B4, 0x11B5, 0x111A,
        0x1106, 0x1107, 0x1108, 0x1121, 0x1109, 0x110A, 0x110B, 0x110C,
        0x110D, 0x110E, 0x110F, 0x1110, 0x1111, 0x1112, 0x0000, 0x0000,
        0x0000, 0x1161, 0x1162, 0x1163, 0x1164, 0x1165, 0x1166, 0x0000,
        0x0000, 0x1167, 0x1168, 0x1169, 0x116A, 0x116B, 0x116C, 0x0000,
        0x0000, 0x116D, 0x116E, 0x116F, 0x1170, 0x1171, 0x1172, 0x0000,
        0x0000, 0x1173, 0x1174, 0x1175, 0x0000, 0x0000, 0x0000, 0x00A2,
        0x00A3, 0x00AC, 0x0000, 0x00A6, 0x00A5, 0x20A9, 0x0000, 0x2502,
        0x2190, 0x2191, 0x2192, 0x2193, 0x25A0, 0x25CB,
    ]
}
