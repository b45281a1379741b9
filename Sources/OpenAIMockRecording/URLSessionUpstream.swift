import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import OpenAIMock
import Synchronization

/// The upstream of `openai-mock record` over URLSession: HTTPS from the platform (FoundationNetworking,
/// libcurl, on Linux), the response body handed on piece by piece as it arrives, so a stream reaches
/// the client event by event.
public final class URLSessionUpstream: NSObject, Upstream, URLSessionDataDelegate, Sendable {
    /// The upstream's root: `--upstream` without a trailing `/v1` (the client's paths carry it).
    public let root: String
    /// `--upstream-ca`, named when the upstream's certificate is not trusted.
    public let caFile: String?
    private let session = Mutex<URLSession?>(nil)
    private let pending = Mutex<[Int: Pending]>([:])

    private struct Pending {
        var head: CheckedContinuation<UpstreamResponse, any Error>?
        var body: AsyncThrowingStream<[UInt8], any Error>.Continuation
        var stream: AsyncThrowingStream<[UInt8], any Error>
    }

    /// `upstream`: `https://api.openai.com/v1` or any server speaking the API. `caFile`: the CA file
    /// ``UpstreamCA/trust(_:)`` installed, if any (for the error an untrusted certificate gives).
    public init(upstream: String, caFile: String? = nil) {
        self.caFile = caFile
        var root = upstream
        while root.hasSuffix("/") { root.removeLast() }
        if root.hasSuffix("/v1") { root.removeLast(3) }
        self.root = root
        super.init()
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 600       // a stream may pause long between events
        configuration.timeoutIntervalForResource = 24 * 3600
        configuration.httpCookieAcceptPolicy = .never
        configuration.httpShouldSetCookies = false
        configuration.urlCache = nil
        session.withLock { $0 = URLSession(configuration: configuration, delegate: self, delegateQueue: nil) }
    }

    public func send(_ request: UpstreamRequest) async throws -> UpstreamResponse {
        guard let url = URL(string: root + request.target), let session = session.withLock({ $0 }) else {
            throw URLError(.badURL)
        }
        var r = URLRequest(url: url)
        r.httpMethod = request.method
        for (name, value) in request.headers { r.addValue(value, forHTTPHeaderField: name) }
        // A fresh connection per request: libcurl retries a request whose reused connection closed
        // without an answer, and a body URLSession streams cannot be rewound — the retry never ends.
        // A recording session is short; one handshake per request is the price of seeing every reset.
        r.setValue("close", forHTTPHeaderField: "Connection")
        if !request.body.isEmpty { r.httpBody = Data(request.body) }
        let (stream, body) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        return try await withCheckedThrowingContinuation { head in
            let task = session.dataTask(with: r)
            body.onTermination = { _ in task.cancel() }  // the client left: stop the upstream too
            pending.withLock { $0[task.taskIdentifier] = Pending(head: head, body: body, stream: stream) }
            task.resume()
        }
    }

    public func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                           completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
        let http = response as? HTTPURLResponse
        var headers: [(name: String, value: String)] = []
        for (name, value) in http?.allHeaderFields ?? [:] {
            if let name = name as? String, let value = value as? String { headers.append((name, value)) }
        }
        headers.sort { $0.name.lowercased() < $1.name.lowercased() }  // dictionary order is random
        let waiting = pending.withLock { p -> (CheckedContinuation<UpstreamResponse, any Error>, AsyncThrowingStream<[UInt8], any Error>)? in
            guard let head = p[dataTask.taskIdentifier]?.head, let stream = p[dataTask.taskIdentifier]?.stream else { return nil }
            p[dataTask.taskIdentifier]?.head = nil
            return (head, stream)
        }
        completionHandler(.allow)
        waiting?.0.resume(returning: UpstreamResponse(status: http?.statusCode ?? 502, headers: headers, body: waiting!.1))
    }

    public func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let body = pending.withLock { $0[dataTask.taskIdentifier]?.body }
        body?.yield([UInt8](data))
    }

    public func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        guard let done = pending.withLock({ $0.removeValue(forKey: task.taskIdentifier) }) else { return }
        if let head = done.head {
            head.resume(throwing: untrusted(error) ?? error ?? URLError(.badServerResponse))
            done.body.finish()
        } else {
            done.body.finish(throwing: error)
        }
    }

    /// A TLS failure (the certificate, its host name or the handshake) as ``UpstreamUnusable``: recording
    /// needs a trusted upstream; it is no fault of the upstream's to record. Darwin says so with a URLError
    /// code (-1200 ... -1206); FoundationNetworking passes libcurl's failures on as code -1 (unknown) with
    /// libcurl's message: "SSL certificate problem: …", "SSL: no alternative certificate subject name
    /// matches …", "OpenSSL SSL_connect: …", "OpenSSL/3.0.19: error:0A00010B:SSL routines::wrong version
    /// number". (A reset after the handshake, "OpenSSL SSL_read: …", is the upstream's fault, recorded as such.)
    private func untrusted(_ error: (any Error)?) -> UpstreamUnusable? {
        guard let error = error as NSError?, error.domain == NSURLErrorDomain else { return nil }
        let message = error.localizedDescription
        let libcurlTLS = !message.contains("SSL_read") && !message.contains("SSL_write")
            && (message.hasPrefix("SSL") || message.contains("SSL_connect") || message.contains(":SSL routines:"))
        guard (-1206 ... -1200).contains(error.code) || (error.code == -1 && libcurlTLS) else { return nil }
        var remedy = caFile.map { "its certificate is not signed by a CA in --upstream-ca \($0)" }
            ?? "pass its CA certificate with --upstream-ca FILE (or add it to the system store)"
        if caFile != nil, UpstreamCA.requestsUsingIt == 0 { remedy += " (which libcurl was never given: a bug, please report it)" }
        return UpstreamUnusable("TLS with \(root) failed (\(message)): \(remedy)")
    }

    /// Ends the session (outstanding requests fail).
    public func invalidate() { session.withLock { $0?.invalidateAndCancel() } }
}
