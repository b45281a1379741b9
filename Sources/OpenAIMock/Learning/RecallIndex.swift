/// Exact recall: which known example a prompt repeats, trying in turn the whole prompt or conversation,
/// its system messages with the last user message, and the last user message alone. Keys ignore runs of
/// whitespace and the text's ends, so `"宋,发射激光,艰难 ->\n"` and `"宋,发射激光,艰难 ->"` are one prompt.
/// Among examples sharing a key the newest known one wins.
struct RecallIndex: Sendable {
    static let levels = 3

    /// The prompt's key at each level, or nil where the level does not apply.
    static func keys(_ prompt: LearningPrompt) -> [String?] {
        switch prompt {
        case .text(let text):
            let key = normalized(text)
            return [key, nil, key]
        case .chat(let turns):
            let full = "\u{2}" + turns.map { "\(role($0.role)):\(normalized($0.text))" }.joined(separator: "\u{1}")
            let lastUser = turns.last { $0.role == .user }.map { normalized($0.text) }
            let system = turns.filter { role($0.role) == "system" }.map { normalized($0.text) }
            let withSystem = system.isEmpty ? nil : lastUser.map { system.joined(separator: "\u{1}") + "\u{3}" + $0 }
            return [full, withSystem, lastUser]
        }
    }

    /// `developer` is the newer name of `system`.
    private static func role(_ role: ChatMessage.Role) -> String { role == .developer ? "system" : role.rawValue }

    /// Whitespace runs become one space; leading and trailing whitespace goes. (ASCII whitespace, the
    /// no-break and the ideographic space; works on UTF-8 bytes, as it runs for every example.)
    static func normalized(_ text: String) -> String {
        let b = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var pendingSpace = false
        var i = 0
        while i < b.count {
            // U+00A0 is C2 A0, U+3000 is E3 80 80.
            let width = b[i] == 0x20 || (b[i] >= 0x09 && b[i] <= 0x0D) ? 1
                : b[i] == 0xC2 && i + 1 < b.count && b[i + 1] == 0xA0 ? 2
                : b[i] == 0xE3 && i + 2 < b.count && b[i + 1] == 0x80 && b[i + 2] == 0x80 ? 3 : 0
            if width > 0 {
                pendingSpace = !out.isEmpty
                i += width
                continue
            }
            if pendingSpace { out.append(0x20); pendingSpace = false }
            out.append(b[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Key hash (per level) → its group of examples.
    private let groups: FlatHashMap<Int32>
    /// Examples of group `g`, ascending: `members[offsets[g] ..< offsets[g + 1]]`.
    private let offsets: [Int32]
    private let members: [Int32]

    init(prompts: [LearningPrompt]) {
        var groups = KeyGroups(expectedEntries: prompts.count * Self.levels)
        for prompt in prompts {
            for (level, key) in Self.keys(prompt).enumerated() {
                if let key { groups.add(LearningHash.text(key, salt: UInt64(level))) } else { groups.skip() }
            }
        }
        self.groups = groups.numbers
        offsets = groups.offsets
        var members = [Int32](repeating: 0, count: Int(offsets[offsets.count - 1]))
        for (entry, slot) in groups.takeSlots().enumerated() where slot >= 0 {
            members[Int(slot)] = Int32(entry / Self.levels)
        }
        self.members = members
    }

    /// The newest example below `visible` whose prompt repeats `prompt` at the first level that matches
    /// (found by binary search, so a checkpoint of data with one prompt repeated costs no more).
    /// `promptOf` gives an example's prompt, to rule out hash collisions.
    func recall(_ prompt: LearningPrompt, visible: Int, promptOf: (Int) -> LearningPrompt) -> Int? {
        for (level, key) in Self.keys(prompt).enumerated() {
            guard let key, let g = groups.find(LearningHash.text(key, salt: UInt64(level))) else { continue }
            let start = Int(offsets[Int(g)])
            var lo = start, hi = Int(offsets[Int(g) + 1])
            while lo < hi {
                let mid = (lo + hi) / 2
                if Int(members[mid]) < visible { lo = mid + 1 } else { hi = mid }
            }
            for m in stride(from: lo - 1, through: start, by: -1) {
                let i = Int(members[m])
                let candidate = promptOf(i)
                if candidate == prompt || Self.keys(candidate)[level] == key { return i }
            }
        }
        return nil
    }
}
