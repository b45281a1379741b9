"""Chat and completions through the frameworks people actually use, against the real server."""
import asyncio
import json
from typing import List

import pydantic
import pytest

from mockserver import DEFAULT_KEY


class Person(pydantic.BaseModel):
    name: str
    age: int
    hobbies: List[str]


# ------------------------------------------------------------------------------------ langchain
def _chat_openai(mock, **kw):
    from langchain_openai import ChatOpenAI
    return ChatOpenAI(model="gpt-4o-mini", base_url=mock.base_url, api_key=DEFAULT_KEY, max_retries=0, **kw)


def test_langchain_invoke_and_stream(mock):
    llm = _chat_openai(mock)
    msg = llm.invoke("Tell me about the moon.")
    assert isinstance(msg.content, str) and msg.content
    assert msg.usage_metadata["total_tokens"] == msg.usage_metadata["input_tokens"] + msg.usage_metadata["output_tokens"]
    streamed = "".join(chunk.content for chunk in llm.stream("Tell me about the moon."))
    assert streamed == msg.content


def test_langchain_stream_usage(mock):
    llm = _chat_openai(mock, stream_usage=True)
    total = None
    for chunk in llm.stream("Hi"):
        total = chunk if total is None else total + chunk
    assert total.usage_metadata and total.usage_metadata["output_tokens"] > 0


def test_langchain_bind_tools(mock):
    from langchain_core.tools import tool

    @tool
    def get_weather(city: str) -> str:
        """Get the current weather for a city."""
        return "sunny"

    llm = _chat_openai(mock).bind_tools([get_weather])
    msg = llm.invoke("What's the weather in Paris?")
    assert msg.tool_calls and msg.tool_calls[0]["name"] == "get_weather"
    assert isinstance(msg.tool_calls[0]["args"]["city"], str)
    # streamed tool-call chunks aggregate into the same call
    total = None
    for chunk in llm.stream("What's the weather in Paris?"):
        total = chunk if total is None else total + chunk
    assert total.tool_calls[0]["name"] == "get_weather"
    assert total.tool_calls[0]["args"] == msg.tool_calls[0]["args"]


def test_langchain_with_structured_output(mock):
    for method in ("json_schema", "function_calling"):
        person = _chat_openai(mock).with_structured_output(Person, method=method).invoke("Invent a person.")
        assert isinstance(person, Person), method


# ----------------------------------------------------------------------------------- llama-index
def test_llama_index_chat_stream_and_complete(mock):
    from llama_index.core.llms import ChatMessage
    from llama_index.llms.openai import OpenAI

    llm = OpenAI(model="gpt-4o-mini", api_base=mock.base_url, api_key=DEFAULT_KEY, max_retries=0)
    res = llm.chat([ChatMessage(role="user", content="Tell me a fact.")])
    assert res.message.content
    streamed = [r.delta for r in llm.stream_chat([ChatMessage(role="user", content="Tell me a fact.")])]
    assert "".join(d or "" for d in streamed) == res.message.content
    assert llm.complete("Paul Graham is ").text
    instruct = OpenAI(model="gpt-3.5-turbo-instruct", api_base=mock.base_url, api_key=DEFAULT_KEY, max_retries=0)
    assert instruct.complete("Paul Graham is ").text
    assert "".join(r.delta for r in instruct.stream_complete("Paul Graham is "))


# --------------------------------------------------------------------------------------- litellm
def test_litellm_completion_and_stream(mock):
    import litellm

    kw = dict(model="openai/gpt-4o", api_base=mock.base_url, api_key=DEFAULT_KEY,
              messages=[{"role": "user", "content": "Hello"}])
    res = litellm.completion(**kw)
    content = res.choices[0].message.content
    assert content and res.usage.total_tokens > 0
    streamed = "".join(c.choices[0].delta.content or "" for c in litellm.completion(stream=True, **kw))
    assert streamed == content


def test_litellm_async(mock):
    import litellm

    async def run():
        res = await litellm.acompletion(model="openai/gpt-4o-mini", api_base=mock.base_url, api_key=DEFAULT_KEY,
                                        messages=[{"role": "user", "content": "Hello"}])
        return res.choices[0].message.content
    assert asyncio.run(run())


# ------------------------------------------------------------------------------------ instructor
def test_instructor_extraction(mock):
    import instructor
    import openai

    client = instructor.from_openai(openai.OpenAI(base_url=mock.base_url, api_key=DEFAULT_KEY, max_retries=0))
    person = client.chat.completions.create(model="gpt-4o", response_model=Person, max_retries=0,
                                            messages=[{"role": "user", "content": "Jason is 25 and likes chess."}])
    assert isinstance(person, Person)
    json_client = instructor.from_openai(openai.OpenAI(base_url=mock.base_url, api_key=DEFAULT_KEY, max_retries=0),
                                         mode=instructor.Mode.JSON_SCHEMA)
    assert isinstance(json_client.chat.completions.create(
        model="gpt-4o", response_model=Person, max_retries=0,
        messages=[{"role": "user", "content": "Jason is 25 and likes chess."}]), Person)
