/// One client connection, and the loop timer of the body it plays (see `LoopTimer`). All state
/// is confined to the owning loop's thread: handler tasks never touch it directly, they post
/// closures to the loop (`EventLoop.execute`). That is why the class can be `@unchecked
/// Sendable`: it is only *referenced* from other threads.
///
/// Life cycle: `awaitingHead` → (`readingBody`) → `handling` (handler task running) →
/// response written, or `streaming` until the writer finishes → `awaitingHead` again on
/// keep-alive, otherwise `closing` (flush) → `lingering` (half-closed, draining input) → closed.
/// A body larger than the in-memory threshold is read while the handler already runs (see
/// ``HTTPBodyStream``): `body` stays set across `handling` until its last byte.
final class Connection: LoopTimer, @unchecked Sendable {
    enum Phase {
        case awaitingHead
        case readingBody
        case handling
        case streaming
        /// Final bytes queued; lingering close once flushed.
        case closing
        /// Write side shut down; reading and discarding until EOF or the linger deadline.
        case lingering
        case closed
    }

    /// How stream writes are framed on the wire.
    enum StreamMode {
        case chunked
        case raw
        /// HEAD request: the writer's bytes are dropped.
        case discard
    }

    let loop: EventLoop
    let fd: Int32
    var phase = Phase.awaitingHead
    var interest: Interest = .read
    /// Absolute monotonic deadline (ns) for the current phase; 0 means none.
    var deadline: UInt64 = 0

    var input: [UInt8] = []
    var inputStart = 0
    var output: [UInt8] = []
    var outputStart = 0

    var parser: RequestHeadParser
    /// The head of the request whose handler is not running yet.
    var head: RequestHead?
    /// The body of the current request while bytes of it are still expected (kept in memory before
    /// dispatch, streamed to the running handler, or skipped after its response).
    var body: BodyReader?
    /// The task running the current request's handler (and streaming its response): cancelled
    /// when the connection goes away, so abandoned work stops.
    var handlerTask: Task<Void, Never>?
    /// Bytes of the next request head have arrived (header timeout running, not idle timeout).
    var headStarted = false
    /// Parsing paused because too much output is queued (a pipelining client not reading).
    var pausedForOutput = false
    var peerClosed = false
    /// Close after the current response (Connection: close, HTTP/1.0, server shutdown).
    var closeWhenDone = false
    var closeAfterFlush = false
    /// Identifies the exchange a handler task or writer belongs to.
    var serial: UInt64 = 0
    var streamMode = StreamMode.chunked
    /// Flow control of the response being streamed, shared with its writer.
    var stream: StreamCredit?
    /// Payload bytes of the current stream handed to the output buffer so far.
    var streamProcessed = 0

    // Playback of a scheduled body (Connection+Scheduled.swift). Plain stored properties rather
    // than a struct or object of their own: with thousands of paced streams, a separate object
    // is one more cache miss per event and a struct holding the body would be copied through
    // value witnesses on every access.
    /// The scheduled body being played, if any.
    var scheduleBody: (any HTTPScheduledBody)?
    /// Index of the next step to pull.
    var scheduleIndex = 0
    /// Deadline of the previous step (the head's queueing time before step 0): the next step is
    /// due `delay` after it, so late wake-ups do not accumulate into drift.
    var scheduleBase: UInt64 = 0
    /// The pulled step (index `scheduleIndex - 1`) not played yet, and its deadline.
    var schedulePending: HTTPScheduledStep?
    var schedulePendingDeadline: UInt64 = 0
    /// Paused by backpressure: resumes when the queued output drains.
    var scheduleWaitingForDrain = false

    init(fd: Int32, loop: EventLoop, now: UInt64) {
        self.fd = fd
        self.loop = loop
        parser = RequestHeadParser(limits: loop.context.limits)
        deadline = now + loop.context.headerTimeoutNanos
    }

    /// The timer fired: the scheduled body's pending step is due.
    override func fire() {
        advanceSchedule()
    }

    var isClosed: Bool { phase == .closed }
    var pendingOutput: Int { output.count - outputStart }
    var bufferedInput: Int { input.count - inputStart }

    // MARK: Reading

    func onReadable() {
        let scratch = loop.scratch
        let n = Syscall.read(fd, scratch.baseAddress!, scratch.count)
        if n > 0 {
            if phase == .lingering { return }  // discard
            var read = UnsafeRawBufferPointer(rebasing: scratch[0..<n])
            if bufferedInput == 0, let reader = body, !reader.isComplete, reader.sink.stream != nil {
                // A streamed body goes from the read buffer to its stream, not through `input`.
                guard let used = consumeBody(read) else { return }
                read = UnsafeRawBufferPointer(rebasing: read[used...])
            }
            input.append(contentsOf: read)
            processInput()
            compactInput()
            updateReadInterest()
        } else if n == 0 || !Syscall.wouldBlock(n) {
            onEndOfInput(error: n < 0)
        }
    }

    /// The client closed its side (or the socket failed). Requests already buffered are still
    /// answered (a client may half-close after sending); a stream in progress is aborted.
    private func onEndOfInput(error: Bool) {
        if error {
            close()
            return
        }
        peerClosed = true
        updateReadInterest()
        if body != nil {  // a body that can never complete: its request cannot be answered
            close()
            return
        }
        switch phase {
        case .handling, .closing:
            break
        case .awaitingHead, .readingBody:
            closeAfterPendingOutput()
        default:
            close()
        }
    }

    /// The client has sent all it ever will: a request still incomplete never completes, so deliver
    /// the answers already queued and close (instead of waiting for the idle timeout in CLOSE-WAIT).
    func closeAfterPendingOutput() {
        endBody(.connectionClosed)
        head = nil
        phase = .closing
        closeAfterFlush = true
        flush()
    }

    /// Parses and dispatches as much buffered input as the current phase allows.
    func processInput() {
        while true {
            if let reader = body, !reader.isComplete {
                guard consumeBody(), phase != .closed else { return }
                continue
            }
            switch phase {
            case .awaitingHead:
                if pendingOutput > loop.context.limits.writeHighWaterMark {
                    pausedForOutput = true
                    return
                }
                if bufferedInput == 0 { return }
                if !headStarted {
                    headStarted = true
                    deadline = loop.now + loop.context.headerTimeoutNanos
                }
                let result = input.withUnsafeBytes { parser.parse(UnsafeRawBufferPointer(rebasing: $0[inputStart...])) }
                switch result {
                case .needMore:
                    return
                case .failed(let error):
                    fail(error)
                    return
                case .complete(let parsed, let consumed):
                    inputStart += consumed
                    startBody(parsed)
                }
            case .readingBody:
                var bytes: [UInt8] = []
                if var reader = body {
                    bytes = reader.sink.takeMemory()
                    body = nil
                }
                dispatch(.bytes(bytes))
            default:
                return
            }
        }
    }

    private func startBody(_ parsed: RequestHead) {
        head = parsed
        if !parsed.keepAlive { closeWhenDone = true }
        phase = .readingBody
        guard parsed.framing != .none else { return }
        let limits = loop.context.limits
        body = BodyReader(framing: parsed.framing, limits: limits)
        deadline = loop.now + loop.context.idleTimeoutNanos
        if parsed.expectsContinue && bufferedInput == 0 {
            output.append(contentsOf: ResponseSerializer.continueResponse)
            flush()
        }
        if case .length(let n) = parsed.framing, n > limits.bodyInMemoryThreshold { dispatchStreaming() }
    }

    /// Feeds buffered input to the body; true once its last byte is in.
    private func consumeBody() -> Bool {
        var bytes: [UInt8] = []
        swap(&bytes, &input)  // `input` is not touched while it is borrowed (a failure closes and empties it)
        let start = inputStart
        let used = bytes.withUnsafeBytes { consumeBody(UnsafeRawBufferPointer(rebasing: $0[start...])) }
        if phase != .closed { swap(&bytes, &input) }
        guard let used else { return false }
        inputStart += used
        return body == nil || body!.isComplete
    }

    /// Feeds `bytes` to the body: how many it used (it stops at the body's end), or nil when the
    /// connection failed or closed.
    private func consumeBody(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard var reader = body else { return 0 }
        let used: Int
        do throws(HTTPServerError) {
            used = try reader.consume(bytes)
        } catch {
            body = reader
            fail(error)
            return nil
        }
        body = reader
        if reader.isComplete {
            switch reader.sink.target {
            case .memory:
                break  // `dispatch` hands it over whole
            case .stream(let stream):
                stream.finish()
                body = nil
            case .discard:
                body = nil
            }
            if phase == .handling { deadline = 0 }
            return used
        }
        if phase == .readingBody && reader.sink.bufferedCount > loop.context.limits.bodyInMemoryThreshold {
            dispatchStreaming()
        }
        if peerClosed {
            close()
            return nil
        }
        deadline = body?.sink.paused == true ? 0 : loop.now + loop.context.idleTimeoutNanos
        return used
    }

    /// Hands the body read so far to a stream and starts the handler now: the rest of the body
    /// goes to the handler as it arrives.
    private func dispatchStreaming() {
        guard var reader = body else { return }
        let serial = self.serial &+ 1
        let highWater = loop.context.limits.bodyStreamHighWaterMark
        let declared = reader.declaredLength
        let stream = reader.sink.switchToStream { initial in
            HTTPBodyStream(expectedLength: declared, initial: initial, highWaterMark: highWater,
                           onDrain: { [weak self] in
                               guard let self else { return }
                               _ = self.loop.execute { self.resumeBodyReading(serial: serial) }
                           })
        }
        body = reader
        dispatch(.stream(stream))
    }

    /// The handler took the buffered body bytes: read on.
    private func resumeBodyReading(serial: UInt64) {
        guard serial == self.serial, phase != .closed, body?.sink.paused == true else { return }
        body?.sink.paused = false
        deadline = loop.now + loop.context.idleTimeoutNanos
        processInput()
        compactInput()
        updateReadInterest()
    }

    /// Starts the handler for the parsed head with `requestBody`.
    private func dispatch(_ requestBody: HTTPBody) {
        guard let parsed = head else { return }
        head = nil
        phase = .handling
        if body == nil { deadline = 0 }
        serial &+= 1
        if loop.isShuttingDown { closeWhenDone = true }
        let request = HTTPRequest(method: parsed.method, target: parsed.target, version: parsed.version,
                                  headers: parsed.headers, body: requestBody)
        loop.runHandler(request, isHead: parsed.isHead, version: parsed.version, connection: self, serial: serial)
    }

    /// Drops consumed input; gives memory back after large reads.
    private func compactInput() {
        if inputStart == input.count {
            if input.capacity > 16 * 1024 { input = [] } else { input.removeAll(keepingCapacity: true) }
            inputStart = 0
        } else if inputStart > 32 * 1024 {
            input.removeFirst(inputStart)
            inputStart = 0
        }
    }

    /// Reads while parsing can make progress; stops reading a client that pipelines far
    /// ahead of its answers (its bytes would otherwise pile up while a handler runs).
    func updateReadInterest() {
        var wanted = interest
        let busy = phase == .handling || phase == .streaming || phase == .closing
        let cap = loop.context.limits.maxHeaderBytes + 64 * 1024
        let bodyPaused = body?.sink.paused == true
        if peerClosed || phase == .closed || pausedForOutput || bodyPaused || (busy && body == nil && bufferedInput > cap) {
            wanted.remove(.read)
        } else {
            wanted.insert(.read)
        }
        setInterest(wanted)
    }

    func setInterest(_ wanted: Interest) {
        guard wanted != interest, phase != .closed else { return }
        loop.queue.modify(fd, from: interest, to: wanted)
        interest = wanted
    }

    // MARK: Errors, deadlines, closing

    /// Answers a request the server rejects by itself, then closes.
    func fail(_ error: HTTPServerError) {
        endBody(.init(error))
        head = nil
        serial &+= 1  // a running handler's answer is no longer wanted
        handlerTask?.cancel()
        handlerTask = nil
        var response = loop.context.errorResponder(error)
        response.headers.remove("connection")
        let bytes: [UInt8]
        if case .bytes(let b) = response.body { bytes = b } else { bytes = [] }
        ResponseSerializer.appendHead(status: response.status, headers: response.headers,
                                      framing: .length(bytes.count), keepAlive: false,
                                      http10KeepAlive: false, into: &output)
        output.append(contentsOf: bytes)
        phase = .closing
        closeAfterFlush = true
        deadline = loop.now + loop.context.idleTimeoutNanos
        flush()
    }

    /// Drops the body being read; a handler reading it sees `error`.
    private func endBody(_ error: HTTPBodyStreamError) {
        body?.sink.stream?.fail(error)
        body = nil
    }

    func checkDeadline(_ now: UInt64) {
        if deadline != 0 && now >= deadline { close() }
    }

    /// Called when the server begins a graceful stop.
    func beginShutdown() {
        switch phase {
        case .awaitingHead where !headStarted:
            if pendingOutput == 0 { close() } else { closeWhenDone = true; closeAfterFlush = true }
        case .closing, .lingering, .closed:
            break
        default:
            closeWhenDone = true
        }
    }

    /// Half-closes and drains the client's input so it reads our last response before the
    /// connection goes away (closing with unread input would send RST and may destroy it).
    func beginLingeringClose() {
        if peerClosed {
            close()
            return
        }
        Syscall.shutdownWrite(fd)
        phase = .lingering
        input = []
        inputStart = 0
        deadline = loop.now + EventLoop.lingerNanos
        setInterest(.read)
    }

    func close() {
        guard phase != .closed else { return }
        loop.queue.unregister(fd, interest)
        Syscall.close(fd)
        phase = .closed
        endBody(.connectionClosed)
        head = nil
        handlerTask?.cancel()
        handlerTask = nil
        input = []
        output = []
        outputStart = 0
        stream?.close()
        stream = nil
        stopSchedule()
        loop.connectionClosed(self)
    }
}
