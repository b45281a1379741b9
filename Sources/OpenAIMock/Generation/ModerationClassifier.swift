#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A deterministic moderation classifier: lexicon rules → evidence → scores → flags.
///
/// Each category's evidence `E` (the sum of its satisfied rules' weights, see
/// ``ModerationLexicon``) becomes a score `b + (1 − b)(1 − 2^−E)`: one unit of evidence gives
/// 0.5 (the flag threshold, ``ModerationVerdict/threshold``), two give 0.75, three 0.875.
/// `b` is a tiny per-text, per-category baseline in [1e-6, 3e-4) so benign scores look like the
/// real API's (`1.4e-05`) yet stay far below 0.01. Weights are calibrated so one explicit
/// threat, slur-like generalisation or self-harm statement crosses the threshold, while a lone
/// ambiguous word ("kill", "sex", "suicide" in a news sentence) does not.
public enum ModerationClassifier {
    /// The input modalities a model evaluates.
    public enum Family: Sendable, Equatable {
        /// `omni-moderation-*`: all 13 categories, text and images.
        case omni
        /// `text-moderation-*`: no `illicit` categories, text only.
        case text

        public init(model: String) {
            self = model.hasPrefix("text-moderation") ? .text : .omni
        }
    }

    static let lexicon = ModerationLexicon(rules: englishRules + chineseRules,
                                           benign: englishBenign + chineseBenign)

    /// Classifies `text` (and optionally image URLs, see ``classify(texts:imageURLs:family:seed:)``).
    public static func classify(_ text: String, family: Family = .omni, seed: UInt64 = 0) -> ModerationVerdict {
        classify(texts: [text], imageURLs: [], family: family, seed: seed)
    }

    /// One verdict for a whole multimodal input. Images cannot be looked at, so an image URL's
    /// readable words (`…/gore-scene.jpg`) count as evidence for the image categories only;
    /// `data:` URLs carry none.
    public static func classify(texts: [String], imageURLs: [String], family: Family, seed: UInt64 = 0) -> ModerationVerdict {
        let text = texts.joined(separator: "\n")
        var evidence = lexicon.evidence(for: text)
        if family == .omni {
            for url in imageURLs where !url.hasPrefix("data:") {
                let imageEvidence = lexicon.evidence(for: url)
                for c in ModerationCategory.allCases where c.appliesToImages {
                    evidence[ModerationVerdict.index(c)] += imageEvidence[ModerationVerdict.index(c)]
                }
            }
        }
        var base = StableHash(seed)
        base.combine("moderation")
        base.combine(text)
        for url in imageURLs { base.combine(url) }
        var rng = SeededRandom(seed: base.finalized)
        var scores: [ModerationCategory: Double] = [:]
        for (i, c) in ModerationCategory.allCases.enumerated() {
            let baseline = pow(10, -6 + 2.5 * rng.unit())
            if family == .text && c.omniOnly { scores[c] = 0; continue }
            scores[c] = baseline + (1 - baseline) * (1 - exp2(-evidence[i]))
        }
        return ModerationVerdict(scores: scores)
    }
}
