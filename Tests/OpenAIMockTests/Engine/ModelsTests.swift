import Testing
@testable import OpenAIMock

@Suite struct ModelsTests {
    let client = TestClient()

    @Test func listHoldsCurrentAndLegacyModels() async throws {
        let r = await client.send("GET", "/v1/models")
        #expect(r.status == 200)
        #expect(r.json?["object"] == "list")
        let ids = r.json?["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
        for id in ["gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-3.5-turbo",
                   "gpt-3.5-turbo-instruct", "davinci-002", "babbage-002", "ada", "babbage", "curie", "davinci",
                   "text-embedding-ada-002", "text-embedding-3-small", "text-embedding-3-large",
                   "omni-moderation-latest", "text-moderation-latest"] {
            #expect(ids.contains(id), "missing \(id)")
        }
        #expect(Set(ids).count == ids.count, "duplicate ids")
    }

    @Test func retrieveHasTheModelShape() async {
        let r = await client.send("GET", "/v1/models/gpt-4o")
        #expect(r.json?.objectValue?.keys == ["id", "object", "created", "owned_by", "shutdown_date"])
        #expect(r.json?["shutdown_date"] == "2027-01-14")
        #expect(r.json?["object"] == "model")
        #expect(r.json?["created"]?.intValue == 1_715_367_049)
    }

    @Test func unknownModelIs404ModelNotFound() async {
        let r = await client.send("GET", "/v1/models/gpt-9")
        #expect(r.status == 404)
        #expect(r.json?.error?["code"] == "model_not_found")
        #expect(r.json?.error?["message"] == "The model `gpt-9` does not exist or you do not have access to it.")
    }

    @Test func baseModelsCannotBeDeletedUnknownIs404() async {
        let base = await client.send("DELETE", "/v1/models/gpt-4o")
        #expect(base.status == 403)
        let unknown = await client.send("DELETE", "/v1/models/curie%3Aft-acme-2023-01-01-00-00-00")
        #expect(unknown.status == 404)
        #expect(unknown.json?.error?["message"] == "The model 'curie:ft-acme-2023-01-01-00-00-00' does not exist")
    }

    @Test func addedModelsCanBeRetrievedAndDeletedThenResetForgetsThem() async {
        let id = "ft:gpt-4o-mini-2024-07-18:personal::abc12345"
        func listed() async -> Bool {
            let r = await client.send("GET", "/v1/models")
            return r.json?["data"]?.arrayValue?.contains { $0["id"]?.stringValue == id } == true
        }
        #expect(await listed() == false)  // the cached list must follow every change
        client.engine.state.models.add(ModelInfo(id: id, created: 1, ownedBy: "user-x", kind: .chat,
                                                 contextWindow: 128_000, deletable: true))
        #expect(await client.send("GET", "/v1/models/ft%3Agpt-4o-mini-2024-07-18%3Apersonal%3A%3Aabc12345").status == 200)
        #expect(await listed() == true)
        let deleted = await client.send("DELETE", "/v1/models/\(id)")
        #expect(deleted.json == ["id": .string(id), "object": "model", "deleted": true])
        #expect(await listed() == false)
        #expect(await client.send("GET", "/v1/models/\(id)").status == 404)

        client.engine.state.models.add(ModelInfo(id: id, created: 1, ownedBy: "u", kind: .chat, contextWindow: 1))
        _ = await client.send("POST", "/_mock/reset")
        #expect(client.engine.state.models.model(id) == nil)
    }
}
