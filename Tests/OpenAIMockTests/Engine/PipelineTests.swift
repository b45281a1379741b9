import MockHTTP
import Testing
@testable import OpenAIMock

/// The pipeline's shape: steps apply by route kind, in order, and one more step is one more line.
@Suite struct PipelineTests {
    /// Tags responses with its name on the way out, to show the order of steps.
    struct Tag: PipelineStep {
        let name: String
        let kinds: Set<RouteKind>
        func applies(to kind: RouteKind, batchLine: Bool) -> Bool { kinds.contains(kind) }
        func respond(_ ctx: RequestContext, next: NextStep) async throws(OpenAIError) -> HTTPResponse {
            var r = try await next(ctx)
            r.headers.add("x-steps", name)
            return r
        }
    }

    @Test func stepsRunByKindInOrder() async {
        let engine = MockEngine()
        let pipeline = Pipeline(steps: [Tag(name: "outer", kinds: [.api, .admin]), Tag(name: "inner", kinds: [.api])])
        for (target, expected) in [("/v1/models", ["inner", "outer"]), ("/_mock/health", ["outer"]), ("/v1/nope", [])] {
            let ctx = RequestContext(request: HTTPRequest(method: "GET", target: target), parameters: [:],
                                     kind: target.hasPrefix("/_mock") ? .admin : target == "/v1/nope" ? .unrouted : .api,
                                     body: .whole, endpoint: { _ in HTTPResponse(status: 204) }, state: engine.state,
                                     streamNumber: 0, batchLine: false, started: .now)
            let r = try? await pipeline.chain(for: ctx)(ctx)
            #expect(r?.headers.values(for: "x-steps") == expected, "\(target)")
        }
    }

    @Test func routesDeclareTheirKind() {
        let api = Router.openAI()
        guard case .found(_, _, _, let chat) = api.match(method: "POST", path: "/v1/chat/completions"),
              case .found(_, _, _, let files) = api.match(method: "GET", path: "/v1/files"),
              case .found(_, _, _, let health) = Router.admin().match(method: "GET", path: "/_mock/health") else {
            Issue.record("routes missing")
            return
        }
        #expect(chat == .generating)
        #expect(files == .api)
        #expect(health == .admin)
    }

    /// An unknown route is journaled with OpenAI's headers, before any key check (as the real API).
    @Test func unroutedRequestsAre404sWithoutAuth() async {
        let client = TestClient()
        let r = await client.send("GET", "/v1/unknown", key: nil)
        #expect(r.status == 404)
        #expect(r.headers["openai-version"] == "2020-10-01")
        #expect(client.engine.state.journal.count(path: "/v1/unknown") == 1)
        let admin = await client.send("GET", "/_mock/nothing", key: nil)
        #expect(admin.status == 404)
        #expect(admin.headers["openai-version"] == nil)
        #expect(admin.headers["x-request-id"] != nil)
    }
}
