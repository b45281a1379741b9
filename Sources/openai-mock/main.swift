#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import MockCLI

/// Entry point of the serving binary (no Foundation): `record` hands over to `openai-mock-record`.
exit(await CLI.main(Array(CommandLine.arguments.dropFirst()), recorder: nil))
