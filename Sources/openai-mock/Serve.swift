import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import MockHTTP
import OpenAIMock

/// `openai-mock serve`: start, announce the URL on stdout, run until SIGINT/SIGTERM, drain, exit 0.
enum Serve {
    static func run(_ options: CLIOptions) async -> Int32 {
        var limits = HTTPServerConfiguration.Limits()
        if let n = options.maxBodyBytes { limits.maxBodyBytes = n }
        if let n = options.maxConnections { limits.maxConnections = n }
        let server = MockServer(configuration: options.configuration, host: options.host, port: options.port,
                                limits: limits)
        let scenarios = server.engine.state.scenarios
        for d in scenarios.lastDiagnostics { Console.error("openai-mock: \(d)\n") }
        if scenarios.lastDiagnostics.hasErrors {
            Console.error("openai-mock: cannot load --scenarios (see above)\n")
            return 1
        }
        do {
            try server.start()
        } catch {
            Console.error("openai-mock: cannot listen on \(options.host):\(options.port): \(error)\n")
            return 1
        }
        if let path = options.portFile {
            do {
                try Console.writeFileAtomically("\(server.port)\n", to: path)
            } catch {
                Console.error("openai-mock: cannot write --port-file \(path): \(error)\n")
                await server.stop(gracePeriod: 0)
                return 1
            }
        }
        // Install every handler before the "listening" line: a script may signal as soon as it reads it.
        let (stops, stop) = AsyncStream<Int32>.makeStream()
        let sources = Signals.install([SIGINT, SIGTERM]) { stop.yield($0) }
            + Signals.install([SIGHUP]) { _ in ScenarioReload.run(server.engine.state) }
        Console.output("openai-mock listening on \(server.rootURL)\n")

        var iterator = stops.makeAsyncIterator()
        let signal = await iterator.next() ?? SIGTERM
        Console.error("openai-mock: received signal \(signal), draining\n")
        await server.stop(gracePeriod: 5)
        sources.forEach { $0.cancel() }
        return 0
    }
}

/// Signal handling through Dispatch sources: the default action is disabled first, so no
/// async-unsafe code runs in a handler and a signal is never lost or fatal.
enum Signals {
    static func install(_ signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) -> [any DispatchSourceSignal] {
        signals.map { sig in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { handler(sig) }
            source.resume()
            return source
        }
    }
}

/// SIGHUP → re-read the `--scenarios` paths; a failing file keeps the previous rules and the
/// reason goes to stderr.
enum ScenarioReload {
    static func run(_ state: MockState) {
        let result = state.scenarios.reload(models: state.models)
        var text = ""
        for d in result.diagnostics { text += "openai-mock: \(d)\n" }
        text += result.succeeded
            ? "openai-mock: reloaded scenarios: \(result.set.files.count) files, \(result.set.rules.count) rules\n"
            : "openai-mock: scenario reload failed; the previous rules stay in force\n"
        Console.error(text)
    }
}
