import Testing
@testable import OpenAIMock

@Suite struct OutputLimiterTests {
    let pieces = ["Hello", ",", " world", ".", " How", " are", " you", "?"].map { TokenPiece($0) }

    @Test func naturalEndIsStop() {
        let out = OutputLimiter.apply(pieces: pieces)
        #expect(out.text == "Hello, world. How are you?")
        #expect(out.finishReason == .stop)
        #expect(out.completionTokens == 8)
        #expect(out.matchedStop == nil)
    }

    @Test func maxTokensTruncatesWithLength() {
        let out = OutputLimiter.apply(pieces: pieces, maxTokens: 3)
        #expect(out.text == "Hello, world")
        #expect(out.finishReason == .length)
        #expect(out.completionTokens == 3)
        #expect(OutputLimiter.apply(pieces: pieces, maxTokens: 8).finishReason == .stop)
        #expect(OutputLimiter.apply(pieces: pieces, maxTokens: 0).text == "")
    }

    @Test func stopSequenceIsCutAndExcluded() {
        let out = OutputLimiter.apply(pieces: pieces, stop: [" How"])
        #expect(out.text == "Hello, world.")
        #expect(out.finishReason == .stop)
        #expect(out.matchedStop == " How")
        #expect(out.completionTokens == 5)  // the stop's own token is billed
    }

    @Test func stopSpanningPiecesCutsMidPiece() {
        let out = OutputLimiter.apply(pieces: pieces, stop: ["ld. Ho"])
        #expect(out.text == "Hello, wor")
        #expect(out.pieces.map(\.text) == ["Hello", ",", " wor"])
        #expect(out.completionTokens == 5)
    }

    @Test func firstCompletedStopWins() {
        // "o, w" completes before "world" does.
        #expect(OutputLimiter.apply(pieces: pieces, stop: ["world", "o, w"]).text == "Hell")
        #expect(OutputLimiter.apply(pieces: pieces, stop: ["zzz", "?"]).text == "Hello, world. How are you")
    }

    @Test func stopBeyondTheCapIsLength() {
        let out = OutputLimiter.apply(pieces: pieces, stop: ["you"], maxTokens: 4)
        #expect(out.finishReason == .length)
        #expect(out.text == "Hello, world.")
    }

    @Test func multiTokenPieceIsAllOrNothing() {
        let out = OutputLimiter.apply(pieces: [TokenPiece("鹅", tokens: 2), TokenPiece("好")], maxTokens: 1)
        #expect(out.text == "")
        #expect(out.finishReason == .length)
    }

    @Test func worksOnChineseText() {
        let out = OutputLimiter.apply(text: "今天天气很好。我们去公园吧。", stop: ["。"])
        #expect(out.text == "今天天气很好")
        #expect(out.finishReason == .stop)
    }
}
