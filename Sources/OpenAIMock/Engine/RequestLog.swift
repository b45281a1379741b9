/// One line per request on stderr. Only method, path (no query), status, rule and timing:
/// nothing that could carry a secret. Lines go through ``LogWriter``, so logging never blocks a
/// request, even when nobody reads stderr (lines are then dropped and counted).
enum RequestLog {
    static func emit(format: MockConfiguration.LogFormat, method: String, path: String, status: Int,
                      matchedRule: String?, durationMs: Double, requestID: String) {
        switch format {
        case .text:
            // `POST /v1/chat/completions 200 12.3ms req_…[ rule=…]`, written as bytes (interpolating a String
            // costs more than the rest of a request's log step); `12.3ms` from whole tenths: what `\(ms)` prints.
            let tenths = Int((durationMs * 10).rounded())
            var line: [UInt8] = []
            line.reserveCapacity(method.utf8.count + path.utf8.count + requestID.utf8.count + (matchedRule?.utf8.count ?? 0) + 32)
            line += method.utf8
            line.append(0x20)
            line += path.utf8
            line.append(0x20)
            JSONValue.writeInt(status, to: &line)
            line.append(0x20)
            JSONValue.writeInt(tenths / 10, to: &line)
            line.append(UInt8(ascii: "."))
            JSONValue.writeInt(tenths % 10, to: &line)
            line += "ms ".utf8
            line += requestID.utf8
            if let matchedRule {
                line += " rule=".utf8
                line += matchedRule.utf8
            }
            line.append(0x0A)
            LogWriter.standardError.write(utf8: line, notice: { dropNotice($0, format: format) })
        case .json:
            let line = JSONValue.object(JSONObject([
                ("method", .string(method)), ("path", .string(path)), ("status", .int(status)),
                ("ms", .double((durationMs * 10).rounded() / 10)), ("request_id", .string(requestID)),
                ("rule", matchedRule.map(JSONValue.string) ?? .null),
            ])).jsonString + "\n"
            LogWriter.standardError.write(line, notice: { dropNotice($0, format: format) })
        }
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
