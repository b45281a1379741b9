/// The language the default generator answers in, detected from the prompt's script.
public enum TextLanguage: String, Sendable, Equatable, CaseIterable {
    case english = "en"
    case chinese = "zh"
    case japanese = "ja"
    case korean = "ko"
    case russian = "ru"

    /// Detects by script: kana → Japanese, Hangul → Korean, Han → Chinese (a Han character carries about
    /// as much as a 3-letter English word, so a Chinese prompt with a few English terms stays Chinese),
    /// Cyrillic → Russian, otherwise English.
    public static func detect(_ text: String) -> TextLanguage {
        var han = 0, kana = 0, hangul = 0, cyrillic = 0, latin = 0
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x41...0x5A, 0x61...0x7A, 0xC0...0x24F: latin += 1
            case 0x3040...0x30FF, 0x31F0...0x31FF: kana += 1
            case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0xF900...0xFAFF: han += 1
            case 0xAC00...0xD7AF, 0x1100...0x11FF, 0x3130...0x318F: hangul += 1
            case 0x0400...0x04FF: cyrillic += 1
            default: break
            }
        }
        if kana > 0 && (kana + han) * 3 >= latin { return .japanese }
        if hangul > 0 && hangul * 3 >= latin && hangul >= han { return .korean }
        if han > 0 && han * 3 >= latin { return .chinese }
        if cyrillic > latin { return .russian }
        return .english
    }
}
