/// A validated `POST /v1/moderations` body: the model and the items to classify.
public struct ModerationsRequest: Sendable, Equatable {
    /// What one result is computed from.
    public struct Item: Sendable, Equatable {
        public var texts: [String]
        public var imageURLs: [String]

        public init(texts: [String], imageURLs: [String] = []) {
            self.texts = texts
            self.imageURLs = imageURLs
        }
    }

    public var model: String
    public var items: [Item]

    public init(model: String = Moderations.defaultModel, items: [Item]) {
        self.model = model
        self.items = items
    }

    /// Parses and validates. The model must be a moderation model: catalogue entries of kind
    /// `moderation`, or any dated `omni-moderation-*` / `text-moderation-*` name.
    public init(_ body: JSONObject, models: ModelCatalog) throws(OpenAIError) {
        switch body["model"] {
        case nil, .null?: model = Moderations.defaultModel
        case .string(let m)?: model = m
        case let other?: throw OpenAIError.invalidType("model", expected: "a string", got: other)
        }
        guard let input = body["input"], input != .null else { throw OpenAIError.missingParameter("input") }
        items = try Self.parseInput(input)

        if let info = models.resolve(model, for: .moderation) {
            guard info.kind == .moderation else {
                throw OpenAIError.invalidRequest("The model `\(model)` is not a moderation model. Use omni-moderation-latest or text-moderation-latest.",
                                                 param: "model", code: "invalid_value")
            }
        } else if !(model.hasPrefix("omni-moderation-") || model.hasPrefix("text-moderation-")) {
            throw OpenAIError.modelNotFound(model)
        }
    }

    static func parseInput(_ input: JSONValue) throws(OpenAIError) -> [Item] {
        switch input {
        case .string(let s):
            return [Item(texts: [s])]
        case .array(let elements):
            guard let first = elements.first else {
                throw OpenAIError.invalidRequest("Invalid 'input': empty array. Expected an array with minimum length 1, but got an empty array instead.",
                                                 param: "input", code: "empty_array")
            }
            if case .object = first { return [try multimodal(elements)] }
            var items: [Item] = []
            items.reserveCapacity(elements.count)
            for (i, element) in elements.enumerated() {
                guard case .string(let s) = element else {
                    throw OpenAIError.invalidType("input[\(i)]", expected: "a string", got: element)
                }
                items.append(Item(texts: [s]))
            }
            return items
        default:
            throw OpenAIError.invalidRequest(
                "Invalid type for 'input': expected one of a string, an array of strings, or an array of objects, but got \(article(input)) instead.",
                param: "input", code: "invalid_type")
        }
    }

    /// `[{"type":"text","text":…}, {"type":"image_url","image_url":{"url":…}}]` → one item.
    private static func multimodal(_ parts: [JSONValue]) throws(OpenAIError) -> Item {
        var item = Item(texts: [])
        for (i, part) in parts.enumerated() {
            guard case .object(let o) = part else {
                throw OpenAIError.invalidType("input[\(i)]", expected: "an object", got: part)
            }
            guard let typeValue = o["type"] else { throw OpenAIError.missingParameter("input[\(i)].type") }
            guard case .string(let type) = typeValue else {
                throw OpenAIError.invalidType("input[\(i)].type", expected: "a string", got: typeValue)
            }
            switch type {
            case "text":
                guard let textValue = o["text"] else { throw OpenAIError.missingParameter("input[\(i)].text") }
                guard case .string(let text) = textValue else {
                    throw OpenAIError.invalidType("input[\(i)].text", expected: "a string", got: textValue)
                }
                item.texts.append(text)
            case "image_url":
                guard let imageValue = o["image_url"] else { throw OpenAIError.missingParameter("input[\(i)].image_url") }
                // The SDK types say `{"url": …}`; a bare string is accepted too, leniently.
                if case .string(let url) = imageValue {
                    item.imageURLs.append(url)
                } else if case .string(let url)? = imageValue["url"] {
                    item.imageURLs.append(url)
                } else {
                    throw OpenAIError.missingParameter("input[\(i)].image_url.url")
                }
            default:
                throw OpenAIError.invalidRequest("Invalid value: '\(type)'. Supported values are: 'text' and 'image_url'.",
                                                 param: "input[\(i)].type", code: "invalid_value")
            }
        }
        return item
    }

    private static func article(_ v: JSONValue) -> String {
        switch v {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int: return "an integer"
        case .double: return "a decimal"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
