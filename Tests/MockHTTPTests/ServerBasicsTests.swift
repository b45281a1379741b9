import Testing
@testable import MockHTTP

/// Request/response basics over loopback.
struct ServerBasicsTests {
    @Test func portZeroReportsTheBoundPort() async throws {
        try await withServer { server in
            #expect(server.port > 0)
            let client = try TestClient(port: server.port)
            try await client.send("GET /v1/models?limit=2 HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 200)
            #expect(response.header("x-path") == "/v1/models")
            #expect(response.header("x-query") == "limit=2")
            #expect(response.text == "GET /v1/models?limit=2 0\n")
            #expect(response.count(of: "content-length") == 1)
        }
    }

    @Test func headersAreCaseInsensitiveForHandlers() async throws {
        try await withServer(handler: { request in
            HTTPResponse(status: 200, bytes: Array("\(request.headers["authorization"] ?? "-")|\(request.headers["X-MIXED-case"] ?? "-")".utf8))
        }) { server in
            let client = try TestClient(port: server.port)
            try await client.send("GET / HTTP/1.1\r\nHost: t\r\nAUTHORIZATION: Bearer sk-1\r\nx-Mixed-Case: yes\r\n\r\n")
            #expect(try await client.readResponse().text == "Bearer sk-1|yes")
        }
    }

    @Test func reasonPhrasesAndHandlerHeadersAreNotDuplicated() async throws {
        try await withServer(handler: { _ in
            HTTPResponse(status: 429, headers: ["Content-Length": "999", "Transfer-Encoding": "chunked", "retry-after-ms": "20"],
                         bytes: Array("slow down".utf8))
        }) { server in
            let client = try TestClient(port: server.port)
            try await client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 429)
            #expect(response.count(of: "content-length") == 1)
            #expect(response.header("content-length") == "9")
            #expect(response.count(of: "transfer-encoding") == 0)
            #expect(response.header("retry-after-ms") == "20")
            #expect(response.text == "slow down")
        }
    }

    @Test func headResponsesHaveNoBody() async throws {
        try await withServer { server in
            let client = try TestClient(port: server.port)
            try await client.send("HEAD /x HTTP/1.1\r\nHost: t\r\n\r\nGET /y HTTP/1.1\r\nHost: t\r\n\r\n")
            let head = try await client.readResponse(headRequest: true)
            #expect(head.status == 200)
            #expect(head.header("content-length") == "10")  // the length of the GET body, which is not sent
            let next = try await client.readResponse()
            #expect(next.text == "GET /y 0\n")
        }
    }

    @Test func addressInUseIsAClearError() async throws {
        try await withServer { server in
            let second = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: server.port),
                                    handler: ClosureHandler(body: echoHandler))
            #expect(throws: HTTPServerStartError.addressInUse(host: "127.0.0.1", port: server.port)) { try second.start() }
            #expect("\(HTTPServerStartError.addressInUse(host: "127.0.0.1", port: 1))".contains("address already in use"))
        }
    }

    @Test func errorsGoThroughTheErrorResponder() async throws {
        let configuration = testConfiguration { config in
            config.errorResponder = { error in
                HTTPResponse(status: error.status, headers: ["content-type": "application/json"],
                             bytes: Array(#"{"error":{"code":\#(error.status)}}"#.utf8))
            }
        }
        try await withServer(configuration) { server in
            let client = try TestClient(port: server.port)
            try await client.send("GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 400)
            #expect(response.header("content-type") == "application/json")
            #expect(response.header("connection") == "close")
            #expect(response.text == #"{"error":{"code":400}}"#)
            #expect(await client.waitForClose())
        }
    }

    @Test func protocolErrorsOverTheWire() async throws {
        try await withServer { server in
            let cases: [(String, Int)] = [
                ("GET / HTTP/2.0\r\n\r\n", 505),
                ("GET / FOO\r\n\r\n", 400),
                ("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
                ("GET / HTTP/1.1\r\nHost: t\r\nA: b\r\n c\r\n\r\n", 400),
                ("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n", 400),
                ("GET /" + String(repeating: "a", count: 20_000) + " HTTP/1.1\r\nHost: t\r\n\r\n", 414),
            ]
            for (request, status) in cases {
                let client = try TestClient(port: server.port)
                try await client.send(request)
                let response = try await client.readResponse()
                #expect(response.status == status, "\(request.prefix(40))")
                #expect(await client.waitForClose())
            }
        }
    }

    @Test func pollBackendServesRequests() async throws {
        try await withServer(queueKind: .poll) { server in
            let client = try TestClient(port: server.port)
            for i in 0..<3 {
                try await client.send("POST /p\(i) HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nhi")
                #expect(try await client.readResponse().text == "POST /p\(i) 2\nhi")
            }
        }
    }
}
