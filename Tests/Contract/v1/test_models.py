"""GET/DELETE /v1/models with the current SDK (strict validation, no retries)."""
import urllib.parse

import openai
import pytest

from mockserver import assert_openai_error

EXPECTED_IDS = [
    "gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-3.5-turbo",
    "gpt-3.5-turbo-instruct", "davinci-002", "babbage-002", "ada", "babbage", "curie", "davinci",
    "text-embedding-ada-002", "text-embedding-3-small", "text-embedding-3-large",
    "omni-moderation-latest", "text-moderation-latest",
]


def test_list_contains_current_and_legacy_models(client):
    page = client.models.list()
    assert page.object == "list"
    ids = [m.id for m in page.data]
    missing = [i for i in EXPECTED_IDS if i not in ids]
    assert not missing, f"catalogue lacks {missing}"
    assert len(ids) == len(set(ids)), "duplicate ids in /v1/models"
    for m in page.data:
        assert m.object == "model"
        assert isinstance(m.created, int) and m.created > 1_500_000_000, m
        assert isinstance(m.owned_by, str) and m.owned_by, m


def test_list_iterates_without_pagination(client):
    # SyncPage: iterating must stop after one page (no has_more / cursor loop).
    ids = [m.id for m in client.models.list()]
    assert "gpt-4o" in ids


def test_retrieve(client):
    m = client.models.retrieve("gpt-4o")
    assert m.id == "gpt-4o"
    assert m.object == "model"
    assert isinstance(m.created, int) and m.created > 1_500_000_000
    assert m.owned_by in ("openai", "system", "openai-internal")


@pytest.mark.parametrize("model_id", ["davinci-002", "text-embedding-3-small", "omni-moderation-latest", "curie"])
def test_retrieve_matches_list_entry(client, model_id):
    listed = {m.id: m for m in client.models.list().data}
    got = client.models.retrieve(model_id)
    assert got.model_dump() == listed[model_id].model_dump()


def test_request_id_matches_header(client):
    raw = client.models.with_raw_response.retrieve("gpt-4o")
    header = raw.headers["x-request-id"]
    assert header.startswith("req_") and len(header) > len("req_")
    model = raw.parse()
    assert model._request_id == header
    page = client.models.list()
    assert page._request_id.startswith("req_")


def test_retrieve_unknown_is_not_found(client):
    with pytest.raises(openai.NotFoundError) as exc:
        client.models.retrieve("gpt-nope")
    e = exc.value
    assert e.status_code == 404
    assert e.code == "model_not_found"
    assert e.type == "invalid_request_error"
    assert e.body["message"] == "The model `gpt-nope` does not exist or you do not have access to it."
    assert e.message == "Error code: 404 - The model `gpt-nope` does not exist or you do not have access to it."
    assert e.request_id and e.request_id.startswith("req_")


def test_delete_base_model_is_refused(client):
    # Server documents base-model deletion as 403 (Models.swift: code model_not_deletable).
    with pytest.raises(openai.PermissionDeniedError) as exc:
        client.models.delete("gpt-4o")
    e = exc.value
    assert e.status_code == 403
    assert e.code == "model_not_deletable"
    assert "gpt-4o" in e.body["message"]
    # still there afterwards
    assert client.models.retrieve("gpt-4o").id == "gpt-4o"


def test_delete_unknown_is_not_found(client):
    with pytest.raises(openai.NotFoundError) as exc:
        client.models.delete("gpt-nope")
    e = exc.value
    assert e.code == "model_not_found"
    assert e.body["message"] == "The model 'gpt-nope' does not exist"


FT_IDS = ["ft:gpt-4o-mini-2024-07-18:my-org:custom:abc123", "curie:ft-personal-2023-01-01-00-00-00",
          "ft:gpt-3.5-turbo:org::id"]


@pytest.mark.parametrize("model_id", FT_IDS)
def test_colon_ids_raw_from_sdk(client, mock, model_id):
    # v1 leaves ':' raw in the path; the server must route it and name the id verbatim.
    with pytest.raises(openai.NotFoundError) as exc:
        client.models.retrieve(model_id)
    assert exc.value.body["message"] == f"The model `{model_id}` does not exist or you do not have access to it."
    sent = mock.journal()[-1]["path"]
    assert sent == f"/v1/models/{model_id}", sent


@pytest.mark.parametrize("model_id", FT_IDS)
def test_colon_ids_percent_encoded(mock, model_id):
    # 0.28 sends quote_plus(id): ':' → %3A. The server must decode it.
    encoded = urllib.parse.quote_plus(model_id)
    assert "%3A" in encoded
    status, headers, body = mock.request("GET", f"/v1/models/{encoded}")
    assert_openai_error(status, headers, body, 404, code="model_not_found",
                        message=f"The model `{model_id}` does not exist or you do not have access to it.")
    status, headers, body = mock.request("DELETE", f"/v1/models/{encoded}")
    assert_openai_error(status, headers, body, 404, code="model_not_found",
                        message=f"The model '{model_id}' does not exist")


def test_percent_encoded_known_model_is_found(mock):
    status, _, body = mock.request("GET", "/v1/models/gpt%2D4o")
    assert status == 200, body
    assert b'"id":"gpt-4o"' in body.replace(b" ", b"")


def test_slash_and_space_in_ids(client, mock):
    # v1 encodes '/' as %2F: still one path parameter, decoded.
    with pytest.raises(openai.NotFoundError) as exc:
        client.models.retrieve("org/model x")
    assert exc.value.body["message"] == "The model `org/model x` does not exist or you do not have access to it."
    # 0.28 encodes a space as '+'.
    status, headers, body = mock.request("GET", "/v1/models/my+model%2Fv2")
    assert_openai_error(status, headers, body, 404,
                        message="The model `my model/v2` does not exist or you do not have access to it.")
