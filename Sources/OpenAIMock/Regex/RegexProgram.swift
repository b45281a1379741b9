/// A pattern compiled to a Thompson NFA: consuming instructions (a scalar, a folded scalar, a set),
/// `split`/`jump` for choice and loops, zero-width assertions, and `match`. ``RegexMatcher`` runs it
/// as a Pike VM, so the cost of a match is at most `instructions.count` steps per input scalar.
struct RegexProgram: Sendable {
    enum Instruction: Sendable, Equatable {
        case scalar(UInt32)
        /// Matches a scalar whose simple case folding is this value.
        case foldedScalar(UInt32)
        /// Index into `sets`.
        case set(Int)
        /// Try both; the order does not matter for whether a match exists.
        case split(Int, Int)
        case jump(Int)
        case assertion(RegexAssertion)
        case match
    }

    /// The most instructions a pattern may compile to: `x{n}` repeats the instructions of `x` n times,
    /// so `[a-z]{1000}` takes 1,000 and `(a{1000}){1000}` is refused instead of taking a million.
    static let maxInstructions = 10_000

    private(set) var instructions: [Instruction] = []
    /// Each distinct set once (`\w{1000}` compiles to 1,000 instructions over one set).
    private(set) var sets: [RegexCharacterSet] = []
    private var setIndexes: [RegexCharacterSet: Int] = [:]
    /// Nodes visited while compiling. The parser leaves no node that compiles to nothing inside a
    /// repetition, so this stays within a small multiple of the instructions; the bound makes sure.
    private var visits = 0

    /// Membership of the ASCII scalars in each set, two words per set (0–63, 64–127), decided once here
    /// so that the matcher tests ASCII input with a shift instead of the set's items.
    private(set) var asciiMembers: [UInt64] = []
    /// Whether any instruction is `\b` or `\B` (the matcher then classifies each scalar once).
    private(set) var testsWordBoundaries = false

    init(_ node: RegexNode) throws(RegexSyntaxError) {
        try emit(node)
        instructions.append(.match)
        setIndexes = [:]
        for set in sets {
            var words: (UInt64, UInt64) = (0, 0)
            for c in UInt32(0)..<64 where set.contains(c) { words.0 |= 1 << UInt64(c) }
            for c in UInt32(64)..<128 where set.contains(c) { words.1 |= 1 << UInt64(c - 64) }
            asciiMembers += [words.0, words.1]
        }
        testsWordBoundaries = instructions.contains { $0 == .assertion(.wordBoundary) || $0 == .assertion(.notWordBoundary) }
    }

    /// The pattern can only match at the start of the input (it begins with `^` or `\A`).
    var isAnchoredAtStart: Bool { instructions.first == .assertion(.inputStart) }

    private static var tooLarge: RegexSyntaxError {
        RegexSyntaxError(message: "the pattern is too large: it compiles to more than \(Self.maxInstructions) steps "
                         + "(lower the {n,m} repetition counts)", offset: 0, isUnsupported: true)
    }

    private mutating func append(_ instruction: Instruction) throws(RegexSyntaxError) {
        guard instructions.count < Self.maxInstructions else { throw Self.tooLarge }
        instructions.append(instruction)
    }

    private mutating func emit(_ node: RegexNode) throws(RegexSyntaxError) {
        visits += 1
        guard visits <= 4 * Self.maxInstructions else { throw Self.tooLarge }
        switch node {
        case .empty:
            return
        case .scalar(let s, let ignoreCase):
            try append(ignoreCase ? .foldedScalar(RegexCaseFolding.fold(s.value)) : .scalar(s.value))
        case .set(let set):
            let index = setIndexes[set] ?? sets.count
            if index == sets.count {
                sets.append(set)
                setIndexes[set] = index
            }
            try append(.set(index))
        case .concat(let items):
            for item in items { try emit(item) }
        case .alternation(let branches):
            var jumps: [Int] = []
            for (k, branch) in branches.enumerated() {
                if k < branches.count - 1 {
                    let split = instructions.count
                    try append(.split(split + 1, 0))
                    try emit(branch)
                    jumps.append(instructions.count)
                    try append(.jump(0))
                    instructions[split] = .split(split + 1, instructions.count)
                } else {
                    try emit(branch)
                }
            }
            for j in jumps { instructions[j] = .jump(instructions.count) }
        case .repetition(let body, let low, let high):
            for _ in 0..<low { try emit(body) }
            if let high {
                // Each optional copy may be skipped, which skips every later one too.
                var exits: [Int] = []
                for _ in low..<high {
                    exits.append(instructions.count)
                    try append(.split(instructions.count + 1, 0))
                    try emit(body)
                }
                for e in exits { instructions[e] = .split(e + 1, instructions.count) }
            } else {
                let loop = instructions.count
                try append(.split(loop + 1, 0))
                try emit(body)
                try append(.jump(loop))
                instructions[loop] = .split(loop + 1, instructions.count)
            }
        case .assertion(let a):
            try append(.assertion(a))
        }
    }
}
