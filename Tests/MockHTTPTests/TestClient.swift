import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct TestClientError: Error, CustomStringConvertible {
    var description: String
}

/// A parsed response as seen on the wire.
struct WireResponse {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    func count(of name: String) -> Int {
        headers.filter { $0.name.lowercased() == name.lowercased() }.count
    }
}

/// A raw TCP client for tests. Non-blocking socket; waiting is done with short async sleeps so
/// the cooperative pool (which also runs the server's handlers) is never blocked.
final class TestClient {
    let fd: Int32
    private var buffer: [UInt8] = []
    private(set) var sawEOF = false
    private(set) var sawReset = false

    init(port: Int, receiveBuffer: Int32? = nil) throws {
        #if canImport(Glibc)
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw TestClientError(description: "socket failed") }
        if var size = receiveBuffer {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else {
            close(fd)
            throw TestClientError(description: "connect failed: errno \(errno)")
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    private var isOpen = true

    deinit { disconnect() }

    /// Closes the socket; `reset` sends RST (SO_LINGER 0) instead of FIN.
    func disconnect(reset: Bool = false) {
        guard isOpen else { return }
        isOpen = false
        if reset {
            var l = linger(l_onoff: 1, l_linger: 0)
            setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
        }
        close(fd)
    }

    func send(_ text: String) async throws { try await send(Array(text.utf8)) }

    func send(_ bytes: [UInt8], timeout: Double = 15) async throws {
        var offset = 0
        let deadline = Date().addingTimeInterval(timeout)
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                #if canImport(Glibc)
                Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                #else
                Darwin.send(fd, raw.baseAddress! + offset, raw.count - offset, 0)
                #endif
            }
            if n > 0 {
                offset += n
            } else if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                guard Date() < deadline else { throw TestClientError(description: "send timed out") }
                try await Task.sleep(nanoseconds: 1_000_000)
            } else {
                throw TestClientError(description: "send failed: errno \(errno)")
            }
        }
    }

    /// Half-closes the sending side.
    func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    /// Reads whatever is available; returns false when nothing was (yet).
    @discardableResult
    private func pump() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
        if n > 0 {
            buffer.append(contentsOf: chunk[0..<n])
            return true
        }
        if n == 0 {
            sawEOF = true
        } else if errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR {
            sawReset = true
            sawEOF = true
        }
        return false
    }

    /// Waits until `condition` holds on the received bytes (or the peer closed).
    private func wait(timeout: Double, until condition: ([UInt8]) -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition(buffer) {
            if pump() { continue }
            if sawEOF { return }
            guard Date() < deadline else {
                throw TestClientError(description: "timed out; received so far: \(String(decoding: buffer, as: UTF8.self).prefix(300))")
            }
            try await Task.sleep(nanoseconds: 1_000_000)
        }
    }

    /// Reads bytes until `count` are available (or EOF).
    func readBytes(_ count: Int, timeout: Double = 15) async throws -> [UInt8] {
        try await wait(timeout: timeout) { $0.count >= count }
        let take = min(count, buffer.count)
        defer { buffer.removeFirst(take) }
        return Array(buffer[0..<take])
    }

    /// Everything until the server closes the connection.
    func readToEnd(timeout: Double = 15) async throws -> [UInt8] {
        try await wait(timeout: timeout) { _ in false }
        defer { buffer = [] }
        return buffer
    }

    /// True once the server closed the connection (FIN or RST) within `timeout`.
    func waitForClose(timeout: Double = 15) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !sawEOF {
            if pump() { continue }
            if sawEOF || Date() >= deadline { break }
            try? await Task.sleep(nanoseconds: 2_000_000)
        }
        return sawEOF
    }

    /// Reads a response head (status line and fields), leaving the body unread.
    func readHead(timeout: Double = 15) async throws -> WireResponse {
        try await wait(timeout: timeout) { Self.headEnd($0) != nil }
        guard let end = Self.headEnd(buffer) else {
            throw TestClientError(description: "connection closed before a response head; got \(buffer.count) bytes")
        }
        let head = String(decoding: buffer[0..<end], as: UTF8.self)
        buffer.removeFirst(end)
        var lines = head.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw TestClientError(description: "bad status line in \(head)")
        }
        let headers = lines.map { line -> (name: String, value: String) in
            let colon = line.firstIndex(of: ":")!
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return WireResponse(status: status, headers: headers, body: [])
    }

    /// Reads one complete response (Content-Length, chunked, or close-delimited body).
    func readResponse(timeout: Double = 15, headRequest: Bool = false) async throws -> WireResponse {
        var response = try await readHead(timeout: timeout)
        let status = response.status
        if headRequest || status < 200 || status == 204 || status == 304 { return response }
        if let length = response.header("content-length").flatMap(Int.init) {
            response.body = try await readBytes(length, timeout: timeout)
        } else if response.header("transfer-encoding")?.lowercased() == "chunked" {
            while let chunk = try await readChunk(timeout: timeout) { response.body += chunk }
        } else {
            response.body = try await readToEnd(timeout: timeout)
        }
        return response
    }

    /// The next chunk of a chunked body; nil for the last chunk (trailers are skipped).
    func readChunk(timeout: Double = 15) async throws -> [UInt8]? {
        try await wait(timeout: timeout) { Self.lineEnd($0) != nil }
        guard let lineEnd = Self.lineEnd(buffer) else { throw TestClientError(description: "truncated chunked body") }
        let sizeText = String(decoding: buffer[0..<lineEnd], as: UTF8.self)
        buffer.removeFirst(lineEnd + 2)
        guard let size = Int(sizeText.split(separator: ";").first ?? "", radix: 16) else {
            throw TestClientError(description: "bad chunk size \(sizeText)")
        }
        if size == 0 {
            let end = try await readBytes(2, timeout: timeout)
            guard end == [13, 10] else { throw TestClientError(description: "bad last chunk") }
            return nil
        }
        let chunk = try await readBytes(size + 2, timeout: timeout)
        guard chunk.count == size + 2, chunk.suffix(2) == [13, 10] else {
            throw TestClientError(description: "truncated chunk")
        }
        return Array(chunk[0..<size])
    }

    var bufferedBytes: [UInt8] { buffer }

    private static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for i in 0...(bytes.count - 4) where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 {
            return i + 4
        }
        return nil
    }

    private static func lineEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 2 else { return nil }
        for i in 0...(bytes.count - 2) where bytes[i] == 13 && bytes[i + 1] == 10 { return i }
        return nil
    }
}
