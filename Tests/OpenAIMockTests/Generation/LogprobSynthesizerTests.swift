import Testing
@testable import OpenAIMock

@Suite struct LogprobSynthesizerTests {
    let tokens = ["Hello", ",", " world", "!", " 你好", "。"]

    @Test func deterministicAndWellFormed() {
        let a = LogprobSynthesizer.synthesize(tokens, topLogprobs: 5, seed: 9)
        #expect(a == LogprobSynthesizer.synthesize(tokens, topLogprobs: 5, seed: 9))
        #expect(a != LogprobSynthesizer.synthesize(tokens, topLogprobs: 5, seed: 10))
        #expect(a.map(\.token) == tokens)
        for entry in a {
            #expect(entry.logprob <= 0 && entry.logprob > -5)
            #expect(entry.bytes == Array(entry.token.utf8))
            #expect(entry.topLogprobs.count == 5)
            #expect(entry.topLogprobs.first?.token == entry.token)
            #expect(Set(entry.topLogprobs.map(\.token)).count == 5)
            let values = entry.topLogprobs.map(\.logprob)
            #expect(values == values.sorted(by: >))
            let mass = values.reduce(0.0) { $0 + exp($1) }
            #expect(mass <= 1.000001)
        }
    }

    @Test func twentyAlternativesAndZero() {
        let many = LogprobSynthesizer.synthesize(["。"], topLogprobs: 20, seed: 1)
        #expect(Set(many[0].topLogprobs.map(\.token)).count == 20)
        #expect(LogprobSynthesizer.synthesize(tokens, topLogprobs: 0, seed: 1).allSatisfy { $0.topLogprobs.isEmpty })
    }

    @Test func textOffsetsCountCharacters() {
        #expect(LogprobSynthesizer.textOffsets(["ab", "你好", "c"], start: 3) == [3, 5, 7])
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
