import Foundation
import Testing
@testable import MockHTTP

/// Content-Length and chunked bodies, 100-continue, size limits, spooling to disk.
struct RequestBodyTests {
    @Test func contentLengthBodyArrivingInPieces() async throws {
        try await withServer { server in
            let client = try TestClient(port: server.port)
            try await client.send("POST /e HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\nhello")
            try await Task.sleep(nanoseconds: 20_000_000)
            try await client.send(" world")
            #expect(try await client.readResponse().text == "POST /e 11\nhello world")
        }
    }

    @Test func chunkedBodyWithExtensionsAndTrailers() async throws {
        try await withServer { server in
            let client = try TestClient(port: server.port)
            try await client.send("POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n1\r\n \r\n")
            try await client.send("5\r\nworld\r\n0\r\nX-Checksum: abc\r\n\r\nGET /next HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await client.readResponse().text == "POST /c 11\nhello world")
            #expect(try await client.readResponse().text == "GET /next 0\n")
        }
    }

    @Test func unreadBodiesAreDrainedBeforeTheNextRequest() async throws {
        try await withServer(handler: { request in HTTPResponse(status: 204) }) { server in
            let client = try TestClient(port: server.port)
            let body = String(repeating: "GET /evil HTTP/1.1\r\nHost: t\r\n\r\n", count: 50)
            try await client.send("POST /ignore HTTP/1.1\r\nHost: t\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)GET /ok HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await client.readResponse().status == 204)
            #expect(try await client.readResponse().status == 204)
            try await client.send("GET /again HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await client.readResponse().status == 204)
            #expect(client.bufferedBytes.isEmpty)
        }
    }

    @Test func expectContinueGetsInterimResponseBeforeBody() async throws {
        try await withServer { server in
            let client = try TestClient(port: server.port)
            try await client.send("POST /u HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
            let interim = try await client.readResponse()
            #expect(interim.status == 100)
            try await client.send("data")
            #expect(try await client.readResponse().text == "POST /u 4\ndata")
        }
    }

    @Test func tooLargeBodyIsRejectedWithoutReadingItOrSendingContinue() async throws {
        try await withServer(testConfiguration { $0.limits.maxBodyBytes = 10 }) { server in
            let client = try TestClient(port: server.port)
            try await client.send("POST /u HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 413)
            #expect(response.header("connection") == "close")
            #expect(await client.waitForClose())

            // Chunked bodies are checked as they arrive.
            let chunked = try TestClient(port: server.port)
            try await chunked.send("POST /u HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n")
            #expect(try await chunked.readResponse().status == 413)
        }
    }

    @Test func largeBodiesReachTheHandlerWhileTheyArrive() async throws {
        let configuration = testConfiguration { $0.limits.bodyInMemoryThreshold = 1000 }
        let firstChunk = Box<Int?>(nil)
        try await withServer(configuration, handler: { request in
            guard case .stream(let stream) = request.body else { return HTTPResponse(status: 400) }
            var total = 0
            while let chunk = try? await stream.next() {
                if firstChunk.get == nil { firstChunk.mutate { $0 = chunk.count } }
                total += chunk.count
            }
            return HTTPResponse(status: 200, bytes: Array("\(total) \(stream.expectedLength ?? -1)".utf8))
        }) { server in
            let client = try TestClient(port: server.port)
            try await client.send("POST /files HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n" + String(repeating: "z", count: 2000))
            // The handler already runs and holds the first bytes while the rest is still unsent.
            #expect(await eventually { firstChunk.get != nil })
            try await client.send(String(repeating: "z", count: 3000))
            #expect(try await client.readResponse().text == "5000 5000")

            // A chunked body switches to streaming once it outgrows the threshold; small ones come whole.
            let chunk = "3E8\r\n" + String(repeating: "z", count: 1000) + "\r\n"
            firstChunk.mutate { $0 = nil }
            try await client.send("POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n" + String(repeating: chunk, count: 3))
            #expect(await eventually { firstChunk.get != nil })
            try await client.send(String(repeating: chunk, count: 2) + "0\r\n\r\n")
            #expect(try await client.readResponse().text == "5000 -1")
            try await client.send("POST /small HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc")
            #expect(try await client.readResponse().status == 400)
        }
    }

    @Test func aClientThatGoesAwayMidBodyFailsTheStreamAndCancelsTheHandler() async throws {
        let outcome = Box<(HTTPBodyStreamError?, Bool)?>(nil)
        let configuration = testConfiguration { $0.limits.bodyInMemoryThreshold = 10 }
        try await withServer(configuration, handler: { request in
            guard case .stream(let stream) = request.body else { return HTTPResponse(status: 400) }
            do {
                while try await stream.next() != nil {}
                outcome.mutate { $0 = (nil, Task.isCancelled) }
            } catch let error as HTTPBodyStreamError {
                outcome.mutate { $0 = (error, Task.isCancelled) }
            } catch {}
            return HTTPResponse(status: 200)
        }) { server in
            let client = try TestClient(port: server.port)
            try await client.send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n" + String(repeating: "q", count: 100))
            try await Task.sleep(nanoseconds: 50_000_000)
            client.disconnect()
            #expect(await eventually { outcome.get != nil })
            let (error, cancelled) = try #require(outcome.get)
            #expect(error == .connectionClosed || error == .cancelled)
            #expect(cancelled)
            #expect(await eventually { server.runningHandlers == 0 })
        }
    }

    @Test func anEarlyAnswerSkipsTheRestOfTheBodyAndKeepsTheConnection() async throws {
        let configuration = testConfiguration { $0.limits.bodyInMemoryThreshold = 10 }
        try await withServer(configuration, handler: { request in
            HTTPResponse(status: request.path == "/reject" ? 400 : 200, bytes: Array(request.path.utf8))
        }) { server in
            let client = try TestClient(port: server.port)
            try await client.send("POST /reject HTTP/1.1\r\nHost: t\r\nContent-Length: 3000\r\n\r\n" + String(repeating: "x", count: 1000))
            let rejected = try await client.readResponse()
            #expect(rejected.status == 400)
            try await client.send(String(repeating: "x", count: 2000) + "GET /next HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await client.readResponse().text == "/next")
        }
    }

    @Test func aHandlerThatDoesNotReadStopsTheConnectionFromReading() async throws {
        let configuration = testConfiguration {
            $0.limits.bodyInMemoryThreshold = 1000
            $0.limits.bodyStreamHighWaterMark = 64 * 1024
            $0.limits.idleTimeout = 30
        }
        let stream = Box<HTTPBodyStream?>(nil)
        let release = Box(false)
        try await withServer(configuration, handler: { request in
            guard case .stream(let s) = request.body else { return HTTPResponse(status: 400) }
            stream.mutate { $0 = s }
            while !release.get { try? await Task.sleep(nanoseconds: 5_000_000) }
            var total = 0
            while let chunk = try? await s.next() { total += chunk.count }
            return HTTPResponse(status: 200, bytes: Array("\(total)".utf8))
        }) { server in
            let size = 32 * 1024 * 1024
            let client = try TestClient(port: server.port)
            try await client.send("POST /big HTTP/1.1\r\nHost: t\r\nContent-Length: \(size)\r\n\r\n")
            nonisolated(unsafe) let writer = client  // only the sender task writes while the test reads state
            let sender = Task { try await writer.send([UInt8](repeating: 7, count: size), timeout: 30) }
            #expect(await eventually { stream.get != nil })
            try await Task.sleep(nanoseconds: 300_000_000)
            // Held back: the stream buffers about its high-water mark, the rest waits in the kernel.
            #expect(stream.get!.bufferedCount <= 64 * 1024 + 128 * 1024)
            release.mutate { $0 = true }
            try await sender.value
            #expect(try await client.readResponse(timeout: 30).text == "\(size)")
        }
    }
}
