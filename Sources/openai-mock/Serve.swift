import Dispatch
import Foundation
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
        do {
            try server.start()
        } catch {
            FileHandle.standardError.write(Data("openai-mock: cannot listen on \(options.host):\(options.port): \(error)\n".utf8))
            return 1
        }
        if let path = options.portFile {
            do {
                try "\(server.port)\n".write(toFile: path, atomically: true, encoding: .utf8)
            } catch {
                FileHandle.standardError.write(Data("openai-mock: cannot write --port-file \(path): \(error)\n".utf8))
                await server.stop(gracePeriod: 0)
                return 1
            }
        }
        FileHandle.standardOutput.write(Data("openai-mock listening on \(server.rootURL)\n".utf8))

        let signal = await Signals.wait(for: [SIGINT, SIGTERM])
        FileHandle.standardError.write(Data("openai-mock: received signal \(signal), draining\n".utf8))
        await server.stop(gracePeriod: 5)
        return 0
    }
}

/// Waits for the first of some signals without installing async-unsafe handlers.
enum Signals {
    static func wait(for signals: [Int32]) async -> Int32 {
        await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
            let fired = Fired(continuation)
            for sig in signals {
                signal(sig, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
                source.setEventHandler { fired.fire(sig) }
                source.resume()
                fired.keep(source)
            }
        }
    }

    private final class Fired: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<Int32, Never>?
        private var sources: [any DispatchSourceSignal] = []
        init(_ c: CheckedContinuation<Int32, Never>) { continuation = c }
        func keep(_ s: any DispatchSourceSignal) { lock.withLock { sources.append(s) } }
        func fire(_ sig: Int32) {
            let c: CheckedContinuation<Int32, Never>? = lock.withLock {
                defer { continuation = nil }
                return continuation
            }
            c?.resume(returning: sig)
        }
    }
}
