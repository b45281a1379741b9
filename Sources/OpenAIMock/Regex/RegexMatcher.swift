/// Runs a ``RegexProgram`` over a string's Unicode scalars as a Pike VM: every NFA state alive at a
/// position is kept once in a sparse set, so a search costs O(input scalars × instructions) whatever
/// the pattern (`^(a+)+$` against "aaaa…b" included), and no memory grows with the input.
enum RegexMatcher {
    /// Whether `program` matches anywhere in `text`.
    static func search(_ program: RegexProgram, in text: String) -> Bool {
        var text = text
        return text.withUTF8 { search(program, UTF8Scalars(bytes: $0)) }
    }

    private static func search(_ program: RegexProgram, _ input: UTF8Scalars) -> Bool {
        var current = SparseSet(capacity: program.instructions.count)
        var next = SparseSet(capacity: program.instructions.count)
        var closure = Closure(program: program)
        let anchored = program.isAnchoredAtStart
        var previous: UInt32?
        var position = 0
        var scalar = input.decode(at: 0)
        while true {
            let nextIsLast = scalar.map { position + $0.length == input.bytes.count } ?? false
            if !anchored || previous == nil,
               closure.add(0, to: &current, previous: previous, next: scalar?.value, nextIsLast: nextIsLast) {
                return true
            }
            guard let (c, length) = scalar else { return false }
            if current.isEmpty { return false }  // anchored and every thread died
            let after = position + length
            let following = input.decode(at: after)
            let followingIsLast = following.map { after + $0.length == input.bytes.count } ?? false
            next.removeAll()
            for k in 0..<current.count {
                let pc = current.dense[k]
                if consumes(program, program.instructions[pc], c),
                   closure.add(pc + 1, to: &next, previous: c, next: following?.value, nextIsLast: followingIsLast) {
                    return true
                }
            }
            swap(&current, &next)
            previous = c
            position = after
            scalar = following
        }
    }

    private static func consumes(_ program: RegexProgram, _ instruction: RegexProgram.Instruction, _ c: UInt32) -> Bool {
        switch instruction {
        case .scalar(let s): return s == c
        case .foldedScalar(let s): return s == RegexCaseFolding.fold(c)
        case .set(let index): return program.sets[index].contains(c)
        default: return false
        }
    }

    /// Follows `split`, `jump` and assertions from a state, with a reused stack.
    private struct Closure {
        let program: RegexProgram
        var stack: [Int] = []

        /// Adds `pc` and everything reachable from it without consuming input; true when `match` is reached.
        mutating func add(_ pc: Int, to list: inout SparseSet, previous: UInt32?, next: UInt32?, nextIsLast: Bool) -> Bool {
            stack.removeAll(keepingCapacity: true)
            stack.append(pc)
            while let pc = stack.popLast() {
                guard list.insert(pc) else { continue }
                switch program.instructions[pc] {
                case .match: return true
                case .jump(let target): stack.append(target)
                case .split(let a, let b):
                    stack.append(b)
                    stack.append(a)
                case .assertion(let a):
                    if a.holds(previous: previous, next: next, nextIsLast: nextIsLast) { stack.append(pc + 1) }
                case .scalar, .foldedScalar, .set:
                    break  // waits for the next scalar
                }
            }
            return false
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

/// A set of instruction indexes with O(1) insert, membership and clear (Briggs & Torczon).
private struct SparseSet {
    private(set) var dense: [Int]
    private var sparse: [Int]
    private(set) var count = 0

    init(capacity: Int) {
        dense = [Int](repeating: 0, count: capacity)
        sparse = [Int](repeating: 0, count: capacity)
    }

    var isEmpty: Bool { count == 0 }

    /// False when `value` was already present.
    mutating func insert(_ value: Int) -> Bool {
        let slot = sparse[value]
        if slot < count && dense[slot] == value { return false }
        sparse[value] = count
        dense[count] = value
        count += 1
        return true
    }

    mutating func removeAll() { count = 0 }
}
