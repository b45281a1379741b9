"""POST /v1/chat/completions with the current SDK (strict response validation, no retries)."""
import asyncio
import json
from typing import List, Literal, Optional

import openai
import pydantic
import pytest

from mockserver import DEFAULT_KEY

WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get the current weather for a city",
        "strict": True,
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}},
            "required": ["city", "unit"],
            "additionalProperties": False,
        },
    },
}
STOCK = {
    "type": "function",
    "function": {
        "name": "get_stock_price",
        "description": "Latest stock price for a ticker",
        "parameters": {"type": "object", "properties": {"ticker": {"type": "string"}}, "required": ["ticker"]},
    },
}


def test_plain_call(client):
    res = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "Hello!"}])
    assert res.object == "chat.completion"
    assert res.id.startswith("chatcmpl-")
    assert res.model == "gpt-4o-mini"
    assert res.system_fingerprint.startswith("fp_") and len(res.system_fingerprint) == 13
    assert res.service_tier == "default"
    choice = res.choices[0]
    assert choice.index == 0 and choice.finish_reason == "stop"
    assert choice.message.role == "assistant" and choice.message.content
    assert choice.message.refusal is None
    u = res.usage
    assert u.total_tokens == u.prompt_tokens + u.completion_tokens
    assert u.prompt_tokens_details.cached_tokens == 0
    assert u.completion_tokens_details.reasoning_tokens == 0


def test_async_client(mock):
    async def run():
        async with openai.AsyncOpenAI(base_url=mock.base_url, api_key=DEFAULT_KEY, max_retries=0,
                                      _strict_response_validation=True) as c:
            res = await c.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hi"}], n=2)
            assert [ch.index for ch in res.choices] == [0, 1]
            stream = await c.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hi"}],
                                                     stream=True)
            text = "".join([ch.choices[0].delta.content or "" async for ch in stream])
            assert text == res.choices[0].message.content
    asyncio.run(run())


def test_streaming_matches_plain_and_reports_usage(client):
    msgs = [{"role": "user", "content": "Tell me about rivers."}]
    plain = client.chat.completions.create(model="gpt-4o", messages=msgs)
    chunks = list(client.chat.completions.create(model="gpt-4o", messages=msgs, stream=True,
                                                 stream_options={"include_usage": True}))
    assert all(c.object == "chat.completion.chunk" for c in chunks)
    assert chunks[0].choices[0].delta.role == "assistant"
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == plain.choices[0].message.content
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"
    assert all(c.usage is None for c in chunks[:-1])
    assert chunks[-1].choices == [] and chunks[-1].usage == plain.usage


def test_max_tokens_and_stop(client):
    res = client.chat.completions.create(model="gpt-4o", max_tokens=5, messages=[{"role": "user", "content": "Essay"}])
    assert res.choices[0].finish_reason == "length" and res.usage.completion_tokens <= 5
    res = client.chat.completions.create(model="gpt-4o", stop=["."], messages=[{"role": "user", "content": "Essay"}])
    assert "." not in res.choices[0].message.content and res.choices[0].finish_reason == "stop"


def test_logprobs(client):
    res = client.chat.completions.create(model="gpt-4o", logprobs=True, top_logprobs=2, max_tokens=8,
                                         messages=[{"role": "user", "content": "Hi"}])
    content = res.choices[0].logprobs.content
    assert "".join(t.token for t in content) == res.choices[0].message.content
    assert all(len(t.top_logprobs) == 2 and t.logprob <= 0 for t in content)


def test_determinism_and_seed(client):
    msgs = [{"role": "user", "content": "Describe a lighthouse."}]
    a = client.chat.completions.create(model="gpt-4o", messages=msgs)
    b = client.chat.completions.create(model="gpt-4o", messages=msgs)
    c = client.chat.completions.create(model="gpt-4o", messages=msgs, seed=1234)
    assert a.choices[0].message.content == b.choices[0].message.content
    assert c.choices[0].message.content != a.choices[0].message.content


def test_chinese_prompt_gets_chinese(client):
    res = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "请介绍一下长城"}])
    assert any("\u4e00" <= ch <= "\u9fff" for ch in res.choices[0].message.content)


def test_tool_call_and_round_trip(client):
    msgs = [{"role": "user", "content": "What's the weather in Paris?"}]
    res = client.chat.completions.create(model="gpt-4o", messages=msgs, tools=[WEATHER, STOCK])
    choice = res.choices[0]
    assert choice.finish_reason == "tool_calls" and choice.message.content is None
    call = choice.message.tool_calls[0]
    assert call.id.startswith("call_") and call.function.name == "get_weather"
    args = json.loads(call.function.arguments)
    assert set(args) == {"city", "unit"} and args["unit"] in ("celsius", "fahrenheit")
    msgs += [choice.message.model_dump(exclude_none=True),
             {"role": "tool", "tool_call_id": call.id, "content": "18 C, cloudy"}]
    final = client.chat.completions.create(model="gpt-4o", messages=msgs, tools=[WEATHER, STOCK])
    assert final.choices[0].finish_reason == "stop" and final.choices[0].message.content


def test_stream_helper_with_parallel_tools(client):
    msgs = [{"role": "user", "content": "What's the weather in Tokyo and the stock price of SONY?"}]
    with client.chat.completions.stream(model="gpt-4o", messages=msgs, tools=[WEATHER, STOCK]) as stream:
        events = [e.type for e in stream]
        final = stream.get_final_completion()
    assert "tool_calls.function.arguments.done" in events
    calls = final.choices[0].message.tool_calls
    assert [c.function.name for c in calls] == ["get_weather", "get_stock_price"]
    assert final.choices[0].finish_reason == "tool_calls"
    # strict tool → arguments parsed by the helper
    assert calls[0].function.parsed_arguments["unit"] in ("celsius", "fahrenheit")
    assert json.loads(calls[1].function.arguments)["ticker"]


class Place(pydantic.BaseModel):
    city: str
    floor: int


class CalendarEvent(pydantic.BaseModel):
    name: str
    date: str
    participants: List[str]
    priority: Literal["low", "high"]
    location: Optional[Place]


def test_parse_with_pydantic(client):
    res = client.chat.completions.parse(
        model="gpt-4o-2024-08-06", response_format=CalendarEvent,
        messages=[{"role": "system", "content": "Extract the event information."},
                  {"role": "user", "content": "Alice and Bob are going to a science fair on Friday."}])
    event = res.choices[0].message.parsed
    assert isinstance(event, CalendarEvent)
    assert event.priority in ("low", "high")


def test_stream_helper_with_response_format(client):
    with client.chat.completions.stream(model="gpt-4o", response_format=CalendarEvent,
                                        messages=[{"role": "user", "content": "Team sync on Monday"}]) as stream:
        for _ in stream:
            pass
        final = stream.get_final_completion()
    assert isinstance(final.choices[0].message.parsed, CalendarEvent)


def test_length_makes_parse_raise(client):
    with pytest.raises(openai.LengthFinishReasonError):
        client.chat.completions.parse(model="gpt-4o", response_format=CalendarEvent, max_tokens=3,
                                      messages=[{"role": "user", "content": "x"}])


def test_json_object(client):
    res = client.chat.completions.create(model="gpt-4o", response_format={"type": "json_object"},
                                         messages=[{"role": "user", "content": "Reply in JSON."}])
    assert isinstance(json.loads(res.choices[0].message.content), dict)


def test_legacy_functions(client):
    res = client.chat.completions.create(
        model="gpt-3.5-turbo", messages=[{"role": "user", "content": "weather in Berlin?"}],
        functions=[{"name": "get_weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}])
    assert res.choices[0].finish_reason == "function_call"
    assert res.choices[0].message.function_call.name == "get_weather"
    json.loads(res.choices[0].message.function_call.arguments)


@pytest.mark.parametrize("kwargs,status,code,param", [
    (dict(model="gpt-4o", messages=[]), 400, "empty_array", "messages"),
    (dict(model="gpt-4o", messages=[{"role": "user", "content": "x"}], temperature=3), 400, "decimal_above_max_value", "temperature"),
    (dict(model="o1", messages=[{"role": "user", "content": "x"}], max_tokens=5), 400, "unsupported_parameter", "max_tokens"),
    (dict(model="gpt-9", messages=[{"role": "user", "content": "x"}]), 404, "model_not_found", None),
    (dict(model="davinci-002", messages=[{"role": "user", "content": "x"}]), 404, None, "model"),
])
def test_errors_map_to_sdk_exceptions(client, kwargs, status, code, param):
    with pytest.raises(openai.APIStatusError) as info:
        client.chat.completions.create(**kwargs)
    assert info.value.status_code == status
    assert info.value.code == code and info.value.param == param


def test_context_length_exceeded(client):
    with pytest.raises(openai.BadRequestError) as info:
        client.chat.completions.create(model="gpt-4", messages=[{"role": "user", "content": "word " * 9000}])
    assert info.value.code == "context_length_exceeded"
