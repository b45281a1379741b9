"""POST /v1/embeddings with the current SDK (strict validation, no retries) and raw HTTP."""
import base64
import json
import math
import struct

import openai
import pytest

from mockserver import assert_openai_error

CONSTITUTION = ("We the People of the United States, in Order to form a more perfect Union, establish Justice, "
                "insure domestic Tranquility, provide for the common defence, promote the general Welfare, and "
                "secure the Blessings of Liberty to ourselves and our Posterity, do ordain and establish this "
                "Constitution for the United States of America.")
ARTICLE_ONE = ("All legislative Powers herein granted shall be vested in a Congress of the United States, which "
               "shall consist of a Senate and House of Representatives.")
INVALID_INPUT = ("'$.input' is invalid. Please check the API reference: "
                 "https://platform.openai.com/docs/api-reference.")


@pytest.fixture
def sdk(mock):
    """A default (non-strict) client: the SDK's strict mode validates the base64 string it asked
    for against `List[float]` before decoding it, which fails against the real API too."""
    c = openai.OpenAI(base_url=mock.base_url, api_key="sk-test", max_retries=0, timeout=30)
    yield c
    c.close()


def cosine(a, b):
    return sum(x * y for x, y in zip(a, b)) / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)))


def norm(v):
    return math.sqrt(sum(x * x for x in v))


def decode_b64(s):
    raw = base64.b64decode(s)
    return list(struct.unpack(f"<{len(raw) // 4}f", raw))


def test_default_call_decodes_to_unit_floats(sdk):
    res = sdk.embeddings.create(model="text-embedding-3-small", input="hello world")
    assert res.object == "list"
    assert res.model == "text-embedding-3-small"
    assert len(res.data) == 1
    item = res.data[0]
    assert item.object == "embedding" and item.index == 0
    assert isinstance(item.embedding, list) and len(item.embedding) == 1536
    assert abs(norm(item.embedding) - 1) < 1e-4
    assert res.usage.prompt_tokens == res.usage.total_tokens > 0
    # The SDK asked for base64 on the caller's behalf, and decoded it.
    raw = sdk.embeddings.with_raw_response.create(model="text-embedding-3-small", input="hello world")
    wire = raw.http_response.json()["data"][0]["embedding"]
    assert isinstance(wire, str)
    assert raw.parse().data[0].embedding == pytest.approx(decode_b64(wire), abs=0)


def test_explicit_float_and_base64_agree(sdk):
    floats = sdk.embeddings.create(model="text-embedding-3-small", input="same text", encoding_format="float")
    b64 = sdk.embeddings.create(model="text-embedding-3-small", input="same text", encoding_format="base64")
    default = sdk.embeddings.create(model="text-embedding-3-small", input="same text")
    assert isinstance(b64.data[0].embedding, str)
    decoded = decode_b64(b64.data[0].embedding)
    assert decoded == pytest.approx(floats.data[0].embedding, abs=1e-7)
    assert default.data[0].embedding == pytest.approx(floats.data[0].embedding, abs=1e-7)


def test_strict_validation_with_float_lists(client):
    """The strict client (every response field type-checked) with the float format."""
    res = client.embeddings.create(model="text-embedding-3-small", input=["a"], encoding_format="float")
    assert len(res.data[0].embedding) == 1536
    res = client.embeddings.create(model="text-embedding-3-large", input=[[15339, 1917], [87]],
                                   encoding_format="float", dimensions=64)
    assert [len(d.embedding) for d in res.data] == [64, 64]
    assert res.usage.prompt_tokens == 3


def test_numpy_decode():
    np = pytest.importorskip("numpy")
    arr = np.frombuffer(base64.b64decode("AAAAPwAAoL8AAABA"), dtype="float32")
    assert arr.tolist() == [0.5, -1.25, 2.0]


def test_numpy_decode_of_server_vector(sdk):
    np = pytest.importorskip("numpy")
    b64 = sdk.embeddings.create(model="text-embedding-3-large", input="numpy", encoding_format="base64")
    arr = np.frombuffer(base64.b64decode(b64.data[0].embedding), dtype="float32")
    assert arr.shape == (3072,)
    assert abs(float(np.linalg.norm(arr)) - 1) < 1e-4


@pytest.mark.parametrize("model,size", [("text-embedding-ada-002", 1536), ("text-embedding-3-small", 1536),
                                        ("text-embedding-3-large", 3072)])
def test_native_sizes(sdk, model, size):
    res = sdk.embeddings.create(model=model, input="size check")
    assert len(res.data[0].embedding) == size


def test_dimensions_truncate_and_renormalise(sdk):
    full = sdk.embeddings.create(model="text-embedding-3-large", input="matryoshka", encoding_format="float")
    cut = sdk.embeddings.create(model="text-embedding-3-large", input="matryoshka", dimensions=256)
    v = cut.data[0].embedding
    assert len(v) == 256
    assert abs(norm(v) - 1) < 1e-4
    prefix = full.data[0].embedding[:256]
    n = norm(prefix)
    assert v == pytest.approx([x / n for x in prefix], abs=1e-5)


def test_ada_rejects_dimensions(sdk):
    with pytest.raises(openai.BadRequestError) as exc:
        sdk.embeddings.create(model="text-embedding-ada-002", input="x", dimensions=256)
    assert exc.value.status_code == 400
    assert exc.value.body["message"] == "This model does not support specifying dimensions."


def test_dimensions_out_of_range(sdk):
    with pytest.raises(openai.BadRequestError) as exc:
        sdk.embeddings.create(model="text-embedding-3-small", input="x", dimensions=4096)
    assert exc.value.param == "dimensions"
    assert exc.value.code == "integer_above_max_value"


def test_all_four_input_forms(sdk):
    one = sdk.embeddings.create(model="text-embedding-3-small", input="one")
    many = sdk.embeddings.create(model="text-embedding-3-small", input=["a", "b", "c"])
    tokens = sdk.embeddings.create(model="text-embedding-3-small", input=[15339, 1917])
    token_lists = sdk.embeddings.create(model="text-embedding-3-small", input=[[15339, 1917], [87]])
    assert [d.index for d in one.data] == [0]
    assert [d.index for d in many.data] == [0, 1, 2]
    assert [d.index for d in tokens.data] == [0]
    assert tokens.usage.prompt_tokens == 2
    assert [d.index for d in token_lists.data] == [0, 1]
    assert token_lists.usage.prompt_tokens == 3
    # Same token array, same vector.
    again = sdk.embeddings.create(model="text-embedding-3-small", input=[[15339, 1917]])
    assert again.data[0].embedding == token_lists.data[0].embedding


@pytest.mark.parametrize("bad", ["", [], [""], ["ok", ""], [[]], ["a", 1], [-1]])
def test_invalid_inputs(sdk, bad):
    with pytest.raises(openai.BadRequestError) as exc:
        sdk.embeddings.create(model="text-embedding-3-small", input=bad)
    assert exc.value.body["message"] == INVALID_INPUT


def test_too_many_inputs(sdk):
    with pytest.raises(openai.BadRequestError) as exc:
        sdk.embeddings.create(model="text-embedding-3-small", input=["x"] * 2049)
    assert exc.value.body["message"] == INVALID_INPUT
    ok = sdk.embeddings.create(model="text-embedding-3-small", input=["x"] * 2048)
    assert len(ok.data) == 2048


def test_per_input_token_limit(sdk):
    with pytest.raises(openai.BadRequestError) as exc:
        sdk.embeddings.create(model="text-embedding-3-small", input=[[1], [1] * 8193])
    assert exc.value.body["message"] == "Invalid 'input[1]': maximum input length is 8192 tokens."


def test_per_request_token_limit(sdk):
    with pytest.raises(openai.BadRequestError) as exc:
        sdk.embeddings.create(model="text-embedding-3-small", input=[[1] * 8192] * 37)
    assert exc.value.body["message"] == "Requested 303104 tokens, max 300000 tokens per request"
    assert exc.value.code == "max_tokens_per_request"


def test_unknown_and_wrong_models(sdk):
    with pytest.raises(openai.NotFoundError) as exc:
        sdk.embeddings.create(model="text-embedding-9", input="x")
    assert exc.value.code == "model_not_found"
    with pytest.raises(openai.PermissionDeniedError):
        sdk.embeddings.create(model="gpt-4o", input="x")


def test_deterministic(sdk):
    a = sdk.embeddings.create(model="text-embedding-3-small", input=["alpha", "beta"])
    b = sdk.embeddings.create(model="text-embedding-3-small", input=["alpha", "beta"])
    assert [d.embedding for d in a.data] == [d.embedding for d in b.data]


@pytest.mark.parametrize("far", [CONSTITUTION, ARTICLE_ONE])
def test_similarity_english(sdk, far):
    res = sdk.embeddings.create(model="text-embedding-3-small", input=["I like apples", "I like bananas", far])
    apples, bananas, other = (d.embedding for d in res.data)
    assert cosine(apples, bananas) > cosine(apples, other)


def test_similarity_chinese(sdk):
    res = sdk.embeddings.create(model="text-embedding-3-small",
                                   input=["我喜欢吃苹果", "我喜欢吃香蕉", "全国人民代表大会是中华人民共和国的最高国家权力机关。"])
    a, b, far = (d.embedding for d in res.data)
    assert cosine(a, b) > cosine(a, far)


def test_raw_request_without_encoding_format_gets_floats(mock):
    """litellm omits encoding_format and expects float lists."""
    status, headers, body = mock.request("POST", "/v1/embeddings",
                                         {"model": "text-embedding-3-small", "input": ["x", "y"]})
    assert status == 200
    data = json.loads(body)
    assert list(data) == ["object", "data", "model", "usage"]
    assert list(data["data"][0]) == ["object", "index", "embedding"]
    assert isinstance(data["data"][0]["embedding"], list)
    assert all(isinstance(x, float) for x in data["data"][0]["embedding"])


def test_raw_error_shape(mock):
    status, headers, body = mock.request("POST", "/v1/embeddings", {"model": "text-embedding-3-small"})
    assert_openai_error(status, headers, body, 400, message="Missing required parameter: 'input'.", param="input",
                        code="missing_required_parameter")
