import Foundation
import Testing
@testable import OpenAIMock

/// Batches through the engine on a manual clock: the lifecycle, the output and error files, what a
/// line's answer is, validation failures, cancellation, listing and restarts.
@Suite struct BatchEndpointTests {
    static var manual: MockConfiguration {
        var c = MockConfiguration()
        c.pace = .manual
        return c
    }

    static func chatLine(_ id: String, _ text: String, model: String = "gpt-4o-mini", extra: String = "") -> String {
        #"{"custom_id":"\#(id)","method":"POST","url":"/v1/chat/completions","body":\#(ScenarioTest.chat(text, model: model, extra: extra))}"#
    }

    static func lines(_ lines: [String]) -> [UInt8] { Array((lines.joined(separator: "\n") + "\n").utf8) }

    /// Uploads `input` with purpose batch and creates a batch for `endpoint`.
    static func createBatch(_ client: TestClient, _ input: [UInt8], endpoint: String = "/v1/chat/completions",
                            extra: String = "") async throws -> (status: Int, json: JSONValue?) {
        let file = try #require(await client.upload(input, filename: "requests.jsonl", purpose: "batch").json?["id"]?.stringValue)
        let r = await client.send("POST", "/v1/batches",
                                  json: #"{"input_file_id":"\#(file)","endpoint":"\#(endpoint)","completion_window":"24h"\#(extra)}"#)
        return (r.status, r.json)
    }

    /// Polls the batch, advancing the clock a second at a time, until it reaches a terminal status.
    static func statuses(_ client: TestClient, _ id: String) async -> [String] {
        var seen: [String] = []
        for _ in 0..<600 {
            let status = await client.send("GET", "/v1/batches/\(id)").json?["status"]?.stringValue ?? "?"
            if seen.last != status { seen.append(status) }
            if ["completed", "failed", "cancelled", "expired", "?"].contains(status) { break }
            client.engine.state.clock.advance(by: 1)
        }
        return seen
    }

    static func jsonl(_ bytes: [UInt8]) -> [JSONValue] {
        String(decoding: bytes, as: UTF8.self).split(separator: "\n").compactMap { try? JSONValue.parse(Array($0.utf8)) }
    }

    @Test func aBatchRunsThroughItsStatesAndAnswersEveryLineAsADirectCall() async throws {
        try await withStartedEngine(Self.manual) { client in
            let input = Self.lines((1...5).map { Self.chatLine("req-\($0)", "Say something about number \($0)") })
            let created = try await Self.createBatch(client, input, extra: #","metadata":{"job":"nightly"}"#)
            #expect(created.status == 200)
            let batch = try #require(created.json)
            let id = try #require(batch["id"]?.stringValue)
            #expect(id.hasPrefix("batch_") && batch["object"] == "batch" && batch["status"] == "validating")
            #expect(batch["endpoint"] == "/v1/chat/completions" && batch["completion_window"] == "24h")
            #expect(batch["metadata"] == ["job": "nightly"] && batch["model"] == "gpt-4o-mini")
            #expect(batch["request_counts"] == ["total": 0, "completed": 0, "failed": 0])
            let createdAt = try #require(batch["created_at"]?.intValue)
            #expect(batch["expires_at"]?.intValue == createdAt + 86_400)
            #expect(batch["in_progress_at"] == .null && batch["output_file_id"] == .null)

            // Counts move as virtual time passes.
            while await client.send("GET", "/v1/batches/\(id)").json?["status"] == "validating" {
                client.engine.state.clock.advance(by: 1)
            }
            let running = try #require(await client.send("GET", "/v1/batches/\(id)").json)
            #expect(running["status"] == "in_progress" && running["request_counts"]?["total"] == 5)
            #expect(running["in_progress_at"]?.intValue ?? 0 > createdAt)

            #expect(await Self.statuses(client, id).suffix(2) == ["finalizing", "completed"])
            let done = try #require(await client.send("GET", "/v1/batches/\(id)").json)
            #expect(done["request_counts"] == ["total": 5, "completed": 5, "failed": 0])
            #expect(done["error_file_id"] == .null)
            for key in ["in_progress_at", "finalizing_at", "completed_at"] { #expect(done[key]?.intValue != nil) }
            #expect(done["failed_at"] == .null && done["cancelled_at"] == .null)
            #expect(done["usage"]?["input_tokens"]?.intValue ?? 0 > 0 && done["usage"]?["output_tokens"]?.intValue ?? 0 > 0)

            let outputID = try #require(done["output_file_id"]?.stringValue)
            let file = try #require(await client.send("GET", "/v1/files/\(outputID)").json)
            #expect(file["purpose"] == "batch_output" && file["filename"]?.stringValue == "\(id)_output.jsonl")
            #expect(file["created_at"] == done["completed_at"])
            let lines = Self.jsonl(try await client.content("/v1/files/\(outputID)/content").bytes)
            #expect(lines.map { $0["custom_id"]?.stringValue ?? "" } == (1...5).map { "req-\($0)" })
            #expect(Set(lines.compactMap { $0["id"]?.stringValue }).count == 5)
            let first = try #require(lines.first)
            #expect(first["id"]?.stringValue?.hasPrefix("batch_req_") == true && first["error"] == .null)
            #expect(first["response"]?["status_code"] == 200)

            // The line's answer is what a direct call with the same body gets at the batch's creation
            // (here, the clock's start, in a new engine).
            let direct = try await withStartedEngine(Self.manual) { fresh in
                await fresh.send("POST", "/v1/chat/completions", json: ScenarioTest.chat("Say something about number 1"))
            }
            #expect(first["response"]?["body"] == direct.json && direct.json?["created"]?.intValue == createdAt)
            #expect(first["response"]?["request_id"]?.stringValue == direct.headers["x-request-id"])
        }
    }

    @Test func linesAnsweredWithAnErrorGoToTheErrorFileWithTheirStatus() async throws {
        let dir = try ScenarioDir(["s.json5": """
            {rules: [{when: {last_user_message: {contains: "explode"}}, do: {fault: {status: 500}}},
                     {when: {last_user_message: {contains: "slow down"}}, do: {fault: {status: 429}}}]}
            """])
        var configuration = MockConfiguration(scenarioPaths: [dir.path])
        configuration.pace = .instant
        try await withStartedEngine(configuration) { client in
            let input = Self.lines([
                Self.chatLine("ok-1", "hello"), Self.chatLine("boom", "please explode"), Self.chatLine("ok-2", "hi there"),
                Self.chatLine("limited", "slow down now"), Self.chatLine("streamed", "hi", extra: #","stream":true"#),
                Self.chatLine("bad-param", "hi", extra: #","temperature":"hot""#),
            ])
            // An instant clock has run the batch to its end by the time it is created.
            let batch = try #require(try await Self.createBatch(client, input).json)
            #expect(batch["status"] == "completed")
            #expect(batch["request_counts"] == ["total": 6, "completed": 2, "failed": 4])
            let outputID = try #require(batch["output_file_id"]?.stringValue)
            let output = Self.jsonl(try await client.content("/v1/files/\(outputID)/content").bytes)
            #expect(output.map { $0["custom_id"]?.stringValue ?? "" } == ["ok-1", "ok-2"])
            let errorID = try #require(batch["error_file_id"]?.stringValue)
            let errors = Self.jsonl(try await client.content("/v1/files/\(errorID)/content").bytes)
            #expect(errors.map { $0["custom_id"]?.stringValue ?? "" } == ["boom", "limited", "streamed", "bad-param"])
            #expect(errors.map { $0["response"]?["status_code"]?.intValue ?? 0 } == [500, 429, 400, 400])
            #expect(errors[1]["response"]?["body"]?["error"]?["code"] == "rate_limit_exceeded")
            #expect(errors[2]["response"]?["body"]?["error"]?["param"] == "stream")
            #expect(errors.allSatisfy { $0["error"] == .null })
        }
    }
}
