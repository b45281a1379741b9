/// A ``WordBank`` made ready for filling templates many times a second: each template split once into
/// literal bytes and slots, every word as UTF-8 bytes, the derived forms (`{V}`'s third person, `{aA}`'s
/// article) computed once. Filling then appends bytes and draws the same random numbers, in the same order,
/// as filling the template text would.
///
/// The lists are ``FrozenLists``: the banks are shared by every event loop, and reading shared arrays would
/// retain and release them from several cores at once for every word.
struct PreparedBank: Sendable {
    enum Slot: Sendable, Equatable, BitwiseCopyable {
        case topic, otherTopic, noun, adjective, articleAdjective, verb, verbBase, adverb
    }

    enum Part: Sendable, Equatable, BitwiseCopyable {
        /// An index into ``literals``.
        case literal(Int)
        case slot(Slot)
    }

    let stopwords: Set<String>
    let templates: FrozenLists<Part>
    let literals: FrozenLists<UInt8>
    let nouns: FrozenLists<UInt8>
    let adjectives: FrozenLists<UInt8>
    let adjectivesWithArticle: FrozenLists<UInt8>
    /// `{V}`: third person in English, the base form elsewhere.
    let verbs: FrozenLists<UInt8>
    let verbsBase: FrozenLists<UInt8>
    let adverbs: FrozenLists<UInt8>
    let sentenceGap: FrozenLists<UInt8>

    init(_ bank: WordBank, language: TextLanguage) {
        stopwords = bank.stopwords
        var literals: [[UInt8]] = []
        templates = FrozenLists(bank.templates.map { template in
            Self.parts(template).map { piece -> Part in
                switch piece {
                case .slot(let slot): return .slot(slot)
                case .text(let bytes):
                    literals.append(bytes)
                    return .literal(literals.count - 1)
                }
            }
        })
        self.literals = FrozenLists(literals)
        nouns = FrozenLists(bank.nouns.map { Array($0.utf8) })
        adjectives = FrozenLists(bank.adjectives.map { Array($0.utf8) })
        adjectivesWithArticle = FrozenLists(bank.adjectives.map { Array(TextGenerator.withIndefiniteArticle($0).utf8) })
        verbs = FrozenLists(bank.verbs.map { Array((language == .english ? TextGenerator.thirdPerson($0) : $0).utf8) })
        verbsBase = FrozenLists(bank.verbs.map { Array($0.utf8) })
        adverbs = FrozenLists(bank.adverbs.map { Array($0.utf8) })
        sentenceGap = FrozenLists([Array(bank.sentenceGap.utf8)])
    }

    /// A template's pieces as written: text, or a slot.
    enum TemplatePiece: Equatable {
        case text([UInt8])
        case slot(Slot)
    }

    /// `{T}`-style slots become parts; an unknown slot or an unclosed brace stays text.
    static func parts(_ template: String) -> [TemplatePiece] {
        var parts: [TemplatePiece] = []
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
                if !literal.isEmpty { parts.append(.text(literal)) }
                literal = []
                parts.append(.slot(slot))
            } else {
                literal += rest[open...close].utf8
            }
            rest = rest[rest.index(after: close)...]
        }
        literal += rest.utf8
        if !literal.isEmpty { parts.append(.text(literal)) }
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

/// Lists of lists that live as long as the process, in one allocation each, read through pointers: no
/// reference counting when many threads read them at once. Only for tables built once (static banks):
/// the memory is never freed.
struct FrozenLists<Element: BitwiseCopyable>: @unchecked Sendable {
    private let elements: UnsafePointer<Element>
    /// `count + 1` offsets: list `i` is `elements[bounds[i]..<bounds[i + 1]]`.
    private let bounds: UnsafePointer<Int>
    let count: Int

    init(_ lists: [[Element]]) {
        let flat = lists.flatMap { $0 }
        let elements = UnsafeMutablePointer<Element>.allocate(capacity: max(flat.count, 1))
        elements.initialize(from: flat, count: flat.count)
        let bounds = UnsafeMutablePointer<Int>.allocate(capacity: lists.count + 1)
        var offset = 0
        for (i, list) in lists.enumerated() {
            bounds[i] = offset
            offset += list.count
        }
        bounds[lists.count] = offset
        self.elements = UnsafePointer(elements)
        self.bounds = UnsafePointer(bounds)
        count = lists.count
    }

    var isEmpty: Bool { count == 0 }

    subscript(i: Int) -> UnsafeBufferPointer<Element> {
        precondition(i >= 0 && i < count, "FrozenLists index out of range")
        return UnsafeBufferPointer(start: elements + bounds[i], count: bounds[i + 1] - bounds[i])
    }
}
