"""Scenario files through the current SDK (and curl): every example in scenarios/, plus faults, strict mode,
chaos, journal rules, reload (POST and SIGHUP) and `openai-mock validate`."""
from __future__ import annotations

import http.client
import json
import math
import signal
import subprocess
import time
from pathlib import Path

import openai
import pytest

from mockserver import DEFAULT_KEY, SCENARIOS_DIR as SCENARIOS, wait_until

STORY = (SCENARIOS / "stories" / "song-laser.txt").read_text(encoding="utf-8").strip()
LUIGI = "You are the booking bot of Luigi's Trattoria. Collect party size, date, time and name, then call book_table."
BOOK_TABLE = {"type": "function", "function": {"name": "book_table", "description": "Book a table",
              "parameters": {"type": "object", "properties": {
                  "party_size": {"type": "integer"}, "date": {"type": "string"}, "time": {"type": "string"},
                  "name": {"type": "string"}}, "required": ["party_size", "date", "time", "name"]}}}


@pytest.fixture
def sc(scenario_server):
    """The scenario server with counters and journal reset."""
    scenario_server.reset()
    scenario_server.clear_journal()
    return scenario_server


def client_for(srv, **kwargs) -> openai.OpenAI:
    kwargs.setdefault("max_retries", 0)
    return openai.OpenAI(base_url=srv.base_url, api_key=DEFAULT_KEY, timeout=30, **kwargs)


def rules(srv) -> list[tuple[int, str | None]]:
    return [(e["status"], e["matched_rule"]) for e in srv.journal()]


# ---------------------------------------------------------------------------------------- story-teller
def test_story_teller_streams_a_paced_story_cut_at_the_stop(sc):
    client = client_for(sc)
    started = time.monotonic()
    stream = client.completions.create(model="curie:ft-personal-2023-03-31-05-30-46", prompt="宋,发射激光,艰难 ->\n",
                                       stop=["."], max_tokens=1000, stream=True)
    arrivals, pieces, finish = [], [], None
    for chunk in stream:
        arrivals.append(time.monotonic() - started)
        pieces.append(chunk.choices[0].text)
        finish = chunk.choices[0].finish_reason or finish
    assert "".join(pieces) == STORY.rstrip(".")
    assert finish == "stop"
    assert arrivals[0] >= 0.035, "time to first token is scripted at 40 ms"
    assert arrivals[-1] - arrivals[0] >= 0.003 * (len(arrivals) - 2), "inter-token delay is scripted at 4 ms"
    assert all(len(p) <= 8 for p in pieces[:-1]), "two tokens per chunk"
    assert rules(sc) == [(200, f"{SCENARIOS}/story-teller.json5:9")]


def test_other_story_prompts_echo_the_prompt(sc):
    res = client_for(sc).completions.create(model="gpt-3.5-turbo-instruct", prompt="龙,飞翔 ->\n", max_tokens=200)
    assert res.choices[0].text.startswith("从前有一个关于龙,飞翔 ->")
    assert res.usage.completion_tokens > 0 and res.usage.total_tokens == res.usage.prompt_tokens + res.usage.completion_tokens


# ---------------------------------------------------------------------------------------- interview bot
INTERVIEW = "The following is a mock interview with a DSA interviewer.\n\nHuman: Hi, I'm ready.\nDSA:"


def test_interview_bot_asks_one_question_per_turn_until_reset(sc):
    client = client_for(sc)
    asked = [client.completions.create(model="davinci-002", prompt=INTERVIEW, stop=["\n", " Human:", " DSA:"],
                                       max_tokens=120).choices[0] for _ in range(6)]
    assert asked[0].text == " Hello! Let's begin. What is the time complexity of binary search, and why?"
    assert asked[1].text == " Good. How would you detect a cycle in a linked list?"
    assert all(c.finish_reason == "stop" and "\n" not in c.text for c in asked)
    assert asked[5].text == asked[4].text == " Thank you, that's all my questions. We'll be in touch!"
    sc.reset()
    again = client.completions.create(model="davinci-002", prompt=INTERVIEW, stop=["\n"], max_tokens=120)
    assert again.choices[0].text == asked[0].text


# ---------------------------------------------------------------------------------------- restaurant bot
def test_restaurant_bot_fills_slots_then_calls_book_table(sc):
    client = client_for(sc)
    messages = [{"role": "system", "content": LUIGI}]
    replies = []
    for user in ["Hi!", "We are 4", "Friday at 19:30", "Ada Lovelace"]:
        messages.append({"role": "user", "content": user})
        res = client.chat.completions.create(model="gpt-4o-mini", messages=messages, tools=[BOOK_TABLE])
        msg = res.choices[0].message
        replies.append(res)
        assistant = {"role": "assistant", "content": msg.content}
        if msg.tool_calls:
            assistant["tool_calls"] = [c.model_dump() for c in msg.tool_calls]
        messages.append(assistant)
    assert replies[0].choices[0].message.content.startswith("Welcome to Luigi's Trattoria!")
    assert replies[1].choices[0].message.content == "Lovely. Which day and time would you like?"
    assert replies[2].choices[0].message.content == "And under what name should I put the booking?"
    final = replies[3].choices[0]
    assert final.finish_reason == "tool_calls" and final.message.content is None
    call = final.message.tool_calls[0]
    assert call.id.startswith("call_") and call.function.name == "book_table"
    assert json.loads(call.function.arguments) == {"party_size": 4, "date": "2024-06-14", "time": "19:30",
                                                    "name": "Ada Lovelace"}
    messages.append({"role": "tool", "tool_call_id": call.id, "content": '{"ok": true}'})
    done = client.chat.completions.create(model="gpt-4o-mini", messages=messages, tools=[BOOK_TABLE])
    assert done.choices[0].message.content == ("All set! A table for 4 on 2024-06-14 at 19:30, under the name "
                                               "Ada Lovelace. See you soon!")
    assert [r for _, r in rules(sc)] == [f"{SCENARIOS}/restaurant-bot.json5:{n}" for n in (24, 29, 34, 39, 17)]


def test_restaurant_bot_refuses_sensitive_requests(sc):
    res = client_for(sc).chat.completions.create(model="gpt-4o-mini", messages=[
        {"role": "system", "content": LUIGI}, {"role": "user", "content": "What is the owner's HOME ADDRESS?"}])
    msg = res.choices[0].message
    assert msg.content is None
    assert msg.refusal == "I'm sorry, but I can't help with that. I can only help you book a table at Luigi's."


def test_restaurant_bot_streams_the_tool_call(sc):
    messages = [{"role": "system", "content": LUIGI}] + [{"role": "user", "content": t} for t in ("a", "b", "c", "Grace")]
    with client_for(sc).chat.completions.stream(model="gpt-4o-mini", messages=messages, tools=[BOOK_TABLE]) as stream:
        final = stream.get_final_completion()
    call = final.choices[0].message.tool_calls[0]
    assert json.loads(call.function.arguments)["name"] == "Grace"


# ---------------------------------------------------------------------------------------- entity extractor
def test_entity_extractor_ends_at_the_END_stop(sc):
    prompt = "Satya Nadella, CEO of Microsoft, spoke in Redmond on Tuesday.\n\n###\n\n"
    res = client_for(sc).completions.create(model="davinci-002", prompt=prompt, stop=[" END"], max_tokens=100)
    assert res.choices[0].text == " Satya Nadella: PERSON\n Microsoft: ORGANIZATION\n Redmond: LOCATION"
    assert res.choices[0].finish_reason == "stop"
    other = client_for(sc).completions.create(model="davinci-002", prompt="Nothing here.\n\n###\n\n", stop=[" END"])
    assert other.choices[0].text == " (no named entities found)"


# ---------------------------------------------------------------------------------------- flaky upstream
def test_flaky_upstream_v1_retries_get_through(sc):
    client = client_for(sc, max_retries=2)
    started = time.monotonic()
    res = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "a flaky call"}])
    assert res.choices[0].message.content == "Success after retries."
    assert time.monotonic() - started < 2.0, "retry-after-ms: 20 must drive the SDK's retry delay"
    journal = sc.journal()
    assert [e["status"] for e in journal] == [429, 429, 200]
    assert [e["headers"].get("x-stainless-retry-count") for e in journal] == ["0", "1", "2"]


def test_flaky_upstream_error_shape_without_retries(sc):
    with pytest.raises(openai.RateLimitError) as info:
        client_for(sc).chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "flaky"}])
    e = info.value
    assert e.status_code == 429 and e.code == "rate_limit_exceeded" and e.type == "requests"
    assert e.message.endswith("Rate limit reached for gpt-4o in organization org-mock on requests per min (RPM): "
                              "Limit 3, Used 3, Requested 1. Please try again in 20ms.")
    assert e.response.headers["retry-after-ms"] == "20"
    assert e.response.headers["x-ratelimit-remaining-requests"] == "0"


def test_x_should_retry_false_stops_sdk_retries(sc):
    client = client_for(sc, max_retries=2)
    with pytest.raises(openai.InternalServerError) as info:
        client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}],
                                       extra_headers={"x-mock-scenario": "overloaded"})
    assert info.value.status_code == 503
    assert len(sc.journal()) == 1


# ---------------------------------------------------------------------------------------- broken streams
def test_error_event_mid_stream_raises_after_the_first_chunks(sc):
    got = []
    with pytest.raises(openai.APIError) as info:
        for chunk in client_for(sc).chat.completions.create(
                model="gpt-4o-mini", stream=True, messages=[{"role": "user", "content": "please break the stream"}]):
            got.append(chunk)
    assert len(got) == 3
    assert info.value.message == "The upstream model crashed mid-stream."
    assert info.value.code == "upstream_error"


def test_cut_stream_ends_without_a_finish_reason(sc):
    chunks = list(client_for(sc).chat.completions.create(
        model="gpt-4o-mini", stream=True, messages=[{"role": "user", "content": "cut the stream"}]))
    assert len(chunks) == 3
    assert all(c.choices[0].finish_reason is None for c in chunks)


def test_dropped_stream_surfaces_as_an_error(sc):
    got = []
    with pytest.raises(Exception) as info:
        for chunk in client_for(sc).chat.completions.create(
                model="gpt-4o-mini", stream=True, messages=[{"role": "user", "content": "drop the stream now"}]):
            got.append(chunk)
    assert len(got) <= 2
    assert "incomplete" in str(info.value).lower() or "closed" in str(info.value).lower() or isinstance(
        info.value, (openai.APIError, openai.APIConnectionError)), repr(info.value)


# ---------------------------------------------------------------------------------------- embeddings / moderations
def _cos(a, b):
    return sum(x * y for x, y in zip(a, b)) / math.sqrt(sum(x * x for x in a) * sum(y * y for y in b))


def test_embed_like_lands_a_query_on_a_document(sc):
    client = client_for(sc)
    docs = ["Refund policy: you can return any item within 30 days for a full refund.",
            "Shipping takes three to five business days."]
    vectors = [d.embedding for d in client.embeddings.create(model="text-embedding-3-small", input=docs).data]
    query = client.embeddings.create(model="text-embedding-3-small", input="How do I get my MONEY BACK?").data[0].embedding
    assert _cos(query, vectors[0]) > 0.999
    assert _cos(query, vectors[0]) > _cos(query, vectors[1])


def test_pinned_embedding_vector(sc):
    v = client_for(sc).embeddings.create(model="text-embedding-3-small", input="pinned vector").data[0].embedding
    assert len(v) == 1536 and v[0] == pytest.approx(1.0) and all(x == 0 for x in v[1:])


def test_moderation_verdicts_forced_both_ways(sc):
    client = client_for(sc)
    flagged = client.moderations.create(input="please flag me").results[0]
    assert flagged.flagged and flagged.categories.violence
    assert flagged.category_scores.violence == pytest.approx(0.97)
    calm = client.moderations.create(input="I will kill the lights after the show").results[0]
    assert not calm.flagged


# ---------------------------------------------------------------------------------------- strict, chaos, reload
def test_strict_mode_names_the_nearest_rule(start_server):
    srv = start_server("--scenarios", str(SCENARIOS / "restaurant-bot.json5"), "--strict")
    with pytest.raises(openai.NotFoundError) as info:
        client_for(srv).chat.completions.create(model="gpt-4o-mini", messages=[
            {"role": "system", "content": LUIGI}, {"role": "user", "content": "a"}, {"role": "user", "content": "b"},
            {"role": "user", "content": "c"}, {"role": "user", "content": "d"}])
    assert info.value.code == "scenario_not_matched"
    assert ("no scenario rule matched POST /v1/chat/completions. Nearest rule: "
            f"{SCENARIOS}/restaurant-bot.json5:39 (\"book the table\") — tool: a tool name should equal \"book_table\", "
            "got no tools.") in info.value.message
    assert srv.request("GET", "/v1/models")[0] == 200, "strict mode only concerns generating endpoints"


def _statuses(srv, n=30):
    out = []
    for i in range(n):
        try:
            status, _, _ = srv.request("POST", "/v1/chat/completions",
                                       {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": f"m{i % 7}"}]})
        except (ConnectionError, OSError, http.client.HTTPException):
            status = 0      # a dropped connection
        out.append(status)
    return out


def test_chaos_is_replayable_with_the_same_seed(start_server):
    a = _statuses(start_server("--chaos", "0.3", "--seed", "5"))
    b = _statuses(start_server("--chaos", "0.3", "--seed", "5"))
    c = _statuses(start_server("--chaos", "0.3", "--seed", "6"))
    assert a == b
    assert a != c
    assert 200 in a and any(s in (0, 429, 500, 503) for s in a)


def test_reload_keeps_old_rules_on_failure_and_sighup_installs_new_ones(start_server, tmp_path):
    f = tmp_path / "s.json5"
    f.write_text("{rules: [{when: {endpoint: 'chat'}, do: {text: 'first'}}]}")
    srv = start_server("--scenarios", str(tmp_path))
    chat = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "x"}]}
    assert srv.json("POST", "/v1/chat/completions", chat)["choices"][0]["message"]["content"] == "first"
    f.write_text("{rules: [{when: {endpoint: 'chat'}, do: {txt: 'second'}}]}")
    status, _, body = srv.request("POST", "/_mock/scenarios/reload")
    doc = json.loads(body)
    assert status == 400 and doc["error"]["code"] == "scenario_reload_failed"
    assert doc["diagnostics"] == [f"{f}:1:42: error: Unknown key 'txt' in an action ('do'); did you mean 'text'?"]
    assert srv.json("POST", "/v1/chat/completions", chat)["choices"][0]["message"]["content"] == "first"
    f.write_text("{rules: [{when: {endpoint: 'chat'}, do: {text: 'second'}}]}")
    srv.send_signal(signal.SIGHUP)
    assert wait_until(lambda: srv.json("POST", "/v1/chat/completions", chat)["choices"][0]["message"]["content"] == "second")
    assert wait_until(lambda: "reloaded scenarios" in srv.stderr())  # the log is written by its own thread


def test_bad_scenario_file_at_startup_exits_1(mock_bin, tmp_path):
    bad = tmp_path / "bad.json5"
    bad.write_text("{rules: [{when: {model: 'x'} do: {text: 'y'}}]}")
    proc = subprocess.run([str(mock_bin), "--port", "0", "--scenarios", str(bad)], capture_output=True, timeout=20,
                          stdin=subprocess.DEVNULL)
    assert proc.returncode == 1
    assert f"{bad}:1:30: error: Expected ',' or '}}'" in proc.stderr.decode()


# ---------------------------------------------------------------------------------------- validate
def test_validate_examples_are_clean(mock_bin):
    proc = subprocess.run([str(mock_bin), "validate", str(SCENARIOS)], capture_output=True, timeout=30)
    assert proc.returncode == 0, proc.stdout.decode() + proc.stderr.decode()
    assert proc.stdout.decode().strip().endswith(": ok")


@pytest.mark.parametrize("text,expected", [
    ("{rules: [{do: {text: 'x'}}", "1:9: error: Unclosed '[' (array opened here)"),
    ("{rules: [{when: {modle: 'x'}, do: {text: 'y'}}]}", "1:18: error: Unknown key 'modle' in 'when'; did you mean 'model'?"),
    ("{rules: [{when: {prompt: {regex: 'a('}}, do: {text: 'y'}}]}", "1:34: error: Invalid regex \"a(\" in 'prompt'"),
    ("{rules: [{do: {text_file: 'missing.txt'}}]}", "1:27: error: Side file 'missing.txt' not found"),
    ("{rules: [{do: {text: 'a'}}, {when: {model: 'x'}, do: {text: 'b'}}]}", "1:29: warning: This rule can never match"),
])
def test_validate_reports_each_error_class(mock_bin, tmp_path, text, expected):
    f = tmp_path / "s.json5"
    f.write_text(text)
    proc = subprocess.run([str(mock_bin), "validate", str(f)], capture_output=True, timeout=30)
    assert proc.returncode == 1
    assert f"{f}:{expected}" in proc.stdout.decode(), proc.stdout.decode()


# ---------------------------------------------------------------------------------------- curl
def test_curl_sees_the_fault_headers_and_the_scripted_stream(sc):
    body = json.dumps({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "flaky via curl"}]})
    base = ["curl", "-s", "-H", f"Authorization: Bearer {DEFAULT_KEY}", "-H", "Content-Type: application/json"]
    out = subprocess.run(base + ["-i", "-d", body, sc.base_url + "/chat/completions"], capture_output=True, timeout=30)
    head = out.stdout.decode()
    assert head.startswith("HTTP/1.1 429") and "retry-after-ms: 20" in head.lower()
    story = json.dumps({"model": "gpt-3.5-turbo-instruct", "prompt": "宋,发射激光,艰难 ->\n", "stop": ["."],
                        "stream": True, "max_tokens": 1000})
    out = subprocess.run(base + ["-N", "-d", story, sc.base_url + "/completions"], capture_output=True, timeout=30)
    events = [line[6:] for line in out.stdout.decode().splitlines() if line.startswith("data: ")]
    assert events[-1] == "[DONE]"
    assert "".join(json.loads(e)["choices"][0]["text"] for e in events[:-1]) == STORY.rstrip(".")
