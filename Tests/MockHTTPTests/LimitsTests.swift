import Testing
@testable import MockHTTP

/// Header limits, slowloris, connection limits.
struct LimitsTests {
    @Test func headerSectionOver80KiBIs431() async throws {
        try await withServer { server in
            let client = try TestClient(port: server.port)
            var request = "GET / HTTP/1.1\r\nHost: t\r\n"
            for i in 0..<90 { request += "X-Filler-\(i): " + String(repeating: "v", count: 1000) + "\r\n" }
            try await client.send(request + "\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 431)
            #expect(response.header("connection") == "close")
            #expect(await client.waitForClose())
        }
    }

    @Test func headerSectionThatNeverEndsIs431() async throws {
        try await withServer { server in
            let client = try TestClient(port: server.port)
            try await client.send("GET / HTTP/1.1\r\nHost: t\r\nX-Endless: " + String(repeating: "v", count: 90 * 1024))
            #expect(try await client.readResponse().status == 431)
        }
    }

    @Test func moreThan1000FieldsIs431() async throws {
        try await withServer { server in
            let exactly = try TestClient(port: server.port)
            try await exactly.send("GET / HTTP/1.1\r\nHost: t\r\n" + String(repeating: "A: b\r\n", count: 999) + "\r\n")
            #expect(try await exactly.readResponse().status == 200)
            let tooMany = try TestClient(port: server.port)
            try await tooMany.send("GET / HTTP/1.1\r\nHost: t\r\n" + String(repeating: "A: b\r\n", count: 1000) + "\r\n")
            #expect(try await tooMany.readResponse().status == 431)
        }
    }

    @Test func slowlorisIsClosedAfterTheHeaderTimeout() async throws {
        try await withServer(testConfiguration { $0.limits.headerTimeout = 0.2 }) { server in
            let client = try TestClient(port: server.port)
            let start = ContinuousClock.now
            try await client.send("GET / HTTP/1.1\r\nHost: t\r\n")
            // Keep trickling bytes: activity must not extend the header deadline.
            for _ in 0..<4 {
                try? await client.send("X-A: b\r\n")
                try await Task.sleep(nanoseconds: 40_000_000)
            }
            #expect(await client.waitForClose(timeout: 3))
            #expect(ContinuousClock.now - start < .seconds(6))  // the header timeout (0.2 s), not the idle one (10 s)
            #expect(client.bufferedBytes.isEmpty)

            let silent = try TestClient(port: server.port)
            #expect(await silent.waitForClose(timeout: 3))
        }
    }

    @Test func connectionsBeyondTheLimitAreClosedAtOnce() async throws {
        try await withServer(testConfiguration { $0.limits.maxConnections = 2 }) { server in
            let a = try TestClient(port: server.port)
            let b = try TestClient(port: server.port)
            #expect(await eventually { server.connectionCount == 2 })
            let c = try TestClient(port: server.port)
            #expect(await c.waitForClose())
            for client in [a, b] {
                try await client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
                #expect(try await client.readResponse().status == 200)
            }
            a.disconnect()
            #expect(await eventually { server.connectionCount == 1 })
            let d = try TestClient(port: server.port)
            try await d.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await d.readResponse().status == 200)
        }
    }

    @Test func hundredsOfIdleConnectionsAreServed() async throws {
        try await withServer { server in
            var clients: [TestClient] = []
            for _ in 0..<300 { clients.append(try TestClient(port: server.port)) }
            #expect(await eventually { server.connectionCount == 300 })
            for client in clients.prefix(10) {
                try await client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
                #expect(try await client.readResponse().status == 200)
            }
            clients.removeAll()
            #expect(await eventually { server.connectionCount == 0 })
        }
    }
}
