#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import MockCLI
import OpenAIMock
import OpenAIMockRecording

/// `openai-mock record …` (which `openai-mock` hands over to): the same command line, with the
/// forward step built from `--upstream` over URLSession and a ``Recorder`` writing to `--out`.
/// `--upstream-ca` is installed before the first URLSession exists.
exit(await CLI.main(Array(CommandLine.arguments.dropFirst()), recorder: { options in
    if let ca = options.record.upstreamCA { try UpstreamCA.trust(ca) }
    return ForwardStep(upstream: URLSessionUpstream(upstream: options.record.upstream ?? "", caFile: options.record.upstreamCA),
                       recorder: try Recorder(directory: options.record.out ?? ".", redaction: Redaction(extra: options.record.redact)))
}))
