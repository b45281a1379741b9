/// The route tables: one line per endpoint.
extension Router {
    static func openAI() -> Router {
        var r = Router()
        r.add("GET", "/v1/models", Models.list)
        r.add("GET", "/v1/models/{model}", Models.retrieve)
        r.add("DELETE", "/v1/models/{model}", Models.delete)
        r.add("POST", "/v1/chat/completions", ChatCompletions.create)
        r.add("POST", "/v1/completions", Completions.create)
        r.add("POST", "/v1/embeddings", Embeddings.create)
        r.add("POST", "/v1/moderations", Moderations.create)
        r.add("POST", "/v1/files", body: .streamed, Files.create)
        r.add("GET", "/v1/files", Files.list)
        r.add("GET", "/v1/files/{file_id}", Files.retrieve)
        r.add("DELETE", "/v1/files/{file_id}", Files.delete)
        r.add("GET", "/v1/files/{file_id}/content", Files.content)
        r.add("POST", "/v1/uploads", Uploads.create)
        r.add("POST", "/v1/uploads/{upload_id}/parts", body: .streamed, Uploads.addPart)
        r.add("POST", "/v1/uploads/{upload_id}/complete", Uploads.complete)
        r.add("POST", "/v1/uploads/{upload_id}/cancel", Uploads.cancel)
        r.add("POST", "/v1/fine_tuning/jobs", FineTuningJobs.create)
        r.add("GET", "/v1/fine_tuning/jobs", FineTuningJobs.list)
        r.add("GET", "/v1/fine_tuning/jobs/{fine_tuning_job_id}", FineTuningJobs.retrieve)
        r.add("POST", "/v1/fine_tuning/jobs/{fine_tuning_job_id}/cancel", FineTuningJobs.cancel)
        r.add("POST", "/v1/fine_tuning/jobs/{fine_tuning_job_id}/pause", FineTuningJobs.pause)
        r.add("POST", "/v1/fine_tuning/jobs/{fine_tuning_job_id}/resume", FineTuningJobs.resume)
        r.add("GET", "/v1/fine_tuning/jobs/{fine_tuning_job_id}/events", FineTuningJobs.events)
        r.add("GET", "/v1/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints", FineTuningJobs.checkpoints)
        r.add("POST", "/v1/fine_tuning/checkpoints/{fine_tuned_model_checkpoint}/permissions", FineTuningPermissions.create)
        r.add("GET", "/v1/fine_tuning/checkpoints/{fine_tuned_model_checkpoint}/permissions", FineTuningPermissions.list)
        r.add("DELETE", "/v1/fine_tuning/checkpoints/{fine_tuned_model_checkpoint}/permissions/{permission_id}",
              FineTuningPermissions.delete)
        r.add("POST", "/v1/fine_tuning/alpha/graders/run", Graders.run)
        r.add("POST", "/v1/fine_tuning/alpha/graders/validate", Graders.validate)
        r.add("POST", "/v1/fine-tunes", LegacyFineTunes.create)
        r.add("GET", "/v1/fine-tunes", LegacyFineTunes.list)
        r.add("GET", "/v1/fine-tunes/{fine_tune_id}", LegacyFineTunes.retrieve)
        r.add("DELETE", "/v1/fine-tunes/{fine_tune_id}", LegacyFineTunes.delete)
        r.add("POST", "/v1/fine-tunes/{fine_tune_id}/cancel", LegacyFineTunes.cancel)
        r.add("GET", "/v1/fine-tunes/{fine_tune_id}/events", LegacyFineTunes.events)
        return r
    }

    static func admin() -> Router {
        var r = Router()
        r.add("GET", "/_mock/health", Admin.health)
        r.add("GET", "/_mock/requests", Admin.requests)
        r.add("DELETE", "/_mock/requests", Admin.clearRequests)
        r.add("POST", "/_mock/reset", Admin.reset)
        r.add("GET", "/_mock/clock", Admin.clock)
        r.add("POST", "/_mock/clock/advance", Admin.advanceClock)
        r.add("POST", "/_mock/scenarios/reload", ScenarioAdmin.reload)
        return r
    }
}
