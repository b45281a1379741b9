import Foundation
import Testing
@testable import MockHTTP

/// `handlersStartOnLoop`: a handler that does not suspend runs on the event loop thread that read its
/// request; one that yields continues on the pool; streams are produced on the pool; deep recursion fits.
struct HandlersOnLoopTests {
    static func threadName() -> String {
        #if os(Linux)
        let name = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "?"
        return name.trimmingCharacters(in: .newlines)
        #else
        var name = [CChar](repeating: 0, count: 64)
        pthread_getname_np(pthread_self(), &name, name.count)
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        #endif
    }

    static func names(_ request: HTTPRequest) async -> HTTPResponse {
        let first = threadName()
        if request.path == "/yield" { await Task.yield() }
        return HTTPResponse(status: 200, bytes: Array("\(first)|\(threadName())".utf8))
    }

    func get(_ path: String, on server: HTTPServer) async throws -> [String] {
        let client = try TestClient(port: server.port)
        try await client.send("GET \(path) HTTP/1.1\r\nHost: t\r\n\r\n")
        return try await client.readResponse().text.split(separator: "|").map(String.init)
    }

    @Test func aHandlerThatDoesNotSuspendRunsOnItsLoop() async throws {
        try await withServer(testConfiguration { $0.handlersStartOnLoop = true }, handler: Self.names) { server in
            let names = try await get("/", on: server)
            #expect(names.allSatisfy { $0.hasPrefix("mockhttp-loop") }, "\(names)")
            // After a suspension it continues on the pool, not on the loop.
            let yielded = try await get("/yield", on: server)
            #expect(yielded[0].hasPrefix("mockhttp-loop"))
            #expect(!yielded[1].hasPrefix("mockhttp-loop"), "\(yielded)")
        }
    }

    @Test func offByDefault() async throws {
        try await withServer(handler: Self.names) { server in
            let names = try await get("/", on: server)
            #expect(!names[0].hasPrefix("mockhttp-loop"), "\(names)")
        }
    }

    @Test func streamsAreProducedOnThePool() async throws {
        try await withServer(testConfiguration { $0.handlersStartOnLoop = true }, handler: { _ in
            HTTPResponse(status: 200, body: .stream({ writer in
                try await writer.write(Array(Self.threadName().utf8))
            }))
        }) { server in
            let client = try TestClient(port: server.port)
            try await client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 200)
            #expect(!response.text.isEmpty && !response.text.hasPrefix("mockhttp-loop"), "\(response.text)")
        }
    }

    /// A loop that runs handlers has a pool thread's stack: recursion a 512 KB stack could not hold fits.
    @Test func deepRecursionFitsOnTheLoop() async throws {
        try await withServer(testConfiguration { $0.handlersStartOnLoop = true }, handler: { _ in
            HTTPResponse(status: 200, bytes: Array("\(Self.threadName()) \(Self.deep(4000))".utf8))
        }) { server in
            let client = try TestClient(port: server.port)
            try await client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            let text = try await client.readResponse().text
            #expect(text.hasPrefix("mockhttp-loop") && text.hasSuffix(" 4000"), "\(text)")
        }
    }

    /// Recurses `n` deep with at least 512 bytes of stack per frame (2 MB for 4,000).
    @inline(never) static func deep(_ n: Int) -> Int {
        var frame = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                     0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &frame) { bytes in
            bytes[n % bytes.count] = UInt8(truncatingIfNeeded: n)
            return n == 0 ? 0 : 1 + deep(n - 1) + Int(bytes[n % bytes.count] & 0)
        }
    }
}
