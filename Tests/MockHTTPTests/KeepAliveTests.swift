import Testing
@testable import MockHTTP

/// Persistence rules and pipelining.
struct KeepAliveTests {
    @Test func http11KeepsTheConnectionOpen() async throws {
        try await withServer { server in
            let client = try TestClient(port: server.port)
            for i in 0..<3 {
                try await client.send("GET /\(i) HTTP/1.1\r\nHost: t\r\n\r\n")
                let response = try await client.readResponse()
                #expect(response.text == "GET /\(i) 0\n")
                #expect(response.header("connection") == nil)
            }
            #expect(server.connectionCount == 1)
        }
    }

    @Test func http10ClosesUnlessKeepAliveIsAsked() async throws {
        try await withServer { server in
            let plain = try TestClient(port: server.port)
            try await plain.send("GET /a HTTP/1.0\r\n\r\n")
            let first = try await plain.readResponse()
            #expect(first.header("connection") == "close")
            #expect(first.header("x-version") == "HTTP/1.0")
            #expect(await plain.waitForClose())

            let persistent = try TestClient(port: server.port)
            for _ in 0..<2 {
                try await persistent.send("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                let response = try await persistent.readResponse()
                #expect(response.header("connection") == "keep-alive")
                #expect(response.text == "GET /b 0\n")
            }
        }
    }

    @Test func connectionCloseIsHonoured() async throws {
        try await withServer { server in
            let client = try TestClient(port: server.port)
            try await client.send("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 200)
            #expect(response.header("connection") == "close")
            #expect(await client.waitForClose())
        }
    }

    @Test func handlerCanAskToClose() async throws {
        try await withServer(handler: { _ in HTTPResponse(status: 200, headers: ["Connection": "close"], bytes: [65]) }) { server in
            let client = try TestClient(port: server.port)
            try await client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.count(of: "connection") == 1)
            #expect(await client.waitForClose())
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        // Handlers finish in reverse order; responses must still come back in request order.
        try await withServer(handler: { request in
            let delay: UInt64 = request.path == "/1" ? 60 : (request.path == "/2" ? 30 : 0)
            try? await Task.sleep(nanoseconds: delay * 1_000_000)
            return await echoHandler(request)
        }) { server in
            let client = try TestClient(port: server.port)
            try await client.send("GET /1 HTTP/1.1\r\nHost: t\r\n\r\nPOST /2 HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabcGET /3 HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await client.readResponse().text == "GET /1 0\n")
            #expect(try await client.readResponse().text == "POST /2 3\nabc")
            #expect(try await client.readResponse().text == "GET /3 0\n")
        }
    }

    @Test func halfClosedClientStillGetsItsAnswers() async throws {
        try await withServer { server in
            let client = try TestClient(port: server.port)
            try await client.send("GET /a HTTP/1.1\r\nHost: t\r\n\r\nGET /b HTTP/1.1\r\nHost: t\r\n\r\n")
            client.shutdownWrite()
            #expect(try await client.readResponse().text == "GET /a 0\n")
            #expect(try await client.readResponse().text == "GET /b 0\n")
            #expect(await client.waitForClose())
        }
    }

    @Test func idleKeepAliveConnectionsAreClosed() async throws {
        try await withServer(testConfiguration { $0.limits.idleTimeout = 0.15 }) { server in
            let client = try TestClient(port: server.port)
            try await client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            _ = try await client.readResponse()
            #expect(await client.waitForClose(timeout: 3))
            #expect(await eventually { server.connectionCount == 0 })
        }
    }
}
