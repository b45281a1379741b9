/// Renders a ``ReplyPlan`` as `chat.completion.chunk` events (contract §5.4).
///
/// Per choice: a role delta first, then content (or refusal, tool-call, function-call) pieces
/// of `tokensPerChunk` tokens, then an empty delta carrying the finish reason. Tool-call deltas
/// carry `index` on every fragment and `id`/`type`/`name` only on the first. With `n > 1` the
/// choices are interleaved step by step (0, 1, 0, 1, …), so each index first appears in
/// ascending order. With `include_usage`, every chunk has `"usage":null` and a last chunk with
/// `"choices":[]` carries the usage.
///
/// An audio reply (pcm16: the only format that streams) sends its transcript in `delta.audio.transcript`
/// pieces, then the audio in `delta.audio.data` pieces of 100 ms (whole base64 quanta, so they concatenate),
/// with the audio's `id` and `expires_at` once, in the role delta. A search model's `annotations` come in a
/// delta of their own before the finish; `moderation` results in a `"choices":[]` chunk after every choice.
///
/// The chunk envelope (`data: {"id":…,"choices":[`) is serialised once per stream; each event
/// only writes its choice, so per-token work stays small under thousands of streams.
struct ChatStream: SSEEventSource {
    enum Step: Sendable {
        case role(choice: Int)
        /// `json`: where the piece sits, as a JSON string literal, in ``ChatStream/bytes``.
        case text(choice: Int, piece: Int, json: Range<Int>, field: TextField)
        case audioData(choice: Int, json: Range<Int>)
        case toolStart(choice: Int, call: Int)
        case toolArguments(choice: Int, call: Int, pieces: Range<Int>)
        case annotations(choice: Int)
        case finish(choice: Int)
        case moderation
        case usage
    }

    /// Which delta field a text piece goes into.
    enum TextField: Sendable {
        case content, refusal, transcript
    }

    /// What one choice streams: its text pieces, its tool calls' argument pieces.
    struct ChoiceScript: Sendable {
        var choice: ReplyPlan.Choice
        var textPieces: [String]
        var argumentPieces: [[String]]
        /// Logprob entries aligned with `textPieces` (empty when not requested).
        var logprobs: [TokenLogprob]
    }

    /// The bytes every event is cut from, in one buffer (with thousands of paced streams, each
    /// separate buffer an event touches is a cache miss): the chunk prefix
    /// (`data: {"id":…,"choices":[`), the suffix (`]}` + blank line), then every text piece of
    /// every choice as an escaped JSON string literal, so a token event copies three ranges.
    let bytes: [UInt8]
    let prefixEnd: Int
    let suffixEnd: Int
    let usageJSON: JSONValue?
    let scripts: [ChoiceScript]
    let steps: [Step]
    let hasLogprobs: Bool
    let extras: ChatReplyExtras
    /// Per choice, its `url_citation` annotations.
    let annotations: [[JSONValue]]

    /// Bytes of audio per `delta.audio.data` piece: 100 ms of pcm16 (a multiple of 3: clean base64).
    static let audioPieceBytes = SpeechSynthesizer.sampleRate / 10 * 2

    init(envelope: CompletionEnvelope, plan: ReplyPlan, usage: ReplyUsage, includeUsage: Bool, topLogprobs: Int?,
         extras: ChatReplyExtras = .none) {
        var head = JSONObject()
        head.append("id", .string(envelope.id))
        head.append("object", "chat.completion.chunk")
        head.append("created", .int(envelope.created))
        head.append("model", .string(envelope.model))
        head.append("service_tier", .string(extras.serviceTier))
        head.append("system_fingerprint", .string(envelope.systemFingerprint))
        var bytes = SSEStream.dataPrefix
        JSONValue.object(head).write(to: &bytes)
        bytes.removeLast()  // the closing brace: choices follow
        bytes.append(contentsOf: #","choices":["#.utf8)
        prefixEnd = bytes.count
        bytes.append(contentsOf: (includeUsage ? "],\"usage\":null}\n\n" : "]}\n\n").utf8)
        suffixEnd = bytes.count
        usageJSON = includeUsage ? CompletionEnvelope.usageJSON(usage, details: true) : nil

        let perChunk = plan.pacing.tokensPerChunk
        var scripts: [ChoiceScript] = []
        var perChoice: [[Step]] = []
        var annotations: [[JSONValue]] = []
        for (c, choice) in plan.choices.enumerated() {
            var script = ChoiceScript(choice: choice, textPieces: [], argumentPieces: [], logprobs: [])
            var steps: [Step] = [.role(choice: c)]
            switch choice.output {
            case .text(let t), .refusal(let t):
                script.textPieces = Self.chunked(t, perChunk: perChunk)
                if let top = topLogprobs {
                    script.logprobs = LogprobSynthesizer.synthesize(script.textPieces, topLogprobs: top,
                                                                    seed: ChatResponse.logprobSeed(envelope, c))
                }
            case .toolCalls(let calls, let content):
                script.textPieces = Self.chunked(content ?? "", perChunk: perChunk)
                script.argumentPieces = calls.map { Self.chunked($0.arguments, perChunk: perChunk) }
            case .functionCall(_, let arguments):
                script.argumentPieces = [Self.chunked(arguments, perChunk: perChunk)]
            }
            let audio = extras.audio.indices.contains(c) ? extras.audio[c] : nil
            let field: TextField = if case .refusal = choice.output { .refusal } else if audio != nil { .transcript } else { .content }
            for (i, piece) in script.textPieces.enumerated() {
                let start = bytes.count
                JSONValue.writeString(piece, to: &bytes)
                steps.append(.text(choice: c, piece: i, json: start..<bytes.count, field: field))
            }
            if let audio {
                for offset in stride(from: 0, to: audio.bytes.count, by: Self.audioPieceBytes) {
                    let start = bytes.count
                    bytes.append(UInt8(ascii: "\""))
                    audio.bytes[offset..<min(offset + Self.audioPieceBytes, audio.bytes.count)].withUnsafeBytes {
                        EmbeddingEncoding.appendBase64($0, to: &bytes)
                    }
                    bytes.append(UInt8(ascii: "\""))
                    steps.append(.audioData(choice: c, json: start..<bytes.count))
                }
            }
            for (k, pieces) in script.argumentPieces.enumerated() {
                // The first call of a content-less reply starts in the role delta.
                let startsInRole = k == 0 && script.textPieces.isEmpty
                if !startsInRole { steps.append(.toolStart(choice: c, call: k)) }
                for i in pieces.indices { steps.append(.toolArguments(choice: c, call: k, pieces: i..<(i + 1))) }
            }
            var cited: [JSONValue] = []
            if case .text(let text) = choice.output { cited = WebCitations.annotations(choice.citations, in: text) }
            if !cited.isEmpty { steps.append(.annotations(choice: c)) }
            annotations.append(cited)
            steps.append(.finish(choice: c))
            scripts.append(script)
            perChoice.append(steps)
        }
        var all = SSEStream.interleave(perChoice)
        if extras.moderation != nil { all.append(.moderation) }
        if includeUsage { all.append(.usage) }
        self.scripts = scripts
        self.steps = all
        self.bytes = bytes
        self.extras = extras
        self.annotations = annotations
        hasLogprobs = scripts.contains { !$0.logprobs.isEmpty }
    }

    /// `text` in pieces of `perChunk` tokens that concatenate back to it.
    static func chunked(_ text: String, perChunk: Int) -> [String] {
        guard !text.isEmpty else { return [] }
        let tokens = TokenCounter.tokenize(text)
        guard perChunk > 1 else { return tokens }
        return stride(from: 0, to: tokens.count, by: perChunk).map {
            tokens[$0..<min($0 + perChunk, tokens.count)].joined()
        }
    }

    var eventCount: Int { steps.count }

    func isPaced(_ index: Int) -> Bool {
        switch steps[index] {
        case .text, .toolArguments, .audioData: return true
        default: return false
        }
    }

    func event(_ index: Int, into out: inout [UInt8]) {
        append(0..<prefixEnd, to: &out)
        switch steps[index] {
        case .usage:
            SSEStream.appendUsageTail(usageJSON, to: &out)
            return
        case .moderation:
            out.append(contentsOf: #"],"moderation":"#.utf8)
            (extras.moderation ?? .null).write(to: &out)
            out.append(contentsOf: (usageJSON != nil ? ",\"usage\":null}\n\n" : "}\n\n").utf8)
            return
        case .role(let c): writeChoice(c, delta: roleDelta(c), logprobs: nil, finish: nil, to: &out)
        case .text(let c, let piece, let json, let field):
            var logprobs: JSONValue?
            if hasLogprobs, !scripts[c].logprobs.isEmpty {
                let entries = JSONValue.array([ChatResponse.entryJSON(scripts[c].logprobs[piece])])
                let refusal = field == .refusal
                logprobs = .object(JSONObject([("content", refusal ? .null : entries), ("refusal", refusal ? entries : .null)]))
            }
            writeTextChoice(c, field: field, json: json, logprobs: logprobs, to: &out)
        case .audioData(let c, let json):
            out.append(contentsOf: #"{"index":"#.utf8)
            JSONValue.writeInt(c, to: &out)
            out.append(contentsOf: #","delta":{"audio":{"data":"#.utf8)
            append(json, to: &out)
            out.append(contentsOf: "}}".utf8)
            writeTail(logprobs: nil, finish: nil, to: &out)
        case .annotations(let c):
            writeChoice(c, delta: .object(JSONObject([("annotations", .array(annotations[c]))])), logprobs: nil, finish: nil,
                        to: &out)
        case .toolStart(let c, let k):
            writeChoice(c, delta: .object(JSONObject([("tool_calls", .array([toolStart(c, k)]))])), logprobs: nil,
                        finish: nil, to: &out)
        case .toolArguments(let c, let k, let range):
            let piece = scripts[c].argumentPieces[k][range.lowerBound]
            let delta: JSONValue
            if case .functionCall = scripts[c].choice.output {
                delta = .object(JSONObject([("function_call", .object(JSONObject([("arguments", .string(piece))])))]))
            } else {
                let fn: JSONObject = scripts[c].choice.isCustomCall(k)
                    ? JSONObject([("input", .string(piece))]) : JSONObject([("arguments", .string(piece))])
                delta = .object(JSONObject([("tool_calls", .array([.object(JSONObject([
                    ("index", .int(k)), (scripts[c].choice.isCustomCall(k) ? "custom" : "function", .object(fn)),
                ]))]))]))
            }
            writeChoice(c, delta: delta, logprobs: nil, finish: nil, to: &out)
        case .finish(let c):
            writeChoice(c, delta: .object(JSONObject()), logprobs: nil, finish: scripts[c].choice.finishReason, to: &out)
        }
        append(prefixEnd..<suffixEnd, to: &out)
    }

    private func append(_ range: Range<Int>, to out: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[range])) }
    }

    /// The first delta of a choice: role, plus the start of a content-less tool or function call.
    private func roleDelta(_ c: Int) -> JSONValue {
        var d = JSONObject()
        d.append("role", "assistant")
        let script = scripts[c]
        switch script.choice.output {
        case .text:
            if let audio = extras.audio.indices.contains(c) ? extras.audio[c] : nil {
                d.append("content", .null)
                d.append("refusal", .null)
                d.append("audio", .object(JSONObject([("id", .string(audio.id)), ("expires_at", .int(audio.expiresAt)),
                                                      ("transcript", "")])))
            } else {
                d.append("content", "")
                d.append("refusal", .null)
            }
        case .refusal:
            d.append("content", .null)
            d.append("refusal", "")
        case .toolCalls(let calls, let content):
            d.append("content", content == nil || script.textPieces.isEmpty ? .null : "")
            if script.textPieces.isEmpty && !calls.isEmpty { d.append("tool_calls", .array([toolStart(c, 0)])) }
            d.append("refusal", .null)
        case .functionCall(let name, _):
            d.append("content", .null)
            d.append("function_call", .object(JSONObject([("name", .string(name)), ("arguments", "")])))
            d.append("refusal", .null)
        }
        return .object(d)
    }

    /// `{"index":k,"id":…,"type":"function","function":{"name":…,"arguments":""}}`.
    private func toolStart(_ c: Int, _ k: Int) -> JSONValue {
        guard case .toolCalls(let calls, _) = scripts[c].choice.output else { return .null }
        let call = calls[k]
        let body: JSONObject = call.isCustom
            ? JSONObject([("name", .string(call.name)), ("input", "")])
            : JSONObject([("name", .string(call.name)), ("arguments", "")])
        return .object(JSONObject([
            ("index", .int(k)), ("id", .string(call.id)), ("type", .string(call.isCustom ? "custom" : "function")),
            (call.isCustom ? "custom" : "function", .object(body)),
        ]))
    }

    private func writeChoice(_ c: Int, delta: JSONValue, logprobs: JSONValue?, finish: String?, to out: inout [UInt8]) {
        out.append(contentsOf: #"{"index":"#.utf8)
        out.append(contentsOf: String(c).utf8)
        out.append(contentsOf: #","delta":"#.utf8)
        delta.write(to: &out)
        writeTail(logprobs: logprobs, finish: finish, to: &out)
    }

    /// The hot path: one content piece, copied from `bytes` without building a `JSONValue`.
    private func writeTextChoice(_ c: Int, field: TextField, json: Range<Int>, logprobs: JSONValue?,
                                 to out: inout [UInt8]) {
        out.append(contentsOf: #"{"index":"#.utf8)
        JSONValue.writeInt(c, to: &out)
        switch field {
        case .content: out.append(contentsOf: #","delta":{"content":"#.utf8)
        case .refusal: out.append(contentsOf: #","delta":{"refusal":"#.utf8)
        case .transcript: out.append(contentsOf: #","delta":{"audio":{"transcript":"#.utf8)
        }
        append(json, to: &out)
        out.append(contentsOf: field == .transcript ? "}}".utf8 : "}".utf8)
        writeTail(logprobs: logprobs, finish: nil, to: &out)
    }

    private func writeTail(logprobs: JSONValue?, finish: String?, to out: inout [UInt8]) {
        out.append(contentsOf: #","logprobs":"#.utf8)
        if let logprobs { logprobs.write(to: &out) } else { out.append(contentsOf: "null".utf8) }
        out.append(contentsOf: #","finish_reason":"#.utf8)
        if let finish { JSONValue.writeString(finish, to: &out) } else { out.append(contentsOf: "null".utf8) }
        out.append(UInt8(ascii: "}"))
    }
}

extension ReplyPlan.Choice {
    /// Whether tool call `k` of this choice is a custom (free-text) tool call.
    func isCustomCall(_ k: Int) -> Bool {
        if case .toolCalls(let calls, _) = output, calls.indices.contains(k) { return calls[k].isCustom }
        return false
    }
}
