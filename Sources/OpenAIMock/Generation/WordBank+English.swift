/// Word lists and sentence templates the generator draws from. Templates use slots:
/// `{T}`/`{T2}` a topic (salient prompt word, else a noun), `{N}`/`{N2}` a noun, `{A}`/`{A2}` an adjective,
/// `{aA}` an article + adjective, `{V}` a verb (3rd person), `{VB}` a verb (base form), `{D}` an adverb.
struct WordBank: Sendable {
    var templates: [String]
    var nouns: [String]
    var adjectives: [String]
    var verbs: [String]
    var adverbs: [String]
    /// Words too common to be a topic (lowercase).
    var stopwords: Set<String>
    /// Separator between sentences.
    var sentenceGap: String
}

extension WordBank {
    static let english = WordBank(
        templates: [
            "In many cases, {T} {V} the {N} more than people expect.",
            "The {A} {N} behind {T} is easy to overlook.",
            "When it comes to {T}, {aA} approach usually works best.",
            "Most experts agree that {T} {V} the {A} {N}.",
            "It helps to think of {T} as {aA} {N}.",
            "{aA} {N} can make {T} far more {A2}.",
            "{D}, the {N} {V} the way we see {T}.",
            "Consider how {T} {V} the {N} over time.",
            "This is why {T} matters for the {A} {N}.",
            "The key idea is simple: {T} {V} the {N}.",
            "{T} and {T2} are closely connected through the {N}.",
            "In practice, {aA} {N} {V} {T} {D}.",
            "Over time, {T} becomes {A} and {A2}.",
            "One useful step is to compare {T} with the {A} {N}.",
            "As a result, the {N} {V} the {N2} {D}.",
            "Many people find that {T} is {A} at first.",
            "The first thing to notice about {T} is the {A} {N}.",
            "That said, {T} still {V} the {N}.",
            "For example, {aA} {N} might {VB} {T}.",
            "A good way to start is to {VB} the {N} and watch what happens.",
            "{T} is not only about the {N}; it also {V} the {N2}.",
            "If you {VB} the {N}, {T} tends to become {A2}.",
            "Looking closer, {T} {D} {V} the {A} {N}.",
            "There is no single answer, but {T} usually {V} the {N}.",
            "In short, {T} is {A}, {A2} and worth the effort.",
            "Some argue that the {N} {V} {T}, while others disagree.",
            "The history of {T} shows how the {N} {V} the {N2}.",
            "Ultimately, {T} depends on the {A} {N}.",
            "What makes {T} interesting is how it {V} the {N}.",
            "With a little patience, {T} becomes surprisingly {A}.",
        ],
        nouns: [
            "system", "process", "result", "pattern", "structure", "balance", "method", "context", "detail",
            "question", "answer", "idea", "model", "design", "practice", "principle", "framework", "signal",
            "source", "outcome", "effect", "change", "habit", "choice", "decision", "problem", "solution",
            "resource", "community", "environment", "history", "language", "culture", "experience", "story",
            "journey", "landscape", "foundation", "perspective", "strategy", "tradition", "network", "method",
            "window", "river", "garden", "bridge", "city", "market", "season", "morning", "evening", "light",
            "tool", "path", "goal", "plan", "rule", "step", "team", "project", "season", "value", "feature",
            "relationship", "opportunity", "challenge", "benefit", "factor", "element", "measure", "trend",
            "insight", "approach", "routine", "rhythm", "surface", "layer", "boundary", "motion", "memory",
        ],
        adjectives: [
            "simple", "careful", "quiet", "steady", "practical", "important", "useful", "subtle", "complex",
            "clear", "gentle", "bright", "modern", "ancient", "reliable", "flexible", "natural", "familiar",
            "surprising", "essential", "common", "rare", "small", "large", "deep", "broad", "strong",
            "patient", "curious", "thoughtful", "effective", "consistent", "valuable", "open", "hidden",
            "original", "central", "gradual", "remarkable", "durable", "balanced", "honest", "efficient",
            "elegant", "robust", "vivid", "calm", "early", "local", "global", "long-term", "everyday",
        ],
        verbs: [
            "shape", "improve", "support", "reveal", "change", "guide", "connect", "reflect", "influence",
            "strengthen", "explain", "balance", "transform", "simplify", "organize", "protect", "extend",
            "encourage", "define", "follow", "create", "build", "measure", "test", "reach", "inspire",
            "challenge", "clarify", "reinforce", "affect", "complement", "highlight", "drive", "limit",
        ],
        adverbs: [
            "gradually", "quietly", "naturally", "often", "clearly", "slowly", "steadily", "usually",
            "surprisingly", "carefully", "gently", "consistently", "eventually", "directly", "quickly",
        ],
        stopwords: [
            "the", "and", "for", "are", "but", "not", "you", "all", "any", "can", "had", "her", "was", "one",
            "our", "out", "has", "have", "how", "what", "when", "where", "which", "who", "why", "will", "with",
            "this", "that", "these", "those", "there", "their", "then", "than", "them", "they", "from", "into",
            "about", "would", "could", "should", "please", "tell", "explain", "describe", "write", "give",
            "some", "more", "most", "much", "many", "very", "just", "also", "only", "does", "did", "doing",
            "your", "yours", "mine", "been", "being", "were", "here", "make", "like", "want", "need", "know",
            "short", "brief", "paragraph", "sentence", "sentences", "words", "answer", "question", "help",
            "using", "used", "each", "other", "such", "same", "between", "over", "under", "after", "before",
            "hello", "thanks", "thank", "okay", "summarize", "summary", "list", "show", "let", "lets",
            "it's", "i'm", "don't", "can't", "what's", "please,", "kind", "really", "something", "anything",
        ],
        sentenceGap: " "
    )
}
