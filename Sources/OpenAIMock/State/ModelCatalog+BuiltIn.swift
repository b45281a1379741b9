extension ModelCatalog {
    /// Current and legacy models with their real creation dates, owners and context windows.
    static let builtIn: [ModelInfo] = {
        func chat(_ id: String, _ created: Int, _ owner: String = "system", context: Int, output: Int?,
                  reasoning: Bool = false) -> ModelInfo {
            ModelInfo(id: id, created: created, ownedBy: owner, kind: .chat, contextWindow: context,
                      maxOutputTokens: output, reasoning: reasoning)
        }
        func completion(_ id: String, _ created: Int, _ owner: String, context: Int) -> ModelInfo {
            ModelInfo(id: id, created: created, ownedBy: owner, kind: .completion, contextWindow: context)
        }
        return [
            chat("gpt-4o", 1_715_367_049, context: 128_000, output: 16_384),
            chat("gpt-4o-2024-05-13", 1_715_368_132, context: 128_000, output: 4_096),
            chat("gpt-4o-2024-08-06", 1_722_814_719, context: 128_000, output: 16_384),
            chat("gpt-4o-2024-11-20", 1_739_331_543, context: 128_000, output: 16_384),
            chat("gpt-4o-mini", 1_721_172_741, context: 128_000, output: 16_384),
            chat("gpt-4o-mini-2024-07-18", 1_721_172_717, context: 128_000, output: 16_384),
            chat("gpt-4.1", 1_744_316_542, context: 1_047_576, output: 32_768),
            chat("gpt-4.1-2025-04-14", 1_744_315_746, context: 1_047_576, output: 32_768),
            chat("gpt-4.1-mini", 1_744_318_173, context: 1_047_576, output: 32_768),
            chat("gpt-4.1-mini-2025-04-14", 1_744_317_547, context: 1_047_576, output: 32_768),
            chat("gpt-4.1-nano", 1_744_321_707, context: 1_047_576, output: 32_768),
            chat("gpt-4.1-nano-2025-04-14", 1_744_321_025, context: 1_047_576, output: 32_768),
            chat("gpt-4-turbo", 1_712_361_441, context: 128_000, output: 4_096),
            chat("gpt-4-turbo-2024-04-09", 1_712_601_677, context: 128_000, output: 4_096),
            chat("gpt-4", 1_687_882_411, "openai", context: 8_192, output: 8_192),
            chat("gpt-4-0613", 1_686_588_896, "openai", context: 8_192, output: 8_192),
            chat("gpt-3.5-turbo", 1_677_610_602, "openai", context: 16_385, output: 4_096),
            chat("gpt-3.5-turbo-0125", 1_706_048_358, context: 16_385, output: 4_096),
            chat("gpt-3.5-turbo-1106", 1_698_959_748, context: 16_385, output: 4_096),
            chat("gpt-3.5-turbo-16k", 1_683_758_102, "openai-internal", context: 16_385, output: 4_096),
            chat("o1", 1_734_375_816, context: 200_000, output: 100_000, reasoning: true),
            chat("o3-mini", 1_737_146_383, context: 200_000, output: 100_000, reasoning: true),
            chat("o4-mini", 1_744_225_351, context: 200_000, output: 100_000, reasoning: true),
            chat("o4-mini-2025-04-16", 1_744_133_506, context: 200_000, output: 100_000, reasoning: true),
            completion("gpt-3.5-turbo-instruct", 1_692_901_427, "system", context: 4_096),
            completion("gpt-3.5-turbo-instruct-0914", 1_694_122_472, "system", context: 4_096),
            completion("davinci-002", 1_692_634_301, "system", context: 16_384),
            completion("babbage-002", 1_692_634_615, "system", context: 16_384),
            completion("ada", 1_649_357_491, "openai", context: 2_049),
            completion("babbage", 1_649_358_449, "openai", context: 2_049),
            completion("curie", 1_649_359_874, "openai", context: 2_049),
            completion("davinci", 1_649_359_874, "openai", context: 2_049),
            ModelInfo(id: "text-embedding-ada-002", created: 1_671_217_299, ownedBy: "openai-internal",
                      kind: .embedding, contextWindow: 8_192),
            ModelInfo(id: "text-embedding-3-small", created: 1_705_948_997, ownedBy: "system",
                      kind: .embedding, contextWindow: 8_192),
            ModelInfo(id: "text-embedding-3-large", created: 1_705_953_180, ownedBy: "system",
                      kind: .embedding, contextWindow: 8_192),
            ModelInfo(id: "omni-moderation-latest", created: 1_731_689_265, ownedBy: "system",
                      kind: .moderation, contextWindow: 32_768),
            ModelInfo(id: "omni-moderation-2024-09-26", created: 1_732_734_466, ownedBy: "system",
                      kind: .moderation, contextWindow: 32_768),
            ModelInfo(id: "text-moderation-latest", created: 1_707_770_544, ownedBy: "openai-internal",
                      kind: .moderation, contextWindow: 32_768),
            ModelInfo(id: "text-moderation-stable", created: 1_707_770_544, ownedBy: "openai-internal",
                      kind: .moderation, contextWindow: 32_768),
        ]
    }()
}
