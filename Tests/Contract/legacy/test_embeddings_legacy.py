"""openai 0.28.1: Embedding.create (asks for base64, decodes with numpy) and Moderation.create."""
import math

import openai
import openai.error
import pytest


def norm(v):
    return math.sqrt(sum(x * x for x in v))


def cosine(a, b):
    return sum(x * y for x, y in zip(a, b)) / (norm(a) * norm(b))


def test_embedding_create_default_base64_decoded_by_numpy(legacy):
    res = legacy.Embedding.create(model="text-embedding-ada-002", input="hello world")
    assert res["object"] == "list"
    emb = res["data"][0]["embedding"]
    assert isinstance(emb, list) and len(emb) == 1536
    assert abs(norm(emb) - 1) < 1e-4
    assert res["usage"]["prompt_tokens"] == res["usage"]["total_tokens"] > 0


def test_embedding_create_explicit_float_matches(legacy):
    default = legacy.Embedding.create(model="text-embedding-3-small", input="same")["data"][0]["embedding"]
    floats = legacy.Embedding.create(model="text-embedding-3-small", input="same",
                                     encoding_format="float")["data"][0]["embedding"]
    assert default == pytest.approx(floats, abs=1e-7)


def test_embedding_create_batch_and_similarity(legacy):
    res = legacy.Embedding.create(model="text-embedding-3-small",
                                  input=["I like apples", "I like bananas",
                                         "We the People of the United States, in Order to form a more perfect Union"])
    a, b, far = (d["embedding"] for d in res["data"])
    assert [d["index"] for d in res["data"]] == [0, 1, 2]
    assert cosine(a, b) > cosine(a, far)


def test_embedding_errors(legacy):
    with pytest.raises(openai.error.InvalidRequestError) as exc:
        legacy.Embedding.create(model="text-embedding-ada-002", input="x", dimensions=8)
    assert exc.value.http_status == 400
    assert exc.value.user_message == "This model does not support specifying dimensions."
    with pytest.raises(openai.error.InvalidRequestError) as exc:
        legacy.Embedding.create(model="text-embedding-3-small", input="")
    assert exc.value.http_status == 400


def test_moderation_create(legacy):
    res = legacy.Moderation.create(input="I will kill you and your family tonight")
    assert res["id"].startswith("modr-")
    r = res["results"][0]
    assert r["flagged"] is True
    assert r["categories"]["violence"] is True
    assert r["categories"]["harassment/threatening"] is True
    benign = legacy.Moderation.create(input="我想预订明天晚上七点的两人桌，靠窗的位置。")
    assert benign["results"][0]["flagged"] is False


def test_moderation_text_model(legacy):
    res = legacy.Moderation.create(input=["hello", "我要杀了你全家"], model="text-moderation-latest")
    assert [r["flagged"] for r in res["results"]] == [False, True]
    assert res["results"][0]["categories"]["illicit"] is None
