/// Playback of an ``HTTPScheduledBody`` on the loop thread: pull a step, wait for its deadline
/// in the loop's timer heap, send it, pull the next. No task, no cross-thread hop per chunk.
final class ScheduledPlayback {
    let body: any HTTPScheduledBody
    let timer: LoopTimer
    /// Index of the next step to pull.
    var index = 0
    /// Deadline of the previous step (the head's queueing time before step 0): the next step is
    /// due `delay` after it, so late wake-ups do not accumulate into drift.
    var base: UInt64
    /// A pulled step whose deadline has not come yet.
    var pending: HTTPScheduledStep?
    var pendingDeadline: UInt64 = 0
    /// Paused by backpressure: resumes when the connection's queued output drains.
    var waitingForDrain = false

    init(body: any HTTPScheduledBody, base: UInt64, timer: LoopTimer) {
        self.body = body
        self.base = base
        self.timer = timer
    }
}

extension Connection {
    /// Most bytes sent from one due schedule per turn before the connection yields to the
    /// others (it goes on in the next loop iteration), so one long unpaced body cannot hold
    /// the loop while thousands of paced ones are due.
    static let scheduleTurnBytes = 64 * 1024

    /// Begins playing `body`; the head is already queued and the phase is `.streaming`.
    func startSchedule(_ body: any HTTPScheduledBody) {
        let timer = LoopTimer { [weak self] in self?.advanceSchedule() }
        schedule = ScheduledPlayback(body: body, base: loop.refreshNow(), timer: timer)
        advanceSchedule()
    }

    /// Sends every step that is due, then arms the timer for the next one — unless the client
    /// is not reading (more than the high-water mark queued), in which case nothing more is
    /// pulled until the output drains.
    func advanceSchedule() {
        guard let playback = schedule, phase == .streaming else { return }
        let highWaterMark = loop.context.limits.writeHighWaterMark
        var sentThisTurn = 0
        while true {
            if pendingOutput > highWaterMark {
                flush()
                guard phase == .streaming, schedule === playback else { return }
                if pendingOutput > highWaterMark {
                    playback.waitingForDrain = true  // `flush` resumes us once below the mark
                    return
                }
            }
            let step: HTTPScheduledStep
            let deadline: UInt64
            if let pending = playback.pending {
                step = pending
                deadline = playback.pendingDeadline
                playback.pending = nil
            } else {
                step = playback.body.step(playback.index)
                playback.index += 1
                deadline = playback.base &+ step.delay.clampedNanoseconds
            }
            if deadline > loop.now {
                playback.pending = step
                playback.pendingDeadline = deadline
                loop.arm(playback.timer, at: deadline)
                break
            }
            playback.base = deadline
            switch step {
            case .send(let bytes, _):
                appendStreamChunk(bytes)
                sentThisTurn += bytes.count
                if sentThisTurn >= Self.scheduleTurnBytes {
                    loop.arm(playback.timer, at: loop.now)  // due at once: next iteration
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

    /// Called from `flush` while paused by backpressure: once at or below the high-water mark
    /// the schedule goes on from now (deadlines missed while the client was not reading are
    /// not made up in a burst).
    func resumeScheduleIfDrained(_ playback: ScheduledPlayback) {
        guard pendingOutput <= loop.context.limits.writeHighWaterMark else { return }
        playback.waitingForDrain = false
        playback.base = max(playback.base, loop.now)
        loop.arm(playback.timer, at: loop.now)
    }

    /// Drops the schedule (body ended, aborted, or connection closed); nothing more is pulled.
    func stopSchedule() {
        guard let playback = schedule else { return }
        loop.cancel(playback.timer)
        schedule = nil
    }
}
