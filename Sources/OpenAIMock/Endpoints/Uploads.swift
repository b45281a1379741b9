import MockHTTP

/// `/v1/uploads`: a large file sent in parts (what the v1 SDK's `uploads.upload_file_chunked`
/// does), completed into an ordinary file.
enum Uploads {
    static let maxUploadBytes = 8 * 1024 * 1024 * 1024
    static let maxPartBytes = 64 * 1024 * 1024
    /// An upload expires an hour after it was created.
    static let lifetimeSeconds = 3600

    static let create: Endpoint = { ctx throws(OpenAIError) in
        let body = try ctx.jsonBody()
        let filename = try body.requiredString("filename")
        let purpose = try body.requiredString("purpose")
        let mimeType = try body.requiredString("mime_type")
        guard let bytesValue = body["bytes"], bytesValue != .null else { throw OpenAIError.missingParameter("bytes") }
        guard let bytes = bytesValue.intValue else {
            throw OpenAIError.invalidType("bytes", expected: "an integer", got: bytesValue)
        }
        guard Files.uploadPurposes.contains(purpose) else {
            let list = Files.uploadPurposes.map { "'\($0)'" }.joined(separator: ", ")
            throw OpenAIError.invalidRequest("'\(purpose)' is not one of [\(list)] - 'purpose'", param: "purpose",
                                             code: "invalid_value")
        }
        guard (0...maxUploadBytes).contains(bytes) else {
            throw OpenAIError.invalidRequest("Invalid 'bytes': an upload can hold at most 8 GB (\(maxUploadBytes) bytes), but \(bytes) were declared.",
                                             param: "bytes", code: "invalid_value")
        }
        if purpose == "fine-tune" { try JSONLCheck.requireJSONLName(filename, api: "Fine-Tuning API") }
        if purpose == "batch" { try JSONLCheck.requireJSONLName(filename, api: "Batch API") }
        let upload = try ctx.state.store.update { _, change throws(OpenAIError) -> UploadRecord in
            let sequence = change.nextSequence()
            var h = StableHash(ctx.seed)
            h.combine("upload")
            h.combine(sequence)
            h.combine(filename)
            let now = ctx.state.clock.now()
            let upload = UploadRecord(id: "upload_" + StableHash.idSuffix(h.finalized, length: 24), sequence: sequence,
                                      createdAt: now, expiresAt: now + lifetimeSeconds, filename: filename,
                                      purpose: purpose, bytes: bytes, mimeType: mimeType)
            change.put(upload)
            return upload
        }
        return .json(upload.json(now: ctx.state.clock.now(), file: nil))
    }

    static let addPart: Endpoint = { ctx throws(OpenAIError) in
        _ = try pending(ctx)  // fail before reading the body when the upload cannot take parts
        let form = try await MultipartUpload.receive(
            ctx, fileField: "data", maxFileBytes: maxPartBytes,
            tooLarge: .invalidRequest("Part is too large: each part can be at most 64 MB.", param: "data"))
        guard let data = form.file else { throw OpenAIError.missingParameter("data") }
        let id = ctx.parameters["upload_id"] ?? ""
        let (part, uploadID) = try ctx.state.store.update { view, change throws(OpenAIError) -> (UploadRecord.Part, String) in
            var upload = try pending(ctx, in: view)
            let received = upload.parts.reduce(0) { $0 + $1.bytes }
            guard received + data.size <= upload.bytes else {
                throw OpenAIError.invalidRequest(
                    "Adding this part (\(data.size) bytes) would make the upload larger than the \(upload.bytes) bytes declared when it was created.",
                    param: "data")
            }
            var h = StableHash(ctx.seed)
            h.combine("part")
            h.combine(id)
            h.combine(data.blob.hash.finalized)
            h.combine(change.nextSequence())
            let partID = "part_" + StableHash.idSuffix(h.finalized, length: 24)
            let part = UploadRecord.Part(id: partID, createdAt: ctx.state.clock.now(), bytes: data.size, blob: partID)
            change.adopt(data.blob, as: part.blob)
            upload.parts.append(part)
            change.put(upload)
            return (part, upload.id)
        }
        return .json(UploadRecord.partJSON(part, uploadID: uploadID))
    }

    static let complete: Endpoint = { ctx throws(OpenAIError) in
        let body = try ctx.jsonBody()
        guard let idsValue = body["part_ids"], idsValue != .null else { throw OpenAIError.missingParameter("part_ids") }
        guard case .array(let items) = idsValue else { throw OpenAIError.invalidType("part_ids", expected: "an array", got: idsValue) }
        var partIDs: [String] = []
        for (i, item) in items.enumerated() {
            guard case .string(let s) = item else { throw OpenAIError.invalidType("part_ids[\(i)]", expected: "a string", got: item) }
            partIDs.append(s)
        }
        var md5: String?
        if let value = body["md5"], value != .null {
            guard case .string(let s) = value else { throw OpenAIError.invalidType("md5", expected: "a string", got: value) }
            md5 = s.lowercased()
        }
        let upload = try pending(ctx)
        var parts: [UploadRecord.Part] = []
        for id in partIDs {
            guard let part = upload.parts.first(where: { $0.id == id }) else {
                throw OpenAIError.invalidRequest("Invalid part_ids: '\(id)' is not a part of upload \(upload.id).",
                                                 param: "part_ids", code: "invalid_value")
            }
            guard !parts.contains(where: { $0.id == id }) else {
                throw OpenAIError.invalidRequest("Invalid part_ids: '\(id)' is listed more than once.", param: "part_ids",
                                                 code: "invalid_value")
            }
            parts.append(part)
        }
        let total = parts.reduce(0) { $0 + $1.bytes }
        guard total == upload.bytes else {
            throw OpenAIError.invalidRequest(
                "The number of bytes uploaded (\(total)) does not match the number of bytes specified when creating the upload (\(upload.bytes)).",
                param: "part_ids")
        }
        let (blob, digest) = try await concatenate(parts, ctx: ctx, md5: md5 != nil)
        if let md5, md5 != digest {
            throw OpenAIError.invalidRequest("The md5 checksum of the uploaded bytes (\(digest ?? "")) does not match the md5 provided (\(md5)).",
                                             param: "md5")
        }
        var dataFormat: String?
        if upload.purpose == "fine-tune" || upload.purpose == "batch" {
            let path = blob.path
            dataFormat = try await BlockingIO.run { () throws(OpenAIError) -> String? in
                let reader: ReadableFile
                do { reader = try ReadableFile(path) } catch { throw OpenAIError.storageFailure(error) }
                return try JSONLCheck.check(reader).format
            }
        }
        let hash = blob.hash.finalized
        let (done, file) = try ctx.state.store.update { view, change throws(OpenAIError) -> (UploadRecord, FileRecord) in
            var current = try pending(ctx, in: view)
            guard current.parts.map(\.id) == upload.parts.map(\.id) else {
                throw OpenAIError(status: 409, message: "The upload changed while it was being completed; try again.")
            }
            let sequence = change.nextSequence()
            let id = Files.fileID(contentHash: hash, sequence: sequence, seed: ctx.seed)
            let now = ctx.state.clock.now()
            let expiresAfter = upload.purpose == "batch" ? Files.batchExpirySeconds : nil
            let file = FileRecord(id: id, sequence: sequence, bytes: total, createdAt: now,
                                  expiresAt: expiresAfter.map { now + $0 }, filename: upload.filename, purpose: upload.purpose,
                                  blob: id, contentHash: hash, contentType: upload.mimeType,
                                  dataFormat: upload.purpose == "fine-tune" ? dataFormat : nil)
            change.adopt(blob, as: file.blob)
            change.put(file)
            current.storedStatus = .completed
            current.parts = []  // their bytes now live in the file
            current.fileID = id
            change.put(current)
            return (current, file)
        }
        return .json(done.json(now: ctx.state.clock.now(), file: file))
    }

    static let cancel: Endpoint = { ctx throws(OpenAIError) in
        let cancelled = try ctx.state.store.update { view, change throws(OpenAIError) -> UploadRecord in
            var upload = try pending(ctx, in: view)
            upload.storedStatus = .cancelled
            upload.parts = []
            change.put(upload)
            return upload
        }
        return .json(cancelled.json(now: ctx.state.clock.now(), file: nil))
    }

    // MARK: Helpers

    private static func pending(_ ctx: RequestContext) throws(OpenAIError) -> UploadRecord {
        try ctx.state.store.read { data throws(OpenAIError) in try pending(ctx, in: data) }
    }

    /// The upload named by the path, if it can still take parts.
    private static func pending(_ ctx: RequestContext, in data: StoreData) throws(OpenAIError) -> UploadRecord {
        let id = ctx.parameters["upload_id"] ?? ""
        guard let upload = data.get(UploadRecord.self, id) else {
            throw OpenAIError(status: 404, message: "No such Upload object: \(id)", param: "upload_id")
        }
        switch upload.status(at: ctx.state.clock.now()) {
        case .pending: return upload
        case .completed: throw OpenAIError.invalidRequest("Upload \(id) has already been completed.", param: "upload_id")
        case .cancelled: throw OpenAIError.invalidRequest("Upload \(id) has been cancelled.", param: "upload_id")
        case .expired: throw OpenAIError.invalidRequest("Upload \(id) has expired.", param: "upload_id")
        }
    }

    /// The parts' bytes, in order, as one new blob (and their MD5 when asked).
    private static func concatenate(_ parts: [UploadRecord.Part], ctx: RequestContext,
                                    md5 wanted: Bool) async throws(OpenAIError) -> (BlobFile, String?) {
        let store = ctx.state.store
        let blob = try store.newBlob()
        let readers = parts.map { store.openBlob($0.blob) }
        return try await BlockingIO.run { () throws(OpenAIError) -> (BlobFile, String?) in
            var md5 = MD5()
            do {
                for reader in readers {
                    guard let reader else { throw OpenAIError.serverError("An upload part is missing from the store.") }
                    while let chunk = try reader.read(max: 1 << 20) {
                        try blob.write(chunk)
                        if wanted { md5.update(chunk) }
                    }
                }
                try blob.finish()
            } catch let error as OpenAIError {
                throw error
            } catch {
                throw OpenAIError.storageFailure(error)
            }
            return (blob, wanted ? md5.hexDigest : nil)
        }
    }
}

extension JSONObject {
    /// A required string field, with the real API's errors when it is missing or not a string.
    func requiredString(_ name: String) throws(OpenAIError) -> String {
        guard let value = self[name], value != .null else { throw OpenAIError.missingParameter(name) }
        guard case .string(let s) = value else { throw OpenAIError.invalidType(name, expected: "a string", got: value) }
        return s
    }
}
