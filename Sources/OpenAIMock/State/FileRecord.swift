/// A file in the store: what `/v1/files` lists, and where its bytes are.
package struct FileRecord: StoreRecord, Equatable {
    package static let kind = "file"
    package var id: String
    package var sequence: Int
    package var bytes: Int
    package var createdAt: Int
    package var expiresAt: Int?
    /// As the client sent it (0.28 sends the full local path; it is kept as is).
    package var filename: String
    package var purpose: String
    /// The blob holding the content.
    package var blob: String
    /// ``ContentHash`` of the content.
    package var contentHash: UInt64
    /// The part's `Content-Type` as uploaded (served back by `/content`).
    package var contentType: String?
    /// For `fine-tune` files: the data format recognised at upload (`chat`, `prompt_completion`,
    /// `preference`, …), kept for the jobs that will read the file.
    package var dataFormat: String?

    package var blobs: [String] { [blob] }

    package func isExpired(at now: Int) -> Bool { expiresAt.map { now >= $0 } ?? false }

    /// The `file` object, in the real API's field order. `status` is always `processed`: files
    /// are checked while they upload.
    package var json: JSONValue {
        .object(JSONObject([
            ("object", "file"),
            ("id", .string(id)),
            ("purpose", .string(purpose)),
            ("filename", .string(filename)),
            ("bytes", .int(bytes)),
            ("created_at", .int(createdAt)),
            ("expires_at", expiresAt.map(JSONValue.int) ?? .null),
            ("status", "processed"),
            ("status_details", .null),
        ]))
    }

    package var stored: JSONValue {
        var o = JSONObject([
            ("id", .string(id)), ("seq", .int(sequence)), ("bytes", .int(bytes)), ("created_at", .int(createdAt)),
            ("filename", .string(filename)), ("purpose", .string(purpose)), ("blob", .string(blob)),
            ("hash", .string(String(contentHash, radix: 16))),
        ])
        if let expiresAt { o.append("expires_at", .int(expiresAt)) }
        if let contentType { o.append("content_type", .string(contentType)) }
        if let dataFormat { o.append("data_format", .string(dataFormat)) }
        return .object(o)
    }

    package init(id: String, sequence: Int, bytes: Int, createdAt: Int, expiresAt: Int?, filename: String,
                 purpose: String, blob: String, contentHash: UInt64, contentType: String?, dataFormat: String?) {
        self.id = id
        self.sequence = sequence
        self.bytes = bytes
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.filename = filename
        self.purpose = purpose
        self.blob = blob
        self.contentHash = contentHash
        self.contentType = contentType
        self.dataFormat = dataFormat
    }

    package init(stored v: JSONValue) throws(StoreDecodingError) {
        id = try v.string("id")
        sequence = try v.int("seq")
        bytes = try v.int("bytes")
        createdAt = try v.int("created_at")
        expiresAt = v.optionalInt("expires_at")
        filename = try v.string("filename")
        purpose = try v.string("purpose")
        blob = try v.string("blob")
        contentHash = UInt64(try v.string("hash"), radix: 16) ?? 0
        contentType = v.optionalString("content_type")
        dataFormat = v.optionalString("data_format")
    }
}
