import MockHTTP
import Testing
@testable import OpenAIMock

@Suite struct RouterTests {
    func router() -> Router {
        var r = Router()
        r.add("GET", "/v1/models", { _ in HTTPResponse(status: 200) })
        r.add("GET", "/v1/models/{model}", { _ in HTTPResponse(status: 201) })
        r.add("DELETE", "/v1/models/{model}", { _ in HTTPResponse(status: 202) })
        return r
    }

    @Test func matchesLiteralAndParameterRoutes() {
        guard case .found(_, let p, _, _) = router().match(method: "GET", path: "/v1/models/gpt-4o") else {
            Issue.record("no match"); return
        }
        #expect(p == ["model": "gpt-4o"])
        guard case .found(_, let none, _, _) = router().match(method: "GET", path: "/v1/models") else {
            Issue.record("no match"); return
        }
        #expect(none.isEmpty)
    }

    @Test(arguments: [
        ("/v1/models/ft%3Agpt-4o-mini%3Aacme%3A%3Aabc", "ft:gpt-4o-mini:acme::abc"),
        ("/v1/models/ft:gpt-4o-mini:acme::abc", "ft:gpt-4o-mini:acme::abc"),
        ("/v1/models/%2Fdata%2Ftrain.jsonl", "/data/train.jsonl"),
        ("/v1/models/my+file%20name", "my file name"),
        ("/v1/models/bad%zzescape", "bad%zzescape"),
        ("/v1/models/%E5%AE%8B", "宋"),
    ])
    func decodesPathParameters(path: String, expected: String) {
        guard case .found(_, let p, _, _) = router().match(method: "GET", path: path) else {
            Issue.record("no match for \(path)"); return
        }
        #expect(p["model"] == expected)
    }

    @Test func wrongMethodIsDistinguishedFromUnknownPath() {
        guard case .wrongMethod(let allowed) = router().match(method: "POST", path: "/v1/models/x") else {
            Issue.record("expected wrongMethod"); return
        }
        #expect(Set(allowed) == ["GET", "DELETE"])
        guard case .notFound = router().match(method: "GET", path: "/v1/nothing") else {
            Issue.record("expected notFound"); return
        }
    }

    @Test func headIsServedByGetRoutes() {
        guard case .found = router().match(method: "HEAD", path: "/v1/models") else {
            Issue.record("HEAD should match GET"); return
        }
    }
}
