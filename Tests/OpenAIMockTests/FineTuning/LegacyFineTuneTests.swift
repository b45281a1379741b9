import Synchronization
import Testing
import MockHTTP
@testable import OpenAIMock

/// The legacy API through the engine: its event stream follows the clock and a client that leaves
/// costs nothing afterwards.
struct LegacyFineTuneTests {
    static let lines: [UInt8] = Array((0..<8).map { #"{"prompt": "Question \#($0) ->", "completion": " Answer \#($0)."}"# }
        .joined(separator: "\n").utf8)

    private func create(_ client: TestClient, _ extra: String = "") async throws -> JSONValue {
        let file = try #require(await client.upload(Self.lines, filename: "qa.jsonl").json?["id"]?.stringValue)
        return try #require(await client.send("POST", "/v1/fine-tunes", json: #"{"training_file": "\#(file)"\#(extra)}"#).json)
    }

    /// Runs the streamed body of `target` until it ends (or the task is cancelled).
    private func stream(_ client: TestClient, _ target: String, into sink: CollectingWriter) async throws {
        let response = await client.engine.handle(HTTPRequest(method: "GET", target: target, headers: ["Authorization": "Bearer sk-test"]))
        #expect(response.headers["content-type"] == "text/event-stream")
        guard case .stream(let produce) = response.body else { Issue.record("not a stream"); return }
        try await produce(sink)
    }

    @Test func theEventStreamFollowsTheClockToTheEnd() async throws {
        try await withStartedEngine(FineTuningEndpointTests.manual) { client in
            let job = try await create(client, #", "suffix": "Ultra Man""#)
            let id = try #require(job["id"]?.stringValue)
            #expect(id.hasPrefix("ft-") && id.count == 27)
            #expect(job["status"] == "pending" && job["events"]?.arrayValue?.count == 1)
            let sink = CollectingWriter()
            let follower = Task { try await stream(client, "/v1/fine-tunes/\(id)/events?stream=true", into: sink) }
            for _ in 0..<50 {
                try await Task.sleep(nanoseconds: 2_000_000)
                client.engine.state.clock.advance(by: 30)
            }
            try await follower.value
            let text = String(decoding: sink.bytes, as: UTF8.self)
            let data = text.split(separator: "\n\n").map { String($0.dropFirst("data: ".count)) }
            #expect(data.last == "[DONE]")
            let messages = data.dropLast().compactMap { try? JSONValue.parse(Array($0.utf8))["message"]?.stringValue }
            #expect(messages.first == "Created fine-tune: \(id)")
            #expect(messages.contains("Completed epoch 4/4") && messages.last == "Fine-tune succeeded")
            let done = try #require(await client.send("GET", "/v1/fine-tunes/\(id)").json)
            let model = try #require(done["fine_tuned_model"]?.stringValue)
            #expect(model.hasPrefix("curie:ft-personal:ultra-man-2024-06-01-"))
            #expect(done["events"]?.arrayValue?.count == messages.count)
        }
    }

    @Test func aFollowerThatLeavesCostsNothing() async throws {
        try await withStartedEngine(FineTuningEndpointTests.manual) { client in
            let id = try #require(try await create(client)["id"]?.stringValue)
            let state = client.engine.state
            let sink = CollectingWriter()
            let follower = Task { try await stream(client, "/v1/fine-tunes/\(id)/events?stream=true", into: sink) }
            #expect(await eventually { state.fineTuning.waitingCount == 1 })
            follower.cancel()
            await #expect(throws: (any Error).self) { try await follower.value }
            #expect(state.fineTuning.waitingCount == 0)
            // The clock holds only the job's own wake-up, no timer of the gone stream.
            #expect(state.clock.pendingTimers == 1)
        }
    }

    @Test func resultsAreACSVOfTheRun() async throws {
        try await withStartedEngine(FineTuningEndpointTests.manual) { client in
            let id = try #require(try await create(client, #", "n_epochs": 2, "batch_size": 2"#)["id"]?.stringValue)
            client.engine.state.clock.advance(by: 10_000)
            let job = try #require(await client.send("GET", "/v1/fine-tunes/\(id)").json)
            #expect(job["hyperparams"] == ["n_epochs": 2, "batch_size": 2, "prompt_loss_weight": 0.01, "learning_rate_multiplier": 0.05])
            let file = try #require(job["result_files"]?[0]?["id"]?.stringValue)
            let csv = String(decoding: try await client.content("/v1/files/\(file)/content").bytes, as: UTF8.self)
            let rows = csv.split(separator: "\n")
            #expect(rows.first == "step,elapsed_tokens,elapsed_examples,training_loss,training_sequence_accuracy,training_token_accuracy,validation_loss,validation_sequence_accuracy,validation_token_accuracy")
            #expect(rows.count == 1 + 8)  // 8 examples × 2 epochs ÷ batch 2
            let answer = await client.send("POST", "/v1/completions", json: #"{"model": "\#(job["fine_tuned_model"]?.stringValue ?? "")", "prompt": "Question 3 ->", "max_tokens": 20}"#)
            #expect(answer.json?["choices"]?[0]?["text"] == " Answer 3.")
        }
    }
}
