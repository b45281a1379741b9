/// Cursor pagination as the real list endpoints do it: `after` is the id of the last item seen,
/// `limit` caps the page, and `has_more` (always present) says whether to ask again.
enum CursorPage {
    /// `items` are in list order; the page is those after `after`, at most `limit`. An `after`
    /// that names no item (deleted since) gives an empty last page.
    static func slice<T>(_ items: [T], after: String?, limit: Int, id: (T) -> String) -> (page: ArraySlice<T>, hasMore: Bool) {
        var start = items.startIndex
        if let after {
            guard let i = items.firstIndex(where: { id($0) == after }) else { return ([], false) }
            start = i + 1
        }
        let end = min(items.endIndex, start + limit)
        return (items[start..<end], end < items.endIndex)
    }

    /// `{"object":"list","data":[…],"first_id","last_id","has_more"}`.
    static func json<T>(_ items: [T], after: String?, limit: Int, id: (T) -> String, json: (T) -> JSONValue) -> JSONValue {
        let (page, hasMore) = slice(items, after: after, limit: limit, id: id)
        return .object(JSONObject([
            ("object", "list"),
            ("data", .array(page.map(json))),
            ("first_id", page.first.map { .string(id($0)) } ?? .null),
            ("last_id", page.last.map { .string(id($0)) } ?? .null),
            ("has_more", .bool(hasMore)),
        ]))
    }
}

extension RequestContext {
    /// An integer query parameter within `range`, with the real API's errors.
    func integerQuery(_ name: String, range: ClosedRange<Int>, default value: Int) throws(OpenAIError) -> Int {
        guard let text = queryValue(name) else { return value }
        guard let n = Int(text) else {
            throw OpenAIError.invalidRequest("Invalid type for '\(name)': expected an integer, but got a string instead.",
                                             param: name, code: "invalid_type")
        }
        if n < range.lowerBound {
            throw OpenAIError.invalidRequest(
                "Invalid '\(name)': integer below minimum value. Expected a value >= \(range.lowerBound), but got \(n) instead.",
                param: name, code: "integer_below_min_value")
        }
        if n > range.upperBound {
            throw OpenAIError.invalidRequest(
                "Invalid '\(name)': integer above maximum value. Expected a value <= \(range.upperBound), but got \(n) instead.",
                param: name, code: "integer_above_max_value")
        }
        return n
    }

    /// `order=asc|desc` (default `desc`).
    func orderQuery(default value: String = "desc") throws(OpenAIError) -> String {
        guard let order = queryValue("order") else { return value }
        guard order == "asc" || order == "desc" else {
            throw OpenAIError.invalidRequest("Invalid value: '\(order)'. Supported values are: 'asc' and 'desc'.",
                                             param: "order", code: "invalid_value")
        }
        return order
    }
}
