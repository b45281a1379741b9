import Foundation
@testable import MockHTTP

/// A handler built from a closure.
struct ClosureHandler: HTTPHandler {
    let body: @Sendable (HTTPRequest) async -> HTTPResponse
    func handle(_ request: HTTPRequest) async -> HTTPResponse { await body(request) }
}

/// A small lock-protected box for values shared between a handler and a test.
final class Box<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    var get: Value { lock.lock(); defer { lock.unlock() }; return value }
    func mutate<R>(_ body: (inout Value) -> R) -> R {
        lock.lock(); defer { lock.unlock() }
        return body(&value)
    }
}

/// A configuration on port 0 with small, test-friendly limits.
func testConfiguration(_ adjust: (inout HTTPServerConfiguration) -> Void = { _ in }) -> HTTPServerConfiguration {
    var configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0)
    configuration.eventLoopCount = 1
    configuration.limits.headerTimeout = 10  // long: a busy test machine must not close a test's idle client
    configuration.limits.idleTimeout = 10
    adjust(&configuration)
    return configuration
}

/// Starts a server, runs `body` with it, and stops it (also when `body` throws).
func withServer<R>(_ configuration: HTTPServerConfiguration = testConfiguration(),
                   queueKind: EventQueueKind = .native,
                   handler: @escaping @Sendable (HTTPRequest) async -> HTTPResponse = echoHandler,
                   _ body: (HTTPServer) async throws -> R) async throws -> R {
    let server = HTTPServer(configuration: configuration, handler: ClosureHandler(body: handler), queueKind: queueKind)
    try server.start()
    do {
        let result = try await body(server)
        await server.stop(gracePeriod: 1)
        return result
    } catch {
        await server.stop(gracePeriod: 0.1)
        throw error
    }
}

/// Answers `METHOD target body-size` plus a few request facts in headers.
@Sendable func echoHandler(_ request: HTTPRequest) async -> HTTPResponse {
    var headers: HTTPHeaders = ["content-type": "text/plain"]
    headers.add("x-method", request.method)
    headers.add("x-path", request.path)
    headers.add("x-query", request.query ?? "")
    headers.add("x-version", request.version.description)
    headers.add("x-body-kind", { if case .stream = request.body { return "stream" } else { return "bytes" } }())
    let body = (try? await request.body.collect(limit: .max)) ?? []
    return HTTPResponse(status: 200, headers: headers, bytes: Array("\(request.method) \(request.target) \(body.count)\n".utf8) + body)
}

/// Polls `condition` every few milliseconds until it holds or `timeout` passes.
func eventually(timeout: Double = 5, _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while !condition() {
        if Date() >= deadline { return false }
        try? await Task.sleep(nanoseconds: 2_000_000)
    }
    return true
}
