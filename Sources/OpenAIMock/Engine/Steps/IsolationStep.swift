import MockHTTP

/// Per-test isolation: a request carrying `X-Mock-Test-Id` acts on its test's own world (files,
/// jobs, models, batches, clock — see ``TestWorlds``) and is journaled, counted by `times` and rolled
/// for chaos under that id. Admin requests name the test by the header or a `test_id` query item.
struct IsolationStep: PipelineStep {
    static let header = "x-mock-test-id"
    /// Longest accepted id, in bytes (pytest node ids with parameters run long).
    static let maxLength = 512
    let tests: TestWorlds

    func applies(to kind: RouteKind, batchLine: Bool) -> Bool { !batchLine }

    func respond(_ ctx: RequestContext, next: NextStep) async throws(OpenAIError) -> HTTPResponse {
        var id = ctx.request.headers[Self.header]
        if id == nil, ctx.kind == .admin { id = ctx.queryValue("test_id") }
        if let id {
            try Self.check(id)
            ctx.testID = id
            // An admin request acts on the test's world only if it has one: reading the journal or
            // resetting a test that never called creates nothing.
            if let world = ctx.kind == .admin ? tests.existing(id) : try tests.world(id) { ctx.state = world }
        }
        return try await next(ctx)
    }

    static func check(_ id: String) throws(OpenAIError) {
        guard !id.isEmpty, id.utf8.count <= maxLength, !id.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw OpenAIError(status: 400, message: "Invalid X-Mock-Test-Id: give 1 to \(maxLength) bytes without control characters.",
                              code: "invalid_test_id")
        }
    }
}
