import MockHTTP

/// `POST /v1/moderations`.
///
/// `input` is a string (one result), an array of strings (one result each) or an array of
/// multimodal parts (`{"type":"text",…}` / `{"type":"image_url",…}`: one result for the whole
/// array). Verdicts come from ``ModerationClassifier``; a scenario can force them with a
/// ``ModerationOverride`` through ``Moderations/response(_:seed:id:override:)``.
public enum Moderations {
    public static let defaultModel = "omni-moderation-latest"

    static let create: Endpoint = { ctx throws(OpenAIError) in
        let request = try ModerationsRequest(try ctx.jsonBody(), models: ctx.state.models)
        var h = StableHash(ctx.requestHash)
        h.combine("modr")
        let id = "modr-" + StableHash.idSuffix(h.finalized, length: 32, mixedCase: false)
        let reply = ctx.scenarioReply
        return .json(response(request, seed: ctx.seed, id: id, override: { reply?.moderationOverride($0) }))
    }

    /// The response object, fields in the real API's order: `id`, `model`, `results`.
    ///
    /// - Parameter override: per result index, a forced verdict (the scenario engine's hook).
    public static func response(_ request: ModerationsRequest, seed: UInt64, id: String,
                                override: (Int) -> ModerationOverride? = { _ in nil }) -> JSONValue {
        let family = ModerationClassifier.Family(model: request.model)
        var results: [JSONValue] = []
        for (i, item) in request.items.enumerated() {
            var verdict = ModerationClassifier.classify(texts: item.texts, imageURLs: item.imageURLs,
                                                        family: family, seed: seed)
            if let o = override(i) { verdict.apply(o) }
            let hasImage = family == .omni && !item.imageURLs.isEmpty
            let hasText = !item.texts.isEmpty || !hasImage
            results.append(result(verdict, family: family, text: hasText, image: hasImage))
        }
        return .object(JSONObject([
            ("id", .string(id)),
            ("model", .string(request.model)),
            ("results", .array(results)),
        ]))
    }

    /// One result: `flagged`, then `categories`, `category_scores` and
    /// `category_applied_input_types`, each with all 13 keys in API order. Text models answer
    /// `null` for the two `illicit` categories and never list `image`.
    static func result(_ v: ModerationVerdict, family: ModerationClassifier.Family, text: Bool, image: Bool) -> JSONValue {
        var categories = JSONObject()
        var scores = JSONObject()
        var applied = JSONObject()
        for c in ModerationCategory.allCases {
            let unsupported = family == .text && c.omniOnly
            categories.append(c.rawValue, unsupported ? .null : .bool(v.isFlagged(c)))
            scores.append(c.rawValue, .double(v.score(c)))
            var types: [JSONValue] = []
            if !unsupported {
                if text { types.append("text") }
                if image && c.appliesToImages { types.append("image") }
            }
            applied.append(c.rawValue, .array(types))
        }
        let flagged = ModerationCategory.allCases.contains { !(family == .text && $0.omniOnly) && v.isFlagged($0) }
        return .object(JSONObject([
            ("flagged", .bool(flagged)),
            ("categories", .object(categories)),
            ("category_scores", .object(scores)),
            ("category_applied_input_types", .object(applied)),
        ]))
    }
}
