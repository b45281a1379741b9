/// A ``WordBank`` made ready for filling templates many times a second: each template split once into
/// literal bytes and slots, every word as UTF-8 bytes, the derived forms (`{V}`'s third person, `{aA}`'s
/// article) computed once. Filling then appends bytes and draws the same random numbers, in the same order,
/// as filling the template text would.
struct PreparedBank: Sendable {
    enum Slot: Sendable, Equatable {
        case topic, otherTopic, noun, adjective, articleAdjective, verb, verbBase, adverb
    }

    enum Part: Sendable, Equatable {
        case literal([UInt8])
        case slot(Slot)
    }

    let bank: WordBank
    let templates: [[Part]]
    let nouns: [[UInt8]]
    let adjectives: [[UInt8]]
    let adjectivesWithArticle: [[UInt8]]
    /// `{V}`: third person in English, the base form elsewhere.
    let verbs: [[UInt8]]
    let verbsBase: [[UInt8]]
    let adverbs: [[UInt8]]
    let sentenceGap: [UInt8]

    init(_ bank: WordBank, language: TextLanguage) {
        self.bank = bank
        templates = bank.templates.map(Self.parts)
        nouns = bank.nouns.map { Array($0.utf8) }
        adjectives = bank.adjectives.map { Array($0.utf8) }
        adjectivesWithArticle = bank.adjectives.map { Array(TextGenerator.withIndefiniteArticle($0).utf8) }
        verbs = bank.verbs.map { Array((language == .english ? TextGenerator.thirdPerson($0) : $0).utf8) }
        verbsBase = bank.verbs.map { Array($0.utf8) }
        adverbs = bank.adverbs.map { Array($0.utf8) }
        sentenceGap = Array(bank.sentenceGap.utf8)
    }

    /// `{T}`-style slots become parts; an unknown slot or an unclosed brace stays text.
    static func parts(_ template: String) -> [Part] {
        var parts: [Part] = []
        var literal: [UInt8] = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            literal += rest[..<open].utf8
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let slot: Slot? = switch rest[rest.index(after: open)..<close] {
            case "T": .topic
            case "T2": .otherTopic
            case "N", "N2": .noun
            case "A", "A2": .adjective
            case "aA": .articleAdjective
            case "V", "V2": .verb
            case "VB": .verbBase
            case "D": .adverb
            default: nil
            }
            if let slot {
                if !literal.isEmpty { parts.append(.literal(literal)) }
                literal = []
                parts.append(.slot(slot))
            } else {
                literal += rest[open...close].utf8
            }
            rest = rest[rest.index(after: close)...]
        }
        literal += rest.utf8
        if !literal.isEmpty { parts.append(.literal(literal)) }
        return parts
    }

    static let english = PreparedBank(.english, language: .english)
    static let chinese = PreparedBank(.chinese, language: .chinese)
    static let japanese = PreparedBank(.japanese, language: .japanese)
    static let korean = PreparedBank(.korean, language: .korean)
    static let russian = PreparedBank(.russian, language: .russian)

    static func bank(for language: TextLanguage) -> PreparedBank {
        switch language {
        case .english: english
        case .chinese: chinese
        case .japanese: japanese
        case .korean: korean
        case .russian: russian
        }
    }
}
