#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import OpenAIMock

/// Entry point: parse, dispatch, exit with the command's status (64 for usage errors).
let arguments = Array(CommandLine.arguments.dropFirst())
let options: CLIOptions
do {
    options = try CLIOptions.parse(arguments)
} catch {
    Console.error("openai-mock: \(error)\n\nRun 'openai-mock --help' for usage.\n")
    exit(64)
}

switch options.command {
case .help:
    print(CLIOptions.usage)
case .version:
    print("openai-mock \(MockConfiguration.version)")
case .validate(let paths):
    exit(Validate.run(paths))
case .serve:
    let status = await Serve.run(options)
    LogWriter.standardError.flush(timeout: .seconds(1))  // the log's last lines, unless nobody reads them
    exit(status)
}
