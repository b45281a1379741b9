import Synchronization

/// Writes what `openai-mock record` sees as ordinary scenario files in a directory: one file per
/// distinct request (method, path, query, canonical body), holding one rule whose steps are the
/// upstream's answers in the order they came (a job polled until it succeeds replays the same way).
/// Recording again replaces a file rather than adding rules to it; every write is atomic (temporary
/// file, then rename) and secrets are scrubbed first (see ``Redaction``).
public final class Recorder: Sendable {
    public let directory: String
    public let redaction: Redaction
    private let state = Mutex<State>(State())

    private struct State {
        /// Steps recorded this session, by file.
        var steps: [String: [JSONValue]] = [:]
        var secrets: Set<String> = []
    }

    public init(directory: String, redaction: Redaction = Redaction()) throws(FileSystemError) {
        self.directory = directory
        self.redaction = redaction
        try FileSystem.makeDirectory(directory)
    }

    /// Adds the exchange to its rule and rewrites the rule's file. Returns the file's path.
    @discardableResult
    public func record(_ exchange: RecordedExchange) throws(FileSystemError) -> String {
        let body = exchange.jsonBody
        let canonical = body.flatMap(CanonicalBody.form)
        var responseJSON: [JSONValue] = []
        if case .response(let r) = exchange.outcome, r.events == nil, let j = try? JSONValue.parse(r.body) { responseJSON.append(j) }
        let found = redaction.secrets(requestHeaders: exchange.requestHeaders, bodies: (body.map { [$0] } ?? []) + responseJSON)

        let key = StableHash.of(exchange.method, exchange.path, exchange.query, canonical?.jsonString ?? "")
        var folder = directory
        if let test = exchange.testID { folder += "/" + Self.slug(test, limit: 80) }
        let name = exchange.method + "-" + Self.slug(exchange.path.hasPrefix("/v1/") ? String(exchange.path.dropFirst(4)) : exchange.path, limit: 60)
            + "-" + StableHash.idSuffix(key, length: 8, mixedCase: false) + ".json5"
        let path = folder + "/" + name
        let step = exchange.action(redaction: redaction)
        let when = exchange.when(canonical: canonical)

        return try state.withLock { s throws(FileSystemError) -> String in
            s.secrets.formUnion(found)
            s.steps[path, default: []].append(step)
            let steps = s.steps[path]!
            let rule = JSONValue.object(JSONObject([
                ("name", .string("\(exchange.method) \(exchange.path)\(exchange.query.isEmpty ? "" : "?" + exchange.query)")),
                ("when", when),
                ("do", steps.count == 1 ? steps[0] : .array(steps)),
            ]))
            let text = "// Recorded by `openai-mock record`; replay with `openai-mock serve --scenarios \(directory)`.\n"
                + PrettyJSON.text(.object(["rules": .array([rule])])) + "\n"
            try FileSystem.makeDirectory(folder)
            try FileSystem.writeAtomically(Array(Redaction.scrub(text, secrets: Array(s.secrets)).utf8), to: path, durable: false)
            return path
        }
    }

    /// A file-name-safe form of `text`: letters, digits, `-`, `_` and `.`; the rest `_`.
    static func slug(_ text: String, limit: Int) -> String {
        let safe = text.unicodeScalars.map { c -> Character in
            (c.properties.isASCIIHexDigit || ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "-" || c == "." || c == "_")
                ? Character(c) : "_"
        }
        let s = String(safe.prefix(limit))
        return s.isEmpty || s.hasPrefix(".") ? "_" + s : s
    }
}
