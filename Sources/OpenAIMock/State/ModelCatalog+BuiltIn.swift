// The built-in model catalogue: every model id the `openai` Python SDK (3.54.0) names in its types, plus
// the legacy completion models the 0.28 tutorials use. The contract test `v1/test_model_catalogue.py`
// compares this table with the installed SDK's `Literal`s and announced shutdown dates, so a new SDK release
// shows what is missing.
//
// One row per model. `family` rows carry the limits; the dated snapshots (`snap`) listed under a family
// resolve to it — same kind, context window, output limit, reasoning efforts and features — unless the
// row says otherwise. Figures are the published ones (context window, largest output, creation time,
// shutdown date from the SDK's deprecation notes); models without published figures take those of the
// generation before them, and creation times the date in their name (or their announcement) at 00:00 UTC.

extension ModelCatalog {
    static let builtIn: [ModelInfo] = CatalogTable().rows

    private struct CatalogTable {
        var rows: [ModelInfo] = []

        // MARK: reasoning efforts
        static let oSeries: [ReasoningEffort] = [.low, .medium, .high]
        static let gpt5: [ReasoningEffort] = [.minimal, .low, .medium, .high]
        static let gpt51: [ReasoningEffort] = [.noReasoning, .low, .medium, .high]
        static let gpt52: [ReasoningEffort] = [.noReasoning, .low, .medium, .high, .xhigh]
        static let gpt55: [ReasoningEffort] = [.noReasoning, .low, .medium, .high, .xhigh, .max]

        init() {
            let chat = ModelInfo.Kind.chat, responses = ModelInfo.Kind.responses
            let text: ModelFeatures = [.predictedOutputs]
            let gpt5Features: ModelFeatures = [.verbosity]
            let audio: ModelFeatures = [.audioOutput, .audioOnly]

            // GPT-6 and GPT-5.6 (no published figures: GPT-5.5's)
            for id in ["gpt-6-astra", "gpt-6.2-astra", "gpt-6.1-sol", "gpt-6.2-sol", "gpt-6.1-terra", "gpt-6-sol",
                       "gpt-6-luna", "gpt-5.6-sol", "gpt-5.6-terra", "gpt-5.6-luna"] {
                family(id, chat, "2026-10-01", 1_050_000, 128_000, efforts: Self.gpt55, default: .noReasoning, gpt5Features)
            }
            for id in ["gpt-6-cyber", "gpt-6-rosalind", "gpt-6.2-astra-law", "gpt-5.6-cyber", "gpt-rosalind-research",
                       "gpt-daybreak-blue-latest", "gpt-daybreak-red-latest"] {
                family(id, responses, "2026-10-01", 1_050_000, 128_000, efforts: Self.gpt55, default: .medium, gpt5Features)
            }
            // GPT-5.5, 5.4, 5.3
            family("gpt-5.5", chat, "2026-04-23", 1_050_000, 128_000, efforts: Self.gpt55, default: .noReasoning, gpt5Features)
            snap("gpt-5.5-2026-04-23", "2026-04-23")
            family("gpt-5.5-pro", responses, "2026-04-23", 1_050_000, 128_000, efforts: [.medium, .high, .xhigh, .max],
                   default: .high, gpt5Features)
            snap("gpt-5.5-pro-2026-04-23", "2026-04-23")
            family("gpt-5.4", chat, "2026-03-05", 1_050_000, 128_000, efforts: Self.gpt52, default: .noReasoning, gpt5Features)
            family("gpt-5.4-mini", chat, "2026-03-17", 400_000, 128_000, efforts: Self.gpt52, default: .noReasoning, gpt5Features)
            snap("gpt-5.4-mini-2026-03-17", "2026-03-17")
            family("gpt-5.4-nano", chat, "2026-03-17", 400_000, 128_000, efforts: Self.gpt52, default: .noReasoning, gpt5Features,
                   shutdown: "2027-04-01")
            snap("gpt-5.4-nano-2026-03-17", "2026-03-17")
            family("gpt-5.3-chat-latest", chat, "2026-02-05", 128_000, 16_384, shutdown: "2026-08-10")
            // GPT-5.2, 5.1, 5
            family("gpt-5.2", chat, "2025-12-11", 400_000, 128_000, efforts: Self.gpt52, default: .noReasoning, gpt5Features)
            snap("gpt-5.2-2025-12-11", "2025-12-11")
            family("gpt-5.2-chat-latest", chat, "2025-12-11", 128_000, 16_384, shutdown: "2026-08-10")
            family("gpt-5.2-pro", responses, "2025-12-11", 400_000, 128_000, efforts: [.medium, .high, .xhigh],
                   default: .high, gpt5Features)
            snap("gpt-5.2-pro-2025-12-11", "2025-12-11")
            family("gpt-5.1", chat, "2025-11-13", 400_000, 128_000, efforts: Self.gpt51, default: .noReasoning, gpt5Features,
                   shutdown: "2027-04-01")
            snap("gpt-5.1-2025-11-13", "2025-11-13")
            family("gpt-5.1-chat-latest", chat, "2025-11-13", 128_000, 16_384, shutdown: "2026-07-23")
            family("gpt-5.1-codex", responses, "2025-11-13", 400_000, 128_000, efforts: Self.oSeries, default: .medium,
                   shutdown: "2026-07-23")
            family("gpt-5.1-codex-max", responses, "2025-11-19", 400_000, 128_000, efforts: [.low, .medium, .high, .xhigh],
                   default: .medium)
            family("gpt-5", chat, 1_754_425_777, 400_000, 128_000, efforts: Self.gpt5, default: .medium, gpt5Features,
                   shutdown: "2026-12-11")
            snap("gpt-5-2025-08-07", 1_754_075_360)
            family("gpt-5-mini", chat, 1_754_425_928, 400_000, 128_000, efforts: Self.gpt5, default: .medium, gpt5Features,
                   shutdown: "2026-12-11")
            snap("gpt-5-mini-2025-08-07", 1_754_425_867)
            family("gpt-5-nano", chat, 1_754_426_384, 400_000, 128_000, efforts: Self.gpt5, default: .medium, gpt5Features,
                   shutdown: "2026-12-11")
            snap("gpt-5-nano-2025-08-07", 1_754_426_303)
            family("gpt-5-chat-latest", chat, 1_754_073_306, 128_000, 16_384, shutdown: "2026-07-23")
            family("gpt-5-codex", responses, "2025-09-15", 400_000, 128_000, efforts: Self.oSeries, default: .medium)
            family("gpt-5-pro", responses, "2025-10-06", 400_000, 272_000, efforts: [.high], default: .high)
            snap("gpt-5-pro-2025-10-06", "2025-10-06")
            // GPT-4.5, GPT-4.1
            family("gpt-4.5-preview", chat, 1_740_623_059, 128_000, 16_384, text)
            snap("gpt-4.5-preview-2025-02-27", 1_740_623_304)
            family("gpt-4.1", chat, 1_744_316_542, 1_047_576, 32_768, text, shutdown: "2027-01-14")
            snap("gpt-4.1-2025-04-14", 1_744_315_746)
            family("gpt-4.1-mini", chat, 1_744_318_173, 1_047_576, 32_768, text, shutdown: "2027-01-14")
            snap("gpt-4.1-mini-2025-04-14", 1_744_317_547)
            family("gpt-4.1-nano", chat, 1_744_321_707, 1_047_576, 32_768, text, shutdown: "2026-10-23")
            snap("gpt-4.1-nano-2025-04-14", 1_744_321_025)
            // o-series
            family("o4-mini", chat, 1_744_225_351, 200_000, 100_000, efforts: Self.oSeries, default: .medium, shutdown: "2026-10-23")
            snap("o4-mini-2025-04-16", 1_744_133_506)
            family("o4-mini-deep-research", responses, 1_749_685_485, 200_000, 100_000, efforts: [.medium], default: .medium)
            snap("o4-mini-deep-research-2025-06-26", 1_750_866_121)
            family("o3", chat, 1_744_225_308, 200_000, 100_000, efforts: Self.oSeries, default: .medium, shutdown: "2026-12-11")
            snap("o3-2025-04-16", 1_744_133_301)
            family("o3-pro", responses, 1_748_475_349, 200_000, 100_000, efforts: Self.oSeries, default: .medium)
            snap("o3-pro-2025-06-10", 1_749_166_761)
            family("o3-deep-research", responses, 1_748_995_279, 200_000, 100_000, efforts: [.medium], default: .medium)
            snap("o3-deep-research-2025-06-26", 1_750_865_219)
            family("o3-mini", chat, 1_737_146_383, 200_000, 100_000, efforts: Self.oSeries, default: .medium, shutdown: "2026-10-23")
            snap("o3-mini-2025-01-31", 1_738_010_200)
            family("o1", chat, 1_734_375_816, 200_000, 100_000, efforts: Self.oSeries, default: .medium, shutdown: "2026-10-23")
            snap("o1-2024-12-17", 1_734_326_976)
            family("o1-pro", responses, 1_742_251_791, 200_000, 100_000, efforts: Self.oSeries, default: .medium)
            snap("o1-pro-2025-03-19", 1_742_251_504)
            family("o1-preview", chat, 1_725_648_897, 128_000, 32_768, efforts: [], shutdown: "2025-07-28")
            snap("o1-preview-2024-09-12", 1_725_648_865)
            family("o1-mini", chat, 1_725_649_008, 128_000, 65_536, efforts: [], shutdown: "2025-10-27")
            snap("o1-mini-2024-09-12", 1_725_648_979)
            family("codex-mini-latest", responses, 1_746_673_257, 200_000, 100_000, efforts: Self.oSeries, default: .medium,
                   shutdown: "2026-02-12")
            family("computer-use-preview", responses, 1_734_655_677, 8_192, 1_024)
            snap("computer-use-preview-2025-03-11", 1_741_377_021)
            // GPT-4o and its audio and search variants
            family("gpt-4o", chat, 1_715_367_049, 128_000, 16_384, text, shutdown: "2027-01-14")
            snap("gpt-4o-2024-05-13", 1_715_368_132, output: 4_096, shutdown: "2026-10-23")
            snap("gpt-4o-2024-08-06", 1_722_814_719)
            snap("gpt-4o-2024-11-20", 1_739_331_543)
            family("gpt-4o-mini", chat, 1_721_172_741, 128_000, 16_384, text, shutdown: "2027-01-14")
            snap("gpt-4o-mini-2024-07-18", 1_721_172_717)
            family("chatgpt-4o-latest", chat, 1_723_515_131, 128_000, 16_384, shutdown: "2026-02-17")
            family("gpt-audio-1.5", chat, "2026-02-23", 128_000, 16_384, audio)
            family("gpt-audio-mini", chat, 1_759_512_027, 128_000, 16_384, audio, shutdown: "2027-01-20")
            snap("gpt-audio-mini-2025-10-06", 1_759_512_137)
            snap("gpt-audio-mini-2025-12-15", "2025-12-15")
            family("gpt-4o-audio-preview", chat, 1_727_460_443, 128_000, 16_384, audio, shutdown: "2026-05-07")
            snap("gpt-4o-audio-preview-2024-10-01", 1_727_389_042, shutdown: "2025-10-10")
            snap("gpt-4o-audio-preview-2024-12-17", 1_734_034_239)
            snap("gpt-4o-audio-preview-2025-06-03", 1_748_908_498)
            family("gpt-4o-mini-audio-preview", chat, 1_734_387_424, 128_000, 16_384, audio, shutdown: "2026-05-07")
            snap("gpt-4o-mini-audio-preview-2024-12-17", 1_734_115_920)
            family("gpt-4o-search-preview", chat, 1_741_388_720, 128_000, 16_384, [.webSearch], shutdown: "2026-07-23")
            snap("gpt-4o-search-preview-2025-03-11", 1_741_388_170)
            family("gpt-4o-mini-search-preview", chat, 1_741_391_161, 128_000, 16_384, [.webSearch], shutdown: "2026-07-23")
            snap("gpt-4o-mini-search-preview-2025-03-11", 1_741_390_858)
            // GPT-4 Turbo, GPT-4, GPT-3.5 Turbo
            family("gpt-4-turbo", chat, 1_712_361_441, 128_000, 4_096, shutdown: "2026-10-23")
            snap("gpt-4-turbo-2024-04-09", 1_712_601_677)
            family("gpt-4-turbo-preview", chat, 1_706_037_777, 128_000, 4_096, shutdown: "2026-03-26")
            snap("gpt-4-0125-preview", 1_706_037_612)
            snap("gpt-4-1106-preview", 1_698_957_206, shutdown: "2026-10-23")
            snap("gpt-4-vision-preview", 1_698_894_917, shutdown: "2024-12-06")
            family("gpt-4", chat, 1_687_882_411, 8_192, 8_192, owner: "openai", shutdown: "2026-10-23")
            snap("gpt-4-0613", 1_686_588_896, owner: "openai")
            snap("gpt-4-0314", 1_687_882_410, owner: "openai", shutdown: "2026-03-26")
            family("gpt-4-32k", chat, 1_687_979_321, 32_768, 32_768, owner: "openai", shutdown: "2025-06-06")
            snap("gpt-4-32k-0613", 1_687_979_321, owner: "openai")
            snap("gpt-4-32k-0314", 1_687_979_320, owner: "openai")
            family("gpt-3.5-turbo", chat, 1_677_610_602, 16_385, 4_096, owner: "openai", shutdown: "2026-10-23")
            snap("gpt-3.5-turbo-0125", 1_706_048_358, owner: "system")
            snap("gpt-3.5-turbo-1106", 1_698_959_748, owner: "system", shutdown: "2026-09-28")
            snap("gpt-3.5-turbo-0613", 1_686_587_434, context: 4_096, shutdown: "2024-09-13")
            snap("gpt-3.5-turbo-0301", 1_677_649_963, context: 4_096, shutdown: "2024-09-13")
            family("gpt-3.5-turbo-16k", chat, 1_683_758_102, 16_385, 4_096, owner: "openai-internal", shutdown: "2024-09-13")
            snap("gpt-3.5-turbo-16k-0613", 1_685_474_247, owner: "openai")

            // Legacy completions
            family("gpt-3.5-turbo-instruct", .completion, 1_692_901_427, 4_096, nil)
            snap("gpt-3.5-turbo-instruct-0914", 1_694_122_472)
            family("davinci-002", .completion, 1_692_634_301, 16_384, nil)
            family("babbage-002", .completion, 1_692_634_615, 16_384, nil)
            for (id, created) in [("ada", 1_649_357_491), ("babbage", 1_649_358_449), ("curie", 1_649_359_874),
                                  ("davinci", 1_649_359_874)] {
                family(id, .completion, created, 2_049, nil, owner: "openai")
            }
            // Embeddings and moderation
            family("text-embedding-3-large", .embedding, 1_705_953_180, 8_192, nil)
            family("text-embedding-3-small", .embedding, 1_705_948_997, 8_192, nil)
            family("text-embedding-ada-002", .embedding, 1_671_217_299, 8_192, nil, owner: "openai-internal")
            family("omni-moderation-latest", .moderation, 1_731_689_265, 32_768, nil)
            snap("omni-moderation-2024-09-26", 1_732_734_466)
            family("text-moderation-latest", .moderation, 1_707_770_544, 32_768, nil, owner: "openai-internal")
            family("text-moderation-stable", .moderation, 1_707_770_544, 32_768, nil, owner: "openai-internal")

            // Images (no token window: 0)
            for (id, date) in [("gpt-image-2.6-sunburst", "2026-11-10"), ("gpt-image-2.6-flare", "2026-11-10")] {
                family(id, .image, date, 0, nil)
            }
            family("gpt-image-2.5-sunburst", .image, "2026-09-08", 0, nil)
            snap("gpt-image-2.5-sunburst-2026-09-08", "2026-09-08")
            family("gpt-image-2.5-flare", .image, "2026-09-08", 0, nil)
            snap("gpt-image-2.5-flare-2026-09-08", "2026-09-08")
            family("gpt-image-2", .image, "2026-04-21", 0, nil)
            snap("gpt-image-2-2026-04-21", "2026-04-21")
            family("gpt-image-1.5", .image, "2025-12-16", 0, nil)
            family("gpt-image-1", .image, 1_745_517_030, 0, nil, shutdown: "2026-10-23")
            family("gpt-image-1-mini", .image, "2025-10-06", 0, nil)
            family("chatgpt-image-latest", .image, "2025-12-16", 0, nil)
            family("dall-e-3", .image, 1_698_785_189, 0, nil, shutdown: "2026-05-12")
            family("dall-e-2", .image, 1_698_798_177, 0, nil, shutdown: "2026-05-12")
            // Speech, transcription
            family("gpt-4o-mini-tts", .speech, 1_742_403_959, 2_000, nil, shutdown: "2027-01-06")
            snap("gpt-4o-mini-tts-2025-12-15", "2025-12-15")
            family("tts-1", .speech, 1_681_940_951, 0, nil, owner: "openai-internal", shutdown: "2027-01-06")
            family("tts-1-hd", .speech, 1_699_046_015, 0, nil, shutdown: "2027-01-06")
            family("gpt-transcribe", .transcription, "2026-09-01", 16_000, 2_000)
            family("gpt-4o-transcribe", .transcription, 1_742_068_463, 16_000, 2_000, shutdown: "2027-02-26")
            family("gpt-4o-transcribe-diarize", .transcription, "2025-10-15", 16_000, 2_000, shutdown: "2027-02-26")
            family("gpt-4o-mini-transcribe", .transcription, 1_742_068_596, 16_000, 2_000, shutdown: "2027-02-26")
            snap("gpt-4o-mini-transcribe-2025-12-15", "2025-12-15")
            family("whisper-1", .transcription, 1_677_532_384, 0, nil, owner: "openai-internal", shutdown: "2027-02-26")
            family("gpt-realtime-whisper", .transcription, "2026-05-01", 16_000, 2_000)
            family("gpt-live-transcribe", .transcription, "2026-10-08", 16_000, 2_000)
            // Realtime
            for (id, date) in [("gpt-realtime-2.1", "2026-09-01"), ("gpt-realtime-2.1-mini", "2026-09-01"),
                               ("gpt-realtime-2", "2026-05-01"), ("gpt-realtime-1.5", "2026-02-23"), ("gpt-live-1", "2026-10-08")] {
                family(id, .realtime, date, 32_000, 4_096)
            }
            family("gpt-realtime", .realtime, 1_756_271_701, 32_000, 4_096)
            snap("gpt-realtime-2025-08-28", 1_756_271_773)
            family("gpt-realtime-mini", .realtime, "2025-10-06", 32_000, 4_096)
            snap("gpt-realtime-mini-2025-10-06", "2025-10-06")
            snap("gpt-realtime-mini-2025-12-15", "2025-12-15")
            family("gpt-4o-realtime-preview", .realtime, 1_727_659_998, 128_000, 4_096)
            snap("gpt-4o-realtime-preview-2024-10-01", 1_727_131_766)
            snap("gpt-4o-realtime-preview-2024-12-17", 1_733_945_430)
            snap("gpt-4o-realtime-preview-2025-06-03", 1_748_907_838)
            family("gpt-4o-mini-realtime-preview", .realtime, 1_734_387_380, 128_000, 4_096)
            snap("gpt-4o-mini-realtime-preview-2024-12-17", 1_734_112_601)
            // Video
            family("sora-2", .video, "2025-10-06", 0, nil)
            snap("sora-2-2025-10-06", "2025-10-06")
            snap("sora-2-2025-12-08", "2025-12-08")
            family("sora-2-pro", .video, "2025-10-06", 0, nil)
            snap("sora-2-pro-2025-10-06", "2025-10-06")
        }

        // MARK: rows

        /// A family: the model its snapshots resolve to.
        mutating func family(_ id: String, _ kind: ModelInfo.Kind, _ created: Int, _ context: Int, _ output: Int?,
                             efforts: [ReasoningEffort]? = nil, default effort: ReasoningEffort? = nil,
                             _ features: ModelFeatures = [], owner: String = "system", shutdown: String? = nil) {
            var info = ModelInfo(id: id, created: created, ownedBy: owner, kind: kind, contextWindow: context,
                                 maxOutputTokens: output, reasoning: efforts != nil)
            info.reasoningEfforts = efforts ?? []
            info.defaultEffort = effort
            info.features = features
            info.shutdownDate = shutdown
            rows.append(info)
        }

        mutating func family(_ id: String, _ kind: ModelInfo.Kind, _ date: String, _ context: Int, _ output: Int?,
                             efforts: [ReasoningEffort]? = nil, default effort: ReasoningEffort? = nil,
                             _ features: ModelFeatures = [], owner: String = "system", shutdown: String? = nil) {
            family(id, kind, Self.unixTime(date), context, output, efforts: efforts, default: effort, features,
                   owner: owner, shutdown: shutdown)
        }

        /// A dated snapshot of the family above it; what it does not say is the family's.
        mutating func snap(_ id: String, _ created: Int, owner: String? = nil, context: Int? = nil, output: Int? = nil,
                           shutdown: String? = nil) {
            guard var info = rows.last(where: { $0.family == $0.id }) else { preconditionFailure("\(id) before any family") }
            info.id = id
            info.created = created
            if let owner { info.ownedBy = owner }
            if let context { info.contextWindow = context }
            if let output { info.maxOutputTokens = output }
            if let shutdown { info.shutdownDate = shutdown }
            rows.append(info)
        }

        mutating func snap(_ id: String, _ date: String, shutdown: String? = nil) {
            snap(id, Self.unixTime(date), shutdown: shutdown)
        }

        /// `YYYY-MM-DD` at 00:00 UTC as Unix seconds (days from civil, proleptic Gregorian).
        static func unixTime(_ date: String) -> Int {
            let parts = date.split(separator: "-").compactMap { Int($0) }
            precondition(parts.count == 3, "bad date \(date)")
            let (y0, m, d) = (parts[0], parts[1], parts[2])
            let y = m <= 2 ? y0 - 1 : y0
            let era = (y >= 0 ? y : y - 399) / 400
            let yoe = y - era * 400
            let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
            let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
            return (era * 146_097 + doe - 719_468) * 86_400
        }
    }
}
