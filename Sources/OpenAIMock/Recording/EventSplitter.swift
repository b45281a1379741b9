/// Cuts a `text/event-stream` body into events as its bytes arrive: an event ends at a blank line
/// (`\n\n`, `\r\n\r\n`). Each event keeps its exact text and when it was complete.
struct EventSplitter {
    private var pending: [UInt8] = []
    /// How far `pending` is known to hold no blank line (a long event arriving in small pieces is scanned once).
    private var scanned = 0
    private var last: ContinuousClock.Instant
    private(set) var events: [RecordedResponse.Event] = []

    init(start: ContinuousClock.Instant) { last = start }

    mutating func feed(_ bytes: [UInt8], at now: ContinuousClock.Instant) {
        pending += bytes
        while let (end, next) = Self.blankLine(in: pending, from: scanned) {
            let text = Array(pending[..<end])
            pending.removeFirst(next)
            scanned = 0
            if text.isEmpty { continue }
            let elapsed = now - last
            last = now
            let ms = Int(elapsed.components.seconds) * 1000 + Int(elapsed.components.attoseconds / 1_000_000_000_000_000)
            events.append(.init(afterMilliseconds: max(0, ms), text: text))
        }
        scanned = max(0, pending.count - 3)  // a blank line may straddle the next piece
    }

    /// What is left when the body ends without a final blank line.
    mutating func finish(at now: ContinuousClock.Instant) {
        let rest = pending.filter { $0 != 0x0A && $0 != 0x0D }
        if !rest.isEmpty { feed([0x0A, 0x0A], at: now) }
        pending = []
        scanned = 0
    }

    /// Where the first event ends (its text's end, and where the next begins).
    static func blankLine(in b: [UInt8], from start: Int = 0) -> (Int, Int)? {
        var i = start
        while i + 1 < b.count {
            if b[i] == 0x0A && b[i + 1] == 0x0A { return (i, i + 2) }
            if b[i] == 0x0D && i + 3 < b.count && b[i + 1] == 0x0A && b[i + 2] == 0x0D && b[i + 3] == 0x0A { return (i, i + 4) }
            i += 1
        }
        return nil
    }
}
