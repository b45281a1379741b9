"""POST /v1/completions with the current SDK, the tutorials' calls, curl -N, and determinism across processes."""
import json
import shutil
import subprocess

import openai
import pytest

from mockserver import DEFAULT_KEY

ENTITY_PROMPT = ("Extract the company names from the text below.\n\n"
                 "Text: Apple and Microsoft announced a partnership with OpenAI.\n\n###\n\n")


def test_completion_shape(client):
    res = client.completions.create(model="gpt-3.5-turbo-instruct", prompt="Once upon a time")
    assert res.object == "text_completion" and res.id.startswith("cmpl-")
    assert res.choices[0].finish_reason == "length" and res.usage.completion_tokens == 16
    assert res.choices[0].logprobs is None


def test_several_prompts_times_n_and_echo_logprobs(client, mock):
    res = client.completions.create(model="davinci-002", prompt=["Alpha", "Beta"], n=2, max_tokens=5)
    assert [c.index for c in res.choices] == [0, 1, 2, 3]
    # The real API answers `echo` + `logprobs` with a null first logprob, which the SDK's types do not
    # admit (`List[float]`): like against the real API, only a non-validating client reads it.
    lax = openai.OpenAI(base_url=mock.base_url, api_key=DEFAULT_KEY, max_retries=0)
    res = lax.completions.create(model="gpt-3.5-turbo-instruct", prompt="Hello world", echo=True, logprobs=2,
                                    max_tokens=4)
    lp = res.choices[0].logprobs
    assert res.choices[0].text.startswith("Hello world")
    assert "".join(lp.tokens) == res.choices[0].text
    assert lp.token_logprobs[0] is None and lp.top_logprobs[0] is None
    assert lp.text_offset[0] == 0 and len(lp.top_logprobs[1]) == 2


def test_token_prompts(client):
    res = client.completions.create(model="babbage-002", prompt=[[15339, 1917], [9906]], max_tokens=3)
    assert len(res.choices) == 2 and res.usage.prompt_tokens == 3


def lax_client(mock):
    """A non-validating client: streamed legacy completions carry `finish_reason: null` (as the real API's do),
    which the SDK's `Completion` type (a non-null Literal) rejects under strict validation."""
    return openai.OpenAI(base_url=mock.base_url, api_key=DEFAULT_KEY, max_retries=0)


def test_streamed_completion_matches_plain(client, mock):
    kwargs = dict(model="gpt-3.5-turbo-instruct", prompt="The sky is", max_tokens=12)
    plain = client.completions.create(**kwargs)
    chunks = list(lax_client(mock).completions.create(stream=True, stream_options={"include_usage": True}, **kwargs))
    assert "".join(c.choices[0].text for c in chunks if c.choices) == plain.choices[0].text
    assert chunks[-1].choices == [] and chunks[-1].usage == plain.usage


def test_chat_model_on_completions_is_404(client):
    with pytest.raises(openai.NotFoundError) as info:
        client.completions.create(model="gpt-4o", prompt="x")
    assert "This is a chat model and not supported in the v1/completions endpoint" in info.value.message


def test_tutorial_story_stream(mock):
    stream = lax_client(mock).completions.create(model="gpt-3.5-turbo-instruct", prompt="宋,发射激光,艰难 ->\n", stop=["."],
                                       max_tokens=200, stream=True)
    chunks = list(stream)
    text = "".join(c.choices[0].text for c in chunks)
    assert text and any("\u4e00" <= ch <= "\u9fff" for ch in text)
    assert chunks[-1].choices[0].finish_reason in ("stop", "length")


def test_tutorial_interview_bot(client):
    prompt = ("The following is an interview between a Human and DSA, a data structures expert.\n\n"
              "Human: What is a hash table?\nDSA:")
    res = client.completions.create(model="gpt-3.5-turbo-instruct", prompt=prompt, stop=["\n", " Human:", " DSA:"],
                                    max_tokens=150, temperature=0.9)
    text = res.choices[0].text
    assert "\n" not in text and " Human:" not in text and " DSA:" not in text
    assert res.choices[0].finish_reason == "stop"


def test_tutorial_entity_extraction(client):
    res = client.completions.create(model="davinci-002", prompt=ENTITY_PROMPT, max_tokens=40, temperature=0,
                                    stop=["\n\n###\n\n", "END"])
    assert res.choices[0].text


# --------------------------------------------------------------------------------------- curl -N
@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_curl_streams_sse(mock):
    body = json.dumps({"model": "gpt-4o", "stream": True, "messages": [{"role": "user", "content": "Hi"}]})
    out = subprocess.run(["curl", "-sN", "-H", f"Authorization: Bearer {DEFAULT_KEY}", "-H",
                          "Content-Type: application/json", "-d", body, mock.base_url + "/chat/completions"],
                         capture_output=True, timeout=30, check=True).stdout.decode()
    events = [e for e in out.split("\n\n") if e]
    assert all(e.startswith("data: ") for e in events)
    assert events[-1] == "data: [DONE]" and out.endswith("data: [DONE]\n\n")
    first = json.loads(events[0][6:])
    assert first["object"] == "chat.completion.chunk" and first["choices"][0]["delta"]["role"] == "assistant"


# --------------------------------------------------------------------------------- determinism
REQUESTS = [
    ("/v1/chat/completions", {"model": "gpt-4o", "messages": [{"role": "user", "content": "Tell me a story."}]}),
    ("/v1/chat/completions", {"model": "gpt-4o", "n": 2, "logprobs": True, "top_logprobs": 2,
                              "messages": [{"role": "user", "content": "请写一首诗"}]}),
    ("/v1/chat/completions", {"model": "gpt-4o", "tools": [{"type": "function", "function": {
        "name": "get_weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}],
        "messages": [{"role": "user", "content": "weather in Oslo?"}]}),
    ("/v1/chat/completions", {"model": "gpt-4o", "stream": True, "stream_options": {"include_usage": True},
                              "messages": [{"role": "user", "content": "Stream please"}]}),
    ("/v1/completions", {"model": "gpt-3.5-turbo-instruct", "prompt": ["a", "b"], "n": 2, "logprobs": 3,
                         "echo": True}),
    ("/v1/completions", {"model": "gpt-3.5-turbo-instruct", "prompt": "x", "stream": True}),
]


def test_two_processes_give_identical_bytes(start_server):
    a, b = start_server(), start_server()
    for path, body in REQUESTS:
        ra = a.request("POST", path, body)
        rb = b.request("POST", path, body)
        assert ra[0] == rb[0] == 200, (path, ra[2][:300])
        assert ra[2] == rb[2], f"{path} differs between processes"
    c = start_server("--seed", "7")
    path, body = REQUESTS[0]
    assert c.request("POST", path, body)[2] != a.request("POST", path, body)[2]
