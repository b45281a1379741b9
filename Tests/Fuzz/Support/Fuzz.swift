#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libFuzzer's entry for programs that keep their own `main` (in `libclang_rt.fuzzer_no_main`): it parses
/// the fuzzer's flags from `argv` and calls `callback` with each input until done.
@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(_ argc: UnsafeMutablePointer<CInt>,
                       _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                       _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// The one test being fuzzed (a C callback cannot capture it).
nonisolated(unsafe) private var test: ((UnsafeRawBufferPointer) -> Void)?

/// What every fuzz target's `main` calls: `Fuzz.run { bytes in … }`. The closure must not trap, hang or
/// leak for any input; a failed check is a `preconditionFailure`, which the fuzzer reports as a crash
/// with the input that caused it.
public enum Fuzz {
    public static func run(_ body: @escaping (UnsafeRawBufferPointer) -> Void) -> Never {
        test = body
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        let status = runDriver(&argc, &argv) { data, size in
            test?(UnsafeRawBufferPointer(start: data, count: size))
            return 0
        }
        exit(status)
    }

    /// The input as bytes, with its first byte split off as a small number for the target's own choices
    /// (how to cut a stream into reads, which seed to use).
    public static func split(_ data: UnsafeRawBufferPointer) -> (choice: UInt8, rest: [UInt8]) {
        guard let first = data.first else { return (0, []) }
        return (first, Array(data.dropFirst()))
    }
}
