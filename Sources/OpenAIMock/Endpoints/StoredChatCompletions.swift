/// Chat completions created with `store: true`: `GET /v1/chat/completions` (`model`, `metadata[k]=v`,
/// `after`, `limit`, `order`), `GET|POST|DELETE /v1/chat/completions/{completion_id}` (the `POST`
/// replaces `metadata`) and `GET /v1/chat/completions/{completion_id}/messages`. Lists are oldest first
/// unless `order=desc`, and carry `first_id`, `last_id` and `has_more`.
enum StoredChatCompletions {
    static let list: Endpoint = { ctx throws(OpenAIError) in
        let limit = try ctx.integerQuery("limit", range: 1...100, default: 20)
        let order = try ctx.orderQuery(default: "asc")
        let model = ctx.queryValue("model")
        let filter = Metadata.Filter(ctx)
        var stored = try ctx.state.store.read { data in
            data.all(StoredChatCompletionRecord.self).filter { (model == nil || $0.model == model) && filter.matches($0.metadata) }
        }
        stored.sort { ($0.createdAt, $0.sequence) < ($1.createdAt, $1.sequence) }
        if order == "desc" { stored.reverse() }
        return .json(CursorPage.json(stored, after: ctx.queryValue("after"), limit: limit, id: \.id, json: \.json))
    }

    static let retrieve: Endpoint = { ctx throws(OpenAIError) in
        .json(try completion(ctx).json)
    }

    static let update: Endpoint = { ctx throws(OpenAIError) in
        let body = try ctx.jsonBody()
        guard body["metadata"] != nil else { throw OpenAIError.missingParameter("metadata") }
        let metadata = try Metadata.validate(body["metadata"])
        let id = ctx.parameters["completion_id"] ?? ""
        let record = try ctx.state.store.update { data, change throws(OpenAIError) -> StoredChatCompletionRecord in
            guard var record = data.get(StoredChatCompletionRecord.self, id) else { throw notFound(id) }
            record.metadata = metadata
            change.put(record)
            return record
        }
        return .json(record.json)
    }

    static let delete: Endpoint = { ctx throws(OpenAIError) in
        let id = ctx.parameters["completion_id"] ?? ""
        try ctx.state.store.update { data, change throws(OpenAIError) in
            guard data.get(StoredChatCompletionRecord.self, id) != nil else { throw notFound(id) }
            change.delete(StoredChatCompletionRecord.self, id: id)
        }
        return .json(.object(JSONObject([("object", "chat.completion.deleted"), ("id", .string(id)), ("deleted", true)])))
    }

    static let messages: Endpoint = { ctx throws(OpenAIError) in
        let limit = try ctx.integerQuery("limit", range: 1...100, default: 20)
        let order = try ctx.orderQuery(default: "asc")
        var items = try completion(ctx).messageItems
        if order == "desc" { items.reverse() }
        return .json(CursorPage.json(items, after: ctx.queryValue("after"), limit: limit, id: { $0.id }, json: { $0.json }))
    }

    private static func completion(_ ctx: RequestContext) throws(OpenAIError) -> StoredChatCompletionRecord {
        let id = ctx.parameters["completion_id"] ?? ""
        guard let record = try ctx.state.store.read({ $0.get(StoredChatCompletionRecord.self, id) }) else { throw notFound(id) }
        return record
    }

    static func notFound(_ id: String) -> OpenAIError {
        OpenAIError(status: 404, message: "No chat completion found with id '\(id)'.", param: "completion_id", code: "not_found")
    }
}
