#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A multi grader's `calculate_output`: arithmetic over the sub-graders' rewards by name —
/// numbers, names, `+ - * / ^`, parentheses, and `min max abs floor ceil exp sqrt log`.
struct GraderFormula: Sendable {
    indirect enum Node: Sendable {
        case number(Double)
        case variable(String)
        case unary(Character, Node)
        case binary(Character, Node, Node)
        case call(String, [Node])
    }

    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    let root: Node
    let variables: [String]

    static let functions = ["min", "max", "abs", "floor", "ceil", "exp", "sqrt", "log"]

    init(_ text: String) throws(ParseError) {
        guard text.count <= 4096 else { throw ParseError(description: "the formula is too long") }
        var parser = Parser(chars: Array(text))
        root = try parser.expression(depth: 0)
        parser.skipSpace()
        guard parser.at == parser.chars.count else { throw ParseError(description: "unexpected '\(parser.chars[parser.at])'") }
        variables = parser.names
    }

    func evaluate(_ values: [String: Double]) -> Double {
        func eval(_ n: Node) -> Double {
            switch n {
            case .number(let x): return x
            case .variable(let v): return values[v] ?? 0
            case .unary(_, let a): return -eval(a)
            case .binary(let op, let a, let b):
                let x = eval(a), y = eval(b)
                switch op {
                case "+": return x + y
                case "-": return x - y
                case "*": return x * y
                case "/": return y == 0 ? 0 : x / y
                default: return pow(x, y)
                }
            case .call(let f, let args):
                let xs = args.map(eval)
                switch f {
                case "min": return xs.min() ?? 0
                case "max": return xs.max() ?? 0
                case "abs": return abs(xs.first ?? 0)
                case "floor": return (xs.first ?? 0).rounded(.down)
                case "ceil": return (xs.first ?? 0).rounded(.up)
                case "exp": return exp(xs.first ?? 0)
                case "sqrt": return (xs.first ?? 0) < 0 ? 0 : (xs.first ?? 0).squareRoot()
                default: return (xs.first ?? 0) <= 0 ? 0 : log(xs.first ?? 0)
                }
            }
        }
        let r = eval(root)
        return r.isFinite ? r : 0
    }

    private struct Parser {
        let chars: [Character]
        var at = 0
        var names: [String] = []

        mutating func skipSpace() { while at < chars.count, chars[at] == " " || chars[at] == "\t" { at += 1 } }

        mutating func expression(depth: Int) throws(ParseError) -> Node {
            guard depth < 64 else { throw ParseError(description: "the formula is nested too deeply") }
            var left = try term(depth: depth)
            while true {
                skipSpace()
                guard at < chars.count, chars[at] == "+" || chars[at] == "-" else { return left }
                let op = chars[at]
                at += 1
                left = .binary(op, left, try term(depth: depth))
            }
        }

        mutating func term(depth: Int) throws(ParseError) -> Node {
            var left = try power(depth: depth)
            while true {
                skipSpace()
                guard at < chars.count, chars[at] == "*" || chars[at] == "/" else { return left }
                let op = chars[at]
                at += 1
                left = .binary(op, left, try power(depth: depth))
            }
        }

        mutating func power(depth: Int) throws(ParseError) -> Node {
            let base = try factor(depth: depth)
            skipSpace()
            guard at < chars.count, chars[at] == "^" else { return base }
            at += 1
            return .binary("^", base, try power(depth: depth + 1))
        }

        mutating func factor(depth: Int) throws(ParseError) -> Node {
            skipSpace()
            guard at < chars.count else { throw ParseError(description: "the formula ends too early") }
            let c = chars[at]
            if c == "-" {
                at += 1
                return .unary("-", try factor(depth: depth + 1))
            }
            if c == "(" {
                at += 1
                let inner = try expression(depth: depth + 1)
                skipSpace()
                guard at < chars.count, chars[at] == ")" else { throw ParseError(description: "missing ')'") }
                at += 1
                return inner
            }
            if c.isNumber || c == "." {
                var text = ""
                while at < chars.count, chars[at].isNumber || chars[at] == "." { text.append(chars[at]); at += 1 }
                guard let x = Double(text) else { throw ParseError(description: "invalid number '\(text)'") }
                return .number(x)
            }
            if c.isLetter || c == "_" {
                var name = ""
                while at < chars.count, chars[at].isLetter || chars[at].isNumber || chars[at] == "_" || chars[at] == "." {
                    name.append(chars[at])
                    at += 1
                }
                skipSpace()
                if at < chars.count, chars[at] == "(" {
                    guard GraderFormula.functions.contains(name) else { throw ParseError(description: "unknown function '\(name)'") }
                    at += 1
                    var args: [Node] = []
                    skipSpace()
                    if at < chars.count, chars[at] != ")" {
                        while true {
                            args.append(try expression(depth: depth + 1))
                            skipSpace()
                            guard at < chars.count else { throw ParseError(description: "missing ')'") }
                            if chars[at] == "," { at += 1; continue }
                            break
                        }
                    }
                    guard at < chars.count, chars[at] == ")", !args.isEmpty else { throw ParseError(description: "invalid call of '\(name)'") }
                    at += 1
                    return .call(name, args)
                }
                if !names.contains(name) { names.append(name) }
                return .variable(name)
            }
            throw ParseError(description: "unexpected '\(c)'")
        }
    }
}
