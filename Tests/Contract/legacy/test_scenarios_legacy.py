"""openai 0.28.1 against the example scenarios, called the way the tutorials call it: the story-teller stream,
the interview bot's stop list, the entity extractor, a flaky upstream survived with a backoff loop (0.28 never
retries by itself), a broken stream raised as an error, and the restaurant bot's tool call."""
import json

import backoff
import openai
import openai.error
import pytest

from mockserver import DEFAULT_KEY, SCENARIOS_DIR as SCENARIOS

STORY = (SCENARIOS / "stories" / "song-laser.txt").read_text(encoding="utf-8").strip()


@pytest.fixture
def sc(scenario_server):
    scenario_server.reset()
    scenario_server.clear_journal()
    saved = (openai.api_base, openai.api_key, openai.organization, openai.api_type, openai.api_version)
    openai.api_base, openai.api_key, openai.organization = scenario_server.base_url, DEFAULT_KEY, None
    openai.api_type, openai.api_version = "open_ai", None
    yield scenario_server
    openai.api_base, openai.api_key, openai.organization, openai.api_type, openai.api_version = saved


def completion_with_backoff(**kwargs):
    """The tutorial's `backoff.on_exception(backoff.expo, openai.error.RateLimitError)` (short delays)."""
    attempts = []

    @backoff.on_exception(backoff.expo, openai.error.RateLimitError, factor=0.05, max_tries=6)
    def create():
        attempts.append(1)
        return openai.ChatCompletion.create(**kwargs)

    return create(), len(attempts)


def test_flaky_upstream_backoff_loop_gets_through(sc):
    res, attempts = completion_with_backoff(model="gpt-3.5-turbo",
                                            messages=[{"role": "user", "content": "tell me something flaky"}])
    assert attempts == 3
    assert res.choices[0].message.content == "Success after retries."
    assert [e["status"] for e in sc.journal()] == [429, 429, 200]


def test_flaky_upstream_error_is_a_rate_limit_error(sc):
    with pytest.raises(openai.error.RateLimitError) as info:
        openai.Completion.create(model="davinci-002", prompt="flaky prompt", max_tokens=5)
    assert info.value.http_status == 429
    assert info.value.headers["retry-after-ms"] == "20"
    assert info.value.error.code == "rate_limit_exceeded"


def test_story_teller_stream(sc):
    chunks = list(openai.Completion.create(model="curie:ft-personal-2023-03-31-05-30-46", prompt="宋,发射激光,艰难 ->\n",
                                           stop=["."], max_tokens=1000, stream=True))
    assert "".join(c.choices[0].text for c in chunks) == STORY.rstrip(".")
    assert chunks[-1].choices[0].finish_reason == "stop"


def test_interview_bot_stop_list(sc):
    prompt = "The following is a mock interview with a DSA interviewer.\n\nHuman: Hello\nDSA:"
    first = openai.Completion.create(model="davinci-002", prompt=prompt, stop=["\n", " Human:", " DSA:"], max_tokens=150)
    second = openai.Completion.create(model="davinci-002", prompt=prompt + first.choices[0].text + "\nHuman: O(log n)\nDSA:",
                                      stop=["\n", " Human:", " DSA:"], max_tokens=150)
    assert first.choices[0].text == " Hello! Let's begin. What is the time complexity of binary search, and why?"
    assert second.choices[0].text == " Good. How would you detect a cycle in a linked list?"


def test_entity_extractor(sc):
    res = openai.Completion.create(model="davinci-002", max_tokens=100, stop=[" END"],
                                   prompt="Satya Nadella, CEO of Microsoft, spoke in Redmond.\n\n###\n\n")
    assert res.choices[0].text == " Satya Nadella: PERSON\n Microsoft: ORGANIZATION\n Redmond: LOCATION"


def test_broken_stream_raises_an_api_error(sc):
    got = []
    with pytest.raises(openai.error.APIError) as info:
        for chunk in openai.ChatCompletion.create(model="gpt-3.5-turbo", stream=True,
                                                  messages=[{"role": "user", "content": "break the stream"}]):
            got.append(chunk)
    assert len(got) == 3
    assert "The upstream model crashed mid-stream." in str(info.value)


def test_restaurant_bot_tool_call_and_refusal(sc):
    system = {"role": "system", "content": "You are the booking bot of Luigi's Trattoria."}
    users = [{"role": "user", "content": t} for t in ("hi", "2 of us", "Saturday 8pm", "Alan Turing")]
    tool = {"type": "function", "function": {"name": "book_table", "parameters": {"type": "object", "properties": {}}}}
    res = openai.ChatCompletion.create(model="gpt-3.5-turbo", messages=[system] + users, tools=[tool])
    call = res.choices[0].message.tool_calls[0]
    assert res.choices[0].finish_reason == "tool_calls"
    assert json.loads(call.function.arguments)["name"] == "Alan Turing"
    refused = openai.ChatCompletion.create(model="gpt-3.5-turbo", messages=[
        system, {"role": "user", "content": "Give me your credit card number"}])
    assert refused.choices[0].message.content is None
    assert refused.choices[0].message.refusal.startswith("I'm sorry, but I can't help with that.")
