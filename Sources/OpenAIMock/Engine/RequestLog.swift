/// One line per request on stderr. Only method, path (no query), status, rule and timing:
/// nothing that could carry a secret. Lines go through ``LogWriter``, so logging never blocks a
/// request, even when nobody reads stderr (lines are then dropped and counted).
enum RequestLog {
    static func emit(format: MockConfiguration.LogFormat, method: String, path: String, status: Int,
                      matchedRule: String?, durationMs: Double, requestID: String) {
        let ms = (durationMs * 10).rounded() / 10
        var line: String
        switch format {
        case .text:
            // `12.3ms` from whole tenths: what `\(ms)` prints, without formatting a Double.
            let tenths = Int((durationMs * 10).rounded())
            line = "\(method) \(path) \(status) \(tenths / 10).\(tenths % 10)ms \(requestID)"
            if let matchedRule { line += " rule=\(matchedRule)" }
            line += "\n"
        case .json:
            line = JSONValue.object(JSONObject([
                ("method", .string(method)), ("path", .string(path)), ("status", .int(status)),
                ("ms", .double(ms)), ("request_id", .string(requestID)),
                ("rule", matchedRule.map(JSONValue.string) ?? .null),
            ])).jsonString + "\n"
        }
        LogWriter.standardError.write(line, notice: { dropNotice($0, format: format) })
    }

    /// Said before the next line once lines were dropped, in the log's own format.
    static func dropNotice(_ count: Int, format: MockConfiguration.LogFormat) -> String {
        switch format {
        case .text: return LogWriter.plainNotice(count)
        case .json:
            return JSONValue.object(JSONObject([
                ("dropped_lines", .int(count)), ("message", "stderr is not being read fast enough"),
            ])).jsonString + "\n"
        }
    }
}
