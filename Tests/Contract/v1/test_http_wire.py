"""HTTP/1.1 on the wire: raw sockets, httpx and curl against the real server."""
import json
import re
import shutil
import subprocess
import time

import httpx
import pytest

from mockserver import assert_openai_error, request_bytes

GET_MODELS = request_bytes("GET", "/v1/models")
GET_GPT4O = request_bytes("GET", "/v1/models/gpt-4o")
GET_MISSING = request_bytes("GET", "/v1/models/no-such-model")


def _model_id(resp):
    assert resp.status == 200, resp
    return resp.json()["id"]


# --------------------------------------------------------------------------------- headers
def _check_openai_headers(status, headers, api=True):
    rid = headers.get("x-request-id", "")
    assert re.fullmatch(r"req_[0-9A-Za-z]{8,}", rid), f"x-request-id {rid!r} on {status}"
    assert headers.get("content-type", "").split(";")[0] == "application/json", headers
    if api:
        assert headers.get("openai-version") == "2020-10-01", headers
        assert re.fullmatch(r"\d+", headers.get("openai-processing-ms", "")), headers


@pytest.mark.parametrize("method,path,key,expected", [
    ("GET", "/v1/models", "sk-test", 200),
    ("GET", "/v1/models/gpt-4o", "sk-test", 200),
    ("GET", "/v1/models/unknown", "sk-test", 404),
    ("GET", "/v1/models", None, 401),
    ("POST", "/v1/xyz", "sk-test", 404),
    ("PUT", "/v1/models", "sk-test", 405),
    ("DELETE", "/v1/models/gpt-4o", "sk-test", 403),
])
def test_every_api_response_has_openai_headers(mock, method, path, key, expected):
    status, headers, body = mock.request(method, path, key=key, body=b"{}" if method in ("POST", "PUT") else None)
    assert status == expected, body
    _check_openai_headers(status, headers)
    assert headers.get("content-length") == str(len(body)) or "chunked" in headers.get("transfer-encoding", "")


def test_admin_responses_have_request_id_and_json(mock):
    for method, path in [("GET", "/_mock/health"), ("GET", "/_mock/requests"), ("DELETE", "/_mock/requests"),
                         ("POST", "/_mock/reset")]:
        status, headers, body = mock.request(method, path)
        assert status == 200, (path, body)
        _check_openai_headers(status, headers, api=False)
        json.loads(body)


@pytest.mark.parametrize("wire,status", [
    (request_bytes("GET", "/v1/models", headers={"X-Big": "x" * (90 * 1024)}), 431),
    (request_bytes("POST", "/v1/x", headers={"Content-Length": str(600 * 1024 * 1024)}), 413),
    (b"GARBAGE\r\n\r\n", 400),
], ids=["431", "413", "400"])
def test_http_layer_errors_have_openai_headers(mock, wire, status):
    # "Every response carries x-request-id, openai-processing-ms, openai-version" includes the HTTP layer's own.
    with mock.raw() as c:
        c.send(wire)
        r = c.read_response()
    assert r.status == status
    _check_openai_headers(r.status, {k.lower(): v for k, v in r.header_list})


# ------------------------------------------------------------------------------ keep-alive
def test_keep_alive_sequential_requests_on_one_socket(mock):
    with mock.raw() as c:
        c.send(GET_GPT4O)
        assert _model_id(c.read_response()) == "gpt-4o"
        c.send(GET_MISSING)
        r = c.read_response()
        assert r.status == 404 and r.json()["error"]["code"] == "model_not_found"
        c.send(GET_MODELS)
        r = c.read_response()
        assert r.status == 200 and r.json()["object"] == "list"
        assert (r.header("connection") or "").lower() != "close"
        assert not c.is_closed_by_peer(timeout=0.3), "server closed an HTTP/1.1 keep-alive connection"
    assert len(mock.journal()) == 3


def test_httpx_client_reuses_one_connection(mock):
    with httpx.Client(base_url=mock.base_url, headers={"Authorization": "Bearer sk-test"}) as client:
        for _ in range(5):
            r = client.get("/models/gpt-4o")
            assert r.status_code == 200
        pool = client._transport._pool
        assert len(pool.connections) == 1, pool.connections


def test_connection_close_is_honoured(mock):
    with mock.raw() as c:
        c.send(request_bytes("GET", "/v1/models/gpt-4o", headers={"Connection": "close"}))
        assert _model_id(c.read_response()) == "gpt-4o"
        assert c.is_closed_by_peer(), "server kept the connection open after Connection: close"


def test_http10_closes_by_default_and_keeps_alive_on_request(mock):
    with mock.raw() as c:
        c.send(request_bytes("GET", "/v1/models/gpt-4o", version="HTTP/1.0"))
        r = c.read_response()
        assert _model_id(r) == "gpt-4o"
        assert r.version in ("HTTP/1.0", "HTTP/1.1")
        assert c.is_closed_by_peer(), "HTTP/1.0 without keep-alive must close"
    with mock.raw() as c:
        c.send(request_bytes("GET", "/v1/models/gpt-4o", version="HTTP/1.0", headers={"Connection": "keep-alive"}))
        assert _model_id(c.read_response()) == "gpt-4o"
        c.send(request_bytes("GET", "/v1/models/gpt-4o-mini", version="HTTP/1.0", headers={"Connection": "keep-alive"}))
        assert _model_id(c.read_response()) == "gpt-4o-mini"


# ------------------------------------------------------------------------------ pipelining
def test_pipelined_requests_answered_in_order(mock):
    ids = ["gpt-4o", "no-such-model", "davinci-002", "gpt-4.1", "curie"]
    with mock.raw() as c:
        c.send(b"".join(request_bytes("GET", f"/v1/models/{i}") for i in ids) + GET_MODELS)
        for i in ids:
            r = c.read_response()
            if i == "no-such-model":
                assert r.status == 404 and "no-such-model" in r.json()["error"]["message"]
            else:
                assert _model_id(r) == i
        assert c.read_response().json()["object"] == "list"
    assert [e["path"] for e in mock.journal()] == [f"/v1/models/{i}" for i in ids] + ["/v1/models"]


def test_pipelined_head_then_get(mock):
    with mock.raw() as c:
        c.send(request_bytes("HEAD", "/v1/models/gpt-4o") + GET_GPT4O)
        head = c.read_response(head_request=True)
        assert head.status == 200 and head.body == b""
        assert _model_id(c.read_response()) == "gpt-4o"


def test_unread_body_is_drained_before_next_request(mock):
    body = json.dumps({"model": "gpt-4o", "padding": "z" * 5000}).encode()
    with mock.raw() as c:
        c.send(request_bytes("POST", "/v1/nothing", body=body, headers={"Content-Type": "application/json"})
               + request_bytes("DELETE", "/v1/models/gpt-4o", body=b"ignored-body") + GET_GPT4O)
        assert c.read_response().status == 404
        assert c.read_response().status == 403
        assert _model_id(c.read_response()) == "gpt-4o"


# ------------------------------------------------------------------------------ request bodies
def test_chunked_request_body(mock):
    payload = json.dumps({"hello": "chunked", "n": [1, 2, 3]}).encode()
    chunks = [payload[:7], payload[7:20], payload[20:]]
    wire = b"".join(b"%x;ext=1\r\n%s\r\n" % (len(p), p) if i == 1 else b"%x\r\n%s\r\n" % (len(p), p)
                    for i, p in enumerate(chunks))
    wire += b"0\r\nX-Trailer: t\r\n\r\n"
    with mock.raw() as c:
        c.send(request_bytes("POST", "/v1/chunked-echo", headers={"Transfer-Encoding": "chunked",
                                                                  "Content-Type": "application/json"}) + wire)
        r = c.read_response()
        assert_openai_error(r.status, {k.lower(): v for k, v in r.header_list}, r.body, 404)
        c.send(GET_GPT4O)   # framing intact after the chunked body
        assert _model_id(c.read_response()) == "gpt-4o"
    entry = mock.journal("/v1/chunked-echo")[-1]
    assert entry["body"] == {"hello": "chunked", "n": [1, 2, 3]}


def test_chunked_body_sent_slowly(mock):
    with mock.raw() as c:
        c.send(request_bytes("POST", "/v1/slow", headers={"Transfer-Encoding": "chunked"}))
        for part in (b"5\r\nhello\r\n", b"1\r\n ", b"\r\n5\r\nworld\r\n", b"0\r\n", b"\r\n"):
            c.send(part)
            time.sleep(0.02)
        assert c.read_response().status == 404
    assert mock.journal("/v1/slow")[-1]["body"] == "hello world"


def test_large_body_is_accepted(mock):
    big = b"a" * (3 * 1024 * 1024)   # above the in-memory threshold: streamed, and skipped by the 404
    with mock.raw(timeout=30) as c:
        c.send(request_bytes("POST", "/v1/big-upload", body=big))
        assert c.read_response().status == 404
        c.send(GET_GPT4O)
        assert _model_id(c.read_response()) == "gpt-4o"
    entry = mock.journal("/v1/big-upload")[-1]
    assert entry["body"] == {"omitted_bytes": len(big)}


def test_expect_100_continue_raw(mock):
    body = b'{"expect": "continue"}'
    with mock.raw() as c:
        c.send(request_bytes("POST", "/v1/expect", headers={"Expect": "100-continue",
                                                            "Content-Length": str(len(body))}))
        interim = c.read_response(skip_informational=False)
        assert interim.status == 100, interim
        c.send(body)
        assert c.read_response().status == 404
    assert mock.journal("/v1/expect")[-1]["body"] == {"expect": "continue"}


def test_expect_100_continue_rejected_when_too_large(mock):
    with mock.raw() as c:
        c.send(request_bytes("POST", "/v1/expect", headers={"Expect": "100-continue",
                                                            "Content-Length": str(600 * 1024 * 1024)}))
        r = c.read_response(skip_informational=False)
        assert r.status == 413, r
        assert_openai_error(r.status, {k.lower(): v for k, v in r.header_list}, r.body, 413, type=None)


# ------------------------------------------------------------------------------ limits / bad requests
def test_oversized_header_block_is_431(mock):
    with mock.raw() as c:
        c.send(request_bytes("GET", "/v1/models", headers={f"X-H{i}": "v" * 100 for i in range(900)}))
        r = c.read_response()
    assert_openai_error(r.status, {k.lower(): v for k, v in r.header_list}, r.body, 431, type=None)


def test_too_many_header_fields_is_431(mock):
    with mock.raw() as c:
        c.send(request_bytes("GET", "/v1/models", headers={f"X-{i}": "1" for i in range(1100)}))
        r = c.read_response()
    assert_openai_error(r.status, {k.lower(): v for k, v in r.header_list}, r.body, 431, type=None)


def test_headers_just_under_limit_are_fine(mock):
    with mock.raw() as c:
        c.send(request_bytes("GET", "/v1/models/gpt-4o", headers={"X-Pad": "p" * (70 * 1024)}))
        assert _model_id(c.read_response()) == "gpt-4o"


def test_body_over_limit_is_413_without_sending_it(mock):
    t0 = time.monotonic()
    with mock.raw() as c:
        c.send(request_bytes("POST", "/v1/huge", headers={"Content-Length": str(600 * 1024 * 1024),
                                                          "Content-Type": "application/json"}))
        r = c.read_response()
    assert time.monotonic() - t0 < 5, "413 must be answered from the headers, not after reading the body"
    assert_openai_error(r.status, {k.lower(): v for k, v in r.header_list}, r.body, 413, type=None)


def test_max_body_bytes_flag(start_server):
    srv = start_server("--max-body-bytes", "1000")
    with srv.raw() as c:   # within the limit: fine
        c.send(request_bytes("POST", "/v1/small", body=b"s" * 1000))
        assert c.read_response().status == 404
    with srv.raw() as c:   # declared length over the limit, body sent anyway
        c.send(request_bytes("POST", "/v1/big", body=b"b" * 1001))
        r = c.read_response()
        assert_openai_error(r.status, {k.lower(): v for k, v in r.header_list}, r.body, 413, type=None)
    with srv.raw() as c:   # chunked: the limit is only crossed mid-body
        c.send(request_bytes("POST", "/v1/big-chunked", headers={"Transfer-Encoding": "chunked"})
               + b"".join(b"200\r\n" + b"c" * 0x200 + b"\r\n" for _ in range(3)) + b"0\r\n\r\n")
        r = c.read_response()
        assert_openai_error(r.status, {k.lower(): v for k, v in r.header_list}, r.body, 413, type=None)
    assert [e["path"] for e in srv.journal()] == ["/v1/small"]


def test_content_length_and_transfer_encoding_together_is_400(mock):
    with mock.raw() as c:
        c.send(request_bytes("POST", "/v1/x", headers={"Content-Length": "5", "Transfer-Encoding": "chunked"})
               + b"5\r\nhello\r\n0\r\n\r\n")
        r = c.read_response()
    assert_openai_error(r.status, {k.lower(): v for k, v in r.header_list}, r.body, 400)


@pytest.mark.parametrize("wire,statuses", [
    (b"GARBAGE\r\n\r\n", (400,)),
    (b"GET /v1/models HTTP/9.9\r\nHost: x\r\n\r\n", (400, 505)),
    (b"POST /v1/x HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", (400,)),
    (b"POST /v1/x HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", (400,)),
    (b"POST /v1/x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", (400,)),
    (b"GET /v1/models HTTP/1.1\r\nHost: x\r\nBad Header Name: 1\r\n\r\n", (400,)),
], ids=["garbage", "version", "bad-content-length", "conflicting-content-length", "bad-chunk-size", "bad-header-name"])
def test_malformed_requests_get_json_error(mock, wire, statuses):
    with mock.raw() as c:
        c.send(wire)
        r = c.read_response()
    assert r.status in statuses, r
    assert_openai_error(r.status, {k.lower(): v for k, v in r.header_list}, r.body, r.status, type=None)


def test_server_survives_abrupt_disconnects(mock):
    for partial in (b"GET /v1/mod", request_bytes("POST", "/v1/x", headers={"Content-Length": "100"}) + b"abc"):
        with mock.raw() as c:
            c.send(partial)
    status, _, _ = mock.request("GET", "/v1/models")
    assert status == 200


# ------------------------------------------------------------------------------ curl
CURL = shutil.which("curl")
needs_curl = pytest.mark.skipif(CURL is None, reason="curl is not installed")


def _curl(*args, timeout=30):
    return subprocess.run([CURL, "-sS", "--noproxy", "*", *args], capture_output=True, timeout=timeout)


@needs_curl
def test_curl_get_models(mock):
    p = _curl("-i", "-H", "Authorization: Bearer sk-test", mock.base_url + "/models")
    assert p.returncode == 0, p.stderr
    head, _, body = p.stdout.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200")
    assert re.search(rb"(?im)^x-request-id: req_", head)
    assert re.search(rb"(?im)^content-type: application/json", head)
    assert "gpt-4o" in [m["id"] for m in json.loads(body)["data"]]


@needs_curl
def test_curl_chunked_upload(mock):
    p = subprocess.run([CURL, "-sS", "--noproxy", "*", "-H", "Authorization: Bearer sk-test",
                        "-H", "Transfer-Encoding: chunked", "-H", "Content-Type: application/json",
                        "--data-binary", "@-", mock.base_url + "/curl-chunked"],
                       input=b'{"via": "curl"}', capture_output=True, timeout=30)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["error"]["message"] == "Invalid URL (POST /v1/curl-chunked)"
    assert mock.journal("/v1/curl-chunked")[-1]["body"] == {"via": "curl"}


@needs_curl
def test_curl_expect_100_continue(mock, tmp_path):
    f = tmp_path / "body.json"
    f.write_bytes(json.dumps({"k": "v" * 4000}).encode())
    t0 = time.monotonic()
    p = _curl("-v", "--expect100-timeout", "20", "-H", "Authorization: Bearer sk-test", "-H", "Expect: 100-continue",
              "-H", "Content-Type: application/json", "--data-binary", f"@{f}", mock.base_url + "/curl-expect")
    elapsed = time.monotonic() - t0
    assert p.returncode == 0, p.stderr
    assert b"HTTP/1.1 100 Continue" in p.stderr, p.stderr.decode(errors="replace")
    assert elapsed < 10, "curl waited for its expect100 timeout: no 100 Continue"
    assert json.loads(p.stdout)["error"]["message"] == "Invalid URL (POST /v1/curl-expect)"
    assert mock.journal("/v1/curl-expect")[-1]["body"]["k"] == "v" * 4000


@needs_curl
def test_curl_keep_alive_reuses_connection(mock):
    url = mock.base_url + "/models/gpt-4o"
    p = _curl("-v", "-H", "Authorization: Bearer sk-test", url, url, url)
    assert p.returncode == 0, p.stderr
    assert p.stderr.count(b"Connected to") == 1, p.stderr.decode(errors="replace")
    assert p.stderr.count(b"Re-using existing") + p.stderr.count(b"Reusing existing") == 2, \
        p.stderr.decode(errors="replace")
