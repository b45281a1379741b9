import Foundation
import Testing
@testable import OpenAIMock

/// What `POST /v1/batches` refuses at once (400s), and what fails the batch when its input file is
/// validated (`failed` with `errors.data`).
@Suite struct BatchValidationTests {
    typealias T = BatchEndpointTests

    @Test func badRequestsGetA400() async throws {
        try await withStartedEngine(T.manual) { client in
            let batchFile = try #require(await client.upload(T.lines([T.chatLine("a", "hi")]), filename: "in.jsonl",
                                                             purpose: "batch").json?["id"]?.stringValue)
            let tuneFile = try #require(await client.upload(FineTuningEndpointTests.chatLines(10), filename: "t.jsonl")
                .json?["id"]?.stringValue)
            func create(_ body: String) async -> (Int, JSONValue?) {
                let r = await client.send("POST", "/v1/batches", json: body)
                return (r.status, r.json?.error)
            }
            let cases: [(String, String, String?)] = [
                (#"{"endpoint":"/v1/chat/completions","completion_window":"24h"}"#, "input_file_id", "missing_required_parameter"),
                (#"{"input_file_id":"\#(batchFile)","completion_window":"24h"}"#, "endpoint", "missing_required_parameter"),
                (#"{"input_file_id":"\#(batchFile)","endpoint":"/v1/chat/completions"}"#, "completion_window", "missing_required_parameter"),
                (#"{"input_file_id":"\#(batchFile)","endpoint":"/v1/images","completion_window":"24h"}"#, "endpoint", "invalid_value"),
                (#"{"input_file_id":"\#(batchFile)","endpoint":"/v1/embeddings","completion_window":"48h"}"#, "completion_window", "invalid_value"),
                (#"{"input_file_id":7,"endpoint":"/v1/embeddings","completion_window":"24h"}"#, "input_file_id", "invalid_type"),
                (#"{"input_file_id":"file-nope","endpoint":"/v1/embeddings","completion_window":"24h"}"#, "input_file_id", "invalid_value"),
                (#"{"input_file_id":"\#(tuneFile)","endpoint":"/v1/chat/completions","completion_window":"24h"}"#, "input_file_id", "invalid_value"),
                (#"{"input_file_id":"\#(batchFile)","endpoint":"/v1/chat/completions","completion_window":"24h","metadata":{"k":1}}"#,
                 "metadata.k", "invalid_type"),
                (#"{"input_file_id":"\#(batchFile)","endpoint":"/v1/chat/completions","completion_window":"24h","output_expires_after":{"anchor":"now","seconds":3600}}"#,
                 "output_expires_after.anchor", "invalid_value"),
                (#"{"input_file_id":"\#(batchFile)","endpoint":"/v1/chat/completions","completion_window":"24h","output_expires_after":{"anchor":"created_at","seconds":60}}"#,
                 "output_expires_after.seconds", "integer_below_min_value"),
                (#"{"input_file_id":"\#(batchFile)","endpoint":"/v1/chat/completions","completion_window":"24h","output_expires_after":{"anchor":"created_at"}}"#,
                 "output_expires_after.seconds", "missing_required_parameter"),
            ]
            for (body, param, code) in cases {
                let (status, error) = await create(body)
                #expect(status == 400, "\(body)")
                #expect(error?["param"]?.stringValue == param && error?["code"]?.stringValue == code, "\(body): \(String(describing: error))")
                #expect(error?["type"] == "invalid_request_error")
            }
            #expect(await create("[1]").0 == 400)
            #expect(await client.send("GET", "/v1/batches?limit=0").status == 400)
            #expect(await client.send("GET", "/v1/batches/batch_nope").status == 404)
            #expect(await client.send("POST", "/v1/batches/batch_nope/cancel").status == 404)
            #expect(await client.send("GET", "/v1/batches").json?["data"] == [])
        }
    }

    @Test func anInvalidInputFileFailsTheBatchWithEveryLineError() async throws {
        try await withStartedEngine(T.manual) { client in
            let input = T.lines([
                T.chatLine("a", "fine"),
                #"{"method":"POST","url":"/v1/chat/completions","body":{}}"#,
                T.chatLine("a", "again"),
                #"{"custom_id":"g","method":"GET","url":"/v1/chat/completions","body":{}}"#,
                #"{"custom_id":"e","method":"POST","url":"/v1/embeddings","body":{}}"#,
                #"{"custom_id":"s","method":"POST","url":"/v1/chat/completions","body":"text"}"#,
                T.chatLine("m", "other model", model: "gpt-4o"),
                #"{"custom_id":7,"method":"POST","url":"/v1/chat/completions","body":{}}"#,
            ])
            let batch = try #require(try await T.createBatch(client, input).json)
            let id = try #require(batch["id"]?.stringValue)
            #expect(batch["status"] == "validating" && batch["errors"] == .null)
            #expect(await T.statuses(client, id) == ["validating", "failed"])
            let failed = try #require(await client.send("GET", "/v1/batches/\(id)").json)
            #expect(failed["errors"]?["object"] == "list" && failed["failed_at"]?.intValue != nil)
            #expect(failed["in_progress_at"] == .null && failed["output_file_id"] == .null && failed["error_file_id"] == .null)
            #expect(failed["request_counts"] == ["total": 0, "completed": 0, "failed": 0])
            let errors = failed["errors"]?["data"]?.arrayValue ?? []
            #expect(errors.map { $0["code"]?.stringValue ?? "" } == [
                "missing_required_parameter", "duplicate_custom_id", "invalid_value", "url_mismatch", "invalid_type",
                "model_mismatch", "invalid_type",
            ])
            #expect(errors.map { $0["line"]?.intValue ?? 0 } == [2, 3, 4, 5, 6, 7, 8])
            #expect(errors.map { $0["param"]?.stringValue ?? "" } == ["custom_id", "custom_id", "method", "url", "body", "body.model", "custom_id"])
        }
    }

    @Test func aLineThatIsNotJSONOrAnEmptyFileFailsTheBatch() async throws {
        try await withStartedEngine(T.manual) { client in
            let batch = try #require(try await T.createBatch(client, Array("   \n".utf8)).json)
            client.engine.state.clock.advance(by: 10)
            let failed = await client.send("GET", "/v1/batches/\(try #require(batch["id"]?.stringValue))").json
            #expect(failed?["status"] == "failed")
            #expect(failed?["errors"]?["data"] == [["code": "empty_file", "message": "The batch input file is empty.", "param": nil, "line": nil]])
        }
        // The upload refuses a line that is not JSON; one stored before that check fails the batch.
        let lines = try BatchValidationTests.read(T.lines([T.chatLine("a", "hi"), "{not json"]))
        #expect(lines.errors == [BatchLineError(code: "invalid_json_line", message: "This line is not parseable as valid JSON.",
                                                param: nil, line: 2)])
    }

    static func read(_ bytes: [UInt8]) throws -> BatchInput {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("batch-\(UUID().uuidString).jsonl").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try BatchInput.read(try ReadableFile(path), endpoint: "/v1/chat/completions")
    }
}
