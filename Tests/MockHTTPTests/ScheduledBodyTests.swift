import Foundation
import Testing
@testable import MockHTTP

/// One step of a test script: bytes to send after a delay, or an ending.
enum Script: Sendable {
    case send([UInt8], after: Duration = .zero)
    case end(after: Duration = .zero)
    case abort(after: Duration = .zero)
}

/// A scripted body; `pulled` records how many steps the loop asked for.
final class ScriptBody: HTTPScheduledBody {
    let steps: [Script]
    /// Played after `steps` run out (default: end).
    let then: @Sendable (Int) -> Script
    let pulled = Box(0)

    init(steps: [Script], then: @escaping @Sendable (Int) -> Script = { _ in .end() }) {
        self.steps = steps
        self.then = then
    }

    private func script(_ index: Int) -> Script { index < steps.count ? steps[index] : then(index) }

    func step(_ index: Int) -> HTTPScheduledStep {
        pulled.mutate { $0 = max($0, index + 1) }
        switch script(index) {
        case .send(_, let after): return .send(after: after)
        case .end(let after): return .end(after: after)
        case .abort(let after): return .abort(after: after)
        }
    }

    func render(_ index: Int, into buffer: inout [UInt8]) {
        if case .send(let bytes, _) = script(index) { buffer.append(contentsOf: bytes) }
    }
}

/// Sends `steps` one-byte chunks at `delay`; rendering the first one blocks the loop thread for
/// `stall`, as a busy machine or a burst of other work would.
final class StallingBody: HTTPScheduledBody {
    let steps: Int
    let delay: Duration
    let stall: Duration

    init(steps: Int, delay: Duration, stall: Duration) {
        self.steps = steps
        self.delay = delay
        self.stall = stall
    }

    func step(_ index: Int) -> HTTPScheduledStep {
        index < steps ? .send(after: index == 0 ? .zero : delay) : .end()
    }

    func render(_ index: Int, into buffer: inout [UInt8]) {
        if index == 0 {
            let (seconds, attoseconds) = stall.components
            usleep(UInt32(seconds * 1_000_000 + attoseconds / 1_000_000_000_000))
        }
        buffer.append(UInt8(ascii: "a") + UInt8(index % 26))
    }
}

private func text(_ s: String) -> [UInt8] { Array(s.utf8) }

/// Bodies the event loop plays by itself: framing, delays, endings, backpressure, disconnects.
/// Timing assertions are lower bounds ("not before"), robust on a loaded machine.
struct ScheduledBodyTests {
    @Test func stepsAreChunksAndTheConnectionStaysUsable() async throws {
        let body = ScriptBody(steps: [.send(text("data: one\n\n")), .send([]), .send(text("data: two\n\n"), after: .milliseconds(5))])
        try await withServer(handler: { request in
            if request.path == "/plain" { return HTTPResponse(status: 200, bytes: text("plain")) }
            return HTTPResponse(status: 200, headers: ["content-type": "text/event-stream"], body: .scheduled(body))
        }) { server in
            let client = try TestClient(port: server.port)
            try await client.send("GET /sse HTTP/1.1\r\nHost: t\r\n\r\n")
            let head = try await client.readHead()
            #expect(head.header("transfer-encoding") == "chunked")
            #expect(head.header("content-length") == nil)
            #expect(head.header("content-type") == "text/event-stream")
            #expect(try await client.readChunk() == text("data: one\n\n"))
            #expect(try await client.readChunk() == text("data: two\n\n"))  // the empty step sent nothing
            #expect(try await client.readChunk() == nil)
            try await client.send("HEAD /sse HTTP/1.1\r\nHost: t\r\n\r\n")
            let headOnly = try await client.readResponse(headRequest: true)
            #expect(headOnly.header("transfer-encoding") == "chunked")
            try await client.send("GET /plain HTTP/1.1\r\nHost: t\r\n\r\n")  // HEAD left no stray body bytes behind
            #expect(try await client.readResponse().text == "plain")
        }
    }

    @Test func http10IsCloseDelimited() async throws {
        let body = ScriptBody(steps: [.send(text("abc")), .send(text("def"), after: .milliseconds(2))])
        try await withServer(handler: { _ in HTTPResponse(status: 200, body: .scheduled(body)) }) { server in
            let client = try TestClient(port: server.port)
            try await client.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.header("transfer-encoding") == nil)
            #expect(response.header("connection") == "close")
            #expect(response.text == "abcdef")
        }
    }

    @Test func delaysAreHonoured() async throws {
        let steps: [Script] = [.send(text("a"), after: .milliseconds(50))]
            + (0..<10).map { _ in .send(text("b"), after: .milliseconds(10)) }
            + [.end(after: .milliseconds(20))]
        let body = ScriptBody(steps: steps)
        try await withServer(handler: { _ in HTTPResponse(status: 200, body: .scheduled(body)) }) { server in
            let client = try TestClient(port: server.port)
            let clock = ContinuousClock()
            let start = clock.now
            try await client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            _ = try await client.readHead()
            #expect(try await client.readChunk() == text("a"))
            #expect(clock.now - start >= .milliseconds(50))
            for _ in 0..<10 { #expect(try await client.readChunk() == text("b")) }
            #expect(clock.now - start >= .milliseconds(150))
            #expect(try await client.readChunk() == nil)
            #expect(clock.now - start >= .milliseconds(170))
        }
    }

    /// After a stall longer than the pacing, the schedule restarts from the moment it resumes:
    /// the missed steps are not sent in a burst (a catching-up schedule would finish right after
    /// the stall). Lower bounds only, so a loaded machine cannot make it fail.
    @Test func aStalledScheduleDoesNotBurstTheMissedSteps() async throws {
        let body = StallingBody(steps: 6, delay: .milliseconds(20), stall: .milliseconds(100))
        try await withServer(handler: { _ in HTTPResponse(status: 200, body: .scheduled(body)) }) { server in
            let client = try TestClient(port: server.port)
            let clock = ContinuousClock()
            let start = clock.now
            try await client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try await client.readResponse(timeout: 10)
            #expect(response.text == "abcdef")
            // Step 1 was due during the stall and leaves right after it; steps 2…5 follow at 20 ms.
            #expect(clock.now - start >= .milliseconds(175))
        }
    }

    @Test func lateStepsAreAbsorbedUpToHalfTheirDelayOrTwoMilliseconds() {
        #expect(Connection.absorbedLateness(.milliseconds(10)) == 2_000_000)
        #expect(Connection.absorbedLateness(.milliseconds(2)) == 1_000_000)
        #expect(Connection.absorbedLateness(.zero) == 0)
    }

    /// Paced chunks leave straight from the render buffer while the socket takes them; once the
    /// client stops reading, partial sends are queued and the schedule pauses. Every byte must
    /// still arrive, in order.
    @Test func pacedChunksReachASlowReaderIntact() async throws {
        let count = 600
        let steps: [Script] = (0..<count).map { i in
            .send(Array(repeating: UInt8(ascii: "a") + UInt8(i % 26), count: 3000 + i), after: .microseconds(200))
        }
        let expected = steps.flatMap { step -> [UInt8] in
            if case .send(let bytes, _) = step { return bytes }
            return []
        }
        let configuration = testConfiguration { $0.limits.writeHighWaterMark = 64 * 1024 }
        try await withServer(configuration, handler: { _ in HTTPResponse(status: 200, body: .scheduled(ScriptBody(steps: steps))) }) { server in
            let client = try TestClient(port: server.port, receiveBuffer: 16 * 1024)
            try await client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            try await Task.sleep(for: .milliseconds(300))  // not reading: the socket fills up
            _ = try await client.readHead()
            var received: [UInt8] = []
            while let piece = try await client.readChunk(timeout: 20) { received += piece }
            #expect(received.count == expected.count)
            #expect(received == expected)
        }
    }

    @Test func abortFlushesThenClosesWithoutTerminating() async throws {
        let body = ScriptBody(steps: [.send(text("data: partial\n\n")), .abort(after: .milliseconds(10))])
        try await withServer(handler: { _ in HTTPResponse(status: 200, body: .scheduled(body)) }) { server in
            let client = try TestClient(port: server.port)
            try await client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            _ = try await client.readHead()
            #expect(try await client.readChunk() == text("data: partial\n\n"))
            #expect(await client.waitForClose())
            #expect(client.bufferedBytes.isEmpty)  // no terminating chunk
            #expect(await eventually { server.connectionCount == 0 })
            #expect(body.pulled.get == 2)
        }
    }

    @Test func immediateAbortAfterUnpacedChunks() async throws {
        let body = ScriptBody(steps: [.send(text("x")), .send(text("y")), .abort()])
        try await withServer(handler: { _ in HTTPResponse(status: 200, body: .scheduled(body)) }) { server in
            let client = try TestClient(port: server.port)
            try await client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            _ = try await client.readHead()
            #expect(try await client.readChunk() == text("x"))
            #expect(try await client.readChunk() == text("y"))
            #expect(await client.waitForClose())
        }
    }

    @Test func nonReadingClientStopsThePulling() async throws {
        let chunk = [UInt8](repeating: 0x61, count: 16 * 1024)
        let total = 1024  // 16 MiB if nothing held the schedule back
        let body = ScriptBody(steps: Array(repeating: .send(chunk), count: total))
        let configuration = testConfiguration { $0.limits.writeHighWaterMark = 64 * 1024 }
        try await withServer(configuration, handler: { _ in HTTPResponse(status: 200, body: .scheduled(body)) }) { server in
            let client = try TestClient(port: server.port, receiveBuffer: 64 * 1024)
            try await client.send("GET /big HTTP/1.1\r\nHost: t\r\n\r\n")
            let deadline = ContinuousClock.now + .seconds(20)
            while server.peakQueuedOutput == 0 && body.pulled.get <= total && ContinuousClock.now < deadline {
                try await Task.sleep(nanoseconds: 5_000_000)
            }
            var last = -1
            var stableSince = ContinuousClock.now
            while ContinuousClock.now - stableSince < .milliseconds(150) {
                let now = body.pulled.get
                if now != last { last = now; stableSince = .now }
                try await Task.sleep(nanoseconds: 5_000_000)
            }
            #expect(last < total)
            #expect(server.peakQueuedOutput > 0)
            #expect(server.peakQueuedOutput <= 64 * 1024 + chunk.count + 16)
            #expect(last * chunk.count < 12 * 1024 * 1024, "pulled \(last) steps")
            _ = try await client.readHead()
            var received = 0
            while let piece = try await client.readChunk(timeout: 20) { received += piece.count }
            #expect(received == total * chunk.count)
            #expect(body.pulled.get == total + 1)
        }
    }

    @Test func disconnectStopsTheSchedule() async throws {
        let body = ScriptBody(steps: [], then: { _ in .send(Array("data: tick\n\n".utf8), after: .milliseconds(5)) })
        try await withServer(handler: { _ in HTTPResponse(status: 200, body: .scheduled(body)) }) { server in
            let client = try TestClient(port: server.port)
            try await client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            _ = try await client.readHead()
            _ = try await client.readChunk()
            _ = try await client.readChunk()
            client.disconnect()
            #expect(await eventually { server.connectionCount == 0 })
            let pulled = body.pulled.get
            try await Task.sleep(for: .milliseconds(60))
            #expect(body.pulled.get == pulled)
        }
    }

    @Test func manyConcurrentSchedulesComplete() async throws {
        let streams = 40
        let steps: [Script] = (0..<10).map { .send(Array("data: \($0)\n\n".utf8), after: .milliseconds(3)) }
        let expected = (0..<10).map { "data: \($0)\n\n" }.joined()
        try await withServer(handler: { _ in HTTPResponse(status: 200, body: .scheduled(ScriptBody(steps: steps))) }) { server in
            try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<streams {
                    group.addTask {
                        let client = try TestClient(port: server.port)
                        try await client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
                        return try await client.readResponse(timeout: 20).text
                    }
                }
                var done = 0
                for try await body in group {
                    #expect(body == expected)
                    done += 1
                }
                #expect(done == streams)
            }
        }
    }
}
