import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CSystem
import MockHTTP
import OpenAIMock

/// `openai-mock serve`: start, announce the URL on stdout, run until SIGINT/SIGTERM, drain, exit 0.
/// `record` is the same with a `forward` step (see ``ForwardStep``).
enum Serve {
    static func run(_ options: CLIOptions, forward: (any PipelineStep)? = nil) async -> Int32 {
        var limits = HTTPServerConfiguration.Limits()
        if let n = options.maxBodyBytes { limits.maxBodyBytes = n }
        if let n = options.maxConnections { limits.maxConnections = n }
        let server = MockServer(configuration: options.configuration, host: options.host, port: options.port,
                                limits: limits, eventLoops: options.eventLoops ?? 0, forward: forward)
        let scenarios = server.engine.state.scenarios
        // Through the log writer: thousands of warnings must not block start-up on a stderr nobody reads.
        for d in scenarios.lastDiagnostics { LogWriter.standardError.write("openai-mock: \(d)\n") }
        if scenarios.lastDiagnostics.hasErrors {
            LogWriter.standardError.write("openai-mock: cannot load --scenarios (see above)\n")
            return 1
        }
        do {
            try server.start()
        } catch let error as StoreOpenError {
            Console.error("openai-mock: cannot open the state: \(error)\n")
            return 1
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
        let state = server.engine.state
        guard let signals = Signals.install([SIGINT, SIGTERM, SIGHUP], handler: { sig in
            if sig == SIGHUP { ScenarioReload.run(state) } else { stop.yield(sig) }
        }) else {
            Console.error("openai-mock: cannot install signal handlers\n")
            await server.stop(gracePeriod: 0)
            return 1
        }
        Console.output("openai-mock listening on \(server.rootURL)\n")

        var iterator = stops.makeAsyncIterator()
        let signal = await iterator.next() ?? SIGTERM
        LogWriter.standardError.write("openai-mock: received signal \(signal), draining\n")
        await server.stop(gracePeriod: 5)
        signals.cancel()
        return 0
    }
}

/// Signals arrive through a self-pipe (see `csystem_signal_pipe`) read by a Dispatch source, so
/// handlers run as ordinary code and a signal sent right after installation is never lost.
enum Signals {
    static func install(_ signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) -> (any DispatchSourceRead)? {
        let fd = signals.withUnsafeBufferPointer { csystem_signal_pipe($0.baseAddress, Int32($0.count)) }
        guard fd >= 0 else { return nil }
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: .global())
        source.setEventHandler {
            var bytes = [UInt8](repeating: 0, count: 64)
            while true {
                let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                guard n > 0 else { break }
                for byte in bytes[..<n] { handler(Int32(byte)) }
            }
        }
        source.resume()
        return source
    }
}

/// SIGHUP → re-read the `--scenarios` paths; a failing file keeps the previous rules and the
/// reason goes to stderr (through the log writer: a stderr nobody reads must not block).
enum ScenarioReload {
    static func run(_ state: MockState) {
        let result = state.scenarios.reload(models: state.models)
        var text = ""
        for d in result.diagnostics { text += "openai-mock: \(d)\n" }
        text += result.succeeded
            ? "openai-mock: reloaded scenarios: \(result.set.files.count) files, \(result.set.rules.count) rules\n"
            : "openai-mock: scenario reload failed; the previous rules stay in force\n"
        LogWriter.standardError.write(text)
    }
}
