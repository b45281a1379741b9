import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import MockHTTP
import OpenAIMock
import Synchronization

/// Answers a `URLSession`'s requests with a ``MockEngine`` in the same process — no socket, no port.
/// Streams arrive piece by piece as the engine writes them (paced streams at their pace); on Linux a
/// response body is handed over whole when it ends (see ``ClientWriter``).
///
/// ```swift
/// let engine = MockEngine()
/// try engine.start()
/// let configuration = URLSessionConfiguration.ephemeral
/// MockURLProtocol.register(engine, in: configuration)
/// let session = URLSession(configuration: configuration)   // any http(s) URL: the engine answers
/// ```
/// One engine answers at a time (the last registered); ``unregister()`` lets requests through again.
public final class MockURLProtocol: URLProtocol {
    private static let current = Mutex<MockEngine?>(nil)
    private let work = Mutex<Task<Void, Never>?>(nil)

    /// Routes the requests of sessions made with `configuration` to `engine`.
    public static func register(_ engine: MockEngine, in configuration: URLSessionConfiguration) {
        current.withLock { $0 = engine }
        configuration.protocolClasses = [MockURLProtocol.self] + (configuration.protocolClasses ?? [])
    }

    public static func unregister() { current.withLock { $0 = nil } }

    override public class func canInit(with request: URLRequest) -> Bool {
        current.withLock { $0 != nil } && (request.url?.scheme == "http" || request.url?.scheme == "https")
    }

    override public class func canonicalRequest(for request: URLRequest) -> URLRequest { request }

    override public func startLoading() {
        guard let engine = Self.current.withLock({ $0 }), let url = request.url else {
            client?.urlProtocol(self, didFailWithError: URLError(.unsupportedURL))
            return
        }
        let headers = (request.allHTTPHeaderFields ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let asked = HTTPRequest(method: request.httpMethod ?? "GET", target: Self.target(url), headers: HTTPHeaders(headers),
                                body: .bytes(Self.body(of: request)))
        // URLProtocol is not Sendable: the task reaches it through the writer, as the URL loading
        // system itself calls it from its own threads.
        let writer = ClientWriter(protocol: self)
        work.withLock { $0 = Task { await writer.answer(asked, engine: engine, url: url) } }
    }

    override public func stopLoading() { work.withLock { $0?.cancel() } }

    /// Path and query of `url`, still percent-encoded, as a client sends them on the wire.
    static func target(_ url: URL) -> String {
        let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        var target = components?.percentEncodedPath ?? "/"
        if target.isEmpty { target = "/" }
        if let query = components?.percentEncodedQuery { target += "?" + query }
        return target
    }

    /// The body, given whole or as a stream (URLSession passes uploads as streams).
    static func body(of request: URLRequest) -> [UInt8] {
        if let data = request.httpBody { return [UInt8](data) }
        guard let stream = request.httpBodyStream else { return [] }
        stream.open()
        defer { stream.close() }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = stream.read(&buffer, maxLength: buffer.count)
            if n <= 0 { break }
            bytes += buffer[..<n]
        }
        return bytes
    }
}

/// Hands the engine's response to the URL loading system, the body as the engine writes it.
///
/// On Linux the body is handed over whole when it ends: FoundationNetworking's protocol client keeps
/// only the last piece it was given for a task with a completion handler (`data(for:)`), so pieces
/// would lose all but the last. Elsewhere each piece goes on as it is written.
private final class ClientWriter: HTTPBodyWriter, @unchecked Sendable {
    let owner: MockURLProtocol
    private let ended = Mutex(false)
    #if canImport(FoundationNetworking)
    private let held = Mutex<[UInt8]>([])
    #endif

    init(protocol owner: MockURLProtocol) { self.owner = owner }

    func answer(_ request: HTTPRequest, engine: MockEngine, url: URL) async {
        let response = await engine.handle(request)
        if case .dropConnection = response.body {
            await abort()
            return
        }
        var fields: [String: String] = [:]
        for field in response.headers { fields[field.name] = field.value }
        guard let head = HTTPURLResponse(url: url, statusCode: response.status, httpVersion: "HTTP/1.1", headerFields: fields) else {
            await abort()
            return
        }
        owner.client?.urlProtocol(owner, didReceive: head, cacheStoragePolicy: .notAllowed)
        do {
            switch response.body {
            case .bytes(let bytes): try await write(bytes)
            case .stream(let produce): try await produce(self)
            case .scheduled(let body): try await play(body)
            case .dropConnection: break
            }
        } catch {
            await abort()
            return
        }
        #if canImport(FoundationNetworking)
        let body = held.withLock { $0 }
        if !body.isEmpty { owner.client?.urlProtocol(owner, didLoad: Data(body)) }
        #endif
        if !ended.withLock({ let was = $0; $0 = true; return was }) { owner.client?.urlProtocolDidFinishLoading(owner) }
    }

    func write(_ bytes: [UInt8]) async throws {
        try Task.checkCancellation()
        #if canImport(FoundationNetworking)
        held.withLock { $0 += bytes }
        #else
        if !bytes.isEmpty { owner.client?.urlProtocol(owner, didLoad: Data(bytes)) }
        #endif
    }

    func abort() async {
        guard !ended.withLock({ let was = $0; $0 = true; return was }) else { return }
        owner.client?.urlProtocol(owner, didFailWithError: URLError(.networkConnectionLost))
    }
}
