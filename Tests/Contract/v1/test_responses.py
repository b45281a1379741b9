"""The Responses API through the current SDK (strict response validation): plain, streamed (the `.stream()`
helper and raw typed events), `responses.parse`, function tools over two turns with `previous_response_id`,
background responses on the virtual clock (poll, cancel, resume a stream), input items, input tokens,
hosted tools, reasoning, limits, errors, and the Conversations API."""
from __future__ import annotations

import json

import openai
import pytest
from pydantic import BaseModel

from mockserver import SCENARIOS_DIR

WEATHER_TOOL = {
    "type": "function", "name": "get_weather", "description": "Current weather in a city.",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"],
                   "additionalProperties": False},
    "strict": True,
}


def test_plain_response_has_the_chat_answer_and_consistent_usage(client):
    r = client.responses.create(model="gpt-4o-mini", input="Tell me about gardens.")
    chat = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "Tell me about gardens."}])
    assert r.object == "response" and r.status == "completed" and r.id.startswith("resp_")
    assert r.output_text == chat.choices[0].message.content
    [message] = r.output
    assert message.type == "message" and message.role == "assistant" and message.id.startswith("msg_")
    assert r.usage.input_tokens == chat.usage.prompt_tokens
    assert r.usage.output_tokens == chat.usage.completion_tokens
    assert r.usage.total_tokens == r.usage.input_tokens + r.usage.output_tokens
    assert client.responses.retrieve(r.id).output_text == r.output_text


def test_same_request_same_bytes_when_not_stored(mock):
    body = {"model": "gpt-4o-mini", "input": "Hello", "store": False}
    first = mock.request("POST", "/v1/responses", body)
    second = mock.request("POST", "/v1/responses", body)
    assert first[0] == 200 and first[2] == second[2]


def test_stream_helper_assembles_the_same_response(client):
    with client.responses.stream(model="gpt-4o-mini", input="Write about rivers.", instructions="Be vivid.") as stream:
        deltas = [e.delta for e in stream if e.type == "response.output_text.delta"]
        final = stream.get_final_response()
    assert "".join(deltas) == final.output_text and len(deltas) > 3
    again = client.responses.create(model="gpt-4o-mini", input="Write about rivers.", instructions="Be vivid.")
    assert again.output_text == final.output_text


def test_raw_stream_events_are_typed_ordered_and_end_without_done(mock):
    status, headers, body = mock.request("POST", "/v1/responses", {"model": "gpt-4o-mini", "input": "Hi", "stream": True})
    assert status == 200 and headers["content-type"].startswith("text/event-stream")
    frames = [f for f in body.decode().split("\n\n") if f]
    assert "[DONE]" not in body.decode()
    events = []
    for frame in frames:
        event_line, data_line = frame.split("\n")
        data = json.loads(data_line.removeprefix("data: "))
        assert event_line == "event: " + data["type"]
        events.append(data)
    assert [e["sequence_number"] for e in events] == list(range(len(events)))
    types = [e["type"] for e in events]
    assert types[:5] == ["response.created", "response.in_progress", "response.output_item.added",
                         "response.content_part.added", "response.output_text.delta"]
    assert types[-4:] == ["response.output_text.done", "response.content_part.done", "response.output_item.done",
                          "response.completed"]
    assert events[0]["response"]["status"] == "in_progress" and events[0]["response"]["output"] == []
    text = "".join(e["delta"] for e in events if e["type"] == "response.output_text.delta")
    assert events[-1]["response"]["output"][0]["content"][0]["text"] == text
    assert all("obfuscation" in e for e in events if e["type"].endswith(".delta"))


def test_raw_sdk_stream_yields_typed_events(client):
    stream = client.responses.create(model="gpt-4o-mini", input="Hi", stream=True)
    events = list(stream)
    assert isinstance(events[0], openai.types.responses.ResponseCreatedEvent)
    assert isinstance(events[-1], openai.types.responses.ResponseCompletedEvent)
    assert events[-1].response.output_text


class Person(BaseModel):
    name: str
    age: int
    hobbies: list[str]


def test_parse_gives_a_valid_pydantic_object(client):
    r = client.responses.parse(model="gpt-4o-mini", input="Invent a person.", text_format=Person)
    assert isinstance(r.output_parsed, Person)
    assert Person.model_validate_json(r.output_text) == r.output_parsed


def test_function_tool_over_two_turns_with_previous_response_id(client):
    first = client.responses.create(model="gpt-4o-mini", input="What's the weather in Paris?", tools=[WEATHER_TOOL],
                                    tool_choice="required")
    [call] = [item for item in first.output if item.type == "function_call"]
    assert call.name == "get_weather" and call.call_id.startswith("call_") and call.id.startswith("fc_")
    assert isinstance(json.loads(call.arguments)["city"], str)
    second = client.responses.create(
        model="gpt-4o-mini", previous_response_id=first.id, tools=[WEATHER_TOOL],
        input=[{"type": "function_call_output", "call_id": call.call_id, "output": '{"temperature": 21}'}])
    assert second.previous_response_id == first.id
    assert second.output[-1].type == "message" and second.output_text
    # The earlier turns count as input.
    assert second.usage.input_tokens > first.usage.input_tokens
    [item] = client.responses.input_items.list(second.id).data
    assert item.type == "function_call_output" and item.call_id == call.call_id


def test_an_output_for_an_unknown_call_is_refused(client):
    with pytest.raises(openai.BadRequestError) as e:
        client.responses.create(model="gpt-4o-mini",
                                input=[{"type": "function_call_output", "call_id": "call_nope", "output": "x"}])
    assert "call_nope" in e.value.message


def test_background_response_moves_on_the_virtual_clock_and_cancels(start_server, make_client):
    srv = start_server("--time", "manual")
    c = make_client(srv.base_url)
    r = c.responses.create(model="gpt-4o-mini", input="Take your time.", background=True)
    assert r.status == "queued" and r.output == [] and r.background is True
    srv.json("POST", "/_mock/clock/advance", {"seconds": 1})
    assert c.responses.retrieve(r.id).status == "in_progress"
    srv.json("POST", "/_mock/clock/advance", {"seconds": 3600})
    done = c.responses.retrieve(r.id)
    assert done.status == "completed" and done.output_text
    with pytest.raises(openai.BadRequestError):
        c.responses.cancel(r.id)

    other = c.responses.create(model="gpt-4o-mini", input="Another one.", background=True)
    cancelled = c.responses.cancel(other.id)
    assert cancelled.status == "cancelled"
    srv.json("POST", "/_mock/clock/advance", {"seconds": 3600})
    assert c.responses.retrieve(other.id).status == "cancelled"
    plain = c.responses.create(model="gpt-4o-mini", input="Now.")
    with pytest.raises(openai.BadRequestError):
        c.responses.cancel(plain.id)


def test_background_response_completes_by_itself_on_the_default_clock(client):
    import time
    r = client.responses.create(model="gpt-4o-mini", input="Poll me.", background=True)
    deadline = time.monotonic() + 20
    while r.status in ("queued", "in_progress") and time.monotonic() < deadline:
        time.sleep(0.05)
        r = client.responses.retrieve(r.id)
    assert r.status == "completed" and r.output_text


def test_a_stream_resumes_after_a_sequence_number(client):
    r = client.responses.create(model="gpt-4o-mini", input="Resume me.", background=True, stream=True)
    events = list(r)
    response_id = events[0].response.id
    assert events[0].response.status == "queued" and events[1].type == "response.queued"
    resumed = list(client.responses.retrieve(response_id, stream=True, starting_after=5))
    assert [e.sequence_number for e in resumed] == [e.sequence_number for e in events[6:]]
    assert resumed[-1].response.output_text == events[-1].response.output_text


def test_input_items_paginate_newest_first(client):
    items = [{"role": "user", "content": f"message {i}"} for i in range(5)]
    r = client.responses.create(model="gpt-4o-mini", input=items)
    page = client.responses.input_items.list(r.id, limit=2)
    assert len(page.data) == 2 and page.has_more
    listed = list(client.responses.input_items.list(r.id, limit=2))
    assert [i.content[0].text for i in listed] == [f"message {i}" for i in reversed(range(5))]
    assert [i.content[0].text for i in client.responses.input_items.list(r.id, order="asc")] == [f"message {i}" for i in range(5)]
    assert all(i.id.startswith("msg_") and i.content[0].type == "input_text" for i in listed)


def test_input_tokens_match_usage(client):
    kwargs = dict(model="gpt-4o-mini", input="Count these words, please.", instructions="You are terse.", tools=[WEATHER_TOOL])
    counted = client.responses.input_tokens.count(**kwargs)
    made = client.responses.create(**kwargs)
    assert counted.input_tokens == made.usage.input_tokens > 0


def test_delete_then_not_found(client):
    r = client.responses.create(model="gpt-4o-mini", input="Delete me.")
    client.responses.delete(r.id)
    with pytest.raises(openai.NotFoundError):
        client.responses.retrieve(r.id)
    with pytest.raises(openai.BadRequestError) as e:
        client.responses.create(model="gpt-4o-mini", input="Next", previous_response_id=r.id)
    assert e.value.code == "previous_response_not_found"


def test_max_output_tokens_makes_it_incomplete(client):
    r = client.responses.create(model="gpt-4o-mini", input="Write a long essay about the sea.", max_output_tokens=16)
    assert r.status == "incomplete" and r.incomplete_details.reason == "max_output_tokens"
    assert r.usage.output_tokens <= 16
    with pytest.raises(openai.BadRequestError) as e:
        client.responses.create(model="gpt-4o-mini", input="x", max_output_tokens=5)
    assert e.value.param == "max_output_tokens"


def test_reasoning_model_reports_reasoning_and_summary(client):
    r = client.responses.create(model="o4-mini", input="Why is the sky blue?", reasoning={"effort": "high", "summary": "auto"},
                                include=["reasoning.encrypted_content"])
    reasoning = r.output[0]
    assert reasoning.type == "reasoning" and reasoning.summary and reasoning.encrypted_content
    assert r.usage.output_tokens_details.reasoning_tokens > 0
    assert r.reasoning.effort == "high"
    with pytest.raises(openai.BadRequestError) as e:
        client.responses.create(model="gpt-4o-mini", input="x", reasoning={"effort": "high"})
    assert e.value.param == "reasoning.effort"


def test_hosted_web_search_cites_its_sources(client):
    r = client.responses.create(model="gpt-4.1", input="Latest news about solar power?", tools=[{"type": "web_search"}])
    search, message = r.output
    assert search.type == "web_search_call" and search.status == "completed" and search.action.query
    annotations = message.content[0].annotations
    assert annotations and all(a.type == "url_citation" and a.url.startswith("https://") for a in annotations)
    text = message.content[0].text
    assert all(text[a.start_index:a.end_index].startswith("[") for a in annotations)


def test_hosted_file_search_and_code_interpreter_items(client):
    fs = client.responses.create(model="gpt-4.1", input="What does the handbook say about leave?",
                                 tools=[{"type": "file_search", "vector_store_ids": ["vs_1"]}],
                                 include=["file_search_call.results"])
    assert fs.output[0].type == "file_search_call" and fs.output[0].results
    ci = client.responses.create(model="gpt-4.1", input="Sum 1 to 10.", tools=[{"type": "code_interpreter", "container": {"type": "auto"}}])
    assert ci.output[0].type == "code_interpreter_call" and ci.output[0].code


def test_unsupported_and_conflicting_requests_get_real_errors(client):
    with pytest.raises(openai.APIStatusError) as e:
        client.responses.create(model="gpt-4o-mini", input="x",
                                tools=[{"type": "mcp", "server_label": "deepwiki", "server_url": "https://mcp.deepwiki.com/mcp"}])
    assert e.value.status_code == 424
    with pytest.raises(openai.BadRequestError) as e:
        client.responses.create(model="gpt-4o-mini", input="x", previous_response_id="resp_1", conversation="conv_1")
    assert "Mutually exclusive" in e.value.message
    with pytest.raises(openai.BadRequestError) as e:
        client.responses.create(model="gpt-4o-mini", input=[{"role": "wizard", "content": "x"}])
    assert e.value.param == "input[0].role"
    with pytest.raises(openai.NotFoundError):
        client.responses.create(model="no-such-model", input="x")
    with pytest.raises(openai.BadRequestError):
        client.responses.create(model="text-embedding-3-small", input="x")


def test_conversation_collects_turns(client):
    conv = client.conversations.create(metadata={"topic": "demo"},
                                       items=[{"type": "message", "role": "user", "content": "My name is Ada."}])
    assert conv.id.startswith("conv_") and conv.metadata == {"topic": "demo"}
    r1 = client.responses.create(model="gpt-4o-mini", conversation=conv.id, input="What is my name?")
    assert r1.conversation.id == conv.id
    items = list(client.conversations.items.list(conv.id, order="asc"))
    assert [i.type for i in items] == ["message", "message", "message"]
    assert items[-1].id == r1.output[0].id and items[-1].role == "assistant"
    r2 = client.responses.create(model="gpt-4o-mini", conversation=conv.id, input="And again?")
    assert r2.usage.input_tokens > r1.usage.input_tokens  # the history is read
    assert len(list(client.conversations.items.list(conv.id))) == 5
    added = client.conversations.items.create(conv.id, items=[{"type": "message", "role": "user", "content": "One more."}])
    got = client.conversations.items.retrieve(added.data[0].id, conversation_id=conv.id)
    assert got.content[0].text == "One more."
    client.conversations.items.delete(added.data[0].id, conversation_id=conv.id)
    with pytest.raises(openai.NotFoundError):
        client.conversations.items.retrieve(added.data[0].id, conversation_id=conv.id)
    assert client.conversations.update(conv.id, metadata={"topic": "done"}).metadata == {"topic": "done"}
    assert client.conversations.delete(conv.id).deleted is True
    with pytest.raises(openai.NotFoundError):
        client.conversations.retrieve(conv.id)
    with pytest.raises(openai.NotFoundError):
        client.responses.create(model="gpt-4o-mini", conversation=conv.id, input="Hello?")


def test_scenario_rules_answer_responses(start_server, make_client, tmp_path):
    rules = tmp_path / "responses.json5"
    rules.write_text("""{ rules: [
      { when: { endpoint: "responses", has_tool_result: true }, do: { text: "It is {{tool_args.city}} weather: sunny." } },
      { when: { endpoint: "responses", tool: "get_weather" }, do: { tool_calls: [{ name: "get_weather", arguments: { city: "Oslo" } }] } },
      { when: { endpoint: "responses", last_user_message: { contains: "boom" } }, do: { fault: { status: 503, message: "down" } } },
    ] }""")
    srv = start_server("--scenarios", str(rules))
    c = make_client(srv.base_url)
    first = c.responses.create(model="gpt-4o-mini", input="Weather?", tools=[WEATHER_TOOL])
    [call] = first.output
    assert call.type == "function_call" and json.loads(call.arguments) == {"city": "Oslo"}
    second = c.responses.create(model="gpt-4o-mini", previous_response_id=first.id, tools=[WEATHER_TOOL],
                                input=[{"type": "function_call_output", "call_id": call.call_id, "output": "sunny"}])
    assert second.output_text == "It is Oslo weather: sunny."
    with pytest.raises(openai.InternalServerError):
        c.responses.create(model="gpt-4o-mini", input="boom")
    journal = srv.journal("/v1/responses")
    assert len(journal) == 3 and all(e["matched_rule"] for e in journal)


def test_a_fine_tuned_model_answers_responses_from_its_training_data(start_server, make_client):
    srv = start_server("--time", "instant")
    c = make_client(srv.base_url)
    lines = "".join(json.dumps({"messages": [{"role": "user", "content": f"Capital of country {i}?"},
                                              {"role": "assistant", "content": f"City {i}."}]}) + "\n" for i in range(10))
    f = c.files.create(file=("a.jsonl", lines.encode()), purpose="fine-tune")
    job = c.fine_tuning.jobs.create(training_file=f.id, model="gpt-4o-mini")
    assert job.status == "succeeded"
    r = c.responses.create(model=job.fine_tuned_model, input="Capital of country 7?")
    assert r.output_text == "City 7." and r.model == job.fine_tuned_model


def test_strict_mode_requires_a_rule_for_responses(start_server, make_client, tmp_path):
    rules = tmp_path / "only-chat.json5"
    rules.write_text('{ rules: [ { name: "greeter", when: { endpoint: "chat" }, do: { text: "hi" } } ] }')
    srv = start_server("--scenarios", str(rules), "--strict")
    c = make_client(srv.base_url)
    with pytest.raises(openai.NotFoundError) as e:
        c.responses.create(model="gpt-4o-mini", input="Hello")
    assert e.value.code == "scenario_not_matched" and "POST /v1/responses" in e.value.message
    assert c.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "x"}]).choices[0].message.content == "hi"
