import MockHTTP

/// `/v1/batches`: create, list, retrieve, cancel. A batch's state is its timeline read at the
/// virtual clock's now (see ``BatchTimeline``); its lines are answered when it is created.
enum Batches {
    static let create: Endpoint = { ctx throws(OpenAIError) in
        let request = try BatchRequest(try ctx.jsonBody())
        let service = ctx.state.batches
        try await ctx.state.settle()
        let now = ctx.state.clock.nowMillis()
        let file = try inputFile(request.inputFileID, ctx: ctx, now: now)
        guard let reader = ctx.state.store.openBlob(file.blob) else { throw Files.notFound(file.id) }
        let endpoint = request.endpoint
        let input = try await BlockingIO.run { () throws(OpenAIError) -> BatchInput in
            try BatchInput.read(reader, endpoint: endpoint)
        }
        var answers: ([BatchLineOutcome], BlobFile)?
        if input.errors.isEmpty { answers = try await service.answer(input, requestHash: ctx.requestHash) }
        let record = try ctx.state.store.update { _, change throws(OpenAIError) -> BatchRecord in
            let sequence = change.nextSequence()
            var h = StableHash(ctx.seed)
            h.combine("batch")
            h.combine(sequence)
            h.combine(ctx.requestHash)
            let id = "batch_" + StableHash.idSuffix(h.finalized, length: 32, mixedCase: false)
            var answersBlob: String?
            if let (_, blob) = answers {
                answersBlob = id + "-answers"
                change.adopt(blob, as: id + "-answers")
            }
            let record = BatchRecord(id: id, sequence: sequence, createdMs: now, endpoint: request.endpoint,
                                     inputFileID: file.id, completionWindow: request.completionWindow,
                                     metadata: request.metadata, outputExpiresAfter: request.outputExpiresAfter,
                                     model: input.model, errors: input.errors, outcomes: answers?.0 ?? [],
                                     answersBlob: answersBlob)
            change.put(record)
            return record
        }
        service.batchesChanged()
        try await service.settle()  // an instant clock has already moved to the batch's end
        return .json(BatchTimeline(try batch(record.id, ctx: ctx)).json(now: ctx.state.clock.nowMillis()))
    }

    /// A batch's input file: existing, unexpired, uploaded for batches.
    static func inputFile(_ id: String, ctx: RequestContext, now: Int64) throws(OpenAIError) -> FileRecord {
        guard let file = try ctx.state.store.read({ $0.get(FileRecord.self, id) }), !file.isExpired(at: Int(now / 1000)) else {
            throw OpenAIError.invalidRequest("Invalid 'input_file_id': no file with id '\(id)' exists.", param: "input_file_id",
                                             code: "invalid_value")
        }
        guard file.purpose == "batch" else {
            throw OpenAIError.invalidRequest(
                "Invalid 'input_file_id': the file \(id) has purpose '\(file.purpose)', but a batch's input file must be uploaded with purpose 'batch'.",
                param: "input_file_id", code: "invalid_value")
        }
        return file
    }

    // MARK: Reading

    static let list: Endpoint = { ctx throws(OpenAIError) in
        try await ctx.state.settle()
        let limit = try ctx.integerQuery("limit", range: 1...100, default: 20)
        let batches = try ctx.state.store.read { data in Array(data.all(BatchRecord.self).reversed()) }
        let now = ctx.state.clock.nowMillis()
        return .json(CursorPage.json(batches, after: ctx.queryValue("after"), limit: limit, id: \.id) {
            BatchTimeline($0).json(now: now)
        })
    }

    static let retrieve: Endpoint = { ctx throws(OpenAIError) in
        try await ctx.state.settle()
        let record = try batch(ctx.parameters["batch_id"] ?? "", ctx: ctx)
        return .json(BatchTimeline(record).json(now: ctx.state.clock.nowMillis()))
    }

    static func batch(_ id: String, ctx: RequestContext) throws(OpenAIError) -> BatchRecord {
        guard let record = try ctx.state.store.read({ $0.get(BatchRecord.self, id) }) else { throw notFound(id) }
        return record
    }

    static func notFound(_ id: String) -> OpenAIError {
        OpenAIError(status: 404, message: "No batch found with id '\(id)'.", param: "batch_id")
    }

    // MARK: Changing

    /// A batch that has not ended starts cancelling: the lines done so far are kept, the rest are not
    /// answered. Cancelling a batch that is already cancelling changes nothing.
    static let cancel: Endpoint = { ctx throws(OpenAIError) in
        let service = ctx.state.batches
        try await ctx.state.settle()
        let id = ctx.parameters["batch_id"] ?? ""
        let now = ctx.state.clock.nowMillis()
        let updated = try ctx.state.store.update { data, change throws(OpenAIError) -> BatchRecord in
            guard var batch = data.get(BatchRecord.self, id) else { throw notFound(id) }
            let status = BatchTimeline(batch).status(at: now)
            if status == .cancelling { return batch }
            guard !status.isTerminal else {
                throw OpenAIError(status: 409, message: "Cannot cancel a batch with status '\(status.rawValue)'.", param: "batch_id")
            }
            batch.cancelledMs = now
            change.put(batch)
            return batch
        }
        service.batchesChanged()
        try await service.settle()
        return .json(BatchTimeline(try batch(updated.id, ctx: ctx)).json(now: ctx.state.clock.nowMillis()))
    }
}
