"""Hostile input against the real binary: requests, scenario files, log readers and wire tricks that used to
crash, hang or stall the server (issue 12), and more of the same kind. Every answer must be an OpenAI-style
4xx (or a success, or a clean close), the server must stay alive and answer `/_mock/health` at once, and its
memory must come back near where it started."""
from __future__ import annotations

import concurrent.futures
import json
import os
import random
import signal
import socket
import subprocess
import time

import pytest

from mockserver import DEFAULT_KEY, MockServer, assert_openai_error, request_bytes, wait_until

CHAT = "/v1/chat/completions"


def rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def alive(srv: MockServer) -> None:
    """The process runs and answers health within a second."""
    assert srv.proc.poll() is None, f"server exited with {srv.proc.returncode}: {srv.stderr()[-2000:]}"
    started = time.monotonic()
    status, _, _ = srv.request("GET", "/_mock/health", timeout=5)
    assert status == 200 and time.monotonic() - started < 1.0


def client_error_or_success(status: int, headers: dict, body: bytes) -> None:
    assert status < 500, f"{status}: {body[:300]!r}"
    if status >= 400:
        assert_openai_error(status, headers, body, status, type=None)


def tool_schema(parameters) -> dict:
    return {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "call f"}], "tool_choice": "required",
            "tools": [{"type": "function", "function": {"name": "f", "parameters": parameters}}]}


def json_schema(schema, **extra) -> dict:
    return {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "json"}], **extra,
            "response_format": {"type": "json_schema", "json_schema": {"name": "out", "schema": schema}}}


# ------------------------------------------------------------------------------- one request kills the process
TRAPS = [
    {"type": "integer", "minimum": 1e19},
    {"type": "number", "multipleOf": 1e-320},
    {"type": "string", "maxLength": -1},
    {"type": "array", "minItems": 9223372036854775807},
    {"type": "string", "pattern": "a{-1}"},
    {"type": "integer", "minimum": -1.7e308, "maximum": 1.7e308},
    {"type": "string", "minLength": 18446744073709551616},
    {"type": "number", "exclusiveMinimum": 1.7976931348623157e308},
    {"type": "object", "properties": {"a": {"$ref": "#"}}, "required": ["a"]},
    {"allOf": [{"$ref": "#"}, {"$ref": "#"}]},
    {"type": "string", "pattern": "(a)\\1(?=b)"},
    {"enum": []},
    {"type": ["integer", "integer"]},
]


@pytest.mark.parametrize("schema", TRAPS, ids=[json.dumps(s)[:60] for s in TRAPS])
def test_extreme_schemas_get_an_answer_not_a_crash(mock, schema):
    for body in (tool_schema({"type": "object", "properties": {"x": schema}, "required": ["x"]}), json_schema(schema)):
        client_error_or_success(*mock.request("POST", CHAT, body))
    alive(mock)


def test_invalid_schema_is_the_real_400(mock):
    status, headers, body = mock.request("POST", CHAT, tool_schema({"type": "object", "properties": {"s": {"type": "string", "maxLength": -1}}}))
    assert_openai_error(status, headers, body, 400, param="tools[0].function.parameters",
                        message="Invalid schema for function 'f': In context=('properties', 's'), -1 is less than the minimum of 0")


# ------------------------------------------------------------------------------- one request hangs a worker
@pytest.mark.parametrize("schema", [
    {"type": "object", "minProperties": 2147483648},
    {"type": "array", "minItems": 1000000, "items": {"type": "string"}},
    {"type": "string", "minLength": 1000000000},
    {"type": "array", "minItems": 1000000, "items": {"type": "object", "minProperties": 1000000}},
])
def test_absurd_sizes_stop_at_the_output_limit(mock, schema):
    started = time.monotonic()
    doc = mock.json("POST", CHAT, json_schema(schema, max_tokens=500))
    assert doc["choices"][0]["finish_reason"] == "length"
    assert doc["usage"]["completion_tokens"] <= 500
    assert time.monotonic() - started < 10, "generation must be linear in what fits, not in what was asked"
    doc = mock.json("POST", CHAT, json_schema(schema))  # the model's own limit (16,384 tokens)
    assert doc["choices"][0]["finish_reason"] == "length"
    alive(mock)


# ------------------------------------------------------------------------------- type confusion
BODIES = [
    (CHAT, {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}], "n": 2, "max_tokens": 20,
            "stop": ["x"], "logprobs": True, "top_logprobs": 2, "temperature": 1, "tools": [
                {"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}]}),
    ("/v1/completions", {"model": "gpt-3.5-turbo-instruct", "prompt": ["a", "b"], "max_tokens": 5, "n": 2, "logprobs": 1,
                         "echo": True, "best_of": 2}),
    ("/v1/embeddings", {"model": "text-embedding-3-small", "input": ["a", "b"], "dimensions": 4, "encoding_format": "float"}),
    ("/v1/moderations", {"model": "omni-moderation-latest", "input": [{"type": "text", "text": "x"}]}),
]
WRONG = [None, True, -1, 0, 2**63 - 1, -2**63, 2**64, 1e308, -1e308, 0.5, "", "x" * 5000, [], [None], {}, {"a": {}},
         [[[[[]]]]], "\u0000", "\ud83d\ude00", list(range(300))]


def test_type_confusion_never_gets_a_5xx(mock):
    rng = random.Random(12)
    for i in range(400):
        path, base = BODIES[i % len(BODIES)]
        body = json.loads(json.dumps(base))
        for _ in range(rng.randint(1, 3)):
            target = body
            while isinstance(target, dict) and target and rng.random() < 0.5:
                key = rng.choice(list(target))
                if isinstance(target[key], dict):
                    target = target[key]
                elif isinstance(target[key], list) and target[key] and isinstance(target[key][0], dict):
                    target = rng.choice(target[key])
                else:
                    break
            if isinstance(target, dict):
                target[rng.choice(list(target) + ["extra"])] = rng.choice(WRONG)
        client_error_or_success(*mock.request("POST", path, body))
    alive(mock)


# ------------------------------------------------------------------------------- raw requests
@pytest.mark.parametrize("name,wire,expected", [
    ("no Host on HTTP/1.1", b"GET /v1/models HTTP/1.1\r\nAuthorization: Bearer sk-test\r\n\r\n", 400),
    ("two Hosts", b"GET /v1/models HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
    ("bad Host", b"GET /v1/models HTTP/1.1\r\nHost: a b\r\n\r\n", 400),
    ("chunk size beyond the limit", request_bytes("POST", CHAT, headers={"Transfer-Encoding": "chunked"}) + b"FFFFFFFFFFFFFFF\r\n", 413),
    ("deep JSON", request_bytes("POST", CHAT, headers={"Content-Type": "application/json"}, body=b"[" * 100000), 400),
    ("invalid UTF-8", request_bytes("POST", CHAT, headers={"Content-Type": "application/json"}, body=b'{"model":"\xff\xfe"}'), 400),
    ("NUL in the target", request_bytes("GET", "/v1/models/%00%0d%0a"), 404),
])
def test_raw_requests_get_json_errors_at_once(mock, name, wire, expected):
    with mock.raw(timeout=5) as conn:
        conn.send(wire)
        resp = conn.read_response()
        assert resp.status == expected, (name, resp)
        assert resp.header("content-type") == "application/json"
        assert set(resp.json()["error"]) >= {"message", "type", "param", "code"}
    alive(mock)


def test_absolute_form_target_is_served(mock):
    with mock.raw(timeout=5) as conn:
        conn.send(request_bytes("GET", f"http://127.0.0.1:{mock.port}/v1/models/gpt-4o"))
        resp = conn.read_response()
        assert resp.status == 200 and resp.json()["id"] == "gpt-4o"


def test_truncated_pipelined_body_then_fin_closes_promptly(mock):
    """Used to sit in CLOSE-WAIT for the 75 s idle timeout."""
    with mock.raw(timeout=10) as conn:
        conn.send(request_bytes("GET", "/v1/models/gpt-4o")
                  + request_bytes("POST", CHAT, headers={"Content-Length": "1000"}, body=b'{"model":'))
        conn.sock.shutdown(socket.SHUT_WR)
        assert conn.read_response().status == 200
        started = time.monotonic()
        assert conn.is_closed_by_peer(timeout=5)
        assert time.monotonic() - started < 2


# ------------------------------------------------------------------------------- scenario files
def test_catastrophic_rule_regex_does_not_stall_the_server(start_server, tmp_path):
    (tmp_path / "s.json5").write_text("{rules: [{when: {last_user_message: {regex: '^(a+)+$'}}, do: {text: 'm'}}]}")
    srv = start_server("--scenarios", str(tmp_path))
    evil = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "a" * 5000 + "b"}]}
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: srv.request("POST", CHAT, evil, timeout=20), range(4)))
        alive(srv)
    assert all(status == 200 for status, _, _ in answers)
    assert all(json.loads(body)["choices"][0]["message"]["content"] != "m" for _, _, body in answers)


@pytest.mark.parametrize("text,expected", [
    ("{rules: [{do: {text: '\\uD800\\u0041'}}]}", "1:23: error: Invalid \\u escape: a high surrogate must be followed by a low one"),
    ("{rules: [{do: {text_file: '/dev/zero'}}]}", "1:27: error: Side file '/dev/zero' is not a regular file"),
    ("{rules: [{do: {fault: {status: 429, headers: {'x-a': 'b\\r\\nSet-Cookie: x=1'}}}}]}",
     "1:54: error: Header 'x-a' has a line break or control character in its value"),
    ("{rules: [{do: {fault: {status: 429, headers: {'bad name': 'v'}}}}]}",
     "1:47: error: Header name \"bad name\" is not a valid HTTP field name"),
    ("{rules: [{when: {any_message: {regex: '(a)\\\\1'}}, do: {text: 'y'}}]}",
     "1:39: error: Invalid regex \"(a)\\\\1\" in 'any_message': backreferences cannot run in linear time"),
])
def test_hostile_scenario_files_are_diagnosed(mock_bin, tmp_path, text, expected):
    f = tmp_path / "s.json5"
    f.write_text(text)
    proc = subprocess.run([str(mock_bin), "validate", str(f)], capture_output=True, timeout=30)
    assert proc.returncode == 1, proc
    assert f"{f}:{expected}" in proc.stdout.decode(), proc.stdout.decode()


def test_a_500kb_one_line_file_loads_quickly(mock_bin, tmp_path):
    """Used to take a minute: every key's column was counted from the start of the line."""
    f = tmp_path / "big.json5"
    rules = ",".join(f"{{when: {{last_user_message: 'w{i}', headers: {{'x-a': 'v{i}'}}}}, do: {{text: 'r'}}}}" for i in range(6500))
    f.write_text("{rules: [" + rules + "]}")
    assert f.stat().st_size > 500_000
    started = time.monotonic()
    proc = subprocess.run([str(mock_bin), "validate", str(f)], capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stdout.decode()[-500:]
    assert time.monotonic() - started < 15


def test_a_bad_file_never_takes_a_running_server_down(start_server, tmp_path):
    f = tmp_path / "s.json5"
    f.write_text("{rules: [{when: {endpoint: 'chat'}, do: {text: 'kept'}}]}")
    srv = start_server("--scenarios", str(tmp_path))
    chat = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "x"}]}
    for bad in ["{rules: [{do: {text: '\\uD800\\u0041'}}]}", "{rules: [{do: {text_file: '/dev/zero'}}]}",
                "{rules: [{when: {any_message: {regex: '(?<=a)b'}}, do: {text: 'y'}}]}", "\x00\xff{" * 1000]:
        f.write_text(bad, errors="surrogateescape")
        status, _, body = srv.request("POST", "/_mock/scenarios/reload")
        doc = json.loads(body)
        assert status == 400 and doc["error"]["code"] == "scenario_reload_failed" and doc["diagnostics"], doc
        srv.send_signal(signal.SIGHUP)
        assert wait_until(lambda: srv.stderr().count("reload failed") >= 1)
        alive(srv)
        assert srv.json("POST", CHAT, chat)["choices"][0]["message"]["content"] == "kept"


def test_strict_explanation_masks_the_key(start_server, tmp_path):
    (tmp_path / "s.json5").write_text("{rules: [{when: {endpoint: 'chat', headers: {authorization: 'Bearer other'}}, do: {text: 'x'}}]}")
    srv = start_server("--scenarios", str(tmp_path), "--strict")
    key = "sk-live-0123456789abcdefXYZ"
    status, headers, body = srv.request("POST", CHAT, {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "x"}]}, key=key)
    err = assert_openai_error(status, headers, body, 404, code="scenario_not_matched")
    assert key not in err["message"] and "Bearer sk-li***YZ" in err["message"], err["message"]


# ------------------------------------------------------------------------------- a stderr nobody reads
def test_a_stderr_nobody_reads_does_not_freeze_the_server(mock_bin):
    """`Popen(stderr=PIPE)` never read used to stop every request after ~64 KiB of log lines."""
    proc = subprocess.Popen([str(mock_bin), "--port", "0", "--log", "text"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    try:
        url = proc.stdout.readline().decode().split(" on ", 1)[1].strip()
        host, port = url.removeprefix("http://").split(":")
        srv = MockServer(proc, url, host, int(port), stderr_path=None, args=[])
        # ~1.5 MB of log lines (past the pipe's 64 KB and the writer's 1 MB buffer), pipelined.
        with srv.raw(timeout=30) as conn:
            for _ in range(100):
                conn.send(request_bytes("GET", "/v1/models/gpt-4o") * 200)
                for _ in range(200):
                    assert conn.read_response().status == 200
        alive(srv)
        # The reader comes back: the next line written is preceded by the count of the lines dropped.
        os.set_blocking(proc.stderr.fileno(), False)
        seen = b""
        deadline = time.monotonic() + 20
        while b"log lines dropped" not in seen and time.monotonic() < deadline:
            try:
                seen += os.read(proc.stderr.fileno(), 1 << 16)
            except BlockingIOError:
                srv.request("GET", "/_mock/health")
                time.sleep(0.02)
        assert b"log lines dropped: stderr is not being read fast enough" in seen
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=20)
    assert proc.returncode == 0


def test_thousands_of_startup_warnings_do_not_block_on_an_unread_stderr(mock_bin, tmp_path):
    """Every rule after the first is shadowed: ~600 KB of warnings, more than a pipe holds, before listening."""
    (tmp_path / "s.json5").write_text("{rules: [" + ",".join("{do: {text: 'x'}}" for _ in range(4000)) + "]}")
    proc = subprocess.Popen([str(mock_bin), "--port", "0", "--scenarios", str(tmp_path)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    try:
        reader = concurrent.futures.ThreadPoolExecutor(1).submit(proc.stdout.readline)
        line = reader.result(timeout=30).decode()
        assert line.startswith("openai-mock listening on "), line
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=20)
    assert proc.returncode == 0


# ------------------------------------------------------------------------------- memory comes back
def test_memory_returns_near_baseline_after_the_barrage(start_server):
    """Hostile requests that allocate a lot leave nothing behind: a second round of them does not grow the
    process, and the whole stays within a few tens of MB of where it started."""
    srv = start_server("--log", "off")
    for _ in range(20):
        srv.request("POST", CHAT, {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "warm up"}]})
    baseline = rss_kb(srv.proc.pid)

    def barrage():
        for schema in [{"type": "array", "minItems": 1000000, "items": {"type": "integer"}},
                       {"type": "object", "minProperties": 2147483648}, {"type": "string", "minLength": 1000000000}]:
            assert srv.request("POST", CHAT, json_schema(schema, max_tokens=4000))[0] == 200
        assert srv.request("POST", CHAT, {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "x " * 500_000}]})[0] == 400
        assert srv.request("POST", "/v1/embeddings", {"model": "text-embedding-3-small", "input": ["word"] * 512})[0] == 200
        with srv.raw() as conn:
            conn.send(request_bytes("POST", CHAT, headers={"Content-Type": "application/json"}, body=b"[" * 200_000))
            assert conn.read_response().status == 400

    for _ in range(2):  # the allocator settles on its working set (the largest responses) here
        barrage()
    first = rss_kb(srv.proc.pid)
    for _ in range(3):
        barrage()
    alive(srv)
    after = rss_kb(srv.proc.pid)
    assert after < first + 10 * 1024, f"RSS grew from {first} to {after} kB over three more rounds"
    assert after < baseline + 40 * 1024, f"RSS {baseline} kB before, {after} kB after"
