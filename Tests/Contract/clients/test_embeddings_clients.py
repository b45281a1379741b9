"""Embeddings through the frameworks: langchain-openai (token arrays via offline tiktoken), LlamaIndex
OpenAIEmbedding, litellm (float path, no encoding_format), and the tutorial's similarity check."""
import math

import pytest

from mockserver import DEFAULT_KEY

APPLES, BANANAS = "I like apples", "I like bananas"
CONSTITUTION = ("We the People of the United States, in Order to form a more perfect Union, establish Justice, "
                "insure domestic Tranquility, provide for the common defence, promote the general Welfare, and "
                "secure the Blessings of Liberty to ourselves and our Posterity, do ordain and establish this "
                "Constitution for the United States of America.")
ZH_A, ZH_B, ZH_FAR = "我喜欢吃苹果", "我喜欢吃香蕉", "全国人民代表大会是中华人民共和国的最高国家权力机关。"


def cosine(a, b):
    return sum(x * y for x, y in zip(a, b)) / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)))


# ------------------------------------------------------------------------------------ langchain
def _lc(mock, **kw):
    from langchain_openai import OpenAIEmbeddings
    return OpenAIEmbeddings(model="text-embedding-3-small", base_url=mock.base_url, api_key=DEFAULT_KEY,
                            max_retries=0, **kw)


def test_langchain_sends_token_arrays_and_decodes(mock):
    emb = _lc(mock)
    vectors = emb.embed_documents([APPLES, BANANAS, CONSTITUTION])
    assert [len(v) for v in vectors] == [1536] * 3
    body = mock.journal("/v1/embeddings")[-1]["body"]
    assert all(isinstance(item, list) and all(isinstance(t, int) for t in item) for item in body["input"]), body
    assert cosine(vectors[0], vectors[1]) > cosine(vectors[0], vectors[2])
    query = emb.embed_query(APPLES)
    assert query == pytest.approx(vectors[0], abs=1e-6)


def test_langchain_chinese_similarity(mock):
    a, b, far = _lc(mock).embed_documents([ZH_A, ZH_B, ZH_FAR])
    assert cosine(a, b) > cosine(a, far)


def test_langchain_raw_strings_and_dimensions(mock):
    emb = _lc(mock, check_embedding_ctx_length=False, dimensions=256)
    a, b, far = emb.embed_documents([APPLES, BANANAS, CONSTITUTION])
    assert len(a) == 256
    assert abs(math.sqrt(sum(x * x for x in a)) - 1) < 1e-4
    assert cosine(a, b) > cosine(a, far)
    body = mock.journal("/v1/embeddings")[-1]["body"]
    assert body["input"] == [APPLES, BANANAS, CONSTITUTION]
    assert body["dimensions"] == 256


def test_langchain_async(mock):
    import asyncio
    vectors = asyncio.run(_lc(mock).aembed_documents([APPLES, BANANAS]))
    assert len(vectors) == 2 and len(vectors[0]) == 1536


# ------------------------------------------------------------------------------------ llama-index
def test_llamaindex_openai_embedding(mock):
    pytest.importorskip("llama_index.embeddings.openai")
    from llama_index.embeddings.openai import OpenAIEmbedding
    emb = OpenAIEmbedding(model="text-embedding-3-small", api_base=mock.base_url, api_key=DEFAULT_KEY, max_retries=0)
    one = emb.get_text_embedding(APPLES)
    batch = emb.get_text_embedding_batch([APPLES, BANANAS, CONSTITUTION])
    assert len(one) == 1536
    assert one == pytest.approx(batch[0], abs=1e-6)
    assert cosine(batch[0], batch[1]) > cosine(batch[0], batch[2])
    query = emb.get_query_embedding(ZH_A)
    assert cosine(query, emb.get_text_embedding(ZH_B)) > cosine(query, emb.get_text_embedding(ZH_FAR))


# ------------------------------------------------------------------------------------ litellm
def test_litellm_embedding_float_path(mock):
    import litellm
    res = litellm.embedding(model="openai/text-embedding-3-small", input=[APPLES, BANANAS, CONSTITUTION],
                            api_base=mock.base_url, api_key=DEFAULT_KEY)
    body = mock.journal("/v1/embeddings")[-1]["body"]
    assert "encoding_format" not in body
    vectors = [d["embedding"] for d in res.data]
    assert all(isinstance(v, list) and len(v) == 1536 for v in vectors)
    assert cosine(vectors[0], vectors[1]) > cosine(vectors[0], vectors[2])
    assert res.usage.prompt_tokens > 0


def test_litellm_moderation(mock):
    import litellm
    res = litellm.moderation(input="I will kill you and your family tonight", model="omni-moderation-latest",
                             api_base=mock.base_url, api_key=DEFAULT_KEY)
    assert res.results[0].flagged is True
