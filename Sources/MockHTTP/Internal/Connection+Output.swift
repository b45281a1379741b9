/// Output side of a connection: the outgoing buffer, partial writes, responses, stream
/// chunks and backpressure. Runs on the loop thread like the rest of `Connection`.
extension Connection {
    /// Writes as much queued output as the socket accepts. Arms write interest while bytes
    /// remain; resumes a suspended stream writer once below the high-water mark.
    func flush() {
        while outputStart < output.count {
            let n = output.withUnsafeBytes { raw in
                Syscall.send(fd, raw.baseAddress! + outputStart, raw.count - outputStart)
            }
            if n > 0 {
                outputStart += n
                continue
            }
            if Syscall.wouldBlock(n) {
                let queued = pendingOutput
                loop.context.peakQueuedOutput.withLock { $0 = max($0, queued) }
                if outputStart > 64 * 1024 && outputStart * 2 > output.count {
                    output.removeFirst(outputStart)
                    outputStart = 0
                }
                setInterest(interest.union(.write))
                resumeWriterIfDrained()
                return
            }
            close()  // EPIPE, ECONNRESET…: the client is gone
            return
        }
        // An idle keep-alive connection gives its buffer back (a few KB each: 1,000 idle clients
        // cost ~3.5 MB less); a busy one (streaming, pipelining) keeps it unless it grew large.
        if phase == .awaitingHead || output.capacity > 64 * 1024 {
            output = []
        } else {
            output.removeAll(keepingCapacity: true)
        }
        outputStart = 0
        setInterest(interest.subtracting(.write))
        if closeAfterFlush {
            beginLingeringClose()
            return
        }
        resumeWriterIfDrained()
    }

    /// Sends `bytes` straight from the caller's buffer when nothing is queued before them (no
    /// copy into `output`); what the socket does not take is queued and write interest armed.
    func sendNow(_ bytes: UnsafeRawBufferPointer) {
        let n = Syscall.send(fd, bytes.baseAddress!, bytes.count)
        if n == bytes.count { return }
        if n < 0 && !Syscall.wouldBlock(n) {
            close()  // EPIPE, ECONNRESET…: the client is gone
            return
        }
        output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[max(n, 0)...]))
        flush()
    }

    /// Tells a streaming writer how much is still queued, which may let it resume.
    private func resumeWriterIfDrained() {
        stream?.update(processed: streamProcessed, queued: pendingOutput)
        if scheduleWaitingForDrain { resumeScheduleIfDrained() }
    }

    func onWritable() {
        flush()
        if pausedForOutput && phase == .awaitingHead && pendingOutput <= loop.context.limits.writeHighWaterMark {
            pausedForOutput = false
            processInput()
            updateReadInterest()
        }
    }

    // MARK: Responses

    /// Delivers the handler's answer for exchange `serial` (posted by the handler task).
    func respond(_ response: HTTPResponse, isHead: Bool, version: HTTPVersion, serial: UInt64,
                 credit: StreamCredit? = nil) {
        guard phase == .handling, serial == self.serial else {
            credit?.close()
            return
        }
        // Answered before the body was read to its end: skip the rest of it (the connection can
        // still serve the next request once the body is over).
        body?.sink.discardRest()
        var keepAlive = !closeWhenDone && !loop.isShuttingDown
        if let value = response.headers["connection"], value.utf8.count == 5,
           HTTPHeaders.equalsIgnoringCase(value, "close") {
            keepAlive = false
        }
        let http10KeepAlive = keepAlive && version == .http10
        switch response.body {
        case .dropConnection:
            Syscall.setLingerZero(fd)
            close()
        case .bytes(let bytes):
            let allowsBody = ResponseSerializer.allowsBody(response.status)
            let framing: ResponseSerializer.Framing = allowsBody ? .length(bytes.count) : .none
            ResponseSerializer.appendHead(status: response.status, headers: response.headers, framing: framing,
                                          keepAlive: keepAlive, http10KeepAlive: http10KeepAlive,
                                          isHeadRequest: isHead, into: &output)
            if allowsBody && !isHead { output.append(contentsOf: bytes) }
            finishResponse(keepAlive: keepAlive)
        case .stream:
            stream = credit
            streamProcessed = 0
            beginStreamedBody(response, isHead: isHead, version: version, keepAlive: keepAlive,
                              http10KeepAlive: http10KeepAlive)
        case .scheduled(let body):
            guard beginStreamedBody(response, isHead: isHead, version: version, keepAlive: keepAlive,
                                    http10KeepAlive: http10KeepAlive) else { return }
            startSchedule(body)
        }
    }

    /// Queues the head of a body produced over time (chunked, or close-delimited for HTTP/1.0)
    /// and enters `.streaming`. False when the connection is already gone.
    @discardableResult
    private func beginStreamedBody(_ response: HTTPResponse, isHead: Bool, version: HTTPVersion,
                                   keepAlive: Bool, http10KeepAlive: Bool) -> Bool {
        if peerClosed {
            close()
            return false
        }
        var keepAlive = keepAlive
        let framing: ResponseSerializer.Framing
        if !ResponseSerializer.allowsBody(response.status) {
            framing = .none
            streamMode = .discard
        } else if version == .http10 {
            framing = .closeDelimited
            keepAlive = false
            streamMode = isHead ? .discard : .raw
        } else {
            framing = .chunked
            streamMode = isHead ? .discard : .chunked
        }
        if !keepAlive { closeWhenDone = true }
        ResponseSerializer.appendHead(status: response.status, headers: response.headers, framing: framing,
                                      keepAlive: keepAlive, http10KeepAlive: http10KeepAlive && framing != .closeDelimited,
                                      into: &output)
        phase = .streaming
        flush()
        return phase == .streaming
    }

    /// The response for the current exchange is fully queued: close, or go on with the
    /// next (possibly already buffered, pipelined) request.
    private func finishResponse(keepAlive: Bool) {
        guard keepAlive && !closeWhenDone else {
            phase = .closing
            closeAfterFlush = true
            flush()
            return
        }
        phase = .awaitingHead
        headStarted = false
        parser.reset()
        deadline = loop.now + loop.context.idleTimeoutNanos
        flush()
        guard phase == .awaitingHead else { return }
        processInput()
        if peerClosed && (phase == .awaitingHead || phase == .readingBody) {
            closeAfterPendingOutput()
            return
        }
        updateReadInterest()
    }

    // MARK: Streams

    func streamWrite(_ bytes: [UInt8], serial: UInt64) {
        guard phase == .streaming, serial == self.serial else { return }
        streamProcessed += bytes.count
        if streamMode == .discard {
            resumeWriterIfDrained()
            return
        }
        appendStreamChunk(bytes)
        flush()
    }

    /// Queues `bytes` as one piece of the streamed body (a chunk, raw bytes, or nothing for HEAD).
    func appendStreamChunk(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        switch streamMode {
        case .discard:
            return
        case .chunked:
            ResponseSerializer.appendChunkHeader(bytes.count, into: &output)
            output.append(contentsOf: bytes)
            output.append(contentsOf: ResponseSerializer.crlf)
        case .raw:
            output.append(contentsOf: bytes)
        }
    }

    func streamFinish(serial: UInt64) {
        guard phase == .streaming, serial == self.serial else { return }
        endStreamedBody()
    }

    /// Terminates the streamed body properly and goes on like any finished response.
    func endStreamedBody() {
        var keepAlive = !closeWhenDone && !loop.isShuttingDown
        switch streamMode {
        case .chunked: output.append(contentsOf: ResponseSerializer.lastChunk)
        case .raw: keepAlive = false
        case .discard: break
        }
        stream?.close()
        stream = nil
        stopSchedule()
        finishResponse(keepAlive: keepAlive)
    }

    func streamAbort(serial: UInt64) {
        guard phase == .streaming || phase == .handling, serial == self.serial else { return }
        close()
    }
}
