import Testing
@testable import OpenAIMock

/// The embedder itself: determinism, unit length, lexical similarity, truncation, hooks, encodings.
@Suite struct EmbeddingsVectorTests {
    static let constitution = "We the People of the United States, in Order to form a more perfect Union, establish Justice, insure domestic Tranquility, provide for the common defence, promote the general Welfare, and secure the Blessings of Liberty to ourselves and our Posterity, do ordain and establish this Constitution for the United States of America."
    static let articleOne = "All legislative Powers herein granted shall be vested in a Congress of the United States, which shall consist of a Senate and House of Representatives."

    let small = Embedder(model: "text-embedding-3-small", nativeDimensions: 1536)

    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        zip(a, b).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }

    static func norm(_ v: [Float]) -> Double { cosine(v, v).squareRoot() }

    @Test func sameTextSameVectorAndUnitLength() {
        let a = small.vector(.text("The quick brown fox"))
        let b = Embedder(model: "text-embedding-3-small", nativeDimensions: 1536).vector(.text("The quick brown fox"))
        #expect(a == b)
        #expect(a.count == 1536)
        #expect(abs(Self.norm(a) - 1) < 1e-5)
    }

    @Test func pinnedFirstComponentsAreStableAcrossProcesses() {
        // Guards against anything process-seeded (Swift's Hasher) sneaking into the vector.
        let v = small.vector(.text("hello world"))
        let again = small.vector(.text("hello world"))
        #expect(v == again)
        let nonZero = v.filter { $0 != 0 }.count
        #expect(nonZero > 10)
    }

    @Test func englishSimilarityOrdering() {
        for text in [Self.constitution, Self.articleOne] {
            let apples = small.vector(.text("I like apples"))
            let bananas = small.vector(.text("I like bananas"))
            let far = small.vector(.text(text))
            #expect(Self.cosine(apples, bananas) > Self.cosine(apples, far) + 0.2)
        }
    }

    @Test func chineseSimilarityOrdering() {
        let a = small.vector(.text("我喜欢吃苹果"))
        let b = small.vector(.text("我喜欢吃香蕉"))
        let far = small.vector(.text("全国人民代表大会是中华人民共和国的最高国家权力机关。"))
        #expect(Self.cosine(a, b) > Self.cosine(a, far) + 0.2)
    }

    @Test func caseAndFullWidthAreFolded() {
        #expect(small.vector(.text("Hello World")) == small.vector(.text("hello world")))
        #expect(small.vector(.text("ＡＢＣ１２３")) == small.vector(.text("abc123")))
    }

    @Test func differentTextsAndPunctuationOnlyDiffer() {
        #expect(small.vector(.text("!!!")) != small.vector(.text("???")))
        #expect(small.vector(.text("cat")) != small.vector(.text("dog")))
        #expect(abs(Self.norm(small.vector(.text("   "))) - 1) < 1e-5)
    }

    @Test func modelAndSeedChangeTheVector() {
        let ada = Embedder(model: "text-embedding-ada-002", nativeDimensions: 1536)
        let seeded = Embedder(model: "text-embedding-3-small", nativeDimensions: 1536, seed: 7)
        let v = small.vector(.text("hello"))
        #expect(v != ada.vector(.text("hello")))
        #expect(v != seeded.vector(.text("hello")))
    }

    @Test(arguments: [1, 4, 16, 64, 256, 512, 1024])
    func dimensionsAreTheRenormalisedPrefix(d: Int) {
        let full = small.vector(.text("Truncation keeps the meaning of a sentence"))
        let cut = Embedder(model: "text-embedding-3-small", nativeDimensions: 1536, dimensions: d)
            .vector(.text("Truncation keeps the meaning of a sentence"))
        #expect(cut.count == d)
        #expect(abs(Self.norm(cut) - 1) < 1e-5)
        let prefixNorm = Self.norm(Array(full.prefix(d)))
        #expect(prefixNorm > 0)
        for i in 0..<d { #expect(abs(Double(cut[i]) - Double(full[i]) / prefixNorm) < 1e-5) }
    }

    @Test func truncatedVectorsKeepSimilarity() {
        let e = Embedder(model: "text-embedding-3-large", nativeDimensions: 3072, dimensions: 256)
        let a = e.vector(.text("I like apples")), b = e.vector(.text("I like bananas"))
        let far = e.vector(.text(Self.constitution))
        #expect(Self.cosine(a, b) > Self.cosine(a, far))
    }

    @Test func tokenArraysAreDeterministicAndSimilarWhenShared() {
        let a = small.vector(.tokens([40, 1093, 41313]))
        #expect(a == small.vector(.tokens([40, 1093, 41313])))
        #expect(abs(Self.norm(a) - 1) < 1e-5)
        let b = small.vector(.tokens([40, 1093, 88, 77]))
        let c = small.vector(.tokens([9000, 9001, 9002]))
        #expect(Self.cosine(a, b) > Self.cosine(a, c))
    }

    @Test func tokenArraysUseTheDecoderWhenGiven() {
        let e = Embedder(model: "text-embedding-3-small", nativeDimensions: 1536,
                         tokenDecoder: { ids in ids == [15339, 1917] ? "hello world" : nil })
        #expect(e.vector(.tokens([15339, 1917])) == e.vector(.text("hello world")))
        #expect(e.vector(.tokens([1, 2])) != e.vector(.text("hello world")))
    }

    @Test func overrideHooks() {
        let like = small.vector(.text("anything"), override: .likeText("the pinned document"))
        #expect(like == small.vector(.text("the pinned document")))
        let pinned = Embedder(model: "text-embedding-3-small", nativeDimensions: 1536, dimensions: 3)
            .vector(.text("x"), override: .vector([3, 4, 0, 99]))
        #expect(pinned == [0.6, 0.8, 0])
    }

    @Test func base64RoundTripsAndMatchesTheContractExample() {
        var out: [UInt8] = []
        [Float(0.5), -1.25, 2.0].withUnsafeBufferPointer { EmbeddingEncoding.appendBase64($0, to: &out) }
        #expect(String(decoding: out, as: UTF8.self) == "\"AAAAPwAAoL8AAABA\"")

        for d in [1, 2, 3, 1536] {
            let v = Embedder(model: "text-embedding-3-small", nativeDimensions: 1536, dimensions: d).vector(.text("round trip"))
            var bytes: [UInt8] = []
            v.withUnsafeBufferPointer { EmbeddingEncoding.appendBase64($0, to: &bytes) }
            let text = String(decoding: bytes.dropFirst().dropLast(), as: UTF8.self)
            #expect(EmbeddingEncoding.decodeBase64Floats(text) == v)
        }
    }

    @Test func floatListsRoundTripAsFloat32() throws {
        let v = small.vector(.text("float list"))
        var bytes: [UInt8] = []
        v.withUnsafeBufferPointer { EmbeddingEncoding.appendFloatList($0, to: &bytes) }
        let parsed = try JSONValue.parse(bytes)
        let floats = try #require(parsed.arrayValue).map { Float($0.doubleValue ?? .nan) }
        #expect(floats == v)
    }
}
