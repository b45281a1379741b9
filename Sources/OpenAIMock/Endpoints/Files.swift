import MockHTTP

/// `/v1/files`: upload (multipart, streamed to disk), list, retrieve, delete, content.
enum Files {
    /// Purposes a client may upload with, in the order the real API's error lists them.
    static let uploadPurposes = ["fine-tune", "assistants", "batch", "user_data", "responses", "vision", "evals"]
    static let maxFileBytes = 512 * 1024 * 1024
    static let maxBatchFileBytes = 200 * 1024 * 1024
    /// Batch input files expire after 30 days unless told otherwise.
    static let batchExpirySeconds = 2_592_000

    static let create: Endpoint = { ctx throws(OpenAIError) in
        let form = try await MultipartUpload.receive(ctx, fileField: "file", maxFileBytes: maxFileBytes,
                                                     tooLarge: .invalidRequest("File is too large.", param: "file"))
        guard let purpose = form.field("purpose") else { throw OpenAIError.missingParameter("purpose") }
        guard uploadPurposes.contains(purpose) else {
            let list = uploadPurposes.map { "'\($0)'" }.joined(separator: ", ")
            throw OpenAIError.invalidRequest("'\(purpose)' is not one of [\(list)] - 'purpose'", param: "purpose",
                                             code: "invalid_value")
        }
        guard let file = form.file else { throw OpenAIError.missingParameter("file") }
        var expiresAfter = try expiry(form)
        let filename = file.filename ?? "file"
        var dataFormat: String?
        switch purpose {
        case "fine-tune":
            try JSONLCheck.requireJSONLName(filename, api: "Fine-Tuning API")
            dataFormat = try await checkLines(file, ctx: ctx).format
        case "batch":
            try JSONLCheck.requireJSONLName(filename, api: "Batch API")
            guard file.size <= maxBatchFileBytes else { throw OpenAIError.invalidRequest("File is too large.", param: "file") }
            _ = try await checkLines(file, ctx: ctx)
            expiresAfter = expiresAfter ?? batchExpirySeconds
        default:
            break
        }
        let hash = file.blob.hash.finalized
        let record = try ctx.state.store.update { _, change throws(OpenAIError) -> FileRecord in
            let sequence = change.nextSequence()
            let id = fileID(contentHash: hash, sequence: sequence, seed: ctx.seed)
            let now = ctx.state.clock.now()
            let record = FileRecord(id: id, sequence: sequence, bytes: file.size, createdAt: now,
                                    expiresAt: expiresAfter.map { now + $0 }, filename: filename, purpose: purpose,
                                    blob: id, contentHash: hash, contentType: file.contentType, dataFormat: dataFormat)
            change.adopt(file.blob, as: record.blob)
            change.put(record)
            return record
        }
        return .json(record.json)
    }

    /// `file-` + 22 characters from the content, the store's sequence number and the seed: the
    /// same upload in the same place of a session gets the same id in every run, and two uploads of
    /// the same bytes are two files.
    static func fileID(contentHash: UInt64, sequence: Int, seed: UInt64) -> String {
        var h = StableHash(seed)
        h.combine("file")
        h.combine(contentHash)
        h.combine(sequence)
        return "file-" + StableHash.idSuffix(h.finalized, length: 22)
    }

    /// `expires_after[anchor]` + `expires_after[seconds]` (both or neither).
    private static func expiry(_ form: MultipartUpload) throws(OpenAIError) -> Int? {
        let anchor = form.field("expires_after[anchor]")
        let seconds = form.field("expires_after[seconds]")
        guard anchor != nil || seconds != nil else { return nil }
        guard let anchor else { throw OpenAIError.missingParameter("expires_after.anchor") }
        guard anchor == "created_at" else {
            throw OpenAIError.invalidRequest("Invalid value: '\(anchor)'. Supported values are: 'created_at'.",
                                             param: "expires_after.anchor", code: "invalid_value")
        }
        guard let seconds else { throw OpenAIError.missingParameter("expires_after.seconds") }
        guard let n = Int(seconds) else {
            throw OpenAIError.invalidRequest("Invalid type for 'expires_after.seconds': expected an integer, but got a string instead.",
                                             param: "expires_after.seconds", code: "invalid_type")
        }
        guard (3600...2_592_000).contains(n) else {
            throw OpenAIError.invalidRequest(
                "Invalid 'expires_after.seconds': must be between 3600 (1 hour) and 2592000 (30 days), but got \(n) instead.",
                param: "expires_after.seconds", code: "invalid_value")
        }
        return n
    }

    private static func checkLines(_ file: MultipartUpload.File, ctx: RequestContext) async throws(OpenAIError) -> JSONLCheck.Result {
        let path = file.blob.path
        return try await BlockingIO.run { () throws(OpenAIError) -> JSONLCheck.Result in
            let reader: ReadableFile
            do { reader = try ReadableFile(path) } catch { throw OpenAIError.storageFailure(error) }
            return try JSONLCheck.check(reader)
        }
    }

    // MARK: Reading

    static let list: Endpoint = { ctx throws(OpenAIError) in
        try await ctx.state.settle()
        let purpose = ctx.queryValue("purpose")
        let limit = try ctx.integerQuery("limit", range: 1...10_000, default: 10_000)
        let order = try ctx.orderQuery()
        let after = ctx.queryValue("after")
        let now = ctx.state.clock.now()
        var files = try ctx.state.store.read { data in
            data.all(FileRecord.self).filter { !$0.isExpired(at: now) && (purpose == nil || $0.purpose == purpose) }
        }
        files.sort { ($0.createdAt, $0.sequence) < ($1.createdAt, $1.sequence) }
        if order == "desc" { files.reverse() }
        return .json(CursorPage.json(files, after: after, limit: limit, id: \.id, json: \.json))
    }

    static let retrieve: Endpoint = { ctx throws(OpenAIError) in
        try await ctx.state.settle()
        return .json(try file(ctx).json)
    }

    static let delete: Endpoint = { ctx throws(OpenAIError) in
        let id = ctx.parameters["file_id"] ?? ""
        let now = ctx.state.clock.now()
        try ctx.state.store.update { data, change throws(OpenAIError) in
            guard let file = data.get(FileRecord.self, id), !file.isExpired(at: now) else { throw notFound(id) }
            change.delete(FileRecord.self, id: file.id)
        }
        return .json(.object(JSONObject([("id", .string(id)), ("object", "file"), ("deleted", true)])))
    }

    /// The exact bytes uploaded, streamed from disk.
    static let content: Endpoint = { ctx throws(OpenAIError) in
        try await ctx.state.settle()
        let record = try file(ctx)
        guard let reader = ctx.state.store.openBlob(record.blob) else { throw notFound(record.id) }
        let headers: HTTPHeaders = ["content-type": "application/octet-stream"]
        if reader.size <= 1 << 20 {
            let bytes = try await BlockingIO.run { () throws(OpenAIError) -> [UInt8] in
                var bytes: [UInt8] = []
                do {
                    while let chunk = try reader.read(max: 1 << 20) { bytes += chunk }
                } catch {
                    throw OpenAIError.storageFailure(error)
                }
                return bytes
            }
            return HTTPResponse(status: 200, headers: headers, bytes: bytes)
        }
        return HTTPResponse(status: 200, headers: headers, body: .stream { writer in
            while let chunk = try await BlockingIO.run({ () throws(FileSystemError) -> [UInt8]? in try reader.read(max: 1 << 20) }) {
                try await writer.write(chunk)
            }
        })
    }

    /// The file named by the path, unless it does not exist or has expired.
    static func file(_ ctx: RequestContext) throws(OpenAIError) -> FileRecord {
        let id = ctx.parameters["file_id"] ?? ""
        let now = ctx.state.clock.now()
        guard let file = try ctx.state.store.read({ $0.get(FileRecord.self, id) }), !file.isExpired(at: now) else {
            throw notFound(id)
        }
        return file
    }

    static func notFound(_ id: String) -> OpenAIError {
        OpenAIError(status: 404, message: "No such File object: \(id)", param: "id")
    }
}
