/// Renders a ``ReplyPlan`` as streamed legacy `text_completion` events (contract §4.3).
///
/// Each event is a `text_completion` object whose choice holds the next text fragment with
/// `finish_reason: null`; a last event per choice has `text: ""` and the finish reason. With
/// `echo`, the prompt is the first fragment. Choices are interleaved step by step as in chat;
/// `include_usage` adds `"usage":null` everywhere and a final `"choices":[]` usage event.
struct CompletionStream: SSEEventSource {
    enum Step: Sendable {
        case echo(choice: Int)
        case text(choice: Int, piece: Int)
        case finish(choice: Int)
        case usage
    }

    let prefix: [UInt8]
    let suffix: [UInt8]
    let usageJSON: JSONValue?
    let choices: [ReplyPlan.Choice]
    let pieces: [[String]]
    let prompts: [String]
    /// Token offsets: where each choice's generated text starts in `text_offset` terms.
    let offsets: [Int]
    let logprobs: Int?
    let seeds: [UInt64]
    /// Logprobs of each choice's pieces (empty when not requested).
    let pieceLogprobs: [[TokenLogprob]]
    let steps: [Step]

    init(response r: CompletionResponse, includeUsage: Bool, tokensPerChunk: Int) {
        var head = JSONObject()
        head.append("id", .string(r.envelope.id))
        head.append("object", "text_completion")
        head.append("created", .int(r.envelope.created))
        head.append("model", .string(r.envelope.model))
        head.append("system_fingerprint", .string(r.envelope.systemFingerprint))
        var bytes = SSEStream.dataPrefix
        JSONValue.object(head).write(to: &bytes)
        bytes.removeLast()
        bytes.append(contentsOf: #","choices":["#.utf8)
        prefix = bytes
        suffix = Array((includeUsage ? "],\"usage\":null}\n\n" : "]}\n\n").utf8)
        usageJSON = includeUsage ? CompletionEnvelope.usageJSON(r.usage, details: false) : nil
        choices = r.plan.choices
        logprobs = r.logprobs

        var pieces: [[String]] = []
        var prompts: [String] = []
        var offsets: [Int] = []
        var seeds: [UInt64] = []
        var pieceLogprobs: [[TokenLogprob]] = []
        var perChoice: [[Step]] = []
        for (i, choice) in r.plan.choices.enumerated() {
            let prompt = r.promptText(forChoice: i)
            prompts.append(r.echo ? prompt : "")
            offsets.append(prompt.count)
            seeds.append(CompletionResponse.logprobSeed(r.envelope, i))
            let p = ChatStream.chunked(choice.output.visibleText, perChunk: tokensPerChunk)
            pieces.append(p)
            if let top = r.logprobs {
                pieceLogprobs.append(LogprobSynthesizer.synthesize(p, topLogprobs: top, seed: seeds[i]))
            }
            var steps: [Step] = r.echo && !prompt.isEmpty ? [.echo(choice: i)] : []
            for k in p.indices { steps.append(.text(choice: i, piece: k)) }
            steps.append(.finish(choice: i))
            perChoice.append(steps)
        }
        var all = SSEStream.interleave(perChoice)
        if includeUsage { all.append(.usage) }
        self.pieces = pieces
        self.prompts = prompts
        self.offsets = offsets
        self.seeds = seeds
        self.pieceLogprobs = pieceLogprobs
        self.steps = all
    }

    var eventCount: Int { steps.count }

    func isPaced(_ index: Int) -> Bool {
        if case .text = steps[index] { return true }
        return false
    }

    func event(_ index: Int, into out: inout [UInt8]) {
        out.append(contentsOf: prefix)
        switch steps[index] {
        case .usage:
            SSEStream.appendUsageTail(usageJSON, to: &out)
            return
        case .echo(let c):
            let lp = logprobs.map { top in
                CompletionResponse.logprobsJSON(prompt: TokenCounter.tokenize(prompts[c]), generated: [], offset: 0,
                                                top: top, seed: seeds[c])
            }
            writeChoice(c, text: prompts[c], logprobs: lp, finish: nil, to: &out)
        case .text(let c, let k):
            let lp = logprobs.map { top in piecesLogprobs(c, k, top: top) }
            writeChoice(c, text: pieces[c][k], logprobs: lp, finish: nil, to: &out)
        case .finish(let c):
            writeChoice(c, text: "", logprobs: nil, finish: choices[c].finishReason, to: &out)
        }
        out.append(contentsOf: suffix)
    }

    /// Logprobs of piece `k` alone, with the offsets it has in the whole text.
    private func piecesLogprobs(_ c: Int, _ k: Int, top: Int) -> JSONValue {
        let lp = pieceLogprobs[c][k]
        var d = JSONObject()
        for alt in lp.topLogprobs.prefix(top) where d[alt.token] == nil { d.append(alt.token, .double(alt.logprob)) }
        let start = (prompts[c].isEmpty ? offsets[c] : prompts[c].count) + pieces[c][..<k].reduce(0) { $0 + $1.count }
        return .object(JSONObject([
            ("tokens", .array([.string(lp.token)])), ("token_logprobs", .array([.double(lp.logprob)])),
            ("top_logprobs", .array([.object(d)])), ("text_offset", .array([.int(start)])),
        ]))
    }

    private func writeChoice(_ c: Int, text: String, logprobs: JSONValue?, finish: String?, to out: inout [UInt8]) {
        out.append(contentsOf: #"{"text":"#.utf8)
        JSONValue.writeString(text, to: &out)
        out.append(contentsOf: #","index":"#.utf8)
        out.append(contentsOf: String(c).utf8)
        out.append(contentsOf: #","logprobs":"#.utf8)
        if let logprobs { logprobs.write(to: &out) } else { out.append(contentsOf: "null".utf8) }
        out.append(contentsOf: #","finish_reason":"#.utf8)
        if let finish { JSONValue.writeString(finish, to: &out) } else { out.append(contentsOf: "null".utf8) }
        out.append(UInt8(ascii: "}"))
    }
}
