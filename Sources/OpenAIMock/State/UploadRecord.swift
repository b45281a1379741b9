/// An upload in progress (`/v1/uploads`): the declared file, and the parts received so far.
package struct UploadRecord: StoreRecord, Equatable {
    package static let kind = "upload"

    package struct Part: Sendable, Equatable {
        package var id: String
        package var createdAt: Int
        package var bytes: Int
        package var blob: String
    }

    package enum Status: String, Sendable {
        case pending, completed, cancelled, expired
    }

    package var id: String
    package var sequence: Int
    package var createdAt: Int
    package var expiresAt: Int
    package var filename: String
    package var purpose: String
    /// The size declared at creation; the parts must add up to it.
    package var bytes: Int
    package var mimeType: String
    /// `pending`, `completed` or `cancelled` as stored; `expired` is read off the clock.
    package var storedStatus: Status
    package var parts: [Part]
    /// The file a completed upload produced.
    package var fileID: String?

    package var blobs: [String] { parts.map(\.blob) }

    package func status(at now: Int) -> Status {
        storedStatus == .pending && now >= expiresAt ? .expired : storedStatus
    }

    package func json(now: Int, file: FileRecord?) -> JSONValue {
        .object(JSONObject([
            ("id", .string(id)),
            ("object", "upload"),
            ("bytes", .int(bytes)),
            ("created_at", .int(createdAt)),
            ("filename", .string(filename)),
            ("purpose", .string(purpose)),
            ("status", .string(status(at: now).rawValue)),
            ("expires_at", .int(expiresAt)),
            ("file", file?.json ?? .null),
        ]))
    }

    package static func partJSON(_ part: Part, uploadID: String) -> JSONValue {
        .object(JSONObject([
            ("id", .string(part.id)), ("object", "upload.part"), ("created_at", .int(part.createdAt)),
            ("upload_id", .string(uploadID)),
        ]))
    }

    package var stored: JSONValue {
        var o = JSONObject([
            ("id", .string(id)), ("seq", .int(sequence)), ("created_at", .int(createdAt)), ("expires_at", .int(expiresAt)),
            ("filename", .string(filename)), ("purpose", .string(purpose)), ("bytes", .int(bytes)),
            ("mime_type", .string(mimeType)), ("status", .string(storedStatus.rawValue)),
            ("parts", .array(parts.map { p in
                .object(JSONObject([("id", .string(p.id)), ("created_at", .int(p.createdAt)), ("bytes", .int(p.bytes)),
                                    ("blob", .string(p.blob))]))
            })),
        ])
        if let fileID { o.append("file_id", .string(fileID)) }
        return .object(o)
    }

    package init(id: String, sequence: Int, createdAt: Int, expiresAt: Int, filename: String, purpose: String,
                 bytes: Int, mimeType: String) {
        self.id = id
        self.sequence = sequence
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.filename = filename
        self.purpose = purpose
        self.bytes = bytes
        self.mimeType = mimeType
        storedStatus = .pending
        parts = []
    }

    package init(stored v: JSONValue) throws(StoreDecodingError) {
        id = try v.string("id")
        sequence = try v.int("seq")
        createdAt = try v.int("created_at")
        expiresAt = try v.int("expires_at")
        filename = try v.string("filename")
        purpose = try v.string("purpose")
        bytes = try v.int("bytes")
        mimeType = try v.string("mime_type")
        guard let status = Status(rawValue: try v.string("status")) else { throw StoreDecodingError("invalid upload status") }
        storedStatus = status
        var parts: [Part] = []
        for p in v["parts"]?.arrayValue ?? [] {
            parts.append(Part(id: try p.string("id"), createdAt: try p.int("created_at"), bytes: try p.int("bytes"),
                              blob: try p.string("blob")))
        }
        self.parts = parts
        fileID = v.optionalString("file_id")
    }
}
