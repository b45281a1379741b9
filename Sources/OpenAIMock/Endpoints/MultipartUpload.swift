import MockHTTP

/// Receives a `multipart/form-data` body as it arrives: text fields into memory (bounded), the
/// one file field straight into a new blob of the state store — written off the loop threads,
/// hashed on the way, never held whole in memory. Shared by `POST /v1/files` (`file`) and
/// `POST /v1/uploads/{id}/parts` (`data`).
struct MultipartUpload: Sendable {
    struct File: Sendable {
        let blob: BlobFile
        let filename: String?
        let contentType: String?
        var size: Int { blob.size }
    }

    /// Text fields by name (the last value wins), in the order they came.
    private(set) var fields: [(name: String, value: String)] = []
    private(set) var file: File?

    func field(_ name: String) -> String? { fields.last { $0.name == name }?.value }

    static let maxFieldBytes = 64 * 1024

    /// Reads the whole body of `ctx`. `fileField` names the part that holds the content; it may be
    /// at most `maxFileBytes` long (`tooLarge` is thrown as soon as it grows past that).
    static func receive(_ ctx: RequestContext, fileField: String, maxFileBytes: Int,
                        tooLarge: OpenAIError) async throws(OpenAIError) -> MultipartUpload {
        let type = ctx.request.headers["content-type"] ?? ""
        guard let boundary = MultipartParser.boundary(contentType: type) else {
            let shown = type.isEmpty ? "none" : type
            throw OpenAIError.invalidRequest(
                "Invalid Content-Type header (\(shown)), expected multipart/form-data. (HINT: If you're using curl, you can pass -F 'name=value' or -F 'file=@path' to send a multipart form.)")
        }
        var parser = MultipartParser(boundary: boundary)
        var upload = MultipartUpload()
        var current: (name: String, value: [UInt8])?
        var inFile = false
        var fileHeaders: MultipartParser.PartHeaders?
        var fileTooLarge = false
        let stream = ctx.bodyStream
        while true {
            let chunk: [UInt8]?
            do {
                chunk = try await stream.next()
            } catch {
                throw OpenAIError(bodyStream: error)
            }
            guard let chunk else { break }
            var writes: [ArraySlice<UInt8>] = []
            var written = upload.file?.size ?? 0
            do {
                try parser.feed(chunk) { event throws(MultipartError) in
                    switch event {
                    case .begin(let headers):
                        if headers.name == fileField {
                            guard fileHeaders == nil else { throw MultipartError("more than one '\(fileField)' part") }
                            inFile = true
                            fileHeaders = headers
                        } else {
                            inFile = false
                            current = (headers.name, [])
                        }
                    case .data(let slice):
                        if inFile {
                            written += slice.count
                            guard written <= maxFileBytes else {
                                fileTooLarge = true
                                throw MultipartError("\(fileField) too large")
                            }
                            writes.append(slice)
                        } else if current != nil {
                            guard current!.value.count + slice.count <= maxFieldBytes else {
                                throw MultipartError("the form field '\(current!.name)' is longer than \(maxFieldBytes) bytes")
                            }
                            current!.value.append(contentsOf: slice)
                        }
                    case .end:
                        if let field = current {
                            upload.fields.append((field.name, String(decoding: field.value, as: UTF8.self)))
                        }
                        current = nil
                        inFile = false
                    }
                }
            } catch {
                if fileTooLarge { throw tooLarge }
                throw OpenAIError.invalidRequest("Invalid multipart/form-data body: \(error.description).")
            }
            if let headers = fileHeaders, upload.file == nil {
                upload.file = File(blob: try ctx.state.store.newBlob(), filename: headers.filename,
                                   contentType: headers.contentType)
            }
            if !writes.isEmpty, let blob = upload.file?.blob {
                let batch = writes
                do {
                    try await BlockingIO.run { () throws(FileSystemError) in
                        for slice in batch {
                            let failure = slice.withUnsafeBytes { raw -> FileSystemError? in
                                do throws(FileSystemError) { try blob.write(raw) } catch { return error }
                                return nil
                            }
                            if let failure { throw failure }
                        }
                    }
                } catch {
                    throw OpenAIError.storageFailure(error)
                }
            }
        }
        do {
            try parser.finish()
        } catch {
            throw OpenAIError.invalidRequest("Invalid multipart/form-data body: \(error.description).")
        }
        if let headers = fileHeaders, upload.file == nil {  // an empty file part
            upload.file = File(blob: try ctx.state.store.newBlob(), filename: headers.filename, contentType: headers.contentType)
        }
        if let blob = upload.file?.blob {
            do {
                try await BlockingIO.run { () throws(FileSystemError) in try blob.finish() }
            } catch {
                throw OpenAIError.storageFailure(error)
            }
        }
        return upload
    }
}
