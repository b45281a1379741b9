/// `/v1/conversations`: create (with up to 20 initial items), retrieve, update (`metadata`), delete, and
/// the items: list (newest first unless `order=asc`), add, retrieve, delete. A response created with
/// `conversation` reads the items as its history and appends its input and output.
enum Conversations {
    static let maxItemsPerRequest = 20

    static let create: Endpoint = { ctx throws(OpenAIError) in
        let body = try ctx.jsonBody()
        let metadata = try Metadata.validate(body["metadata"])
        let items = try newItems(body["items"], required: false)
        let now = ctx.state.clock.now()
        let record = try ctx.state.store.update { _, change throws(OpenAIError) -> ConversationRecord in
            let sequence = change.nextSequence()
            let id = "conv_" + StableHash.idSuffix(StableHash.of(ctx.derivedID("conv"), String(sequence)), length: 48, mixedCase: false)
            let listed = ResponseItems.listed(items, idSeed: StableHash.of(id, "0"))
            let record = ConversationRecord(id: id, sequence: sequence, createdAt: now, metadata: metadata, items: listed,
                                            added: listed.count)
            change.put(record)
            return record
        }
        return .json(record.json)
    }

    static let retrieve: Endpoint = { ctx throws(OpenAIError) in
        .json(try conversation(ctx).json)
    }

    static let update: Endpoint = { ctx throws(OpenAIError) in
        let body = try ctx.jsonBody()
        guard body["metadata"] != nil else { throw OpenAIError.missingParameter("metadata") }
        let metadata = try Metadata.validate(body["metadata"])
        let record = try change(ctx) { record throws(OpenAIError) in record.metadata = metadata }
        return .json(record.json)
    }

    static let delete: Endpoint = { ctx throws(OpenAIError) in
        let id = ctx.parameters["conversation_id"] ?? ""
        try ctx.state.store.update { data, change throws(OpenAIError) in
            guard data.get(ConversationRecord.self, id) != nil else { throw notFound(id) }
            change.delete(ConversationRecord.self, id: id)
        }
        return .json(.object(JSONObject([("id", .string(id)), ("object", "conversation.deleted"), ("deleted", true)])))
    }

    static let listItems: Endpoint = { ctx throws(OpenAIError) in
        let limit = try ctx.integerQuery("limit", range: 1...100, default: 20)
        let order = try ctx.orderQuery(default: "desc")
        var items = try conversation(ctx).items
        if order == "desc" { items.reverse() }
        return .json(CursorPage.json(items, after: ctx.queryValue("after"), limit: limit, id: { $0["id"]?.stringValue ?? "" },
                                     json: { $0 }))
    }

    static let addItems: Endpoint = { ctx throws(OpenAIError) in
        let items = try newItems(try ctx.jsonBody()["items"], required: true)
        var added: [JSONValue] = []
        _ = try change(ctx) { record throws(OpenAIError) in
            added = ResponseItems.listed(items, idSeed: StableHash.of(record.id, String(record.added)))
            record.items += added
            record.added += added.count
        }
        return .json(.object(JSONObject([
            ("object", "list"), ("data", .array(added)), ("first_id", added.first?["id"] ?? .null),
            ("last_id", added.last?["id"] ?? .null), ("has_more", false),
        ])))
    }

    static let retrieveItem: Endpoint = { ctx throws(OpenAIError) in
        let itemID = ctx.parameters["item_id"] ?? ""
        guard let item = try conversation(ctx).items.first(where: { $0["id"]?.stringValue == itemID }) else {
            throw itemNotFound(itemID)
        }
        return .json(item)
    }

    static let deleteItem: Endpoint = { ctx throws(OpenAIError) in
        let itemID = ctx.parameters["item_id"] ?? ""
        let record = try change(ctx) { record throws(OpenAIError) in
            guard let i = record.items.firstIndex(where: { $0["id"]?.stringValue == itemID }) else { throw itemNotFound(itemID) }
            record.items.remove(at: i)
        }
        return .json(record.json)
    }

    /// `items` of a create or add: at most 20, each a valid input item.
    private static func newItems(_ value: JSONValue?, required: Bool) throws(OpenAIError) -> [JSONValue] {
        guard let value, value != .null else {
            if required { throw OpenAIError.missingParameter("items") }
            return []
        }
        guard case .array(let items) = value else { throw OpenAIError.invalidType("items", expected: "an array", got: value) }
        guard items.count <= maxItemsPerRequest else {
            throw OpenAIError.invalidRequest(
                "Invalid 'items': array too long. Expected an array with maximum length \(maxItemsPerRequest), but got an array with length \(items.count) instead.",
                param: "items", code: "array_above_max_length")
        }
        // The same checks a response's input gets (calls answered by outputs are checked when a response reads them).
        for (i, item) in items.enumerated() where item["type"]?.stringValue?.hasSuffix("_output") != true {
            do {
                _ = try ResponseItems.chatMessages([item], param: "items")
            } catch {
                var e = error
                e.param = e.param?.replacing("items[0]", with: "items[\(i)]")
                e.message = e.message.replacing("items[0]", with: "items[\(i)]")
                throw e
            }
        }
        return items
    }

    private static func conversation(_ ctx: RequestContext) throws(OpenAIError) -> ConversationRecord {
        let id = ctx.parameters["conversation_id"] ?? ""
        guard let record = try ctx.state.store.read({ $0.get(ConversationRecord.self, id) }) else { throw notFound(id) }
        return record
    }

    private static func change(_ ctx: RequestContext, _ edit: (inout ConversationRecord) throws(OpenAIError) -> Void)
        throws(OpenAIError) -> ConversationRecord {
        let id = ctx.parameters["conversation_id"] ?? ""
        return try ctx.state.store.update { data, change throws(OpenAIError) -> ConversationRecord in
            guard var record = data.get(ConversationRecord.self, id) else { throw notFound(id) }
            try edit(&record)
            change.put(record)
            return record
        }
    }

    static func notFound(_ id: String, param: String = "conversation_id") -> OpenAIError {
        OpenAIError(status: 404, message: "Conversation with id '\(id)' not found.", param: param)
    }

    static func itemNotFound(_ id: String) -> OpenAIError {
        OpenAIError(status: 404, message: "Item with id '\(id)' not found.", param: "item_id")
    }
}
