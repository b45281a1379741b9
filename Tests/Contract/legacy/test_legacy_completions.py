"""openai 0.28.1: Completion.create and ChatCompletion.create, plain and streamed, as the tutorials call them."""
import json

import openai
import openai.error
import pytest


def test_chat_completion(legacy):
    res = legacy.ChatCompletion.create(model="gpt-3.5-turbo", messages=[{"role": "user", "content": "Hello"}])
    assert res["object"] == "chat.completion"
    assert res.choices[0].message.role == "assistant" and res.choices[0].message.content
    assert res.usage.total_tokens == res.usage.prompt_tokens + res.usage.completion_tokens


def test_chat_completion_stream(legacy):
    plain = legacy.ChatCompletion.create(model="gpt-3.5-turbo", messages=[{"role": "user", "content": "Hello"}])
    chunks = list(legacy.ChatCompletion.create(model="gpt-3.5-turbo", stream=True,
                                               messages=[{"role": "user", "content": "Hello"}]))
    assert chunks[0].choices[0].delta.role == "assistant"
    text = "".join(c.choices[0].delta.get("content", "") for c in chunks)
    assert text == plain.choices[0].message.content
    assert chunks[-1].choices[0].finish_reason == "stop"


def test_chat_functions(legacy):
    res = legacy.ChatCompletion.create(
        model="gpt-3.5-turbo", messages=[{"role": "user", "content": "What's the weather like in Boston?"}],
        functions=[{"name": "get_current_weather", "description": "Get the current weather in a given location",
                    "parameters": {"type": "object", "properties": {
                        "location": {"type": "string", "description": "The city and state, e.g. San Francisco, CA"},
                        "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}}, "required": ["location"]}}],
        function_call="auto")
    msg = res.choices[0].message
    assert res.choices[0].finish_reason == "function_call"
    assert msg.function_call.name == "get_current_weather"
    assert json.loads(msg.function_call.arguments)["location"]


def test_completion(legacy):
    res = legacy.Completion.create(model="gpt-3.5-turbo-instruct", prompt="Say this is a test", max_tokens=7)
    assert res["object"] == "text_completion"
    assert res.choices[0].text and res.choices[0].finish_reason in ("length", "stop")
    assert res.usage.completion_tokens <= 7


def test_tutorial_story_stream(legacy):
    """The story tutorial: a Chinese prompt, stop at '.', streamed."""
    pieces = []
    for chunk in legacy.Completion.create(model="gpt-3.5-turbo-instruct", prompt="宋,发射激光,艰难 ->\n", stop=["."],
                                          max_tokens=200, temperature=0.8, stream=True):
        pieces.append(chunk.choices[0].text)
        last = chunk
    text = "".join(pieces)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text)
    assert "." not in text
    assert last.choices[0].finish_reason in ("stop", "length")


def test_tutorial_interview_bot(legacy):
    """The interview bot: stops on a newline or either speaker's tag."""
    prompt = ("The following is an interview between a Human and DSA, an expert on data structures and algorithms.\n\n"
              "Human: Can you explain binary search?\nDSA:")
    res = legacy.Completion.create(model="gpt-3.5-turbo-instruct", prompt=prompt, temperature=0.9, max_tokens=150,
                                   top_p=1, frequency_penalty=0, presence_penalty=0.6,
                                   stop=["\n", " Human:", " DSA:"])
    text = res.choices[0].text
    assert text and "\n" not in text and "Human:" not in text and "DSA:" not in text
    assert res.choices[0].finish_reason == "stop"


def test_tutorial_entity_extraction(legacy):
    prompt = ("Extract the name and mailing address from this email:\n\n"
              "Dear Kelly, It was great to talk to you at the seminar. I thought Jane's talk was quite good. "
              "Thank you for the book. Here's my address 2111 Ash Lane, Crestview CA 92002\n\nBest,\n\nMaya\n\n###\n\n")
    res = legacy.Completion.create(model="davinci-002", prompt=prompt, temperature=0, max_tokens=64, stop=[" END"])
    assert res.choices[0].text


def test_streamed_completion_with_several_choices(legacy):
    seen = {}
    for chunk in legacy.Completion.create(model="gpt-3.5-turbo-instruct", prompt=["a", "b"], n=2, max_tokens=4,
                                          stream=True):
        c = chunk.choices[0]
        seen.setdefault(c.index, []).append(c.text)
    assert sorted(seen) == [0, 1, 2, 3]


def test_errors(legacy):
    with pytest.raises(openai.error.InvalidRequestError) as info:
        legacy.Completion.create(model="gpt-4o", prompt="x")
    assert "This is a chat model" in str(info.value)
    with pytest.raises(openai.error.InvalidRequestError) as info:
        legacy.ChatCompletion.create(model="gpt-3.5-turbo", messages=[{"role": "user", "content": "x"}], n=500)
    assert info.value.param == "n"
