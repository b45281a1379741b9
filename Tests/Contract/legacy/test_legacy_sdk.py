"""openai 0.28.1: Model resources, APIRequestor error mapping, and its `openai api …` CLI."""
import subprocess
import sys
from pathlib import Path

import openai
import openai.error
import pytest

# The venv's `openai` console script: the 0.28 CLI.
OPENAI_CLI = str(Path(sys.executable).parent / "openai")

GOOD_KEY = "sk-legacy-good-0123456789abcdef"
WRONG_KEY = "sk-legacy-wrong-secret-98765zz"


def test_sdk_version():
    assert openai.version.VERSION == "0.28.1"


# ------------------------------------------------------------------------------------- SDK
def test_model_list(legacy):
    res = legacy.Model.list()
    assert res["object"] == "list"
    ids = [m["id"] for m in res["data"]]
    for want in ("gpt-4o", "gpt-3.5-turbo", "davinci-002", "curie", "text-embedding-ada-002"):
        assert want in ids
    assert all(m["object"] == "model" for m in res["data"])


def test_model_retrieve(legacy):
    m = legacy.Model.retrieve("gpt-4o")
    assert m.id == "gpt-4o"
    assert m.object == "model"
    assert isinstance(m.created, int)
    assert m.owned_by


def test_model_retrieve_unknown(legacy):
    with pytest.raises(openai.error.InvalidRequestError) as exc:
        legacy.Model.retrieve("gpt-nope")
    e = exc.value
    assert e.http_status == 404
    assert e.code == "model_not_found"
    assert e.user_message == "The model `gpt-nope` does not exist or you do not have access to it."
    # 0.28 reads `request-id` for .request_id; the real API (and the mock) send `x-request-id`
    assert e.headers["x-request-id"].startswith("req_")


@pytest.mark.parametrize("model_id", ["ft:gpt-3.5-turbo:my-org:custom:id", "curie:ft-personal-2023-01-01",
                                      "my model/with slash"])
def test_quote_plus_ids_are_decoded(legacy, mock, model_id):
    with pytest.raises(openai.error.InvalidRequestError) as exc:
        legacy.Model.retrieve(model_id)
    assert exc.value.user_message == f"The model `{model_id}` does not exist or you do not have access to it."
    sent = mock.journal()[-1]["path"]
    assert ":" not in sent and " " not in sent, f"0.28 should have sent the id encoded: {sent}"


def test_model_delete_base_is_permission_error(legacy):
    with pytest.raises(openai.error.PermissionError) as exc:
        legacy.Model.delete("gpt-4o")
    assert exc.value.http_status == 403


def test_model_delete_unknown(legacy, mock):
    with pytest.raises(openai.error.InvalidRequestError) as exc:
        legacy.Model.delete("curie:ft-x")
    assert exc.value.http_status == 404
    assert exc.value.user_message == "The model 'curie:ft-x' does not exist"
    assert mock.journal()[-1]["path"] == "/v1/models/curie%3Aft-x"


def test_unknown_route_is_invalid_request_error(legacy):
    requestor = openai.api_requestor.APIRequestor()
    with pytest.raises(openai.error.InvalidRequestError) as exc:
        requestor.request("post", "/xyz", params={"a": 1})
    assert exc.value.http_status == 404
    assert exc.value.user_message == "Invalid URL (POST /v1/xyz)"


def test_wrong_method_is_api_error_with_json(legacy):
    requestor = openai.api_requestor.APIRequestor()
    with pytest.raises(openai.error.APIError) as exc:
        requestor.request("post", "/models", params={})
    e = exc.value
    assert e.http_status == 405
    # 0.28 only builds an APIError with the JSON error when the body has `error` (else "Invalid response object")
    assert "Invalid response object" not in str(e)
    assert e.json_body["error"]["message"]


def test_oversized_headers_reach_sdk_as_json(legacy):
    requestor = openai.api_requestor.APIRequestor()
    with pytest.raises(openai.error.APIError) as exc:
        requestor.request("get", "/models", headers={"X-Big": "y" * (90 * 1024)})
    e = exc.value
    assert e.http_status == 431
    assert "Invalid response object" not in str(e) and "HTTP code" not in str(e), str(e)
    assert e.json_body["error"]["message"]


def test_authentication_error(legacy, start_server):
    srv = start_server("--api-key", GOOD_KEY)
    legacy.api_base = srv.base_url
    legacy.api_key = GOOD_KEY
    assert legacy.Model.retrieve("gpt-4o").id == "gpt-4o"
    legacy.api_key = WRONG_KEY
    with pytest.raises(openai.error.AuthenticationError) as exc:
        legacy.Model.list()
    e = exc.value
    assert e.http_status == 401
    assert e.user_message.startswith("Incorrect API key provided: sk-le***zz.")
    assert WRONG_KEY not in str(e.json_body)


def test_missing_key_refused_client_side(legacy, mock):
    legacy.api_key = None
    with pytest.raises(openai.error.AuthenticationError):
        legacy.Model.list()
    assert mock.journal() == [], "0.28 must not have sent a request without a key"


def test_request_headers_seen_by_server(legacy, mock):
    legacy.Model.retrieve("gpt-4o")
    h = mock.journal()[-1]["headers"]
    assert h["user-agent"] == "OpenAI/v1 PythonBindings/0.28.1"
    assert "x-openai-client-user-agent" in h
    assert h["authorization"].startswith("Bearer ") and h["authorization"] != "Bearer sk-test"


# ------------------------------------------------------------------------------------- CLI
def _cli(base_url, key, *args, env=None):
    return subprocess.run([OPENAI_CLI, "-b", base_url, "-k", key, "api", *args], capture_output=True, text=True,
                          timeout=60, env=env, stdin=subprocess.DEVNULL)


def test_cli_models_list(mock, cli_env):
    p = _cli(mock.base_url, "sk-test", "models.list", env=cli_env)
    assert p.returncode == 0, p.stderr
    for want in ("gpt-4o", "davinci-002", "text-embedding-3-small"):
        assert f'"{want}"' in p.stdout
    assert [e["path"] for e in mock.journal()] == ["/v1/models"]


def test_cli_models_get(mock, cli_env):
    p = _cli(mock.base_url, "sk-test", "models.get", "-i", "gpt-4o", env=cli_env)
    assert p.returncode == 0, p.stderr
    assert '"id": "gpt-4o"' in p.stdout and '"object": "model"' in p.stdout


def test_cli_models_delete_decodes_percent_3a(mock, cli_env):
    p = _cli(mock.base_url, "sk-test", "models.delete", "-i", "curie:ft-x", env=cli_env)
    assert p.returncode == 1, (p.returncode, p.stdout, p.stderr)
    assert "The model 'curie:ft-x' does not exist" in p.stderr, p.stderr
    assert "(HTTP status code: 404)" in p.stderr
    assert mock.journal()[-1]["path"] == "/v1/models/curie%3Aft-x"


def test_cli_models_delete_base_model_refused(mock, cli_env):
    p = _cli(mock.base_url, "sk-test", "models.delete", "-i", "gpt-4o", env=cli_env)
    assert p.returncode == 1
    assert "(HTTP status code: 403)" in p.stderr, p.stderr


def test_cli_wrong_key(start_server, cli_env):
    srv = start_server("--api-key", GOOD_KEY)
    ok = _cli(srv.base_url, GOOD_KEY, "models.list", env=cli_env)
    assert ok.returncode == 0, ok.stderr
    bad = _cli(srv.base_url, WRONG_KEY, "models.list", env=cli_env)
    assert bad.returncode == 1
    assert "Incorrect API key provided: sk-le***zz." in bad.stderr, bad.stderr
    assert "(HTTP status code: 401)" in bad.stderr
