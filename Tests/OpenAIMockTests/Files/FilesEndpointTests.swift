import Testing
@testable import OpenAIMock

struct FilesEndpointTests {
    let jsonl = Array("{\"prompt\":\"a ->\",\"completion\":\" b\"}\n{\"prompt\":\"c ->\",\"completion\":\" d\"}\n".utf8)

    @Test func uploadRetrieveContentAndDelete() async throws {
        try await withStartedEngine { client in
            let created = await client.upload(jsonl, filename: "/home/me/train.jsonl")
            #expect(created.status == 200)
            let file = try #require(created.json)
            let id = try #require(file["id"]?.stringValue)
            #expect(id.hasPrefix("file-") && id.count == 27)
            #expect(file["object"] == "file" && file["purpose"] == "fine-tune" && file["status"] == "processed")
            #expect(file["filename"] == "/home/me/train.jsonl")  // kept as sent
            #expect(file["bytes"] == .int(jsonl.count) && file["created_at"] == .int(VirtualClock.defaultEpoch))
            #expect(file["status_details"] == .null && file["expires_at"] == .null)

            #expect(await client.send("GET", "/v1/files/\(id)").json == file)
            let content = try await client.content("/v1/files/\(id)/content")
            #expect(content.status == 200 && content.bytes == jsonl)

            let deleted = await client.send("DELETE", "/v1/files/\(id)")
            #expect(deleted.json == ["id": .string(id), "object": "file", "deleted": true])
            let gone = await client.send("GET", "/v1/files/\(id)")
            #expect(gone.status == 404 && gone.json?.error?["message"] == .string("No such File object: \(id)"))
            #expect(await client.send("GET", "/v1/files/\(id)/content").status == 404)
        }
    }

    @Test func identicalUploadsAreTwoFilesWithStableIds() async throws {
        func ids() async throws -> [String] {
            try await withStartedEngine { client in
                var ids: [String] = []
                for _ in 0..<2 { ids.append(try #require(await client.upload(jsonl).json?["id"]?.stringValue)) }
                ids.append(try #require(await client.upload(jsonl, streamed: true).json?["id"]?.stringValue))
                return ids
            }
        }
        let first = try await ids()
        #expect(Set(first).count == 3)
        #expect(try await ids() == first)  // the same session gives the same ids
    }

    @Test func listingPaginatesFiltersAndOrders() async throws {
        try await withStartedEngine { client in
            var ids: [String] = []
            for i in 0..<5 {
                let purpose = i == 2 ? "assistants" : "fine-tune"
                ids.append(try #require(await client.upload(jsonl, filename: "f\(i).jsonl", purpose: purpose).json?["id"]?.stringValue))
            }
            let all = await client.send("GET", "/v1/files").json
            #expect(all?["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ids.reversed())
            #expect(all?["has_more"] == false && all?["first_id"] == .string(ids[4]) && all?["last_id"] == .string(ids[0]))

            var seen: [String] = []
            var after: String?
            while true {
                let page = await client.send("GET", "/v1/files?limit=2&order=asc&purpose=fine-tune" + (after.map { "&after=\($0)" } ?? "")).json
                let data = page?["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
                seen += data
                guard page?["has_more"] == true else { break }
                after = data.last
            }
            #expect(seen == [ids[0], ids[1], ids[3], ids[4]])

            let bad = await client.send("GET", "/v1/files?limit=0")
            #expect(bad.status == 400 && bad.json?.error?["code"] == "integer_below_min_value")
            #expect(await client.send("GET", "/v1/files?order=up").status == 400)
        }
    }

    @Test func fineTuneUploadsAreCheckedLikeTheRealAPI() async throws {
        try await withStartedEngine { client in
            let csv = await client.upload(jsonl, filename: "train.csv")
            #expect(csv.status == 400 && csv.json?.error?["message"] == "Invalid file format for Fine-Tuning API. Must be .jsonl")

            let notObject = await client.upload(Array("{\"prompt\":\"a\",\"completion\":\"b\"}\n\n[1, 2]\n".utf8))
            #expect(notObject.status == 400)
            #expect(notObject.json?.error?["message"]?.stringValue == #"Expected file to have JSONL format, where every line is a JSON dictionary. Line 3 is not a dictionary (HINT: line starts with: "[1, 2]...")."#)

            let broken = await client.upload(Array("{\"messages\": [\n".utf8))
            #expect(broken.status == 400)

            // The same bytes under another purpose are fine.
            #expect(await client.upload(Array("[1, 2]".utf8), filename: "x.txt", purpose: "user_data").status == 200)

            let purpose = await client.upload(jsonl, purpose: "answers")
            #expect(purpose.status == 400 && purpose.json?.error?["param"] == "purpose")
            #expect(await client.upload(jsonl, purpose: nil).json?.error?["message"] == "Missing required parameter: 'purpose'.")

            let noFile = await client.sendBody("POST", "/v1/files", contentType: multipart(fields: [("purpose", "fine-tune")], file: nil).contentType,
                                              body: multipart(fields: [("purpose", "fine-tune")], file: nil).body)
            #expect(noFile.status == 400 && noFile.json?.error?["param"] == "file")

            let json = await client.sendBody("POST", "/v1/files", contentType: "application/json", body: Array("{}".utf8))
            #expect(json.status == 400)
            #expect(json.json?.error?["message"]?.stringValue?.hasPrefix("Invalid Content-Type header (application/json)") == true)

            let cut = await client.sendBody("POST", "/v1/files", contentType: "multipart/form-data; boundary=zz",
                                           body: Array("--zz\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nfine-tune".utf8))
            #expect(cut.status == 400)
            #expect(await client.send("GET", "/v1/files").json?["data"]?.arrayValue?.count == 1)
        }
    }

    @Test func expiryIsKeptAndExpiredFilesDisappear() async throws {
        var configuration = MockConfiguration()
        configuration.pace = .manual
        try await withStartedEngine(configuration) { client in
            let created = await client.upload(jsonl, extra: [("expires_after[anchor]", "created_at"), ("expires_after[seconds]", "3600")])
            let id = try #require(created.json?["id"]?.stringValue)
            #expect(created.json?["expires_at"] == .int(VirtualClock.defaultEpoch + 3600))
            let batch = await client.upload(jsonl, purpose: "batch")
            #expect(batch.json?["expires_at"] == .int(VirtualClock.defaultEpoch + 2_592_000))
            #expect(await client.upload(jsonl, extra: [("expires_after[anchor]", "created_at"), ("expires_after[seconds]", "60")]).status == 400)
            #expect(await client.upload(jsonl, extra: [("expires_after[anchor]", "now"), ("expires_after[seconds]", "3600")]).status == 400)

            client.engine.state.clock.advance(by: 3600)
            #expect(await client.send("GET", "/v1/files/\(id)").status == 404)
            #expect(await client.send("GET", "/v1/files").json?["data"]?.arrayValue?.count == 1)
        }
    }

    @Test func resetForgetsFiles() async throws {
        try await withStartedEngine { client in
            let first = try #require(await client.upload(jsonl).json?["id"]?.stringValue)
            #expect(await client.send("POST", "/_mock/reset").status == 200)
            #expect(await client.send("GET", "/v1/files").json?["data"]?.arrayValue?.isEmpty == true)
            // A fresh store: the same upload gets the same id as at the start.
            #expect(await client.upload(jsonl).json?["id"]?.stringValue == first)
        }
    }

    @Test func anEngineThatWasNotStartedAnswersAServerError() async {
        let client = TestClient()
        let response = await client.send("GET", "/v1/files")
        #expect(response.status == 503 && response.json?.error?["type"] == "server_error")
    }
}
