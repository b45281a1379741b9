#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import OpenAIMock

/// The command line of `openai-mock` and `openai-mock-record`: parse, dispatch, return the exit status
/// (64 for usage errors).
///
/// `record` needs an HTTPS client, which needs Foundation; the serving binary links none (idle memory),
/// so `openai-mock record …` hands over to `openai-mock-record`, the same command line linked with
/// `OpenAIMockRecording`, which passes its way of making the forward step as `recorder`.
package enum CLI {
    package typealias Recorder = @Sendable (CLIOptions) throws -> any PipelineStep

    package static func main(_ arguments: [String], recorder: Recorder?) async -> Int32 {
        let options: CLIOptions
        do {
            options = try CLIOptions.parse(arguments)
        } catch {
            Console.error("openai-mock: \(error)\n\nRun 'openai-mock --help' for usage.\n")
            return 64
        }
        switch options.command {
        case .help:
            print(CLIOptions.usage)
            return 0
        case .version:
            print("openai-mock \(MockConfiguration.version)")
            return 0
        case .validate(let paths):
            return Validate.run(paths)
        case .serve:
            return await serve(options, forward: nil)
        case .record:
            guard let recorder else { return handOver(arguments) }
            let forward: any PipelineStep
            do {
                forward = try recorder(options)
            } catch {
                Console.error("openai-mock record: \(error)\n")
                return 1
            }
            return await serve(options, forward: forward)
        }
    }

    private static func serve(_ options: CLIOptions, forward: (any PipelineStep)?) async -> Int32 {
        let status = await Serve.run(options, forward: forward)
        LogWriter.standardError.flush(timeout: .seconds(1))  // the log's last lines, unless nobody reads them
        return status
    }

    /// Replaces this process with `openai-mock-record` from the same directory; returns only on failure.
    static func handOver(_ arguments: [String]) -> Int32 {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let me = n > 0 ? String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
        let directory = me.contains("/") ? String(me[..<me.lastIndex(of: "/")!]) : "."
        let sibling = directory + "/openai-mock-record"
        let argv = ([sibling] + arguments).map { strdup($0) } + [nil]
        execv(sibling, argv)
        Console.error("openai-mock: 'record' needs \(sibling) (built with openai-mock: swift build): \(String(cString: strerror(errno)))\n")
        return 1
    }
}
