// Per-request cost of the engine alone (no socket, no HTTP parsing or framing): each request of a small
// set is answered many times by `MockEngine.handle` from one task, and the process CPU time per request
// is printed. Run with `swift run -c release EngineBench [requests [name]]` (not run by CI); stderr carries the
// request log, as the server's default (`2>/dev/null` to drop it).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MockHTTP
import OpenAIMock

func processCPU() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

let count = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 20_000
let only = CommandLine.arguments.dropFirst(2).first  // runs only the requests whose name contains it
let cases: [(name: String, path: String, body: String)] = [
    ("chat 'Hello' (chat_bench t1)", "/v1/chat/completions",
     #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello"}]}"#),
    ("chat, max_tokens 48", "/v1/chat/completions",
     #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Tell me about lighthouses and the sea."}],"max_tokens":48}"#),
    ("chat stream", "/v1/chat/completions",
     #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello"}],"stream":true}"#),
    ("embeddings, one input", "/v1/embeddings", #"{"model":"text-embedding-3-small","input":"Hello"}"#),
]

let configuration = MockConfiguration(log: .text)
let engine = MockEngine(configuration: configuration)
try engine.start()
var headers = HTTPHeaders()
headers.set("authorization", "Bearer sk-bench")
headers.set("content-type", "application/json")
print("| request | µs CPU per request | requests |")
print("|---|---|---|")
for c in cases where only.map({ c.name.contains($0) }) ?? true {
    let request = HTTPRequest(method: "POST", target: c.path, headers: headers, body: .bytes(Array(c.body.utf8)))
    // On the cooperative pool, as the server's handlers: awaiting from the main actor would add a thread hop
    // per request.
    let perRequest = await Task.detached { [engine, count] in
        for _ in 0..<200 { _ = await engine.handle(request) }  // warm-up
        let start = processCPU()
        for _ in 0..<count { _ = await engine.handle(request) }
        return (processCPU() - start) / Double(count) * 1e6
    }.value
    print("| \(c.name) | \((perRequest * 10).rounded() / 10) | \(count) |")
}
await engine.stop()
