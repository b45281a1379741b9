/// Playback of an ``HTTPScheduledBody`` on the loop thread: pull a step, wait for its deadline
/// in the loop's timer heap (the connection is the timer), send it, pull the next. No task, no
/// cross-thread hop, no allocation per chunk.
extension Connection {
    /// Most bytes sent from one due schedule per turn before the connection yields to the
    /// others (it goes on in the next loop iteration), so one long unpaced body cannot hold
    /// the loop while thousands of paced ones are due.
    static let scheduleTurnBytes = 64 * 1024

    /// Begins playing `body`; the head is already queued and the phase is `.streaming`.
    func startSchedule(_ body: any HTTPScheduledBody) {
        scheduleBody = body
        scheduleIndex = 0
        scheduleBase = loop.refreshNow()
        schedulePending = nil
        scheduleWaitingForDrain = false
        advanceSchedule()
    }

    /// How late a step may be sent with the next one still timed from the step's deadline (so
    /// small wake-up delays do not accumulate into drift): half its delay, at most 2 ms. A step
    /// sent later than that (the loop was stalled: the machine is busy, thousands of streams
    /// just started) restarts the schedule from the moment it is sent. Catching up instead
    /// would send the missed steps back to back — a burst the client sees as events arriving
    /// together — and would line up the deadlines of every stream stalled at that moment, so
    /// they would all come due at once again, every period.
    static func absorbedLateness(_ delay: Duration) -> UInt64 {
        min(delay.clampedNanoseconds / 2, 2_000_000)
    }

    /// Pulls the next step unless one is pending; returns the pending step's deadline.
    private func pullStepIfNeeded(_ body: any HTTPScheduledBody) -> UInt64 {
        if schedulePending == nil {
            let step = body.step(scheduleIndex)
            scheduleIndex += 1
            schedulePending = step
            schedulePendingDeadline = scheduleBase &+ step.delay.clampedNanoseconds
        }
        return schedulePendingDeadline
    }

    /// Sends every step that is due, then arms the timer for the next one — unless the client
    /// is not reading (more than the high-water mark queued), in which case nothing more is
    /// pulled until the output drains.
    func advanceSchedule() {
        guard let body = scheduleBody, phase == .streaming else { return }
        let highWaterMark = loop.context.limits.writeHighWaterMark
        var sentThisTurn = 0
        while true {
            if pendingOutput > highWaterMark {
                flush()
                guard phase == .streaming, scheduleBody != nil else { return }
                if pendingOutput > highWaterMark {
                    scheduleWaitingForDrain = true  // `flush` resumes us once below the mark
                    return
                }
            }
            let deadline = pullStepIfNeeded(body)
            if deadline > loop.now {
                loop.arm(self, at: deadline)
                break
            }
            guard let step = schedulePending else { return }
            schedulePending = nil
            scheduleBase = loop.now - deadline > Self.absorbedLateness(step.delay) ? loop.refreshNow() : deadline
            switch step {
            case .send:
                sentThisTurn += playSend(body, step: scheduleIndex - 1)
                guard phase == .streaming, scheduleBody != nil else { return }
                if sentThisTurn >= Self.scheduleTurnBytes {
                    loop.arm(self, at: loop.now)  // due at once: next iteration
                    flush()
                    return
                }
            case .end:
                endStreamedBody()
                return
            case .abort:
                stopSchedule()
                flush()  // what was scheduled before the abort still reaches the client
                close()
                return
            }
        }
        flush()
    }

    /// Renders send step `index` into the loop's reusable buffer, framed as one chunk. When the
    /// next step is not due yet and nothing is queued — a paced stream's usual case — the chunk
    /// goes straight to the socket from there; otherwise it is queued so a burst of due steps
    /// leaves in one `send`. Returns the payload size.
    private func playSend(_ body: any HTTPScheduledBody, step index: Int) -> Int {
        var buffer = loop.takeRenderBuffer()
        defer {
            buffer.removeAll(keepingCapacity: true)  // still the only reference: no reallocation
            loop.returnRenderBuffer(buffer)
        }
        let chunked = streamMode == .chunked
        let room = chunked ? ResponseSerializer.maxChunkHeaderBytes : 0
        buffer.append(contentsOf: repeatElement(0, count: room))
        body.render(index, into: &buffer)
        let size = buffer.count - room
        guard size > 0, streamMode != .discard else { return 0 }
        var start = 0
        if chunked {
            start = buffer.withUnsafeMutableBytes { ResponseSerializer.writeChunkHeader(size, endingAt: room, in: $0) }
            buffer.append(13)
            buffer.append(10)
        }
        let nextIsDue = pullStepIfNeeded(body) <= loop.now
        buffer.withUnsafeBytes { bytes in
            let framed = UnsafeRawBufferPointer(rebasing: bytes[start...])
            if !nextIsDue && pendingOutput == 0 {
                sendNow(framed)
            } else {
                output.append(contentsOf: framed)
            }
        }
        return size
    }

    /// Called from `flush` while paused by backpressure: once at or below the high-water mark
    /// the schedule goes on from now (deadlines missed while the client was not reading are
    /// not made up in a burst).
    func resumeScheduleIfDrained() {
        guard scheduleBody != nil, pendingOutput <= loop.context.limits.writeHighWaterMark else { return }
        scheduleWaitingForDrain = false
        scheduleBase = max(scheduleBase, loop.now)
        if schedulePending != nil { schedulePendingDeadline = max(schedulePendingDeadline, loop.now) }
        loop.arm(self, at: loop.now)
    }

    /// Drops the schedule (body ended, aborted, or connection closed); nothing more is pulled.
    func stopSchedule() {
        guard scheduleBody != nil else { return }
        loop.cancel(self)
        scheduleBody = nil
        schedulePending = nil
        scheduleWaitingForDrain = false
    }
}
