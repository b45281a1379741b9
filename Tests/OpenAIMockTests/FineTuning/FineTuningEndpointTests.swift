import Foundation
import Testing
@testable import OpenAIMock

/// Jobs through the engine, on a manual clock: every state, events, checkpoints, failures, the
/// model they make, and history that does not depend on how often anyone looks.
struct FineTuningEndpointTests {
    static func chatLines(_ count: Int, topic: String = "animal") -> [UInt8] {
        let names = ["cat", "dog", "fish", "bird", "cow", "bee", "owl", "frog", "duck", "goat", "pig", "horse", "lion", "bear"]
        var lines: [String] = []
        for i in 0..<count {
            let name = names[i % names.count] + (i >= names.count ? "\(i)" : "")
            let line: JSONValue = ["messages": [
                ["role": "system", "content": .string("You answer with a short \(topic) fact.")],
                ["role": "user", "content": .string("Tell me about the \(name)")],
                ["role": "assistant", "content": .string("The \(name) is a fine \(topic) indeed. Haha")],
            ]]
            lines.append(line.jsonString)
        }
        return Array((lines.joined(separator: "\n") + "\n").utf8)
    }

    static var manual: MockConfiguration {
        var c = MockConfiguration()
        c.pace = .manual
        return c
    }

    private func createJob(_ client: TestClient, lines: [UInt8], body extra: String = "", model: String = "gpt-4o-mini")
        async throws -> (status: Int, json: JSONValue?) {
        let file = try #require(await client.upload(lines, filename: "train.jsonl").json?["id"]?.stringValue)
        let r = await client.send("POST", "/v1/fine_tuning/jobs", json: #"{"model": "\#(model)", "training_file": "\#(file)"\#(extra)}"#)
        return (r.status, r.json)
    }

    @Test func aJobRunsThroughItsStatesAndMakesAModelThatKnowsItsData() async throws {
        try await withStartedEngine(Self.manual) { client in
            let created = try await createJob(client, lines: Self.chatLines(12), body: #", "suffix": "facts", "seed": 7"#)
            #expect(created.status == 200)
            let job = try #require(created.json)
            let id = try #require(job["id"]?.stringValue)
            #expect(job["status"] == "validating_files" && job["model"] == "gpt-4o-mini-2024-07-18")
            #expect(job["hyperparameters"] == ["batch_size": "auto", "learning_rate_multiplier": "auto", "n_epochs": "auto"])
            #expect(job["fine_tuned_model"] == .null && job["finished_at"] == .null && job["error"] == .null)
            #expect(job["seed"] == 7 && job["user_provided_suffix"] == "facts" && job["result_files"] == [])

            var seen: [String] = []
            for _ in 0..<400 {
                let status = await client.send("GET", "/v1/fine_tuning/jobs/\(id)").json?["status"]?.stringValue ?? "?"
                if seen.last != status { seen.append(status) }
                if status == "succeeded" { break }
                client.engine.state.clock.advance(by: 5)
            }
            #expect(seen == ["validating_files", "queued", "running", "succeeded"])
            let done = try #require(await client.send("GET", "/v1/fine_tuning/jobs/\(id)").json)
            let model = try #require(done["fine_tuned_model"]?.stringValue)
            #expect(model.hasPrefix("ft:gpt-4o-mini-2024-07-18:personal:facts:") && model.count == "ft:gpt-4o-mini-2024-07-18:personal:facts:".count + 8)
            #expect(done["hyperparameters"] == ["batch_size": 1, "learning_rate_multiplier": 2.0, "n_epochs": 9])
            #expect(done["trained_tokens"]?.intValue ?? 0 > 0 && done["finished_at"]?.intValue ?? 0 > done["created_at"]?.intValue ?? 0)

            // The model is listed and answers from what it learned.
            #expect(await client.send("GET", "/v1/models/\(model)").json?["owned_by"] == "org-openai-mock")
            let known = await client.send("POST", "/v1/chat/completions", json: """
                {"model": "\(model)", "messages": [{"role": "system", "content": "You answer with a short animal fact."},
                 {"role": "user", "content": "Tell me about the owl"}]}
                """)
            #expect(known.json?["choices"]?[0]?["message"]?["content"] == "The owl is a fine animal indeed. Haha")
            let unseen = await client.send("POST", "/v1/chat/completions", json: """
                {"model": "\(model)", "messages": [{"role": "user", "content": "Tell me about the zebra"}]}
                """).json?["choices"]?[0]?["message"]?["content"]?.stringValue ?? ""
            #expect(unseen.hasSuffix("Haha"))

            // The result file: base64 of the metrics CSV, one row per step.
            let resultID = try #require(done["result_files"]?[0]?.stringValue)
            let file = await client.send("GET", "/v1/files/\(resultID)").json
            #expect(file?["purpose"] == "fine-tune-results" && file?["filename"] == "step_metrics.csv")
            let content = try await client.content("/v1/files/\(resultID)/content").bytes
            let csv = String(decoding: Data(base64Encoded: Data(content)) ?? Data(), as: UTF8.self)
            let rows = csv.split(separator: "\n")
            #expect(rows.first == "step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy")
            #expect(rows.count == 1 + 108)  // 12 examples × 9 epochs, batch 1
        }
    }

    @Test func historyDoesNotDependOnHowOftenItIsObserved() async throws {
        func events(stepSeconds: Int) async throws -> [JSONValue] {
            try await withStartedEngine(Self.manual) { client in
                let id = try #require(try await createJob(client, lines: Self.chatLines(10)).json?["id"]?.stringValue)
                for _ in 0..<(600 / stepSeconds) {
                    _ = await client.send("GET", "/v1/fine_tuning/jobs/\(id)")
                    client.engine.state.clock.advance(by: stepSeconds)
                }
                var all: [JSONValue] = []
                var after = ""
                while true {
                    let page = await client.send("GET", "/v1/fine_tuning/jobs/\(id)/events?limit=37\(after)").json
                    all += page?["data"]?.arrayValue ?? []
                    guard page?["has_more"] == true, let last = all.last?["id"]?.stringValue else { break }
                    after = "&after=\(last)"
                }
                return all
            }
        }
        let polledOften = try await events(stepSeconds: 3)
        let polledOnce = try await events(stepSeconds: 600)
        #expect(polledOften.count > 100)
        #expect(polledOften == polledOnce)
        #expect(polledOften.first?["message"] == "The job has successfully completed")
        #expect(polledOften.last?["message"]?.stringValue?.hasPrefix("Created fine-tuning job: ftjob-") == true)
        let metrics = polledOften.first { $0["type"] == "metrics" }
        #expect(metrics?["data"]?["total_steps"] == 100 && metrics?["data"]?["train_loss"]?.doubleValue != nil)
    }

    @Test func pauseResumeAndCancel() async throws {
        try await withStartedEngine(Self.manual) { client in
            let id = try #require(try await createJob(client, lines: Self.chatLines(10)).json?["id"]?.stringValue)
            let early = await client.send("POST", "/v1/fine_tuning/jobs/\(id)/pause")
            #expect(early.status == 400)  // validating, not running
            client.engine.state.clock.advance(by: 60)
            let paused = await client.send("POST", "/v1/fine_tuning/jobs/\(id)/pause")
            #expect(paused.json?["status"] == "paused" && paused.json?["estimated_finish"] == .null)
            client.engine.state.clock.advance(by: 100_000)
            #expect(await client.send("GET", "/v1/fine_tuning/jobs/\(id)").json?["status"] == "paused")
            let resumed = await client.send("POST", "/v1/fine_tuning/jobs/\(id)/resume")
            #expect(resumed.json?["status"] == "queued")
            #expect(await client.send("POST", "/v1/fine_tuning/jobs/\(id)/resume").status == 400)
            let cancelled = await client.send("POST", "/v1/fine_tuning/jobs/\(id)/cancel")
            #expect(cancelled.json?["status"] == "cancelled" && cancelled.json?["fine_tuned_model"] == .null)
            client.engine.state.clock.advance(by: 100_000)
            #expect(await client.send("GET", "/v1/fine_tuning/jobs/\(id)").json?["status"] == "cancelled")
            #expect(await client.send("POST", "/v1/fine_tuning/jobs/\(id)/cancel").status == 400)
            #expect(await client.send("GET", "/v1/models").json?["data"]?.arrayValue?.contains { $0["id"]?.stringValue?.hasPrefix("ft:") == true } == false)
        }
    }

    @Test func failuresWithTheRealCodes() async throws {
        try await withStartedEngine(Self.manual) { client in
            let few = try #require(try await createJob(client, lines: Self.chatLines(7)).json?["id"]?.stringValue)
            let dpo = try #require(try await createJob(client, lines: Self.chatLines(12),
                                                      body: #", "method": {"type": "dpo"}"#).json?["id"]?.stringValue)
            let completion = try #require(try await createJob(client, lines: Self.chatLines(12), model: "davinci-002").json?["id"]?.stringValue)
            let missing = Array("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}, {\"content\": \"x\"}]}\n".utf8)
            let bad = try #require(try await createJob(client, lines: missing).json?["id"]?.stringValue)
            client.engine.state.clock.advance(by: 120)

            let failed = await client.send("GET", "/v1/fine_tuning/jobs/\(few)").json
            #expect(failed?["status"] == "failed")
            #expect(failed?["error"] == ["code": "invalid_n_examples",
                                        "message": "Training file has 7 example(s), but must have at least 10 examples",
                                        "param": "training_file"])
            let mismatch = await client.send("GET", "/v1/fine_tuning/jobs/\(dpo)").json?["error"]?["message"]?.stringValue ?? ""
            #expect(mismatch.hasPrefix("The job failed due to an invalid training file. Invalid file format. Input file file-")
                    && mismatch.hasSuffix("is in the fine-tune-chat format, but the specified fine-tuning job is not using 'supervised' as the training method (provided method=dpo)."))
            #expect(await client.send("GET", "/v1/fine_tuning/jobs/\(completion)").json?["error"]?["code"] == "invalid_training_file")
            let role = await client.send("GET", "/v1/fine_tuning/jobs/\(bad)").json?["error"]?["message"]?.stringValue ?? ""
            #expect(role.contains("Example 1, message 2"))
            let events = await client.send("GET", "/v1/fine_tuning/jobs/\(few)/events").json?["data"]?.arrayValue ?? []
            #expect(events.first?["level"] == "error")

            // Refused at once: the request itself is wrong.
            let noFile = await client.send("POST", "/v1/fine_tuning/jobs", json: #"{"model": "gpt-4o-mini", "training_file": "file-nope"}"#)
            #expect(noFile.status == 400 && noFile.json?.error?["message"] == "invalid training_file: file-nope")
            let notTunable = await client.send("POST", "/v1/fine_tuning/jobs", json: #"{"model": "curie", "training_file": "file-nope"}"#)
            #expect(notTunable.status == 400 && notTunable.json?.error?["message"] == "Model curie is not available for fine-tuning or does not exist.")
            let epochs = await client.send("POST", "/v1/fine_tuning/jobs", json: #"{"model": "gpt-4o-mini", "training_file": "f", "hyperparameters": {"n_epochs": 51}}"#)
            #expect(epochs.status == 400 && epochs.json?.error?["param"] == "hyperparameters.n_epochs")
            let rft = await client.send("POST", "/v1/fine_tuning/jobs", json: #"{"model": "gpt-4o-mini", "training_file": "f", "method": {"type": "reinforcement", "reinforcement": {"grader": {"type": "python", "name": "p", "source": ""}}}}"#)
            #expect(rft.status == 400)
            #expect(await client.send("GET", "/v1/fine_tuning/jobs/ftjob-nope").status == 404)
        }
    }

    @Test func fineTuningAFineTunedModelKnowsBothDataSets() async throws {
        try await withStartedEngine(Self.manual) { client in
            let first = try #require(try await createJob(client, lines: Self.chatLines(10, topic: "farm")).json?["id"]?.stringValue)
            client.engine.state.clock.advance(by: 10_000)
            let parent = try #require(await client.send("GET", "/v1/fine_tuning/jobs/\(first)").json?["fine_tuned_model"]?.stringValue)
            var more = [UInt8]()
            for i in 0..<10 {
                let line: JSONValue = ["messages": [["role": "user", "content": .string("What is planet \(i)?")],
                                                    ["role": "assistant", "content": .string("Planet \(i) is far away.")]]]
                more += Array((line.jsonString + "\n").utf8)
            }
            let second = try #require(try await createJob(client, lines: more, model: parent).json)
            #expect(second["model"] == .string(parent))
            client.engine.state.clock.advance(by: 10_000)
            let child = try #require(await client.send("GET", "/v1/fine_tuning/jobs/\(second["id"]?.stringValue ?? "")").json?["fine_tuned_model"]?.stringValue)
            #expect(child.hasPrefix("ft:gpt-4o-mini-2024-07-18:personal::"))  // empty suffix, empty segment
            func ask(_ system: String?, _ text: String) async -> String {
                let messages = (system.map { [#"{"role": "system", "content": "\#($0)"}"#] } ?? []) + [#"{"role": "user", "content": "\#(text)"}"#]
                return await client.send("POST", "/v1/chat/completions", json: #"{"model": "\#(child)", "messages": [\#(messages.joined(separator: ","))]}"#)
                    .json?["choices"]?[0]?["message"]?["content"]?.stringValue ?? ""
            }
            #expect(await ask(nil, "What is planet 3?") == "Planet 3 is far away.")
            #expect(await ask("You answer with a short farm fact.", "Tell me about the cow") == "The cow is a fine farm indeed. Haha")
        }
    }

    @Test func checkpointsAreModelsToo() async throws {
        try await withStartedEngine(Self.manual) { client in
            let id = try #require(try await createJob(client, lines: Self.chatLines(10), body: #", "hyperparameters": {"n_epochs": 3}"#)
                                    .json?["id"]?.stringValue)
            client.engine.state.clock.advance(by: 10_000)
            let page = await client.send("GET", "/v1/fine_tuning/jobs/\(id)/checkpoints").json
            let steps = page?["data"]?.arrayValue?.compactMap { $0["step_number"]?.intValue }
            #expect(steps == [30, 20, 10])
            let first = try #require(page?["data"]?[2]?["fine_tuned_model_checkpoint"]?.stringValue)
            #expect(first.hasSuffix(":ckpt-step-10"))
            #expect(await client.send("GET", "/v1/models/\(first)").status == 200)
            let models = await client.send("GET", "/v1/models").json?["data"]?.arrayValue ?? []
            #expect(!models.contains { $0["id"]?.stringValue == first })  // usable, not listed

            let granted = await client.send("POST", "/v1/fine_tuning/checkpoints/\(first)/permissions", json: #"{"project_ids": ["proj_a", "proj_b"]}"#)
            #expect(granted.json?["data"]?.arrayValue?.count == 2)
            let listed = await client.send("GET", "/v1/fine_tuning/checkpoints/\(first)/permissions?project_id=proj_b").json
            let permission = try #require(listed?["data"]?[0]?["id"]?.stringValue)
            #expect(await client.send("DELETE", "/v1/fine_tuning/checkpoints/\(first)/permissions/\(permission)").json?["deleted"] == true)
            #expect(await client.send("GET", "/v1/fine_tuning/checkpoints/ft:nope:ckpt-step-1/permissions").status == 404)
        }
    }

    @Test func anInstantClockFinishesAJobAtCreation() async throws {
        var configuration = MockConfiguration()
        configuration.pace = .instant
        try await withStartedEngine(configuration) { client in
            let job = try #require(try await createJob(client, lines: Self.chatLines(10)).json)
            #expect(job["status"] == "succeeded" && job["fine_tuned_model"]?.stringValue != nil)
            #expect(client.engine.state.clock.now() == job["finished_at"]?.intValue)
        }
    }

    @Test func modelsSurviveARestart() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ft-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var configuration = Self.manual
        configuration.stateDirectory = dir
        let model = try await withStartedEngine(configuration) { client in
            let id = try #require(try await createJob(client, lines: Self.chatLines(10)).json?["id"]?.stringValue)
            client.engine.state.clock.advance(by: 10_000)
            return try #require(await client.send("GET", "/v1/fine_tuning/jobs/\(id)").json?["fine_tuned_model"]?.stringValue)
        }
        try await withStartedEngine(configuration) { client in
            #expect(await client.send("GET", "/v1/models/\(model)").status == 200)
            let answer = await client.send("POST", "/v1/chat/completions", json: """
                {"model": "\(model)", "messages": [{"role": "system", "content": "You answer with a short animal fact."},
                 {"role": "user", "content": "Tell me about the bee"}]}
                """)
            #expect(answer.json?["choices"]?[0]?["message"]?["content"] == "The bee is a fine animal indeed. Haha")
            #expect(await client.send("DELETE", "/v1/models/\(model)").json?["deleted"] == true)
            #expect(await client.send("GET", "/v1/models/\(model)").status == 404)
        }
    }
}
