/// A project allowed to use a fine-tuned checkpoint (`/v1/fine_tuning/checkpoints/{ckpt}/permissions`).
package struct CheckpointPermissionRecord: StoreRecord, Equatable {
    package static let kind = "ft_permission"
    package var id: String
    package var sequence: Int
    package var checkpoint: String
    package var projectID: String
    package var createdAt: Int

    package var json: JSONValue {
        .object(JSONObject([("id", .string(id)), ("object", "checkpoint.permission"), ("created_at", .int(createdAt)),
                            ("project_id", .string(projectID))]))
    }

    package var stored: JSONValue {
        .object(JSONObject([("id", .string(id)), ("seq", .int(sequence)), ("checkpoint", .string(checkpoint)),
                            ("project_id", .string(projectID)), ("created_at", .int(createdAt))]))
    }

    package init(id: String, sequence: Int, checkpoint: String, projectID: String, createdAt: Int) {
        self.id = id
        self.sequence = sequence
        self.checkpoint = checkpoint
        self.projectID = projectID
        self.createdAt = createdAt
    }

    package init(stored v: JSONValue) throws(StoreDecodingError) {
        id = try v.string("id")
        sequence = try v.int("seq")
        checkpoint = try v.string("checkpoint")
        projectID = try v.string("project_id")
        createdAt = try v.int("created_at")
    }
}
