#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One line per request on stderr. Only method, path (no query), status, rule and timing:
/// nothing that could carry a secret.
enum RequestLog {
    static func emit(format: MockConfiguration.LogFormat, method: String, path: String, status: Int,
                      matchedRule: String?, durationMs: Double, requestID: String) {
        let ms = (durationMs * 10).rounded() / 10
        var line: String
        switch format {
        case .text:
            line = "\(method) \(path) \(status) \(ms)ms \(requestID)"
            if let matchedRule { line += " rule=\(matchedRule)" }
        case .json:
            line = JSONValue.object(JSONObject([
                ("method", .string(method)), ("path", .string(path)), ("status", .int(status)),
                ("ms", .double(ms)), ("request_id", .string(requestID)),
                ("rule", matchedRule.map(JSONValue.string) ?? .null),
            ])).jsonString
        }
        line += "\n"
        var bytes = Array(line.utf8)
        // One write(2) per line so concurrent requests never interleave inside a line.
        _ = bytes.withUnsafeMutableBytes { systemWrite(2, $0.baseAddress, $0.count) }
    }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
#endif
