import Testing
@testable import OpenAIMock

struct GraderTests {
    private func grade(_ grader: String, sample: String, item: String = "{}") throws -> Double {
        let g = try Grader(try JSONValue.parse(Array(grader.utf8)), path: "grader")
        return g.run(sample: sample, item: try JSONValue.parse(Array(item.utf8))).reward
    }

    @Test func stringChecksAndTemplates() throws {
        let eq = #"{"type":"string_check","name":"s","input":"{{sample.output_text}}","reference":"{{item.answer}}","operation":"eq"}"#
        #expect(try grade(eq, sample: "Paris", item: #"{"answer":"Paris"}"#) == 1)
        #expect(try grade(eq, sample: "paris", item: #"{"answer":"Paris"}"#) == 0)
        let ilike = #"{"type":"string_check","name":"s","input":"{{sample.output_json.city}}","reference":"par","operation":"ilike"}"#
        #expect(try grade(ilike, sample: #"{"city":"PARIS"}"#) == 1)
    }

    @Test func textSimilarityMeasures() throws {
        func sim(_ metric: String, _ a: String, _ b: String) -> Double { TextSimilarity.score(metric, a, b) }
        #expect(sim("fuzzy_match", "kitten", "sitting") == 2.0 * 4 / 13)
        #expect(sim("rouge_1", "the cat sat", "the cat ran") == 2.0 / 3)
        #expect(sim("rouge_l", "a b c d", "a c d") == 2 * (3.0 / 4) * 1 / (3.0 / 4 + 1))
        #expect(sim("bleu", "the quick brown fox jumps", "the quick brown fox jumps") == 1)
        #expect(sim("gleu", "a b", "c d") == 0)
        #expect(sim("meteor", "the cat sat on the mat", "the cat sat on the mat") > 0.99)
        #expect(sim("cosine", "I like apples", "I like apples") > 0.999)
        #expect(sim("cosine", "I like apples", "I like bananas") > sim("cosine", "I like apples", "quantum chromodynamics lattice"))
    }

    @Test func multiGradersCombineByFormula() throws {
        let multi = #"""
        {"type":"multi","name":"m","calculate_output":"0.25 * exact + 0.75 * max(close, 0.5)",
         "graders":{"exact":{"type":"string_check","name":"exact","input":"{{sample.output_text}}","reference":"yes","operation":"eq"},
                    "close":{"type":"text_similarity","name":"close","input":"{{sample.output_text}}","reference":"yes","evaluation_metric":"fuzzy_match"}}}
        """#
        #expect(try grade(multi, sample: "yes") == 1)
        #expect(try grade(multi, sample: "no") == 0.375)
    }

    @Test func badGradersAreClearErrors() throws {
        func error(_ grader: String) -> OpenAIError? {
            do {
                _ = try Grader(try JSONValue.parse(Array(grader.utf8)), path: "grader")
                return nil
            } catch let e as OpenAIError { return e } catch { return nil }
        }
        #expect(error(#"{"type":"python","name":"p","source":"def grade(s, i): return 1"}"#)?.code == "unsupported_value")
        #expect(error(#"{"type":"string_check","name":"s","input":"a","reference":"b","operation":"regex"}"#)?.param == "grader.operation")
        #expect(error(#"{"type":"multi","name":"m","calculate_output":"a + nope","graders":{"a":{"type":"string_check","name":"a","input":"x","reference":"y","operation":"eq"}}}"#) != nil)
        #expect(error(#"{"type":"multi","name":"m","calculate_output":"(a","graders":{"a":{"type":"string_check","name":"a","input":"x","reference":"y","operation":"eq"}}}"#) != nil)
    }
}
