#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Nearest training prompts by TF-IDF cosine over `TextFeatures`, through an inverted index in flat arrays
/// (one posting list per feature, documents ascending, so a checkpoint view simply stops each list at the
/// first document it does not know). A query walks the rarest features first and stops after a fixed
/// budget of postings, so it never scans every example.
struct SimilarityIndex: Sendable {
    struct Neighbour: Sendable, Equatable {
        var document: Int
        /// Cosine similarity in (0, 1].
        var score: Float
    }

    static let postingBudget = 2_000

    let documentCount: Int
    private let featureIDs: FlatHashMap<Int32>
    private let idf: [Float]
    /// Posting list of feature `f`: `offsets[f] ..< offsets[f + 1]` into `documents` and `weights`.
    private let offsets: [Int32]
    private let documents: [Int32]
    /// TF-IDF weight of the feature in the document, divided by the document's norm.
    private let weights: [Float]

    init(texts: [String]) {
        var groups = KeyGroups()
        var entryDocument: [Int32] = [], entryTF: [Float] = [], entryFeature: [Int32] = []
        for (d, text) in texts.enumerated() {
            for (hash, tf) in Self.counted(TextFeatures.hashes(text)) {
                entryFeature.append(groups.add(hash))
                entryDocument.append(Int32(d))
                entryTF.append(tf)
            }
        }
        let n = Float(texts.count)
        let idf = groups.sizes.map { logf((n + 1) / (Float($0) + 1)) + 1 }
        var norms = [Float](repeating: 0, count: texts.count)
        for e in entryDocument.indices {
            let w = (1 + logf(entryTF[e])) * idf[Int(entryFeature[e])]
            norms[Int(entryDocument[e])] += w * w
        }
        featureIDs = groups.numbers
        offsets = groups.offsets
        var documents = [Int32](repeating: 0, count: entryDocument.count)
        var weights = [Float](repeating: 0, count: entryDocument.count)
        for (e, slot) in groups.takeSlots().enumerated() {
            let d = Int(entryDocument[e])
            documents[Int(slot)] = Int32(d)
            weights[Int(slot)] = (1 + logf(entryTF[e])) * idf[Int(entryFeature[e])] / norms[d].squareRoot()
        }
        documentCount = texts.count
        self.idf = idf
        self.documents = documents
        self.weights = weights
    }

    /// Distinct hashes in ascending order with their counts.
    private static func counted(_ hashes: [UInt64]) -> [(UInt64, Float)] {
        let sorted = hashes.sorted()
        var out: [(UInt64, Float)] = []
        for h in sorted {
            if let last = out.last, last.0 == h { out[out.count - 1].1 += 1 } else { out.append((h, 1)) }
        }
        return out
    }

    /// The `k` documents below `visible` most similar to `text`, best first; equal scores put the later
    /// (newer) document first.
    func nearest(_ text: String, visible: Int, k: Int, scratch: inout SimilarityScratch) -> [Neighbour] {
        var query: [(feature: Int, weight: Float)] = []
        var norm: Float = 0
        for (hash, tf) in Self.counted(TextFeatures.hashes(text)) {
            guard let id = featureIDs.find(hash) else { continue }
            let w = (1 + logf(tf)) * idf[Int(id)]
            query.append((Int(id), w))
            norm += w * w
        }
        guard !query.isEmpty, visible > 0 else { return [] }
        // Rarest first (highest idf), so the budget goes to the postings that discriminate.
        query.sort { idf[$0.feature] != idf[$1.feature] ? idf[$0.feature] > idf[$1.feature] : $0.feature < $1.feature }
        scratch.prepare(documentCount)
        var budget = Self.postingBudget
        var touched = scratch.touched
        scratch.touched = []
        scratch.scores.withUnsafeMutableBufferPointer { scores in
            documents.withUnsafeBufferPointer { documents in
                weights.withUnsafeBufferPointer { weights in
                    for (f, w) in query where budget > 0 {
                        let start = Int(offsets[f])
                        var j = start
                        let end = min(Int(offsets[f + 1]), j + budget)
                        while j < end {
                            let d = Int(documents[j])
                            if d >= visible { break }
                            if scores[d] == 0 { touched.append(Int32(d)) }
                            scores[d] += w * weights[j]
                            j += 1
                        }
                        budget -= j - start
                    }
                }
            }
        }
        let scale = 1 / norm.squareRoot()
        var best: [Neighbour] = []
        best.reserveCapacity(k + 1)
        scratch.scores.withUnsafeMutableBufferPointer { scores in
            for d in touched {
                let candidate = Neighbour(document: Int(d), score: scores[Int(d)] * scale)
                scores[Int(d)] = 0
                guard best.count < k || Self.before(candidate, best[best.count - 1]) else { continue }
                var i = best.count
                while i > 0 && Self.before(candidate, best[i - 1]) { i -= 1 }
                best.insert(candidate, at: i)
                if best.count > k { best.removeLast() }
            }
        }
        touched.removeAll(keepingCapacity: true)
        scratch.touched = touched
        return best
    }

    @inline(__always) private static func before(_ a: Neighbour, _ b: Neighbour) -> Bool {
        a.score != b.score ? a.score > b.score : a.document > b.document
    }
}

/// Reusable per-query memory for `SimilarityIndex.nearest`: a score per document, and which were touched
/// (cleared again after each query, so reuse costs nothing).
struct SimilarityScratch {
    var scores: [Float] = []
    var touched: [Int32] = []

    mutating func prepare(_ documents: Int) {
        if scores.count < documents { scores = [Float](repeating: 0, count: documents) }
    }
}
