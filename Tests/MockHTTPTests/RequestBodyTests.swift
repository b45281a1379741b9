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

    @Test func largeBodiesAreSpooledToATemporaryFileThatIsRemovedAfterwards() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mockhttp-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let seen = Box<(path: String, existed: Bool, size: Int)?>(nil)
        let configuration = testConfiguration {
            $0.limits.bodyInMemoryThreshold = 1000
            $0.limits.temporaryDirectory = directory
        }
        try await withServer(configuration, handler: { request in
            if case .file(let file) = request.body {
                let content = (try? request.body.readAll()) ?? []
                seen.mutate { $0 = (file.path, FileManager.default.fileExists(atPath: file.path), content.count) }
                let ok = content == Array(repeating: UInt8(ascii: "z"), count: 5000)
                return HTTPResponse(status: ok ? 200 : 500)
            }
            return HTTPResponse(status: 400)
        }) { server in
            let client = try TestClient(port: server.port)
            try await client.send("POST /files HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n" + String(repeating: "z", count: 5000))
            #expect(try await client.readResponse().status == 200)
            let record = try #require(seen.get)
            #expect(record.existed && record.size == 5000)
            #expect(record.path.hasPrefix(directory))
            #expect(await eventually { !FileManager.default.fileExists(atPath: record.path) })

            // Chunked uploads switch to disk mid-way, and small ones stay in memory.
            try await client.send("POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                                  + String(repeating: "3E8\r\n" + String(repeating: "z", count: 1000) + "\r\n", count: 5) + "0\r\n\r\n")
            #expect(try await client.readResponse().status == 200)
            try await client.send("POST /small HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc")
            #expect(try await client.readResponse().status == 400)
            #expect(await eventually { (try? FileManager.default.contentsOfDirectory(atPath: directory))?.isEmpty == true })
        }
    }

    @Test func abandonedUploadLeavesNoFileBehind() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mockhttp-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let configuration = testConfiguration {
            $0.limits.bodyInMemoryThreshold = 10
            $0.limits.temporaryDirectory = directory
        }
        try await withServer(configuration) { server in
            let client = try TestClient(port: server.port)
            try await client.send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n" + String(repeating: "q", count: 100))
            #expect(await eventually { (try? FileManager.default.contentsOfDirectory(atPath: directory))?.count == 1 })
            client.disconnect()
            #expect(await eventually { (try? FileManager.default.contentsOfDirectory(atPath: directory))?.isEmpty == true })
        }
    }
}
