extension HTTPBodyWriter {
    /// Plays a scheduled body through this writer without an event loop — a `URLProtocol`, a test —
    /// as the server's loop would: one `write` per sent step after its delay, `abort` for an abort step.
    public func play(_ body: any HTTPScheduledBody) async throws {
        for index in 0... {
            let step = body.step(index)
            if step.delay > .zero { try await Task.sleep(for: step.delay) }
            switch step {
            case .send:
                var bytes: [UInt8] = []
                body.render(index, into: &bytes)
                if !bytes.isEmpty { try await write(bytes) }
            case .end: return
            case .abort: await abort(); return
            }
        }
    }
}
