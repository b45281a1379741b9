#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Where response timestamps (`created`, `created_at`) come from.
///
/// Determinism forbids the wall clock by default: the same request must give the same bytes in
/// any process at any time, so the default clock is fixed at 2024-06-01T00:00:00Z. `--clock real`
/// selects wall time; a fixed clock can be stepped forward (fine-tune jobs progress on it) without
/// anyone sleeping.
public final class VirtualClock: Sendable {
    public enum Mode: Sendable, Equatable {
        /// Starts at the given Unix second and moves only through ``advance(by:)``.
        case fixed(Int)
        /// Wall time (plus any ``advance(by:)`` offset).
        case real
    }

    /// 2024-06-01T00:00:00Z.
    public static let defaultEpoch = 1_717_200_000

    public let mode: Mode
    private let offset = Mutex<Int>(0)

    public init(_ mode: Mode = .fixed(VirtualClock.defaultEpoch)) {
        self.mode = mode
    }

    /// The current time in integer Unix seconds (the API's timestamp unit).
    public func now() -> Int {
        let extra = offset.withLock { $0 }
        switch mode {
        case .fixed(let start): return start + extra
        case .real: return Int(time(nil)) + extra
        }
    }

    /// Moves the clock forward by `seconds` (simulated time for jobs and expiries).
    public func advance(by seconds: Int) {
        offset.withLock { $0 += max(0, seconds) }
    }

    /// Parses the `--clock` argument: `real`, `fixed` (the default epoch), `fixed:<unix seconds>`
    /// or `fixed:YYYY-MM-DDTHH:MM:SSZ`.
    public static func parse(_ text: String) -> Mode? {
        if text == "real" { return .real }
        if text == "fixed" { return .fixed(defaultEpoch) }
        guard text.hasPrefix("fixed:") else { return nil }
        let value = String(text.dropFirst("fixed:".count))
        if let seconds = Int(value) { return .fixed(seconds) }
        return parseISO8601(value).map(Mode.fixed)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` (UTC only) to Unix seconds, without Foundation.
    static func parseISO8601(_ s: String) -> Int? {
        let b = Array(s.utf8)
        guard b.count == 20, b[4] == 45, b[7] == 45, b[10] == 84, b[13] == 58, b[16] == 58, b[19] == 90 else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                guard b[i] >= 48 && b[i] <= 57 else { return nil }
                v = v * 10 + Int(b[i] - 48)
            }
            return v
        }
        guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10),
              let hh = num(11..<13), let mm = num(14..<16), let ss = num(17..<19),
              (1...12).contains(m), (1...31).contains(d), hh < 24, mm < 60, ss < 61 else { return nil }
        return daysFromCivil(y, m, d) * 86_400 + hh * 3_600 + mm * 60 + ss
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
