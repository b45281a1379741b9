"""Per-test isolation: four parallel workers, each with its own `X-Mock-Test-Id`, share one server and a
scripted `times` sequence (429 twice, then the reply) without interfering; each has its own journal view,
files and reset. Threads stand in for workers here, in the main pass; `parallel/test_isolation_workers.py` proves
the same with four pytest-xdist worker processes (`pytest -n 4`, a pass of its own in Tests/run)."""
from __future__ import annotations

import threading

import openai

from mockserver import DEFAULT_KEY

RULES = """{rules: [
  {name: "rate limited twice", when: {endpoint: "chat"}, times: 2, do: {fault: {status: 429, headers: {"retry-after-ms": "1"}}}},
  {name: "then the answer", when: {endpoint: "chat"}, do: {text: "Hello {{last_user_message}}"}},
]}"""


def client(srv, test_id: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=srv.base_url, api_key=DEFAULT_KEY, timeout=30, max_retries=0,
                         default_headers={"X-Mock-Test-Id": test_id})


def script(srv, test_id: str) -> list:
    """What one worker sees: two 429s, then three answers; and a file only it can see."""
    c = client(srv, test_id)
    seen: list = []
    for i in range(5):
        try:
            r = c.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": f"{test_id} {i}"}])
            seen.append(r.choices[0].message.content)
        except openai.RateLimitError:
            seen.append(429)
    f = c.files.create(file=("mine.txt", f"{test_id}".encode()), purpose="assistants")
    seen.append([x.id for x in c.files.list().data] == [f.id])
    return seen


def test_four_parallel_workers_each_get_their_own_sequence_journal_and_files(start_server, tmp_path):
    (tmp_path / "rules.json5").write_text(RULES)
    srv = start_server("--scenarios", str(tmp_path))
    ids = [f"tests/test_x.py::test_{n}[param-{n}]" for n in range(4)]
    results: dict[str, list] = {}
    barrier = threading.Barrier(len(ids))

    def run(test_id: str) -> None:
        barrier.wait()
        results[test_id] = script(srv, test_id)

    threads = [threading.Thread(target=run, args=(i,)) for i in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for test_id in ids:
        assert results[test_id] == [429, 429, f"Hello {test_id} 2", f"Hello {test_id} 3", f"Hello {test_id} 4", True], test_id
        status, _, body = srv.request("GET", "/_mock/requests?test_id=" + test_id.replace("[", "%5B").replace("]", "%5D"))
        journal = __import__("json").loads(body)["data"]
        assert [e["status"] for e in journal] == [429, 429, 200, 200, 200, 200, 200]
        assert {e["test_id"] for e in journal} == {test_id}
    # Requests without an id did not consume anyone's counters, and no test consumed theirs.
    assert srv.request("POST", "/v1/chat/completions", {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "x"}]})[0] == 429
    # One test's reset starts its sequence over and leaves the others where they are.
    srv.request("POST", "/_mock/reset", headers={"X-Mock-Test-Id": ids[0]})
    for test_id, expected in ((ids[0], 429), (ids[1], 200)):
        try:
            client(srv, test_id).chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "again"}])
            got = 200
        except openai.RateLimitError:
            got = 429
        assert got == expected, test_id
    assert client(srv, ids[0]).files.list().data == []
    assert len(client(srv, ids[1]).files.list().data) == 1


def test_an_overlong_test_id_is_a_400(server):
    status, _, body = server.request("GET", "/v1/models", headers={"X-Mock-Test-Id": "x" * 600})
    assert status == 400 and b"invalid_test_id" in body
