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

    /// Key hash → newest example with it.
    private let heads: [UInt64: Int32]
    /// `chain[example * levels + level]`: the previous example with the same key hash, or -1.
    private let chain: [Int32]

    init(prompts: [LearningPrompt]) {
        var heads: [UInt64: Int32] = [:]
        var chain = [Int32](repeating: -1, count: prompts.count * Self.levels)
        for (i, prompt) in prompts.enumerated() {
            for (level, key) in Self.keys(prompt).enumerated() {
                guard let key else { continue }
                let h = LearningHash.text(key, salt: UInt64(level))
                if let previous = heads[h] { chain[i * Self.levels + level] = previous }
                heads[h] = Int32(i)
            }
        }
        self.heads = heads
        self.chain = chain
    }

    /// The newest example below `visible` whose prompt repeats `prompt` at the first level that matches.
    /// `promptOf` gives an example's prompt, to rule out hash collisions.
    func recall(_ prompt: LearningPrompt, visible: Int, promptOf: (Int) -> LearningPrompt) -> Int? {
        let keys = Self.keys(prompt)
        for (level, key) in keys.enumerated() {
            guard let key else { continue }
            var candidate = heads[LearningHash.text(key, salt: UInt64(level))] ?? -1
            while candidate >= 0 {
                let i = Int(candidate)
                if i < visible {
                    let candidate = promptOf(i)
                    if candidate == prompt || Self.keys(candidate)[level] == key { return i }
                }
                candidate = chain[i * Self.levels + level]
            }
        }
        return nil
    }
}
