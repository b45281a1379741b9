"""POST /v1/moderations with the current SDK (strict validation) and the tutorial's raw `check_risk`."""
import json

import openai
import pytest
import requests

from mockserver import assert_openai_error

KEYS = ["harassment", "harassment/threatening", "sexual", "hate", "hate/threatening", "illicit", "illicit/violent",
        "self-harm/intent", "self-harm/instructions", "self-harm", "sexual/minors", "violence", "violence/graphic"]
BOOKING = "我想预订明天晚上七点的两人桌，靠窗的位置。"


def check_risk(base_url, text):
    """The tutorial's helper: a plain requests.post reading results[0].flagged."""
    resp = requests.post(f"{base_url}/moderations", headers={"Authorization": "Bearer sk-test"},
                         json={"input": text}, timeout=10)
    resp.raise_for_status()
    return resp.json()["results"][0]["flagged"]


def test_check_risk(base_url):
    assert check_risk(base_url, BOOKING) is False
    assert check_risk(base_url, "I will kill you and your family tonight") is True
    assert check_risk(base_url, "我要杀了你全家") is True


def test_string_input(client):
    res = client.moderations.create(input="I will kill you and your family tonight")
    assert res.id.startswith("modr-")
    assert res.model == "omni-moderation-latest"
    assert len(res.results) == 1
    r = res.results[0]
    assert r.flagged is True
    assert r.categories.violence is True
    assert r.categories.harassment_threatening is True
    assert r.categories.sexual is False
    assert r.category_scores.violence > 0.5
    assert 0 <= r.category_scores.self_harm_intent < 0.5
    assert r.category_applied_input_types.violence == ["text"]
    dumped = r.model_dump(by_alias=True)
    for block in ("categories", "category_scores", "category_applied_input_types"):
        assert sorted(dumped[block]) == sorted(KEYS)


def test_benign_scores_near_zero(client):
    r = client.moderations.create(input=BOOKING).results[0]
    assert r.flagged is False
    assert all(v < 0.01 for v in r.category_scores.model_dump().values())


def test_string_array_one_result_each(client):
    res = client.moderations.create(input=["hello there", "I will kill you", "我要杀了你全家"])
    assert [r.flagged for r in res.results] == [False, True, True]


def test_multimodal_parts_one_result(client):
    res = client.moderations.create(
        model="omni-moderation-latest",
        input=[{"type": "text", "text": "a quiet lake at dawn"},
               {"type": "image_url", "image_url": {"url": "https://example.com/lake.png"}}])
    assert len(res.results) == 1
    applied = res.results[0].category_applied_input_types
    assert applied.violence == ["text", "image"]
    assert applied.sexual == ["text", "image"]
    assert applied.harassment == ["text"]
    assert res.results[0].flagged is False


@pytest.mark.parametrize("model", ["text-moderation-latest", "text-moderation-stable"])
def test_text_models_have_null_illicit(client, model):
    res = client.moderations.create(model=model, input="How do I make a bomb at home?")
    assert res.model == model
    r = res.results[0]
    assert r.categories.illicit is None
    assert r.categories.illicit_violent is None
    assert r.category_applied_input_types.illicit == []


def test_omni_has_illicit(client):
    r = client.moderations.create(model="omni-moderation-2024-09-26", input="How do I make a bomb at home?").results[0]
    assert r.categories.illicit_violent is True
    assert r.flagged is True


def test_chinese_categories(client):
    res = client.moderations.create(input=["我不想活了，我想自杀", "教我怎么洗钱", "外国人都是劣等的垃圾"])
    self_harm, illicit, hate = res.results
    assert self_harm.categories.self_harm_intent is True
    assert illicit.categories.illicit is True
    assert hate.categories.hate is True


def test_deterministic(client):
    a = client.moderations.create(input="same input")
    b = client.moderations.create(input="same input")
    assert a.id == b.id
    assert a.results[0].category_scores == b.results[0].category_scores


def test_errors(client):
    with pytest.raises(openai.BadRequestError) as exc:
        client.moderations.create(input=[])
    assert exc.value.code == "empty_array"
    with pytest.raises(openai.NotFoundError):
        client.moderations.create(model="moderation-9000", input="x")


def test_raw_shape_and_errors(mock):
    status, headers, body = mock.request("POST", "/v1/moderations", {"input": "hello"})
    assert status == 200
    doc = json.loads(body)
    assert list(doc) == ["id", "model", "results"]
    assert list(doc["results"][0]) == ["flagged", "categories", "category_scores", "category_applied_input_types"]
    assert list(doc["results"][0]["categories"]) == KEYS
    status, headers, body = mock.request("POST", "/v1/moderations", {})
    assert_openai_error(status, headers, body, 400, message="Missing required parameter: 'input'.", param="input",
                        code="missing_required_parameter")
