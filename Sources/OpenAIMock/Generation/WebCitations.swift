/// What a search model (`gpt-4o-search-preview`) adds to its answer: inline markdown links to the pages
/// it "read", as the real models write them (`… sentence. ([en.wikipedia.org](https://…?utm_source=openai))`),
/// each also returned as a `url_citation` annotation. The pages are encyclopedia articles on the prompt's
/// salient words: plausible, deterministic and offline.
public enum WebCitations {
    public struct Citation: Sendable, Equatable {
        public var title: String
        public var url: String
    }

    /// `text` with a citation after its first sentence and at its end (one when the prompt has one
    /// topic), and the citations in order.
    static func cite(_ text: String, prompt: String) -> (text: String, citations: [Citation]) {
        let language = TextLanguage.detect(prompt)
        var topics = TextGenerator.topics(in: prompt, language: language, stopwords: WordBank.bank(for: language).stopwords)
        if topics.isEmpty { topics = TextGenerator.topics(in: text, language: language, stopwords: WordBank.bank(for: language).stopwords) }
        let citations = topics.prefix(2).map { citation($0, chinese: language == .chinese) }
        guard let first = citations.first else { return (text, []) }
        var out = text
        if citations.count > 1, let end = firstSentenceEnd(text), end < text.endIndex {
            out = String(text[..<end]) + link(first) + String(text[end...])
            out += link(citations[1])
        } else {
            out += link(first)
        }
        return (out, Array(citations))
    }

    /// ` ([en.wikipedia.org](URL))`.
    static func link(_ c: Citation) -> String {
        let host = c.url.dropFirst("https://".count).prefix { $0 != "/" }
        return " ([\(host)](\(c.url)))"
    }

    static func citation(_ topic: String, chinese: Bool) -> Citation {
        let title = topic.prefix(1).uppercased() + topic.dropFirst()
        let article = title.replacing(" ", with: "_")
        let host = chinese ? "zh.wikipedia.org" : "en.wikipedia.org"
        return Citation(title: "\(title) - \(chinese ? "维基百科" : "Wikipedia")",
                        url: "https://\(host)/wiki/\(percentEncoded(article))?utm_source=openai")
    }

    /// Where the first sentence ends (after its terminator).
    private static func firstSentenceEnd(_ text: String) -> String.Index? {
        guard let i = text.firstIndex(where: { ".!?。！？".contains($0) }) else { return nil }
        return text.index(after: i)
    }

    private static func percentEncoded(_ s: String) -> String {
        var out = ""
        for byte in s.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if byte < 0x80, c.isLetter || c.isNumber || "-_.~()".contains(c) {
                out.append(c)
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }

    /// `url_citation` annotations for the citations whose link appears in `content`; indices count
    /// Unicode scalars (what Python's `str` indexes) and span the markdown link `[host](url)`.
    static func annotations(_ citations: [Citation], in content: String) -> [JSONValue] {
        var out: [JSONValue] = []
        guard !citations.isEmpty else { return out }
        let scalars = Array(content.unicodeScalars)
        for c in citations {
            let needle = Array(link(c).unicodeScalars.dropFirst(2).dropLast())  // `[host](url)`
            guard let start = find(needle, in: scalars) else { continue }
            out.append(.object(JSONObject([
                ("type", "url_citation"),
                ("url_citation", .object(JSONObject([
                    ("end_index", .int(start + needle.count)), ("start_index", .int(start)),
                    ("title", .string(c.title)), ("url", .string(c.url)),
                ]))),
            ])))
        }
        return out
    }

    private static func find(_ needle: [Unicode.Scalar], in haystack: [Unicode.Scalar]) -> Int? {
        guard !needle.isEmpty, needle.count <= haystack.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
        }
        return nil
    }
}
