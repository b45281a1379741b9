/// The free-text input of a custom tool call: text on the conversation's topic, or, for a tool with a
/// grammar, a seeded string the grammar accepts (a regex's sample; a Lark grammar's derivation).
extension CustomGrammar {
    /// Why the definition cannot be used (nil: it compiles).
    var compileError: String? {
        switch syntax {
        case .regex:
            do throws(RegexSyntaxError) {
                _ = try LinearRegex(definition)
                return nil
            } catch {
                return error.description
            }
        case .lark:
            do throws(LarkGrammar.SyntaxError) {
                _ = try LarkGrammar(definition)
                return nil
            } catch {
                return error.description
            }
        }
    }

    /// A seeded input the grammar accepts, within `maxScalars` (nil when none was found).
    func sample(seed: UInt64, maxScalars: Int) -> String? {
        switch syntax {
        case .regex: return (try? LinearRegex(definition))?.sample(seed: seed, maxScalars: maxScalars)
        case .lark: return (try? LarkGrammar(definition))?.sample(seed: seed, maxScalars: maxScalars)
        }
    }
}

enum CustomToolInput {
    static func generate(for tool: ChatTool, prompt: String, seed: UInt64, budgetScalars: Int) -> String {
        if let grammar = tool.grammar, let input = grammar.sample(seed: seed, maxScalars: budgetScalars) { return input }
        return TextGenerator(lengthRange: 5...15).generate(prompt: prompt, seed: seed).text
    }
}
