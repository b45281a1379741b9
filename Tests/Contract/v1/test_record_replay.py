"""`openai-mock record` against a second openai-mock acting as the upstream (the offline proof), over plain HTTP
and over HTTPS (the upstream behind a stdlib TLS terminator whose certificate a private CA signed, trusted with
`--upstream-ca`), then `serve --scenarios DIR` on the recording with the upstream stopped: the same session gets
the same bytes (plain bodies and every SSE line), errors and dropped connections included, and the key is in no
recorded file. Without the CA, an HTTPS upstream is a clear 502, and nothing is recorded."""
from __future__ import annotations

import http.client
import json
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import openai
import pytest

from mockserver import MockServer
from tlsterminator import TLSTerminator

TLS = Path(__file__).parent / "tls"   # test-only CA and certificate for 127.0.0.1 (see tls/README.md)

KEY = "sk-proj-recording-secret-0123456789abcdef"
ORG = "org-recording-secret-organisation"
UPSTREAM_RULES = """{rules: [
  {when: {endpoint: "chat", last_user_message: "rate me"}, do: {fault: {status: 429, headers: {"retry-after-ms": "20"}}}},
  {when: {endpoint: "chat", last_user_message: "drop me"}, do: {drop_connection: true}},
]}"""
WEATHER = {"type": "function", "function": {"name": "get_weather", "description": "Weather in a city",
           "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}
TRAINING = "".join(json.dumps({"messages": [{"role": "user", "content": f"Tell me a joke about {a}"},
                                            {"role": "assistant", "content": f"{a.title()} are funny. Haha"}]}) + "\n"
                   for a in ["owls", "cats", "dogs", "cows", "bees", "ants", "eels", "yaks", "emus", "gnus"])
BOUNDARY = "----recordboundary42"


def multipart(fields: dict, filename: str, content: str) -> bytes:
    out = "".join(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in fields.items())
    out += (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            f"Content-Type: application/jsonl\r\n\r\n{content}\r\n--{BOUNDARY}--\r\n")
    return out.encode()


def call(srv, method, path, body=None, content_type="application/json"):
    """(status, body bytes), or ("dropped", b"") when the connection closes without an answer."""
    headers = {"OpenAI-Organization": ORG}
    if body is not None:
        headers["Content-Type"] = content_type
    try:
        status, _, data = srv.request(method, path, body, headers=headers, key=KEY)
        return status, data
    except (http.client.RemoteDisconnected, ConnectionResetError):
        return "dropped", b""


def session(srv) -> list:
    """A client session: chat, a stream with tool calls, embeddings, a 429, a reset, an upload and a fine-tune."""
    got = []
    chat = lambda content, **extra: {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": content}], **extra}
    got.append(call(srv, "POST", "/v1/chat/completions", chat("Hello there", user="user-1", seed=3)))
    got.append(call(srv, "POST", "/v1/chat/completions", chat("What is the weather in Paris? Use get_weather", tools=[WEATHER],
                                                             stream=True, stream_options={"include_usage": True})))
    got.append(call(srv, "POST", "/v1/embeddings", {"model": "text-embedding-3-small", "input": ["apples", "pears"]}))
    got.append(call(srv, "POST", "/v1/chat/completions", chat("rate me")))
    got.append(call(srv, "POST", "/v1/chat/completions", chat("drop me")))
    status, body = call(srv, "POST", "/v1/files", multipart({"purpose": "fine-tune"}, "jokes.jsonl", TRAINING),
                        content_type=f"multipart/form-data; boundary={BOUNDARY}")
    got.append((status, body))
    file_id = json.loads(body)["id"]
    got.append(call(srv, "GET", f"/v1/files/{file_id}/content"))
    status, body = call(srv, "POST", "/v1/fine_tuning/jobs", {"training_file": file_id, "model": "gpt-4o-mini", "suffix": "jokes"})
    got.append((status, body))
    job_id = json.loads(body)["id"]
    for _ in range(3):
        got.append(call(srv, "GET", f"/v1/fine_tuning/jobs/{job_id}"))
    model = json.loads(got[-1][1])["fine_tuned_model"]
    got.append(call(srv, "POST", "/v1/chat/completions", chat("Tell me a joke about owls", model=model)))
    got.append(call(srv, "GET", "/v1/models/" + model))
    return got


@pytest.fixture
def tls_in_front():
    """`tls_in_front(server)` → a TLS terminator for it (certificate signed by tls/ca.pem); stopped after the test."""
    started: list[TLSTerminator] = []

    def start(server: MockServer) -> TLSTerminator:
        started.append(TLSTerminator((server.host, server.port), TLS / "server.pem", TLS / "server.key"))
        return started[-1]

    yield start
    for terminator in started:
        terminator.stop()


@pytest.mark.parametrize("transport", ["http", "https"])
def test_a_recorded_session_replays_byte_for_byte_with_the_upstream_stopped(mock_bin, start_server, tls_in_front, tmp_path,
                                                                             transport):
    (tmp_path / "upstream.json5").write_text(UPSTREAM_RULES)
    upstream = start_server("--scenarios", str(tmp_path / "upstream.json5"), "--time", "instant", log="off")
    out = tmp_path / "recording"
    if transport == "https":
        tls = tls_in_front(upstream)
        recorder = start_server("record", "--upstream", tls.url + "/v1", "--out", str(out), "--upstream-ca", str(TLS / "ca.pem"))
    else:
        tls = None
        recorder = start_server("record", "--upstream", upstream.base_url, "--out", str(out))
    recorded = session(recorder)
    assert [s for s, _ in recorded][:5] == [200, 200, 200, 429, "dropped"]
    assert all(s == 200 for s, _ in recorded[5:]), recorded[5:]
    job = json.loads(recorded[10][1])
    assert job["status"] == "succeeded" and job["fine_tuned_model"].startswith("ft:gpt-4o-mini")
    assert recorded[-2][1].decode().count("Owls are funny. Haha") == 1
    assert b"get_weather" in recorded[1][1] and recorded[1][1].endswith(b"data: [DONE]\n\n")

    # Recording the session again (new ids on a fresh upstream would differ: same upstream, same answers) adds no rules.
    files = sorted(p.name for p in out.rglob("*.json5"))
    assert recorder.stop(signal.SIGTERM) == 0
    if tls is not None:
        assert tls.handshakes >= len(recorded)   # every exchange went over TLS (one connection per request)
        tls.stop()
    upstream.stop(signal.SIGTERM)

    for path in out.rglob("*"):
        if path.is_file():
            text = path.read_text()
            # (The organisation's name part may stay inside fine-tuned model ids, as in the real API's names.)
            assert KEY not in text and ORG not in text and "0123456789abcdef" not in text, path

    validate = __import__("subprocess").run([str(mock_bin), "validate", str(out)], capture_output=True, text=True)
    assert validate.returncode == 0, validate.stdout + validate.stderr

    replay = start_server("--scenarios", str(out), "--strict", "--replay-speed", "instant")
    replayed = session(replay)
    for i, (a, b) in enumerate(zip(recorded, replayed)):
        a = (a[0], a[1].replace(ORG.encode(), b"[redacted]"))   # the secret, scrubbed from the recording
        assert a == b, f"exchange {i}: recorded {a[0]} {a[1][:300]!r}\nreplayed {b[0]} {b[1][:300]!r}"

    # --strict: anything unrecorded names the nearest recording.
    status, body = call(replay, "POST", "/v1/chat/completions",
                        {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hello where?"}]})
    assert status == 404
    message = json.loads(body)["error"]["message"]
    assert "Nearest rule" in message and "messages[0].content" in message
    assert sorted(p.name for p in out.rglob("*.json5")) == files


def test_recording_twice_rewrites_the_same_files_and_streams_keep_their_pacing(start_server, tmp_path):
    upstream = start_server(log="off")
    out = tmp_path / "rec"
    body = {"model": "gpt-4o-mini", "stream": True, "messages": [{"role": "user", "content": "Count slowly"}]}
    (tmp_path / "slow.json5").write_text('{rules: [{when: {endpoint: "chat"}, do: {text: "one two three four", '
                                         'stream: {ttft_ms: 100, token_delay_ms: 100, chunk_tokens: 1}}}]}')
    slow = start_server("--scenarios", str(tmp_path / "slow.json5"), log="off")
    for _ in range(2):
        recorder = start_server("record", "--upstream", slow.url, "--out", str(out))
        call(recorder, "POST", "/v1/chat/completions", body)
        call(recorder, "GET", "/v1/models")
        assert recorder.stop(signal.SIGTERM) == 0
    assert len(list(out.rglob("*.json5"))) == 2
    rule = json.loads("\n".join(line for line in next(out.glob("POST-*")).read_text().splitlines() if not line.startswith("//")))
    events = rule["rules"][0]["do"]["response"]["events"]
    assert sum(e["after_ms"] for e in events) >= 400

    paced = start_server("--scenarios", str(out))
    started = time.monotonic()
    assert call(paced, "POST", "/v1/chat/completions", body)[0] == 200
    assert time.monotonic() - started >= 0.35
    upstream.stop(signal.SIGTERM)


def test_the_sdk_reads_a_replayed_stream(start_server, tmp_path):
    upstream = start_server(log="off")
    out = tmp_path / "rec"
    recorder = start_server("record", "--upstream", upstream.base_url, "--out", str(out))
    client = lambda srv: openai.OpenAI(base_url=srv.base_url, api_key=KEY, max_retries=0)
    ask = lambda c: "".join(chunk.choices[0].delta.content or "" for chunk in c.chat.completions.create(
        model="gpt-4o-mini", stream=True, messages=[{"role": "user", "content": "Say something"}]) if chunk.choices)
    original = ask(client(recorder))
    assert recorder.stop(signal.SIGTERM) == 0
    upstream.stop(signal.SIGTERM)
    assert ask(client(start_server("--scenarios", str(out), "--strict", "--replay-speed", "instant"))) == original


@pytest.mark.parametrize("ca", [None, "other-ca.pem"])
def test_an_untrusted_https_upstream_is_a_clear_502_and_nothing_is_recorded(start_server, tls_in_front, tmp_path, ca):
    upstream = start_server(log="off")
    tls = tls_in_front(upstream)
    out = tmp_path / "rec"
    trust = ("--upstream-ca", str(TLS / ca)) if ca else ()
    recorder = start_server("record", "--upstream", tls.url + "/v1", "--out", str(out), *trust)
    status, body = call(recorder, "POST", "/v1/chat/completions",
                        {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hello there"}]})
    assert status == 502, body
    error = json.loads(body)["error"]
    assert error["code"] == "upstream_unusable" and "SSL certificate problem" in error["message"], error
    assert (f"--upstream-ca {TLS / ca}" if ca else "pass its CA certificate with --upstream-ca FILE") in error["message"]
    assert "never given" not in error["message"]                   # the CA file did reach libcurl
    assert tls.handshakes == 0 and upstream.journal() == []       # the request never reached the upstream
    assert recorder.proc.poll() is None and "upstream_unusable" not in recorder.stderr().split("\n")[0]
    assert not out.exists() or not any(p.is_file() for p in out.rglob("*"))


def test_an_unreadable_or_non_pem_upstream_ca_stops_record_at_start(mock_bin, tmp_path):
    (tmp_path / "key.pem").write_text("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n")
    for ca, says in ((tmp_path / "missing.pem", "cannot read the file"), (tmp_path / "key.pem", "no PEM certificate")):
        run = subprocess.run([str(mock_bin), "record", "--port", "0", "--upstream", "https://127.0.0.1:9/v1", "--out",
                              str(tmp_path / "rec"), "--upstream-ca", str(ca)], capture_output=True, text=True, timeout=30)
        assert run.returncode == 1 and f"--upstream-ca {ca}: {says}" in run.stderr, run.stderr
        assert run.stdout == ""   # never listened


def test_an_https_upstream_that_speaks_plain_http_is_a_clear_502(start_server, tmp_path):
    plain = socket.create_server(("127.0.0.1", 0))   # answers any bytes (a TLS ClientHello) with plain HTTP

    def answer() -> None:
        with plain, plain.accept()[0] as conn:
            conn.recv(4096)
            conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    threading.Thread(target=answer, daemon=True).start()
    recorder = start_server("record", "--upstream", f"https://127.0.0.1:{plain.getsockname()[1]}/v1", "--out", str(tmp_path / "rec"),
                            "--upstream-ca", str(TLS / "ca.pem"))
    status, body = call(recorder, "GET", "/v1/models")
    assert status == 502, body
    error = json.loads(body)["error"]
    assert error["code"] == "upstream_unusable" and "wrong version number" in error["message"], error
    assert not (tmp_path / "rec").exists() or not any(p.is_file() for p in (tmp_path / "rec").rglob("*"))
