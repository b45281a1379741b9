/// Models the built-in catalogue does not list: those scenario files declare, and with `--models open`
/// any id a request names. What such a model can do follows the catalogue model its name is built on.
extension ModelCatalog {
    static let builtInIndex: [String: ModelInfo] = Dictionary(builtIn.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })

    /// An entry for `id`: kind as given (else the base model's, else guessed from the name), context
    /// window, output limit, reasoning and features from the base model when it is of that kind.
    /// `ownedBy` nil: `user-openai-mock` when the base is known, `openai-mock` otherwise.
    static func inferred(id: String, kind: ModelInfo.Kind?, ownedBy: String?) -> ModelInfo {
        let known = baseModel(of: id)
        let inferredKind = kind ?? known?.kind ?? guessKind(id)
        let owner = ownedBy ?? (known == nil ? "openai-mock" : "user-openai-mock")
        if let known, known.kind == inferredKind {
            return known.derived(id: id, created: 1_700_000_000, ownedBy: owner, deletable: false)
        }
        let (context, output): (Int, Int?) = switch inferredKind {
        case .chat, .responses: (128_000, 16_384)
        case .completion: (16_384, nil)
        case .embedding: (8_192, nil)
        case .moderation: (32_768, nil)
        case .image, .speech, .transcription, .realtime, .video: (0, nil)
        }
        return ModelInfo(id: id, created: 1_700_000_000, ownedBy: owner, kind: inferredKind, contextWindow: context,
                         maxOutputTokens: output)
    }

    /// The catalogue model a name is built on: `ft:BASE:org::id` → BASE, `BASE:ft-org-date` → BASE, a
    /// provider prefix (`azure/gpt-4o`) dropped, else the longest catalogue id the name starts with
    /// followed by `-` (`gpt-4o-mini-proxy` → `gpt-4o-mini`).
    static func baseModel(of id: String) -> ModelInfo? {
        var name = Substring(id)
        if name.hasPrefix("ft:") {
            name = name.dropFirst(3).split(separator: ":", omittingEmptySubsequences: false).first ?? ""
        } else if let r = name.firstRange(of: ":ft-") {
            name = name[..<r.lowerBound]
        }
        if let slash = name.lastIndex(of: "/") { name = name[name.index(after: slash)...] }
        if let exact = builtInIndex[String(name)] { return exact }
        var best: ModelInfo?
        for model in builtIn where name.hasPrefix(model.id + "-") && model.id.count > (best?.id.count ?? 0) {
            best = model
        }
        return best
    }

    /// The kind a name suggests when nothing else says.
    static func guessKind(_ name: String) -> ModelInfo.Kind {
        if name.contains("embedding") { return .embedding }
        if name.contains("moderation") { return .moderation }
        if ["ada", "babbage", "curie", "davinci"].contains(where: { name.hasPrefix($0) }) || name.hasSuffix("-instruct") {
            return .completion
        }
        return .chat
    }
}
