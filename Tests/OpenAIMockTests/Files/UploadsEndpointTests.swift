import Testing
@testable import OpenAIMock

struct UploadsEndpointTests {
    private func addPart(_ client: TestClient, _ upload: String, _ bytes: [UInt8]) async -> (status: Int, json: JSONValue?) {
        let form = multipart(fields: [], file: ("data", "blob", bytes))
        return await client.sendBody("POST", "/v1/uploads/\(upload)/parts", contentType: form.contentType, body: form.body)
    }

    @Test func partsCompleteIntoAFileInTheOrderGiven() async throws {
        try await withStartedEngine { client in
            let text = Array("{\"prompt\":\"p\",\"completion\":\"c\"}\n{\"prompt\":\"q\",\"completion\":\"d\"}\n".utf8)
            let created = await client.send("POST", "/v1/uploads", json: """
                {"filename": "train.jsonl", "purpose": "fine-tune", "bytes": \(text.count), "mime_type": "text/jsonl"}
                """)
            #expect(created.status == 200)
            let upload = try #require(created.json?["id"]?.stringValue)
            #expect(upload.hasPrefix("upload_"))
            #expect(created.json?["status"] == "pending" && created.json?["file"] == .null)
            #expect(created.json?["expires_at"] == .int(VirtualClock.defaultEpoch + 3600))

            let second = await addPart(client, upload, Array(text[20...]))
            let first = await addPart(client, upload, Array(text[..<20]))
            #expect(first.json?["object"] == "upload.part" && first.json?["upload_id"] == .string(upload))
            let ids = [first.json?["id"]?.stringValue ?? "", second.json?["id"]?.stringValue ?? ""]

            var md5 = MD5()
            md5.update(text)
            let wrong = await client.send("POST", "/v1/uploads/\(upload)/complete", json: #"{"part_ids": ["\#(ids[0])", "\#(ids[1])"], "md5": "00"}"#)
            #expect(wrong.status == 400 && wrong.json?.error?["param"] == "md5")
            let reversed = await client.send("POST", "/v1/uploads/\(upload)/complete", json: #"{"part_ids": ["\#(ids[1])"]}"#)
            #expect(reversed.status == 400)  // the bytes do not add up

            let done = await client.send("POST", "/v1/uploads/\(upload)/complete",
                                         json: #"{"part_ids": ["\#(ids[0])", "\#(ids[1])"], "md5": "\#(md5.hexDigest)"}"#)
            #expect(done.status == 200 && done.json?["status"] == "completed")
            let file = try #require(done.json?["file"]?["id"]?.stringValue)
            #expect(try await client.content("/v1/files/\(file)/content").bytes == text)
            #expect(done.json?["file"]?["filename"] == "train.jsonl" && done.json?["file"]?["purpose"] == "fine-tune")

            #expect(await addPart(client, upload, [1]).status == 400)  // completed: no more parts
        }
    }

    @Test func sizeChecksCancelAndExpiry() async throws {
        var configuration = MockConfiguration()
        configuration.pace = .manual
        try await withStartedEngine(configuration) { client in
            func create(_ bytes: Int, purpose: String = "user_data", filename: String = "a.bin") async -> (status: Int, json: JSONValue?) {
                let r = await client.send("POST", "/v1/uploads", json: """
                    {"filename": "\(filename)", "purpose": "\(purpose)", "bytes": \(bytes), "mime_type": "application/octet-stream"}
                    """)
                return (r.status, r.json)
            }
            #expect(await create(9 * 1024 * 1024 * 1024).status == 400)
            #expect(await create(10, purpose: "fine-tune", filename: "a.csv").status == 400)
            #expect(await client.send("POST", "/v1/uploads", json: #"{"filename": "a", "purpose": "user_data", "bytes": 1}"#).json?.error?["param"] == "mime_type")

            let small = try #require(await create(4).json?["id"]?.stringValue)
            #expect(await addPart(client, small, [1, 2, 3, 4, 5]).status == 400)  // more than declared
            let cancelled = await client.send("POST", "/v1/uploads/\(small)/cancel")
            #expect(cancelled.json?["status"] == "cancelled")
            #expect(await addPart(client, small, [1]).status == 400)

            let late = try #require(await create(4).json?["id"]?.stringValue)
            client.engine.state.clock.advance(by: 3600)
            let expired = await addPart(client, late, [1])
            #expect(expired.status == 400 && expired.json?.error?["message"] == .string("Upload \(late) has expired."))
            #expect(await client.send("POST", "/v1/uploads/upload_nope/cancel").status == 404)
        }
    }
}
