/// What a chat reply carries besides its plan, decided once the plan's text is final (after any scenario
/// reply): the service tier, an audio rendition of each choice, moderation results, and what they and a
/// prediction add to `usage`. The JSON renderer and the stream renderer both read it.
struct ChatReplyExtras: Sendable {
    /// `service_tier` as answered (`auto` resolves to `default`).
    var serviceTier = "default"
    /// Per choice (empty: no audio was asked for).
    var audio: [ChatAudio?] = []
    /// The `moderation` object (nil: not asked for).
    var moderation: JSONValue?

    static let none = ChatReplyExtras()

    /// An audio reply: the choice's text spoken, encoded in the requested format.
    struct ChatAudio: Sendable {
        let id: String
        let expiresAt: Int
        let transcript: String
        let bytes: [UInt8]
        let tokens: Int

        var base64: String {
            var out: [UInt8] = []
            bytes.withUnsafeBytes { EmbeddingEncoding.appendBase64($0, to: &out) }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// The extras of `plan`, and the plan as shown: what a moderation `block` policy withholds is removed
    /// (and then neither spoken nor billed).
    static func decide(_ plan: ReplyPlan, request: ChatRequest, envelope: CompletionEnvelope,
                       seed: UInt64) -> (plan: ReplyPlan, extras: ChatReplyExtras) {
        var extras = ChatReplyExtras()
        let tier = request.options.serviceTier ?? "auto"
        extras.serviceTier = tier == "auto" ? "default" : tier
        var shown = plan
        if let m = request.options.moderation {
            let input = request.messages.map(\.text).filter { !$0.isEmpty }
            let outputs = plan.choices.map { [$0.output.generatedText] }
            extras.moderation = .object(JSONObject([
                ("input", moderationResults(model: m.model, texts: [input], seed: seed)),
                ("output", moderationResults(model: m.model, texts: outputs, seed: seed)),
            ]))
            for k in shown.choices.indices where (m.blockInput && extras.flagged(output: nil)) || (m.blockOutput && extras.flagged(output: k)) {
                shown.choices[k] = ReplyPlan.Choice(.text(""), finishReason: "content_filter")
            }
        }
        if let format = request.options.audio {
            extras.audio = shown.choices.enumerated().map { k, choice in
                guard case .text(let text) = choice.output, choice.finishReason != "content_filter" else { return nil }
                let samples = SpeechSynthesizer.samples(text, voice: format.voice)
                var h = StableHash(envelope.seed)
                h.combine("audio")
                h.combine(k)
                return ChatAudio(id: "audio_" + StableHash.idSuffix(h.finalized, length: 32, mixedCase: false),
                                 expiresAt: envelope.created + 3600, transcript: text,
                                 bytes: AudioEncoding.encode(samples, as: format.format),
                                 tokens: SpeechSynthesizer.audioTokens(sampleCount: samples.count))
            }
        }
        return (shown, extras)
    }

    /// `{"type":"moderation_results","model","results":[{"type":"moderation_result",…}]}`, one result per
    /// group of texts.
    static func moderationResults(model: String, texts: [[String]], seed: UInt64) -> JSONValue {
        let family = ModerationClassifier.Family(model: model)
        let results: [JSONValue] = texts.map { group in
            let verdict = ModerationClassifier.classify(texts: group, imageURLs: [], family: family, seed: seed)
            var result = JSONObject([("type", "moderation_result"), ("model", .string(model))])
            for (key, value) in Moderations.result(verdict, family: family, text: true, image: false).objectValue ?? JSONObject() {
                // Categories a text model does not score are `false` here (this object's map holds booleans).
                result.append(key, key == "categories" ? .object(JSONObject((value.objectValue ?? JSONObject()).map {
                    ($0.key, $0.value == .null ? .bool(false) : $0.value)
                })) : value)
            }
            return .object(result)
        }
        return .object(JSONObject([("type", "moderation_results"), ("model", .string(model)), ("results", .array(results))]))
    }

    /// Whether the input (nil) or choice `k`'s output was flagged.
    func flagged(output k: Int?) -> Bool {
        let side = k == nil ? moderation?["input"] : moderation?["output"]
        return side?["results"]?[k ?? 0]?["flagged"] == .bool(true)
    }

    /// Adds audio and prediction tokens to `usage` (into `completion_tokens` unless a scenario pinned it).
    func apply(to usage: inout ReplyUsage, plan: ReplyPlan, request: ChatRequest) {
        usage.promptAudioTokens = request.messages.reduce(0) { $0 + $1.audioParts * ChatRequest.mediaPartTokens }
        usage.audioTokens = audio.reduce(0) { $0 + ($1?.tokens ?? 0) }
        if let predicted = request.options.prediction {
            let predictedTokens = TokenCounter.tokenize(predicted)
            for choice in plan.choices {
                let accepted = Self.shared(predictedTokens, TokenCounter.tokenize(choice.output.generatedText))
                usage.acceptedPredictionTokens += accepted
                usage.rejectedPredictionTokens += predictedTokens.count - accepted
            }
        }
        if plan.usage.completionTokens == nil {
            usage.completionTokens += usage.audioTokens + usage.rejectedPredictionTokens
        }
    }

    /// Size of the multiset intersection of two token lists.
    static func shared(_ a: [String], _ b: [String]) -> Int {
        var counts: [String: Int] = [:]
        for t in a { counts[t, default: 0] += 1 }
        var n = 0
        for t in b where (counts[t] ?? 0) > 0 {
            counts[t]! -= 1
            n += 1
        }
        return n
    }
}
