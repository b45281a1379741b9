import FuzzSupport
import OpenAIMock

/// The linear-time regex engine: a pattern (up to the first NUL byte, at most 512 bytes) compiled, matched
/// against the rest of the input (or itself), and sampled. Any pattern compiles or is refused with a
/// reason; matching never traps and, under the fuzzer's per-input timeout, never runs long; a sample of a
/// pattern without inner assertions matches it.
@main enum RegexFuzz {
    static func main() {
        Fuzz.run { data in
            let (choice, rest) = Fuzz.split(data)
            let parts = rest.split(separator: 0, maxSplits: 1, omittingEmptySubsequences: false)
            let pattern = String(decoding: (parts.first ?? []).prefix(512), as: UTF8.self)
            let subject = parts.count > 1 ? String(decoding: parts[1], as: UTF8.self) : pattern
            guard let regex = try? LinearRegex(pattern, ignoreCase: choice & 1 == 1) else { return }
            _ = regex.matches(subject)
            if let sample = regex.sample(seed: UInt64(choice), maxScalars: 2_000), !regex.samplesNeedChecking {
                precondition(regex.matches(sample), "\(pattern) does not match its own sample \(sample.debugDescription)")
            }
        }
    }
}
