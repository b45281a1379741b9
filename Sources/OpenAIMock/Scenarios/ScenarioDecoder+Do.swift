import MockHTTP

/// Decoding of `do`: reply content, faults, delay and stream shape, checked for contradictions
/// (a fault *and* a reply, two stream breakages) at load time rather than at request time.
extension ScenarioDecoder {
    static let finishReasons = ["stop", "length", "tool_calls", "content_filter", "function_call"]

    func decodeAction(_ v: SourceValue) -> RuleAction? {
        guard let f = object(v, known: ScenarioKeys.action, what: "an action ('do')") else { return nil }
        var reply = ReplySpec()
        let before = diagnostics.count

        if f["text"] != nil && f["text_file"] != nil {
            error(.invalidValue, "Give either 'text' or 'text_file', not both", at: v.location)
        }
        if let t = f["text"] { reply.text = template(t, "text") }
        if let t = f["text_file"], let path = string(t, "text_file") { reply.text = sideFile(path, at: t.location) }
        if let r = f["refusal"] { reply.refusal = template(r, "refusal") }
        if let calls = f["tool_calls"], let list = array(calls, "tool_calls") {
            if list.isEmpty { error(.invalidValue, "'tool_calls' is empty", at: calls.location) }
            reply.toolCalls = list.compactMap(decodeToolCall)
        }
        if let j = f["json"] {
            checkTemplates(in: j, "json")
            reply.json = j.json
        }
        if let fr = f["finish_reason"], let s = string(fr, "finish_reason") {
            if Self.finishReasons.contains(s) { reply.finishReason = s }
            else { error(.invalidValue, "Unknown finish_reason '\(s)': use " + Self.finishReasons.joined(separator: ", "), at: fr.location) }
        }
        if let u = f["usage"] { reply.usage = decodeUsage(u) }
        if let e = f["embedding"], let list = array(e, "embedding") {
            let numbers = list.compactMap(\.double)
            if numbers.count != list.count || list.isEmpty {
                error(.invalidValue, "'embedding' must be a non-empty array of numbers", at: e.location)
            } else {
                reply.embedding = numbers.map { Float($0) }
            }
        }
        if let e = f["embed_like"] { reply.embedLike = template(e, "embed_like") }
        if let m = f["moderation"] { reply.moderation = decodeModeration(m) }

        var fault: FaultSpec?
        if let fv = f["fault"] { fault = decodeFault(fv, known: ScenarioKeys.fault, what: "a fault") }
        let drop = f["drop_connection"].flatMap { bool($0, "drop_connection") } ?? false
        var delay: Duration?
        if let d = f["delay_ms"], let ms = int(d, "delay_ms", min: 0, max: 600_000) { delay = .milliseconds(ms) }
        let stream = f["stream"].flatMap(decodeStream)
        let recorded = f["response"].flatMap(decodeRecordedResponse)
        if f["response"] != nil && f.members.count > (f["delay_ms"] == nil ? 1 : 2) {
            error(.invalidValue, "A recorded 'response' is the whole answer: only 'delay_ms' can go with it", at: v.location)
        }

        // Contradictions.
        let contentKeys = ["text", "text_file", "refusal", "tool_calls", "json"].filter { f[$0] != nil }
        if contentKeys.contains("json") && contentKeys.count > 1 {
            error(.invalidValue, "'json' is the whole content: it cannot be combined with " +
                  contentKeys.filter { $0 != "json" }.joined(separator: ", "), at: v.location)
        }
        if f["refusal"] != nil && (f["text"] != nil || f["text_file"] != nil || f["tool_calls"] != nil) {
            error(.invalidValue, "'refusal' cannot be combined with text or tool_calls", at: v.location)
        }
        let isFaultAction = f["fault"] != nil || drop
        if isFaultAction && (!reply.isEmpty || f["stream"] != nil) {
            error(.invalidValue, "A fault answers instead of a reply: remove the reply keys or the fault", at: v.location)
        }
        if f["fault"] != nil && drop {
            error(.invalidValue, "Give either 'fault' or 'drop_connection', not both", at: v.location)
        }
        if (v.members ?? []).isEmpty {
            error(.invalidValue, "Empty action: give a reply (text, tool_calls, …), a fault, or drop_connection", at: v.location)
        }
        guard diagnostics.count == before else { return nil }
        return RuleAction(location: v.location, reply: reply, fault: fault, dropConnection: drop, delay: delay, stream: stream,
                          recorded: recorded)
    }

    /// A side file, relative to the scenario file; its content is a template like `text`.
    func sideFile(_ path: String, at location: SourceLocation) -> Template? {
        let resolved = ScenarioFiles.resolve(path, in: directory)
        let data: [UInt8]
        switch ScenarioFiles.contents(resolved) {
        case .success(let bytes): data = bytes
        case .failure(.cannotOpen):
            error(.missingFile, "Side file '\(path)' not found (looked for \(resolved))", at: location)
            return nil
        case .failure(let problem):
            error(.missingFile, "Side file '\(path)' \(problem) (\(resolved))", at: location)
            return nil
        }
        // A UTF-8 byte order mark is dropped, as Foundation's `String(data:encoding:)` did.
        let body = data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data[...]
        guard let text = String(validating: body, as: UTF8.self) else {
            error(.missingFile, "Side file '\(path)' is not UTF-8 text", at: location)
            return nil
        }
        do throws(Template.Error) {
            return try Template(text)
        } catch {
            self.error(.badTemplate, "In side file '\(path)': \(error.message)", at: location)
            return nil
        }
    }

    /// Reports bad placeholders in the strings of a JSON value (json content, tool arguments).
    func checkTemplates(in v: SourceValue, _ key: String) {
        switch v.node {
        case .string(let s) where s.contains("{{"): _ = template(v, key)
        case .array(let a): a.forEach { checkTemplates(in: $0, key) }
        case .object(let m): m.forEach { checkTemplates(in: $0.value, key) }
        default: break
        }
    }

    func decodeToolCall(_ v: SourceValue) -> ToolCallSpec? {
        guard let f = object(v, known: ScenarioKeys.toolCall, what: "a tool call ({name, arguments})") else { return nil }
        guard let nv = f["name"], let name = string(nv, "name") else {
            if f["name"] == nil { error(.invalidValue, "A tool call needs a 'name'", at: v.location) }
            return nil
        }
        var arguments: JSONValue = .object(JSONObject())
        if let a = f["arguments"] {
            switch a.node {
            case .object:
                checkTemplates(in: a, "arguments")
                arguments = a.json
            case .string(let s):
                if (try? JSONValue.parse(s))?.objectValue == nil {
                    error(.invalidValue, "'arguments' as a string must hold a JSON object", at: a.location)
                }
                arguments = a.json
            default:
                error(.invalidValue, "'arguments' must be an object (or a JSON string), found \(a.typeName)", at: a.location)
            }
        }
        let id = f["id"].flatMap { string($0, "id") }
        return ToolCallSpec(name: name, arguments: arguments, id: id)
    }

    func decodeUsage(_ v: SourceValue) -> ReplyPlan.UsageOverride? {
        guard let f = object(v, known: ScenarioKeys.usage, what: "'usage'") else { return nil }
        // At most 10^15 each, so totals (prompt + completion) can never overflow.
        func n(_ k: String) -> Int? { f[k].flatMap { int($0, k, min: 0, max: 1_000_000_000_000_000) } }
        return ReplyPlan.UsageOverride(promptTokens: n("prompt_tokens"), completionTokens: n("completion_tokens"),
                                       cachedTokens: n("cached_tokens"), reasoningTokens: n("reasoning_tokens"))
    }

    func decodeModeration(_ v: SourceValue) -> ModerationOverride? {
        guard let f = object(v, known: ScenarioKeys.moderation, what: "'moderation'") else { return nil }
        var o = ModerationOverride()
        if let fl = f["flagged"] { o.flagged = bool(fl, "flagged") }
        func category(_ m: SourceValue.Member) -> ModerationCategory? {
            if let c = ModerationCategory(rawValue: m.key) { return c }
            var message = "Unknown moderation category '\(m.key)'"
            if let near = Self.nearest(m.key, in: ModerationCategory.allCases.map(\.rawValue)) { message += "; did you mean '\(near)'?" }
            error(.unknownKey, message, at: m.keyLocation)
            return nil
        }
        for m in f["categories"]?.members ?? [] {
            if let c = category(m), let b = bool(m.value, "categories.\(m.key)") { o.categories[c] = b }
        }
        for m in f["scores"]?.members ?? [] {
            if let c = category(m), let d = number(m.value, "scores.\(m.key)", range: 0...1) { o.scores[c] = d }
        }
        for key in ["categories", "scores"] {
            if let x = f[key], x.members == nil { error(.invalidValue, "'\(key)' must be an object of category → value", at: x.location) }
        }
        return o
    }

    func decodeFault(_ v: SourceValue, known: [String], what: String) -> FaultSpec? {
        guard let f = object(v, known: known, what: what) else { return nil }
        var status = 500
        if let s = f["status"] {
            guard let n = int(s, "status", min: 400, max: 599) else { return nil }
            status = n
        } else if known.contains("headers") {
            error(.invalidValue, "A fault needs a 'status' (e.g. 429)", at: v.location)
            return nil
        }
        var spec = FaultSpec(status: status, message: nil, type: nil, code: nil, param: nil, headers: [])
        if let m = f["message"] { spec.message = template(m, "message") }
        if let t = f["type"] { spec.type = string(t, "type") }
        if let c = f["code"] { spec.code = c.node == .null ? .some(nil) : string(c, "code").map { .some($0) } }
        if let p = f["param"] { spec.param = string(p, "param") }
        if let h = f["headers"] {
            guard let members = h.members else {
                error(.invalidValue, "'headers' must be an object of name → value", at: h.location)
                return nil
            }
            for m in members {
                let value: String
                switch m.value.node {
                case .string(let s): value = s
                case .int(let n): value = String(n)
                case .double(let d) where d.isFinite: value = String(d)
                case .bool(let b): value = String(b)
                default:
                    error(.invalidValue, "Header '\(m.key)' must be a string or a number", at: m.value.location)
                    continue
                }
                guard HTTPHeaders.isValidName(m.key) else {
                    error(.invalidValue, "Header name \(StringTest.quote(m.key)) is not a valid HTTP field name "
                          + "(letters, digits and !#$%&'*+-.^_`|~ only)", at: m.keyLocation)
                    continue
                }
                guard HTTPHeaders.isValidValue(value) else {
                    error(.invalidValue, "Header '\(m.key)' has a line break or control character in its value", at: m.value.location)
                    continue
                }
                spec.headers.append((m.key.lowercased(), value))
            }
        }
        return spec
    }

    func decodeStream(_ v: SourceValue) -> StreamSpec? {
        guard let f = object(v, known: ScenarioKeys.stream, what: "'stream'") else { return nil }
        func ms(_ k: String) -> Duration? { f[k].flatMap { int($0, k, min: 0, max: 600_000) }.map { .milliseconds($0) } }
        var spec = StreamSpec(timeToFirstToken: ms("ttft_ms"), interTokenDelay: ms("token_delay_ms"),
                              tokensPerChunk: f["chunk_tokens"].flatMap { int($0, "chunk_tokens", min: 1) }, breakage: nil)
        let kinds = ["cut_after", "error_after", "drop_after"].filter { f[$0] != nil }
        if kinds.count > 1 {
            error(.invalidValue, "Give only one of cut_after, error_after, drop_after (found \(kinds.joined(separator: ", ")))", at: v.location)
            return nil
        }
        if f["done"] != nil && f["cut_after"] == nil { error(.invalidValue, "'done' only goes with 'cut_after'", at: v.location) }
        if f["error"] != nil && f["error_after"] == nil { error(.invalidValue, "'error' only goes with 'error_after'", at: v.location) }
        if let c = f["cut_after"], let n = int(c, "cut_after", min: 0) {
            spec.breakage = .cut(afterChunks: n, sendDone: f["done"].flatMap { bool($0, "done") } ?? false)
        }
        if let c = f["error_after"], let n = int(c, "error_after", min: 0) {
            var e = OpenAIError.serverError()
            if let ev = f["error"], let spec = decodeFault(ev, known: ScenarioKeys.streamError, what: "a stream 'error'") {
                e = ScenarioFaults.error(spec, message: spec.message?.source)
            }
            spec.breakage = .error(afterChunks: n, e)
        }
        if let c = f["drop_after"], let n = int(c, "drop_after", min: 0) { spec.breakage = .dropConnection(afterChunks: n) }
        return spec
    }
}

/// Decoding of a recorded `response` (see ``RecordedResponse``).
extension ScenarioDecoder {
    func decodeRecordedResponse(_ v: SourceValue) -> RecordedResponse? {
        guard let f = object(v, known: ScenarioKeys.response, what: "a recorded response") else { return nil }
        let before = diagnostics.count
        var status = 200
        if let s = f["status"], let n = int(s, "status", min: 100, max: 599) { status = n }
        var headers: [RecordedResponse.Header] = []
        if let h = f["headers"] {
            if let members = h.members {
                for m in members {
                    if let value = string(m.value, "headers.\(m.key)") { headers.append(.init(name: m.key, value: value)) }
                }
            } else {
                error(.invalidValue, "'headers' must be an object of name → value", at: h.location)
            }
        }
        var body: [UInt8] = []
        if f["body"] != nil && f["body_base64"] != nil {
            error(.invalidValue, "Give either 'body' or 'body_base64', not both", at: v.location)
        }
        if let b = f["body"], let text = string(b, "body") { body = Array(text.utf8) }
        if let b = f["body_base64"], let text = string(b, "body_base64") {
            if let bytes = Base64.decode(text) { body = bytes } else { error(.invalidValue, "'body_base64' is not base64", at: b.location) }
        }
        var events: [RecordedResponse.Event]?
        if let e = f["events"], let list = array(e, "events") {
            if f["body"] != nil || f["body_base64"] != nil {
                error(.invalidValue, "A recorded stream has 'events' instead of a 'body'", at: e.location)
            }
            events = list.compactMap(decodeRecordedEvent)
        }
        guard diagnostics.count == before else { return nil }
        return RecordedResponse(status: status, headers: headers, body: body, events: events)
    }

    /// `{after_ms, data}` (a `data:` line holding exactly `data`) or `{after_ms, text}` (the event's lines as sent).
    func decodeRecordedEvent(_ v: SourceValue) -> RecordedResponse.Event? {
        guard let f = object(v, known: ScenarioKeys.event, what: "a recorded event") else { return nil }
        let after = f["after_ms"].flatMap { int($0, "after_ms", min: 0, max: 3_600_000) } ?? 0
        switch (f["data"], f["text"]) {
        case (let d?, nil): return string(d, "data").map { .init(afterMilliseconds: after, text: Array(("data: " + $0).utf8)) }
        case (nil, let t?): return string(t, "text").map { .init(afterMilliseconds: after, text: Array($0.utf8)) }
        default:
            error(.invalidValue, "A recorded event has either 'data' or 'text'", at: v.location)
            return nil
        }
    }
}
