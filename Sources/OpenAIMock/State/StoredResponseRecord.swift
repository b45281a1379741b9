/// A response created with `store: true` (the default): its final object, its input items as listed,
/// the chat messages of its turn (input and output, for a later `previous_response_id`), and, for a
/// background response, when it finishes on the virtual clock and whether it was cancelled first.
package struct StoredResponseRecord: StoreRecord, Equatable {
    package static let kind = "response"
    package var id: String
    package var sequence: Int
    package var createdAt: Int
    /// The response as it is once done.
    package var response: JSONValue
    package var inputItems: [JSONValue]
    /// This turn's chat messages: its input, then its output (instructions are not carried over).
    package var turn: [JSONValue]
    package var previousResponseID: String?
    package var background: Bool
    /// Virtual seconds: a background response is queued until `createdAt + 1`, in progress until this.
    package var completesAt: Int
    package var cancelledAt: Int?

    package init(id: String, sequence: Int, createdAt: Int, response: JSONValue, inputItems: [JSONValue], turn: [JSONValue],
                 previousResponseID: String?, background: Bool, completesAt: Int) {
        self.id = id
        self.sequence = sequence
        self.createdAt = createdAt
        self.response = response
        self.inputItems = inputItems
        self.turn = turn
        self.previousResponseID = previousResponseID
        self.background = background
        self.completesAt = completesAt
    }

    /// `queued`, `in_progress`, `cancelled`, or the final status, at virtual second `now`.
    package func status(at now: Int) -> String {
        let final = response["status"]?.stringValue ?? "completed"
        guard background else { return final }
        if let cancelledAt, cancelledAt < completesAt { return "cancelled" }
        if now < createdAt + 1 { return "queued" }
        if now < completesAt { return "in_progress" }
        return final
    }

    /// The object `GET /v1/responses/{id}` answers at `now`.
    package func json(at now: Int) -> JSONValue {
        let status = status(at: now)
        switch status {
        case "queued", "in_progress", "cancelled": return ResponseObject.snapshot(response, status: status)
        default: return response
        }
    }

    package var stored: JSONValue {
        .object(JSONObject([
            ("id", .string(id)), ("seq", .int(sequence)), ("created_at", .int(createdAt)), ("response", response),
            ("input_items", .array(inputItems)), ("turn", .array(turn)),
            ("previous_response_id", previousResponseID.map(JSONValue.string) ?? .null), ("background", .bool(background)),
            ("completes_at", .int(completesAt)), ("cancelled_at", cancelledAt.map(JSONValue.int) ?? .null),
        ]))
    }

    package init(stored v: JSONValue) throws(StoreDecodingError) {
        id = try v.string("id")
        sequence = try v.int("seq")
        createdAt = try v.int("created_at")
        response = try v.required("response") { $0.objectValue.map(JSONValue.object) }
        inputItems = try v.required("input_items", \.arrayValue)
        turn = try v.required("turn", \.arrayValue)
        previousResponseID = v.optionalString("previous_response_id")
        background = v["background"]?.boolValue ?? false
        completesAt = try v.int("completes_at")
        cancelledAt = v.optionalInt("cancelled_at")
    }
}

/// A conversation (`/v1/conversations`): metadata and its items in order, each with its id.
package struct ConversationRecord: StoreRecord, Equatable {
    package static let kind = "conversation"
    package var id: String
    package var sequence: Int
    package var createdAt: Int
    package var metadata: JSONValue
    /// Listed items (``ResponseItems/listed(_:idSeed:)``), oldest first.
    package var items: [JSONValue]
    /// How many items were ever added (the root of new item ids, so a deleted item's id is never reused).
    package var added: Int

    package init(id: String, sequence: Int, createdAt: Int, metadata: JSONValue, items: [JSONValue], added: Int) {
        self.id = id
        self.sequence = sequence
        self.createdAt = createdAt
        self.metadata = metadata
        self.items = items
        self.added = added
    }

    package var json: JSONValue {
        .object(JSONObject([
            ("id", .string(id)), ("object", "conversation"), ("created_at", .int(createdAt)),
            ("metadata", metadata == .null ? .object(JSONObject()) : metadata),
        ]))
    }

    package var stored: JSONValue {
        .object(JSONObject([
            ("id", .string(id)), ("seq", .int(sequence)), ("created_at", .int(createdAt)), ("metadata", metadata),
            ("items", .array(items)), ("added", .int(added)),
        ]))
    }

    package init(stored v: JSONValue) throws(StoreDecodingError) {
        id = try v.string("id")
        sequence = try v.int("seq")
        createdAt = try v.int("created_at")
        metadata = v["metadata"] ?? .null
        items = try v.required("items", \.arrayValue)
        added = try v.int("added")
    }
}
