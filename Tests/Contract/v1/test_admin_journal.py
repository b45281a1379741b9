"""The admin API under /_mock/: health, the request journal, reset. Never reachable under /v1."""
import json

import openai
import pytest

from mockserver import assert_openai_error

SECRET_KEY = "sk-proj-SUPERSECRETvalue0123456789abcd"


def test_health(mock):
    h = mock.health()
    assert h["status"] == "ok"
    assert isinstance(h.get("version"), str) and h["version"]


def test_health_needs_no_key(mock):
    status, _, body = mock.request("GET", "/_mock/health", key=None)
    assert status == 200 and json.loads(body)["status"] == "ok"


@pytest.mark.parametrize("path", ["/v1/_mock/health", "/v1/_mock/requests", "/v1/_mock/reset"])
def test_admin_not_under_v1(mock, path):
    method = "POST" if path.endswith("reset") else "GET"
    status, headers, body = mock.request(method, path)
    assert_openai_error(status, headers, body, 404, message=f"Invalid URL ({method} {path})")


def test_unknown_admin_route_is_json_404(mock):
    status, headers, body = mock.request("GET", "/_mock/nothing")
    assert_openai_error(status, headers, body, 404)


def test_journal_records_sdk_requests(mock, make_client):
    c = make_client(mock.base_url, api_key=SECRET_KEY)
    c.models.list()
    c.models.retrieve("gpt-4o")
    with pytest.raises(openai.NotFoundError):
        c.models.retrieve("missing-model")
    with pytest.raises(openai.PermissionDeniedError):
        c.models.delete("gpt-4o")
    entries = mock.journal()
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [
        ("GET", "/v1/models", 200), ("GET", "/v1/models/gpt-4o", 200),
        ("GET", "/v1/models/missing-model", 404), ("DELETE", "/v1/models/gpt-4o", 403)]
    for e in entries:
        assert set(e) >= {"method", "path", "query", "headers", "body", "status", "duration_ms"}, e
        assert isinstance(e["duration_ms"], (int, float)) and e["duration_ms"] >= 0
        assert e["headers"]["user-agent"].startswith("OpenAI/Python"), e["headers"]
        assert e["headers"]["x-stainless-lang"] == "python"
        auth = e["headers"]["authorization"]
        assert auth.startswith("Bearer ") and "***" in auth, auth
    dump = json.dumps(entries)
    assert SECRET_KEY not in dump and SECRET_KEY[5:-2] not in dump and "SUPERSECRET" not in dump


def test_journal_query_and_body(mock):
    mock.request("GET", "/v1/models?limit=2&after=gpt-4o&metadata%5Bk%5D=v")
    mock.request("POST", "/v1/some/thing", body={"model": "gpt-4o", "n": 2})
    mock.request("POST", "/v1/text", body=b"plain text body", headers={"Content-Type": "text/plain"})
    first, second, third = mock.journal()
    assert first["path"] == "/v1/models"
    assert first["query"] == "limit=2&after=gpt-4o&metadata%5Bk%5D=v"
    assert first["body"] is None
    assert second["query"] is None
    assert second["body"] == {"model": "gpt-4o", "n": 2}
    assert second["headers"]["content-type"] == "application/json"
    assert third["body"] == "plain text body"


def test_journal_masks_other_secret_headers(mock):
    mock.request("GET", "/v1/models", headers={"api-key": "azure-secret-0123456789",
                                                "Cookie": "session=cookie-secret-0123456789",
                                                "OpenAI-Organization": "org-visible"})
    entry = mock.journal()[-1]
    dump = json.dumps(entry)
    assert "azure-secret-0123456789" not in dump and "cookie-secret-0123456789" not in dump
    assert entry["headers"]["openai-organization"] == "org-visible"


def test_journal_filter_by_path(mock):
    mock.request("GET", "/v1/models")
    mock.request("GET", "/v1/models/gpt-4o")
    mock.request("GET", "/v1/models")
    only = mock.journal("/v1/models")
    assert [e["path"] for e in only] == ["/v1/models", "/v1/models"]


def test_journal_clear(mock):
    mock.request("GET", "/v1/models")
    assert len(mock.journal()) == 1
    status, headers, body = mock.request("DELETE", "/_mock/requests")
    assert status == 200 and headers["content-type"].startswith("application/json")
    assert mock.journal() == []


def test_admin_calls_are_not_journaled(mock):
    mock.health()
    mock.journal()
    mock.reset()
    mock.request("GET", "/v1/models")
    assert [e["path"] for e in mock.journal()] == ["/v1/models"]


def test_reset(mock):
    status, headers, body = mock.request("POST", "/_mock/reset")
    assert status == 200, body
    json.loads(body)
    # the catalogue survives a reset
    assert mock.request("GET", "/v1/models/gpt-4o")[0] == 200


def test_journal_is_per_server(mock, start_server):
    other = start_server()
    other.request("GET", "/v1/models/gpt-4o")
    assert mock.journal() == []
    assert [e["path"] for e in other.journal()] == ["/v1/models/gpt-4o"]
