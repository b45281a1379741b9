import MockHTTP
import Testing
@testable import OpenAIMock

/// Another engine as the upstream, in-process: what the contract suite does over sockets.
struct EngineUpstream: Upstream {
    let engine: MockEngine

    func send(_ request: UpstreamRequest) async throws -> UpstreamResponse {
        let response = await engine.handle(HTTPRequest(method: request.method, target: request.target,
                                                       headers: HTTPHeaders(request.headers.map { ($0.name, $0.value) }),
                                                       body: .bytes(request.body)))
        let (body, feed) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        switch response.body {
        case .bytes(let b): feed.yield(b)
        case .stream(let produce):
            let sink = CollectingWriter()
            try await produce(sink)
            feed.yield(sink.bytes)
        case .scheduled(let scheduled):
            let sink = RecordingWriter()
            try await sink.play(scheduled)
            feed.yield(sink.writes.flatMap { $0 })
        case .dropConnection:
            throw CancellationError()
        }
        feed.finish()
        return UpstreamResponse(status: response.status, headers: response.headers.map { (name: $0.name, value: $0.value) }, body: body)
    }
}

@Suite struct RecordReplayTests {
    static let key = "sk-very-secret-recording-key-1234"

    func send(_ engine: MockEngine, _ method: String, _ target: String, _ json: String? = nil) async throws -> (Int, String) {
        var headers: HTTPHeaders = ["Authorization": "Bearer \(Self.key)", "OpenAI-Organization": "org-secret-organisation"]
        if json != nil { headers.add("Content-Type", "application/json") }
        let r = await engine.handle(HTTPRequest(method: method, target: target, headers: headers, body: .bytes(Array((json ?? "").utf8))))
        let sink = CollectingWriter()
        switch r.body {
        case .bytes(let b): return (r.status, String(decoding: b, as: UTF8.self))
        case .stream(let produce): try await produce(sink)
        case .scheduled(let scheduled):
            let player = RecordingWriter()
            try await player.play(scheduled)
            try await sink.write(player.writes.flatMap { $0 })
        case .dropConnection: break
        }
        return (r.status, String(decoding: sink.bytes, as: UTF8.self))
    }

    static let session: [(String, String, String?)] = [
        ("GET", "/v1/models", nil),
        ("POST", "/v1/chat/completions", #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello there"}],"user":"u-1"}"#),
        ("POST", "/v1/chat/completions", #"{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Stream it"}]}"#),
        ("POST", "/v1/embeddings", #"{"model":"text-embedding-3-small","input":"apples"}"#),
        ("POST", "/v1/chat/completions", #"{"model":"no-such-model","messages":[{"role":"user","content":"x"}]}"#),
        ("POST", "/v1/responses", #"{"model":"gpt-4o-mini","input":"Typed events","stream":true}"#),
    ]

    @Test func aRecordedSessionReplaysByteForByteWithoutTheUpstream() async throws {
        let dir = try FileSystem.makeTemporaryDirectory(prefix: "record-test")
        defer { FileSystem.removeTree(dir) }
        let upstream = MockEngine(configuration: MockConfiguration(seed: 11))
        let recording = MockEngine(forward: ForwardStep(upstream: EngineUpstream(engine: upstream), recorder: try Recorder(directory: dir)))
        var recorded: [(Int, String)] = []
        for (m, t, b) in Self.session { recorded.append(try await send(recording, m, t, b)) }
        #expect(recorded.map(\.0) == [200, 200, 200, 200, 404, 200])
        #expect(recorded[5].1.hasPrefix("event: response.created\ndata: {"))  // events with `event:` lines replay as sent
        // Recording the same session again rewrites the same files.
        let files = FileSystem.list(dir).sorted()
        #expect(files.count == 6)
        for (m, t, b) in Self.session { _ = try await send(recording, m, t, b) }
        #expect(FileSystem.list(dir).sorted() == files)
        let loaded = ScenarioLoader.load(paths: [dir])
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics.map(\.description))")
        for file in files {
            let text = String(decoding: try FileSystem.read(dir + "/" + file), as: UTF8.self)
            #expect(!text.contains("very-secret"), "\(file)")
            #expect(!text.contains("org-secret"), "\(file)")
        }

        var configuration = MockConfiguration(seed: 99, scenarioPaths: [dir])
        configuration.strict = true
        configuration.replaySpeed = nil
        let replay = MockEngine(configuration: configuration)
        for ((m, t, b), original) in zip(Self.session, recorded) {
            let again = try await send(replay, m, t, b)
            #expect(again.0 == original.0, "\(t)")
            #expect(again.1 == original.1, "\(t) \(b ?? "")")
        }
        // Volatile fields do not matter; anything else does, and --strict names the nearest recording.
        let other = try await send(replay, "POST", "/v1/chat/completions",
                                   #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello there"}],"user":"u-2","seed":4}"#)
        #expect(other.1 == recorded[1].1)
        let miss = try await send(replay, "POST", "/v1/chat/completions",
                                  #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello, who?"}]}"#)
        #expect(miss.0 == 404)
        #expect(miss.1.contains("the body differs at messages[0].content"))
    }

    @Test func eachTestIdGetsItsOwnCassetteAndReplaysOnlyForThatTest() async throws {
        let dir = try FileSystem.makeTemporaryDirectory(prefix: "record-test")
        defer { FileSystem.removeTree(dir) }
        let upstream = MockEngine(configuration: MockConfiguration(seed: 5))
        let recording = MockEngine(forward: ForwardStep(upstream: EngineUpstream(engine: upstream), recorder: try Recorder(directory: dir)))
        let body = #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}"#
        func ask(_ engine: MockEngine, test: String) async -> HTTPResponse {
            await engine.handle(HTTPRequest(method: "POST", target: "/v1/chat/completions", headers: [
                "Authorization": "Bearer sk-test", "Content-Type": "application/json", "X-Mock-Test-Id": test,
            ], body: .bytes(Array(body.utf8))))
        }
        _ = await ask(recording, test: "tests/a.py::one")
        _ = await ask(recording, test: "tests/b.py::two")
        #expect(FileSystem.list(dir).sorted() == ["tests_a.py__one", "tests_b.py__two"])
        var configuration = MockConfiguration(scenarioPaths: [dir])
        configuration.strict = true
        let replay = MockEngine(configuration: configuration)
        #expect(await ask(replay, test: "tests/a.py::one").status == 200)
        #expect(await ask(replay, test: "tests/c.py::three").status == 404)
    }

    /// An upstream that cannot be used at all (an untrusted certificate), as `URLSessionUpstream` reports it.
    struct UnusableUpstream: Upstream {
        func send(_ request: UpstreamRequest) async throws -> UpstreamResponse {
            throw UpstreamUnusable("TLS with https://up failed (SSL certificate problem): pass its CA certificate with --upstream-ca FILE")
        }
    }

    @Test func anUnusableUpstreamIsA502NamingWhyAndNothingIsRecorded() async throws {
        let dir = try FileSystem.makeTemporaryDirectory(prefix: "record-test")
        defer { FileSystem.removeTree(dir) }
        let recording = MockEngine(forward: ForwardStep(upstream: UnusableUpstream(), recorder: try Recorder(directory: dir)))
        let (status, body) = try await send(recording, "GET", "/v1/models")
        #expect(status == 502)
        #expect(body.contains(#""code":"upstream_unusable""#) && body.contains("--upstream-ca FILE"))
        #expect(FileSystem.list(dir).isEmpty)
    }

    @Test func eventsKeepTheirTextAndDelays() {
        var s = EventSplitter(start: .now)
        s.feed(Array("data: {\"a\":1}\n\ndata: [DO".utf8), at: .now)
        s.feed(Array("NE]\n\nevent: x\r\ndata: y\r\n\r\n".utf8), at: .now)
        #expect(s.events.map { String(decoding: $0.text, as: UTF8.self) } == ["data: {\"a\":1}", "data: [DONE]", "event: x\r\ndata: y"])
        // The same stream a byte at a time (each byte scanned once, blank lines across pieces found).
        var bytes = EventSplitter(start: .now)
        for b in Array("data: {\"a\":1}\n\ndata: [DONE]\n\nevent: x\r\ndata: y\r\n\r\n".utf8) { bytes.feed([b], at: .now) }
        #expect(bytes.events.map(\.text) == s.events.map(\.text))
    }
}
