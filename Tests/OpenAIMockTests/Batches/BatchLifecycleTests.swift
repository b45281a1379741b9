import Foundation
import Testing
@testable import OpenAIMock

/// Cancelling, listing, other endpoints, determinism, reset and restarts.
@Suite struct BatchLifecycleTests {
    typealias T = BatchEndpointTests

    @Test func cancellingKeepsTheLinesDoneBeforeIt() async throws {
        try await withStartedEngine(T.manual) { client in
            let input = T.lines((1...40).map { T.chatLine("r\($0)", "line \($0)") })
            let id = try #require(try await T.createBatch(client, input).json?["id"]?.stringValue)
            client.engine.state.clock.advance(by: 12)
            let running = try #require(await client.send("GET", "/v1/batches/\(id)").json)
            #expect(running["status"] == "in_progress")
            let cancelling = try #require(await client.send("POST", "/v1/batches/\(id)/cancel").json)
            #expect(cancelling["status"] == "cancelling" && cancelling["cancelling_at"]?.intValue != nil)
            let doneBefore = try #require(cancelling["request_counts"]?["completed"]?.intValue)
            #expect(doneBefore > 0 && doneBefore < 40)
            // Cancelling again changes nothing.
            #expect(await client.send("POST", "/v1/batches/\(id)/cancel").json == cancelling)
            #expect(await T.statuses(client, id) == ["cancelling", "cancelled"])
            let cancelled = try #require(await client.send("GET", "/v1/batches/\(id)").json)
            #expect(cancelled["request_counts"] == ["total": 40, "completed": .int(doneBefore), "failed": 0])
            #expect(cancelled["completed_at"] == .null && cancelled["finalizing_at"] == .null && cancelled["cancelled_at"]?.intValue != nil)
            let output = T.jsonl(try await client.content("/v1/files/\(try #require(cancelled["output_file_id"]?.stringValue))/content").bytes)
            #expect(output.map { $0["custom_id"]?.stringValue ?? "" } == (1...doneBefore).map { "r\($0)" })
            let refused = await client.send("POST", "/v1/batches/\(id)/cancel")
            #expect(refused.status == 409 && refused.json?.error?["message"] == "Cannot cancel a batch with status 'cancelled'.")

            // Cancelled while validating: nothing is answered, no files.
            let early = try #require(try await T.createBatch(client, input).json?["id"]?.stringValue)
            #expect(await client.send("POST", "/v1/batches/\(early)/cancel").json?["status"] == "cancelling")
            client.engine.state.clock.advance(by: 20)
            let nothing = try #require(await client.send("GET", "/v1/batches/\(early)").json)
            #expect(nothing["status"] == "cancelled" && nothing["output_file_id"] == .null && nothing["in_progress_at"] == .null)
        }
    }

    @Test func listPagesNewestFirst() async throws {
        try await withStartedEngine(T.manual) { client in
            var ids: [String] = []
            for i in 0..<5 {
                ids.append(try #require(try await T.createBatch(client, T.lines([T.chatLine("x", "n\(i)")])).json?["id"]?.stringValue))
            }
            let first = try #require(await client.send("GET", "/v1/batches?limit=2").json)
            #expect(first["object"] == "list" && first["has_more"] == true)
            #expect(first["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [ids[4], ids[3]])
            #expect(first["first_id"]?.stringValue == ids[4] && first["last_id"]?.stringValue == ids[3])
            let rest = try #require(await client.send("GET", "/v1/batches?limit=10&after=\(ids[3])").json)
            #expect(rest["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [ids[2], ids[1], ids[0]])
            #expect(rest["has_more"] == false)
        }
    }

    @Test func embeddingsModerationsAndResponsesLines() async throws {
        var configuration = MockConfiguration()
        configuration.pace = .instant
        try await withStartedEngine(configuration) { client in
            let embeddings = T.lines((1...3).map {
                #"{"custom_id":"e\#($0)","method":"POST","url":"/v1/embeddings","body":{"model":"text-embedding-3-small","input":"text \#($0)"}}"#
            })
            let batch = try #require(try await T.createBatch(client, embeddings, endpoint: "/v1/embeddings").json)
            #expect(batch["status"] == "completed" && batch["model"] == "text-embedding-3-small")
            #expect(batch["usage"]?["input_tokens"]?.intValue ?? 0 > 0 && batch["usage"]?["output_tokens"] == 0)
            let lines = T.jsonl(try await client.content("/v1/files/\(try #require(batch["output_file_id"]?.stringValue))/content").bytes)
            #expect(lines.count == 3 && lines.allSatisfy { $0["response"]?["body"]?["data"]?[0]?["embedding"]?.arrayValue?.count == 1536 })

            let moderations = T.lines([#"{"custom_id":"m","method":"POST","url":"/v1/moderations","body":{"input":"hello"}}"#])
            let moderated = try #require(try await T.createBatch(client, moderations, endpoint: "/v1/moderations").json)
            #expect(moderated["request_counts"] == ["total": 1, "completed": 1, "failed": 0])

            let responses = T.lines([#"{"custom_id":"r","method":"POST","url":"/v1/responses","body":{"model":"gpt-4o","input":"hi"}}"#])
            let answered = try #require(try await T.createBatch(client, responses, endpoint: "/v1/responses").json)
            #expect(answered["status"] == "completed" && answered["error_file_id"] == .null)
            let output = T.jsonl(try await client.content("/v1/files/\(try #require(answered["output_file_id"]?.stringValue))/content").bytes)
            #expect(output.first?["response"]?["body"]?["object"] == "response")
            #expect(output.first?["response"]?["body"]?["output"]?[0]?["type"] == "message")
        }
    }

    @Test func idsAndFilesAreTheSameInEveryRunAndOutputFilesExpireAsAsked() async throws {
        var configuration = MockConfiguration()
        configuration.pace = .instant
        let runs = try await [0, 1].asyncMap { _ in
            try await withStartedEngine(configuration) { client -> (JSONValue, [UInt8], JSONValue?) in
                let batch = try #require(try await T.createBatch(client, T.lines([T.chatLine("a", "hi"), T.chatLine("b", "yo")]),
                                                                 extra: #","output_expires_after":{"anchor":"created_at","seconds":3600}"#).json)
                let output = try #require(batch["output_file_id"]?.stringValue)
                let file = await client.send("GET", "/v1/files/\(output)").json
                return (batch, try await client.content("/v1/files/\(output)/content").bytes, file)
            }
        }
        #expect(runs[0].0 == runs[1].0 && runs[0].1 == runs[1].1)
        let file = try #require(runs[0].2)
        #expect(file["expires_at"]?.intValue == (file["created_at"]?.intValue ?? 0) + 3600)
    }

    @Test func resetForgetsBatchesAndAStateDirectoryKeepsThemRunning() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("batch-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var configuration = T.manual
        configuration.stateDirectory = dir
        let id = try await withStartedEngine(configuration) { client in
            let forgotten = try #require(try await T.createBatch(client, T.lines([T.chatLine("a", "hi")])).json?["id"]?.stringValue)
            #expect(await client.send("POST", "/_mock/reset").status == 200)
            #expect(await client.send("GET", "/v1/batches/\(forgotten)").status == 404)
            let id = try #require(try await T.createBatch(client, T.lines((1...3).map { T.chatLine("l\($0)", "hi \($0)") })).json?["id"]?.stringValue)
            while await client.send("GET", "/v1/batches/\(id)").json?["status"] == "validating" {
                client.engine.state.clock.advance(byMillis: 100)
            }
            #expect(await client.send("GET", "/v1/batches/\(id)").json?["status"] == "in_progress")
            return id
        }
        try await withStartedEngine(configuration) { client in
            #expect(await client.send("GET", "/v1/batches/\(id)").json?["status"] == "in_progress")
            client.engine.state.clock.advance(by: 30)
            let done = try #require(await client.send("GET", "/v1/batches/\(id)").json)
            #expect(done["status"] == "completed" && done["request_counts"]?["completed"] == 3)
            let output = try #require(done["output_file_id"]?.stringValue)
            #expect(T.jsonl(try await client.content("/v1/files/\(output)/content").bytes).count == 3)
        }
    }
}

extension Array {
    func asyncMap<R>(_ transform: (Element) async throws -> R) async rethrows -> [R] {
        var out: [R] = []
        for element in self { out.append(try await transform(element)) }
        return out
    }
}
