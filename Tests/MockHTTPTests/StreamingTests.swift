import Testing
@testable import MockHTTP

/// Streamed bodies: framing, backpressure, disconnects, aborts, dropped connections.
struct StreamingTests {
    @Test func eachWriteIsOneChunkFlushedAtOnce() async throws {
        let gate = Box<Bool>(false)
        try await withServer(handler: { _ in
            HTTPResponse(status: 200, headers: ["content-type": "text/event-stream"], body: .stream({ writer in
                try await writer.write(Array("data: one\n\n".utf8))
                try await writer.write([])  // ignored: an empty chunk would end the body
                while !gate.get { try await Task.sleep(nanoseconds: 1_000_000) }
                try await writer.write(Array("data: two\n\n".utf8))
            }))
        }) { server in
            let client = try TestClient(port: server.port)
            try await client.send("GET /sse HTTP/1.1\r\nHost: t\r\n\r\n")
            let head = try await client.readHead()
            #expect(head.header("transfer-encoding") == "chunked")
            #expect(head.header("content-length") == nil)
            #expect(head.header("content-type") == "text/event-stream")
            // The first chunk arrives while the handler is still blocked on the gate.
            #expect(try await client.readChunk() == Array("data: one\n\n".utf8))
            gate.mutate { $0 = true }
            #expect(try await client.readChunk() == Array("data: two\n\n".utf8))
            #expect(try await client.readChunk() == nil)
            // The connection stays usable.
            try await client.send("HEAD / HTTP/1.1\r\nHost: t\r\n\r\n")
            let next = try await client.readResponse(headRequest: true)
            #expect(next.header("transfer-encoding") == "chunked")
            try await client.send("GET /again HTTP/1.1\r\nHost: t\r\n\r\n")  // HEAD left no stray body bytes behind
            #expect(try await client.readResponse().text == "data: one\n\ndata: two\n\n")
        }
    }

    @Test func http10StreamsAreCloseDelimited() async throws {
        try await withServer(handler: { _ in
            HTTPResponse(status: 200, body: .stream({ writer in
                try await writer.write(Array("abc".utf8))
                try await writer.write(Array("def".utf8))
            }))
        }) { server in
            let client = try TestClient(port: server.port)
            try await client.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.header("transfer-encoding") == nil)
            #expect(response.header("connection") == "close")
            #expect(response.text == "abcdef")
        }
    }

    @Test func slowReaderSuspendsTheWriter() async throws {
        let written = Box(0)
        let finished = Box(false)
        let chunk = [UInt8](repeating: 0x61, count: 16 * 1024)
        let total = 1024  // 16 MiB if nothing held the writer back
        let configuration = testConfiguration { $0.limits.writeHighWaterMark = 64 * 1024 }
        try await withServer(configuration, handler: { _ in
            HTTPResponse(status: 200, body: .stream({ writer in
                for _ in 0..<total {
                    try await writer.write(chunk)
                    written.mutate { $0 += 1 }
                }
                finished.mutate { $0 = true }
            }))
        }) { server in
            let client = try TestClient(port: server.port, receiveBuffer: 64 * 1024)
            try await client.send("GET /big HTTP/1.1\r\nHost: t\r\n\r\n")
            // Without reading, the socket fills and the server starts queueing: wait for that
            // (bounded) rather than for a quiet period, which a loaded machine can fake.
            let deadline = ContinuousClock.now + .seconds(20)
            while server.peakQueuedOutput == 0 && !finished.get && ContinuousClock.now < deadline {
                try await Task.sleep(nanoseconds: 5_000_000)
            }
            // Then the writer stalls: wait until the count stops moving.
            var last = -1
            var stableSince = ContinuousClock.now
            while ContinuousClock.now - stableSince < .milliseconds(150) {
                let now = written.get
                if now != last { last = now; stableSince = .now }
                try await Task.sleep(nanoseconds: 5_000_000)
            }
            #expect(!finished.get)
            // The server's own queue never exceeds the high-water mark plus one write.
            #expect(server.peakQueuedOutput > 0)
            #expect(server.peakQueuedOutput <= 64 * 1024 + chunk.count + 16)
            // Bounded by the high-water mark plus kernel socket buffers, far below 32 MiB.
            #expect(last * chunk.count < 12 * 1024 * 1024, "writer accepted \(last) chunks")
            // Reading resumes the writer until the whole body went through.
            _ = try await client.readHead()
            var received = 0
            while let piece = try await client.readChunk() { received += piece.count }
            #expect(received == total * chunk.count)
            #expect(finished.get)
        }
    }

    @Test func writerThrowsOnceTheClientIsGone() async throws {
        let outcome = Box<String?>(nil)
        try await withServer(handler: { _ in
            HTTPResponse(status: 200, body: .stream({ writer in
                do {
                    for _ in 0..<10_000 {
                        try await writer.write(Array("data: tick\n\n".utf8))
                        try await Task.sleep(nanoseconds: 2_000_000)
                    }
                    outcome.mutate { $0 = "completed" }
                } catch {
                    outcome.mutate { $0 = "\(error)" }
                    throw error
                }
            }))
        }) { server in
            let client = try TestClient(port: server.port)
            try await client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            _ = try await client.readHead()
            _ = try await client.readChunk()
            client.disconnect()
            #expect(await eventually { outcome.get != nil })
            // The write fails, or the handler task — cancelled with its connection — stops sleeping.
            #expect(["\(HTTPBodyWriterError.connectionClosed)", "\(CancellationError())"].contains(outcome.get))
            #expect(await eventually { server.connectionCount == 0 })
        }
    }

    @Test func abortTruncatesTheStream() async throws {
        try await withServer(handler: { _ in
            HTTPResponse(status: 200, body: .stream({ writer in
                try await writer.write(Array("data: partial\n\n".utf8))
                await writer.abort()
                await #expect(throws: HTTPBodyWriterError.connectionClosed) { try await writer.write([1]) }
            }))
        }) { server in
            let client = try TestClient(port: server.port)
            try await client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            _ = try await client.readHead()
            #expect(try await client.readChunk() == Array("data: partial\n\n".utf8))
            #expect(await client.waitForClose())
            #expect(client.bufferedBytes.isEmpty)  // no terminating chunk
        }
    }

    @Test func throwingStreamAbortsTheConnection() async throws {
        struct Boom: Error {}
        try await withServer(handler: { _ in
            HTTPResponse(status: 200, body: .stream({ writer in
                try await writer.write(Array("x".utf8))
                throw Boom()
            }))
        }) { server in
            let client = try TestClient(port: server.port)
            try await client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            _ = try await client.readHead()
            _ = try await client.readChunk()
            #expect(await client.waitForClose())
        }
    }

    @Test func dropConnectionSendsNothing() async throws {
        try await withServer(handler: { _ in HTTPResponse(status: 200, body: .dropConnection) }) { server in
            let client = try TestClient(port: server.port)
            try await client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(await client.waitForClose())
            #expect(client.bufferedBytes.isEmpty)
            #expect(await eventually { server.connectionCount == 0 })
        }
    }
}
