/// Runs a ``RegexProgram`` over a string's Unicode scalars as a Pike VM: every NFA state alive at a
/// position is kept once, so a search costs O(input scalars × instructions) whatever the pattern
/// (`^(a+)+$` against "aaaa…b" included), and no memory grows with the input.
///
/// The per-step work is kept small, as the bound is reached by ordinary patterns (`\w{1000}` keeps up
/// to 1,000 threads alive): the thread lists, the closure stack and the visited marks live in one
/// allocation per search (marked with a step number, so nothing is cleared between steps; each
/// instruction is pushed at most once per step); only consuming instructions are kept as threads; and
/// the scalar's membership in each set, its case folding and whether it is a word scalar are worked
/// out at most once per step (ASCII set membership is a bit test in a table built at compile time).
enum RegexMatcher {
    /// Whether `program` matches anywhere in `text`.
    static func search(_ program: RegexProgram, in text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            program.instructions.withUnsafeBufferPointer { code in
                program.asciiMembers.withUnsafeBufferPointer { ascii in
                    var machine = Machine(program: program, code: code, ascii: ascii)
                    defer { machine.deallocate() }
                    return machine.search(UTF8Scalars(bytes: bytes))
                }
            }
        }
    }

    /// No scalar: the edge of the input in ``Context``.
    fileprivate static let none = UInt32.max

    /// What assertions look at: the scalars either side of the position (``none`` at an edge).
    private struct Context {
        var previous = RegexMatcher.none
        var next = RegexMatcher.none
        var nextIsLast = false
        var previousIsWord = false
        var nextIsWord = false

        func holds(_ assertion: RegexAssertion) -> Bool {
            switch assertion {
            case .inputStart: return previous == RegexMatcher.none
            case .inputEnd: return next == RegexMatcher.none
            case .inputEndOrFinalNewline: return next == RegexMatcher.none || (next == 0x0A && nextIsLast)
            case .lineStart: return previous == RegexMatcher.none || previous == 0x0A
            case .lineEnd: return next == RegexMatcher.none || next == 0x0A
            case .wordBoundary: return previousIsWord != nextIsWord
            case .notWordBoundary: return previousIsWord == nextIsWord
            }
        }
    }

    private struct Machine {
        let program: RegexProgram
        let code: UnsafeBufferPointer<RegexProgram.Instruction>
        let ascii: UnsafeBufferPointer<UInt64>
        let size: Int
        /// Per instruction, the step that last pushed it; then per set, the step its `setHits` is for.
        let marks: UnsafeMutablePointer<UInt32>
        let setHits: UnsafeMutablePointer<Bool>
        /// Two thread lists (instruction indexes of consuming instructions) and the closure stack, in `lists`.
        let lists: UnsafeMutablePointer<Int32>
        var current: UnsafeMutablePointer<Int32>
        var next: UnsafeMutablePointer<Int32>
        let stack: UnsafeMutablePointer<Int32>
        var currentCount = 0
        var nextCount = 0
        var step: UInt32 = 1
        /// The simple case folding of the scalar being consumed, when `foldedAt == step`.
        var folded: UInt32 = 0
        var foldedAt: UInt32 = 0
        var context = Context()

        init(program: RegexProgram, code: UnsafeBufferPointer<RegexProgram.Instruction>, ascii: UnsafeBufferPointer<UInt64>) {
            self.program = program
            self.code = code
            self.ascii = ascii
            size = code.count
            let sets = program.sets.count
            marks = .allocate(capacity: size + sets)
            marks.initialize(repeating: 0, count: size + sets)
            setHits = .allocate(capacity: max(sets, 1))
            setHits.initialize(repeating: false, count: max(sets, 1))
            lists = .allocate(capacity: 3 * size)
            lists.initialize(repeating: 0, count: 3 * size)
            current = lists
            next = lists + size
            stack = lists + 2 * size
        }

        func deallocate() {
            marks.deallocate()
            setHits.deallocate()
            lists.deallocate()
        }

        /// A new step: marks from earlier steps no longer count.
        mutating func advanceStep() {
            step &+= 1
            if step == 0 {  // wrapped after 2³² steps: clear the marks once
                marks.update(repeating: 0, count: size + program.sets.count)
                step = 1
                foldedAt = 0
            }
        }

        mutating func search(_ input: UTF8Scalars) -> Bool {
            let anchored = program.isAnchoredAtStart
            let words = program.testsWordBoundaries
            var position = 0
            var scalar = input.decode(at: 0)
            context.next = scalar?.value ?? RegexMatcher.none
            context.nextIsLast = scalar.map { $0.length == input.bytes.count } ?? false
            if words { context.nextIsWord = RegexCharacterSet.isWord(scalar?.value) }
            while true {
                // A thread starting here, into the list the last step built (same step, same marks).
                if !anchored || position == 0, addClosure(0, toNext: false) { return true }
                guard let (c, length) = scalar else { return false }
                if currentCount == 0 && anchored { return false }  // every thread died
                let after = position + length
                let following = input.decode(at: after)
                advanceStep()
                context.previous = c
                context.next = following?.value ?? RegexMatcher.none
                context.nextIsLast = following.map { after + $0.length == input.bytes.count } ?? false
                if words {
                    context.previousIsWord = context.nextIsWord
                    context.nextIsWord = RegexCharacterSet.isWord(following?.value)
                }
                nextCount = 0
                for k in 0..<currentCount {
                    let pc = Int(current[k])
                    if consumes(pc, c), addClosure(pc + 1, toNext: true) { return true }
                }
                swap(&current, &next)
                currentCount = nextCount
                position = after
                scalar = following
            }
        }

        /// Whether the consuming instruction at `pc` takes `c`.
        private mutating func consumes(_ pc: Int, _ c: UInt32) -> Bool {
            switch code[pc] {
            case .scalar(let s): return s == c
            case .foldedScalar(let s):
                if foldedAt != step {
                    folded = RegexCaseFolding.fold(c)
                    foldedAt = step
                }
                return s == folded
            case .set(let index):
                if c < 128 { return ascii[2 * index + Int(c >> 6)] & (1 << UInt64(c & 63)) != 0 }
                let mark = size + index
                if marks[mark] != step {
                    marks[mark] = step
                    setHits[index] = program.sets[index].contains(c)
                }
                return setHits[index]
            default: return false
            }
        }

        /// Adds the consuming instructions reachable from `pc` without consuming input (through `split`,
        /// `jump` and assertions that hold) to the current or the next list; true when `match` is reached.
        private mutating func addClosure(_ pc: Int, toNext: Bool) -> Bool {
            guard marks[pc] != step else { return false }
            marks[pc] = step
            let list = toNext ? next : current
            var count = toNext ? nextCount : currentCount
            defer { if toNext { nextCount = count } else { currentCount = count } }
            var depth = 1
            stack[0] = Int32(pc)
            while depth > 0 {
                depth -= 1
                let pc = Int(stack[depth])
                switch code[pc] {
                case .match: return true
                case .jump(let target): push(target, &depth)
                case .split(let a, let b):
                    push(b, &depth)
                    push(a, &depth)
                case .assertion(let a):
                    if context.holds(a) { push(pc + 1, &depth) }
                case .scalar, .foldedScalar, .set:
                    list[count] = Int32(pc)
                    count += 1
                }
            }
            return false
        }

        private func push(_ pc: Int, _ depth: inout Int) {
            guard marks[pc] != step else { return }
            marks[pc] = step
            stack[depth] = Int32(pc)
            depth += 1
        }
    }
}

/// Unicode scalars decoded straight from valid UTF-8 (a Swift string's bytes), without an array.
private struct UTF8Scalars {
    let bytes: UnsafeBufferPointer<UInt8>

    /// The scalar starting at `i` and its length in bytes; nil at the end.
    func decode(at i: Int) -> (value: UInt32, length: Int)? {
        guard i < bytes.count else { return nil }
        let b0 = UInt32(bytes[i])
        if b0 < 0x80 { return (b0, 1) }
        if b0 < 0xE0 { return ((b0 & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F), 2) }
        if b0 < 0xF0 {
            return ((b0 & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F), 3)
        }
        return ((b0 & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12 | UInt32(bytes[i + 2] & 0x3F) << 6
                | UInt32(bytes[i + 3] & 0x3F), 4)
    }
}
