"""Agent frameworks that use the Responses API by default, unmodified, against the mock: the OpenAI Agents SDK
(a handoff and a function tool, run and streamed), pydantic-ai (a tool and a structured output, on its chat and
its responses model classes) and LangChain's `ChatOpenAI(use_responses_api=True)` (text, streaming, tool calls).
The tool-using turns are scripted by `scenarios/agent-handoff.json5`; plain answers come from the generator."""
from __future__ import annotations

import asyncio

import pytest
from pydantic import BaseModel

from mockserver import DEFAULT_KEY


# --- OpenAI Agents SDK -------------------------------------------------------------------------------------

def _agents(base_url):
    from agents import Agent, function_tool, set_default_openai_api, set_default_openai_client, set_tracing_disabled
    from openai import AsyncOpenAI

    set_tracing_disabled(True)
    set_default_openai_client(AsyncOpenAI(base_url=base_url, api_key=DEFAULT_KEY, max_retries=0), use_for_tracing=False)
    set_default_openai_api("responses")
    calls = []

    @function_tool
    def get_weather(city: str) -> str:
        """Current weather in a city."""
        calls.append(city)
        return f"Sunny, 21 degrees in {city}."

    weather = Agent(name="Weather assistant", instructions="You are a weather assistant.", tools=[get_weather],
                    model="gpt-4o-mini")
    triage = Agent(name="Triage", instructions="You are the triage agent: hand weather questions off.", handoffs=[weather],
                   model="gpt-4o-mini")
    return triage, weather, calls


def test_openai_agents_handoff_and_tool(scenario_server):
    from agents import Runner

    triage, weather, calls = _agents(scenario_server.base_url)
    result = Runner.run_sync(triage, "What's the weather like in Paris?")
    assert result.final_output == "In Paris it is sunny and 21 degrees."
    assert result.last_agent is weather and calls == ["Paris"]
    kinds = [item.type for item in result.new_items]
    assert "handoff_call_item" in kinds and "tool_call_item" in kinds and "tool_call_output_item" in kinds
    journal = scenario_server.journal("/v1/responses")
    assert len(journal) >= 3 and all(e["status"] == 200 for e in journal[-3:])


def test_openai_agents_streamed_run(scenario_server):
    from agents import Runner

    triage, _, calls = _agents(scenario_server.base_url)

    async def run():
        result = Runner.run_streamed(triage, "Weather in Paris, please?")
        deltas = []
        async for event in result.stream_events():
            if event.type == "raw_response_event" and event.data.type == "response.output_text.delta":
                deltas.append(event.data.delta)
        return result, deltas

    result, deltas = asyncio.run(run())
    assert result.final_output == "In Paris it is sunny and 21 degrees." == "".join(deltas)
    assert calls == ["Paris"]


def test_openai_agents_plain_answer_matches_the_api(scenario_server):
    from agents import Agent, Runner
    from openai import OpenAI

    _agents(scenario_server.base_url)
    agent = Agent(name="Helper", instructions="Answer briefly.", model="gpt-4o-mini")
    result = Runner.run_sync(agent, "Tell me about lighthouses.")
    direct = OpenAI(base_url=scenario_server.base_url, api_key=DEFAULT_KEY).responses.create(
        model="gpt-4o-mini", instructions="Answer briefly.", input=[{"role": "user", "content": "Tell me about lighthouses."}])
    assert result.final_output == direct.output_text and result.final_output


# --- pydantic-ai ---------------------------------------------------------------------------------------------

class Person(BaseModel):
    name: str
    age: int


@pytest.mark.parametrize("model_class", ["OpenAIChatModel", "OpenAIResponsesModel"])
def test_pydantic_ai_tool_and_structured_output(scenario_server, model_class):
    import pydantic_ai.models.openai as models
    from pydantic_ai import Agent
    from pydantic_ai.providers.openai import OpenAIProvider

    provider = OpenAIProvider(base_url=scenario_server.base_url, api_key=DEFAULT_KEY)
    model = getattr(models, model_class)("gpt-4o-mini", provider=provider)
    agent = Agent(model, output_type=Person, instructions="Find the person's age.")
    looked_up = []

    @agent.tool_plain
    def lookup_age(name: str) -> str:
        """Birth year of a person."""
        looked_up.append(name)
        return f"{name} was born 1815 and died 1852."

    result = agent.run_sync("How old did Ada Lovelace get?")
    assert result.output == Person(name="Ada Lovelace", age=36)
    assert looked_up == ["Ada Lovelace"]
    path = "/v1/responses" if model_class == "OpenAIResponsesModel" else "/v1/chat/completions"
    assert len(scenario_server.journal(path)) >= 2


def test_pydantic_ai_plain_text_on_responses(scenario_server):
    from pydantic_ai import Agent
    from pydantic_ai.models.openai import OpenAIResponsesModel
    from pydantic_ai.providers.openai import OpenAIProvider

    provider = OpenAIProvider(base_url=scenario_server.base_url, api_key=DEFAULT_KEY)
    agent = Agent(OpenAIResponsesModel("gpt-4o-mini", provider=provider))
    result = agent.run_sync("Describe a quiet harbour.")
    assert isinstance(result.output, str) and len(result.output.split()) > 5
    assert result.usage.output_tokens > 0


# --- LangChain ------------------------------------------------------------------------------------------------

def _chat(base_url, **kwargs):
    from langchain_openai import ChatOpenAI
    return ChatOpenAI(model="gpt-4o-mini", base_url=base_url, api_key=DEFAULT_KEY, max_retries=0, **kwargs)


def test_langchain_responses_api_text_equals_chat_text(mock):
    prompt = "Explain tides in two sentences."
    over_responses = _chat(mock.base_url, use_responses_api=True).invoke(prompt)
    over_chat = _chat(mock.base_url).invoke(prompt)
    assert over_responses.text and over_responses.text == over_chat.text
    assert over_responses.usage_metadata["input_tokens"] == over_chat.usage_metadata["input_tokens"]
    assert mock.journal("/v1/responses") and mock.journal("/v1/chat/completions")


def test_langchain_responses_api_streams(mock):
    llm = _chat(mock.base_url, use_responses_api=True)
    chunks = list(llm.stream("Say something about owls."))
    streamed = "".join(c.text for c in chunks)
    assert streamed and streamed == llm.invoke("Say something about owls.").text


def test_langchain_responses_api_tool_call(scenario_server):
    from langchain_core.tools import tool

    @tool
    def lookup_age(name: str) -> str:
        """Birth year of a person."""
        return "1815"

    llm = _chat(scenario_server.base_url, use_responses_api=True).bind_tools([lookup_age])
    message = llm.invoke("How old was Ada Lovelace?")
    [call] = message.tool_calls
    assert call["name"] == "lookup_age" and call["args"] == {"name": "Ada Lovelace"} and call["id"].startswith("call_")
