/// The 13 moderation categories, in the order the real API lists them in its responses.
public enum ModerationCategory: String, Sendable, CaseIterable, Hashable {
    case harassment
    case harassmentThreatening = "harassment/threatening"
    case sexual
    case hate
    case hateThreatening = "hate/threatening"
    case illicit
    case illicitViolent = "illicit/violent"
    case selfHarmIntent = "self-harm/intent"
    case selfHarmInstructions = "self-harm/instructions"
    case selfHarm = "self-harm"
    case sexualMinors = "sexual/minors"
    case violence
    case violenceGraphic = "violence/graphic"

    /// Categories the omni models also evaluate on images (the rest are text-only).
    public var appliesToImages: Bool {
        switch self {
        case .selfHarm, .selfHarmIntent, .selfHarmInstructions, .sexual, .violence, .violenceGraphic: return true
        default: return false
        }
    }

    /// Categories the legacy `text-moderation-*` models do not have (answered as `null`).
    public var omniOnly: Bool { self == .illicit || self == .illicitViolent }
}

/// The classifier's answer for one input: a score per category and which categories are
/// flagged. Indexed by category, stored in `allCases` order (never dictionary order).
public struct ModerationVerdict: Sendable, Equatable {
    /// Scores at or above this flag a category. The real API's per-category thresholds are not
    /// published; one documented threshold keeps the mock predictable.
    public static let threshold = 0.5

    public private(set) var scores: [Double]
    public private(set) var flags: [Bool]

    public init(scores: [ModerationCategory: Double] = [:]) {
        self.scores = ModerationCategory.allCases.map { min(max(scores[$0] ?? 0, 0), 1) }
        self.flags = self.scores.map { $0 >= Self.threshold }
    }

    public var flagged: Bool { flags.contains(true) }

    public func score(_ c: ModerationCategory) -> Double { scores[Self.index(c)] }
    public func isFlagged(_ c: ModerationCategory) -> Bool { flags[Self.index(c)] }

    public mutating func set(_ c: ModerationCategory, score: Double? = nil, flagged: Bool? = nil) {
        let i = Self.index(c)
        if let score { scores[i] = min(max(score, 0), 1); flags[i] = scores[i] >= Self.threshold }
        if let flagged { flags[i] = flagged }
    }

    static func index(_ c: ModerationCategory) -> Int {
        ModerationCategory.allCases.firstIndex(of: c)!
    }

    /// Applies a scenario's forced verdict (see ``ModerationOverride``).
    public mutating func apply(_ o: ModerationOverride) {
        for c in ModerationCategory.allCases {
            if let s = o.scores[c] { set(c, score: s) }
            if let forced = o.categories[c] {
                if o.scores[c] == nil { set(c, score: forced ? max(score(c), 0.9) : min(score(c), 0.01)) }
                set(c, flagged: forced)
            }
        }
        switch o.flagged {
        case true? where !flagged:
            // Flag the most likely category (first in API order on ties).
            let free = ModerationCategory.allCases.filter { o.categories[$0] == nil }
            if let top = free.max(by: { score($0) < score($1) }) ?? ModerationCategory.allCases.first {
                set(top, score: max(score(top), 0.9), flagged: true)
            }
        case false?:
            for c in ModerationCategory.allCases where o.categories[c] != true {
                if o.scores[c] == nil { set(c, score: min(score(c), 0.01)) }
                set(c, flagged: false)
            }
        default:
            break
        }
    }
}

/// A scenario rule's forced moderation outcome. Unset parts keep the classifier's answer.
public struct ModerationOverride: Sendable, Equatable {
    /// `true`: ensure something is flagged (the top-scoring category if none is forced);
    /// `false`: clear every flag not forced true and push those scores near zero.
    public var flagged: Bool?
    /// Force individual categories on or off (score moved to 0.9 / 0.01 unless given).
    public var categories: [ModerationCategory: Bool]
    /// Exact scores; the flag follows the threshold unless `categories` forces it.
    public var scores: [ModerationCategory: Double]

    public init(flagged: Bool? = nil, categories: [ModerationCategory: Bool] = [:],
                scores: [ModerationCategory: Double] = [:]) {
        self.flagged = flagged
        self.categories = categories
        self.scores = scores
    }
}
