#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A parsed HTTP/1.x request, handed to an ``HTTPHandler`` once its body is complete.
public struct HTTPRequest: Sendable {
    public var method: String
    /// The request target exactly as sent, e.g. `/v1/models/ft%3Aabc?limit=2`.
    public var target: String
    /// `target` up to `?`, still percent-encoded.
    public var path: String
    /// `target` after `?`, still percent-encoded; nil when there is no `?`.
    public var query: String?
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    public var body: HTTPBody

    public init(method: String, target: String, version: HTTPVersion = .http11,
                headers: HTTPHeaders = HTTPHeaders(), body: HTTPBody = .empty) {
        self.method = method
        self.target = target
        if let q = target.firstIndex(of: "?") {
            path = String(target[..<q])
            query = String(target[target.index(after: q)...])
        } else {
            path = target
            query = nil
        }
        self.version = version
        self.headers = headers
        self.body = body
    }
}

public struct HTTPVersion: Sendable, Equatable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }
    public static let http10 = HTTPVersion(major: 1, minor: 0)
    public static let http11 = HTTPVersion(major: 1, minor: 1)
    public var description: String { "HTTP/\(major).\(minor)" }
}

/// A request body: small bodies live in memory, large ones in a temporary file that is
/// removed when the last reference goes away.
public enum HTTPBody: Sendable {
    case bytes([UInt8])
    case file(TemporaryFile)

    public static let empty = HTTPBody.bytes([])

    public var count: Int {
        switch self {
        case .bytes(let b): return b.count
        case .file(let f): return f.size
        }
    }

    /// The whole body in memory. For file bodies this reads the file: callers that can
    /// stream (uploads) should use the file directly.
    public func readAll() throws -> [UInt8] {
        switch self {
        case .bytes(let b): return b
        case .file(let f): return try FileIO.read(f.path)
        }
    }
}

/// A file on disk holding a spooled request body; deleted on deinit unless `keep()` moved it.
public final class TemporaryFile: Sendable {
    public let path: String
    public let size: Int
    private let owned = Mutex(true)

    public init(path: String, size: Int) {
        self.path = path
        self.size = size
    }

    /// Moves the file to `destination` (same file system) so it survives this object.
    public func move(to destination: String) throws {
        try owned.withLock { owned throws(FileIO.Error) in
            try FileIO.moveNoReplace(path, to: destination)
            owned = false
        }
    }

    deinit {
        if owned.withLock({ $0 }) { unlink(path) }
    }
}
