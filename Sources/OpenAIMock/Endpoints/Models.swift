import MockHTTP

/// `GET /v1/models`, `GET /v1/models/{model}`, `DELETE /v1/models/{model}`.
enum Models {
    static let list: Endpoint = { ctx throws(OpenAIError) in
        try await ctx.state.fineTuning.settle()
        return HTTPResponse(status: 200, headers: ["content-type": "application/json"], bytes: ctx.state.models.listBody)
    }

    static let retrieve: Endpoint = { ctx throws(OpenAIError) in
        try await ctx.state.fineTuning.settle()
        let id = ctx.parameters["model"] ?? ""
        // In open mode an unknown id is a model of the kind its name suggests.
        guard let model = ctx.state.models.resolve(id, for: ModelCatalog.guessKind(id)) else { throw OpenAIError.modelNotFound(id) }
        return .json(model.json)
    }

    static let delete: Endpoint = { ctx throws(OpenAIError) in
        try await ctx.state.fineTuning.settle()
        let id = ctx.parameters["model"] ?? ""
        switch ctx.state.models.delete(id) {
        case .deleted:
            return .json(.object(JSONObject([("id", .string(id)), ("object", "model"), ("deleted", true)])))
        case .notFound:
            throw OpenAIError(status: 404, message: "The model '\(id)' does not exist", param: "model",
                              code: "model_not_found")
        case .notDeletable:
            throw OpenAIError(status: 403, message: "You do not have permission to delete the model '\(id)'. Only fine-tuned models owned by your organization can be deleted.",
                              param: "model", code: "model_not_deletable")
        }
    }
}
