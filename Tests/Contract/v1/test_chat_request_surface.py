"""Every field of the current SDK's `CreateChatCompletionRequest`, accepted and, where it changes the answer, honoured
or validated like the real API: audio output (decoded with the stdlib), predictions, reasoning effort, verbosity,
web search citations, service tier, metadata, moderation, custom tools with grammars. Strict response validation."""
import base64
import io
import json
import re
import struct
import wave

import openai
import pytest

WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather", "description": "Get the current weather for a city", "strict": True,
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"],
                       "additionalProperties": False},
    },
}
EVERY_ROLE = [
    {"role": "developer", "content": "Answer briefly.", "name": "dev"},
    {"role": "system", "content": [{"type": "text", "text": "You are helpful."}]},
    {"role": "user", "content": [{"type": "text", "text": "What is in this picture?"},
                                 {"type": "image_url", "image_url": {"url": "https://example.com/a.png", "detail": "low"}}],
     "name": "ann"},
    {"role": "assistant", "content": None,
     "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'}}]},
    {"role": "tool", "tool_call_id": "call_1", "content": "Sunny, 24 C"},
    {"role": "assistant", "content": "It is sunny.", "refusal": None},
    {"role": "function", "name": "get_weather", "content": "Sunny"},
    {"role": "user", "content": "Thanks! Anything else?"},
]


def test_a_request_with_every_parameter(client):
    """The SDK's `create_with_all_params` request, with values valid for one model (gpt-4o-mini takes everything
    but the reasoning, verbosity and web-search fields, which the tests below send to models that take them)."""
    res = client.chat.completions.create(
        messages=EVERY_ROLE,
        model="gpt-4o-mini",
        audio={"format": "wav", "voice": "alloy"},
        frequency_penalty=-2,
        function_call="none",
        functions=[{"name": "lookup", "description": "Look something up", "parameters": {"type": "object", "properties": {}}}],
        logit_bias={"50256": -100},
        logprobs=True,
        max_completion_tokens=300,
        metadata={"foo": "string"},
        modalities=["text"],
        moderation={"model": "omni-moderation-latest", "policy": {"input": {"mode": "score"}, "output": {"mode": "score"}}},
        n=1,
        parallel_tool_calls=True,
        prediction={"content": "It is sunny in Paris today.", "type": "content"},
        presence_penalty=-2,
        prompt_cache_key="prompt-cache-key-1234",
        prompt_cache_options={"mode": "implicit", "ttl": "30m"},
        prompt_cache_retention="24h",
        response_format={"type": "text"},
        safety_identifier="safety-identifier-1234",
        seed=-9007199254740991,
        service_tier="auto",
        stop="\n\n\n",
        store=True,
        temperature=1,
        tool_choice="none",
        tools=[WEATHER, {"type": "custom", "custom": {"name": "shell", "description": "Run a command",
                                                      "format": {"type": "text"}}}],
        top_logprobs=2,
        top_p=1,
        user="user-1234",
        verbosity="medium",
    )
    assert res.service_tier == "default"
    assert res.choices[0].message.content == "It is sunny in Paris today."
    assert res.choices[0].logprobs.content
    assert res.moderation.input.type == "moderation_results" and res.moderation.output.results[0].flagged is False
    details = res.usage.completion_tokens_details
    assert details.accepted_prediction_tokens > 0 and details.rejected_prediction_tokens == 0
    assert client.chat.completions.retrieve(res.id).metadata == {"foo": "string"}

    stream = client.chat.completions.create(model="gpt-5.4", messages=EVERY_ROLE, stream=True,
                                            stream_options={"include_obfuscation": True, "include_usage": True},
                                            reasoning_effort="low", verbosity="low", service_tier="priority")
    chunks = list(stream)
    assert all(c.service_tier == "priority" for c in chunks)
    assert chunks[-1].usage.completion_tokens_details.reasoning_tokens > 0

    res = client.chat.completions.create(model="gpt-4o-search-preview", messages=[{"role": "user", "content": "Paris weather"}],
                                         web_search_options={"search_context_size": "low", "user_location": {
                                             "type": "approximate",
                                             "approximate": {"city": "Paris", "country": "FR", "region": "IDF",
                                                             "timezone": "Europe/Paris"}}})
    assert res.choices[0].message.annotations


# ----------------------------------------------------------------------------------------------------- audio
def audio_reply(client, fmt, **extra):
    res = client.chat.completions.create(model="gpt-4o-audio-preview", modalities=["text", "audio"],
                                         audio={"voice": "coral", "format": fmt},
                                         messages=[{"role": "user", "content": "Tell me about owls."}], **extra)
    return res, res.choices[0].message


def test_audio_reply_is_a_valid_wav_with_its_transcript(client):
    res, message = audio_reply(client, "wav")
    assert message.content is None
    audio = message.audio
    assert audio.id.startswith("audio_") and audio.expires_at == res.created + 3600
    assert audio.transcript and "owl" in audio.transcript.lower()
    with wave.open(io.BytesIO(base64.b64decode(audio.data))) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 24000)
        frames = w.readframes(w.getnframes())
        seconds = w.getnframes() / 24000
    samples = struct.unpack(f"<{len(frames) // 2}h", frames)
    assert max(abs(s) for s in samples) > 1000, "the audio is not silence"
    assert 1 < seconds < 60
    details = res.usage.completion_tokens_details
    assert details.audio_tokens == round(seconds * 20 + 0.49)
    assert res.usage.completion_tokens > details.audio_tokens
    # Same request, same bytes.
    assert audio_reply(client, "wav")[1].audio.data == audio.data


@pytest.mark.parametrize("fmt,magic", [("flac", b"fLaC"), ("mp3", b"\xff\xf3"), ("opus", b"OggS"), ("aac", b"\xff\xf1")])
def test_audio_formats_are_their_codec_streams(client, fmt, magic):
    _, message = audio_reply(client, fmt)
    data = base64.b64decode(message.audio.data)
    assert data.startswith(magic)
    wav = base64.b64decode(audio_reply(client, "wav")[1].audio.data)
    if fmt == "flac":  # lossless: STREAMINFO holds the WAV's sample count
        total = int.from_bytes(data[8 + 13:8 + 18], "big") & ((1 << 36) - 1)
        assert total == (len(wav) - 44) // 2


def test_pcm16_streams_transcript_then_audio(client):
    stream = client.chat.completions.create(model="gpt-audio-mini", modalities=["text", "audio"], stream=True,
                                            audio={"voice": "alloy", "format": "pcm16"},
                                            messages=[{"role": "user", "content": "Tell me about owls."}])
    transcript, data, ids = "", "", []
    for chunk in stream:
        for choice in chunk.choices:
            a = choice.delta.audio
            if a:
                transcript += a.transcript or ""
                data += a.data or ""
                if a.id:
                    ids.append(a.id)
    pcm = base64.b64decode(data)
    assert len(ids) == 1 and transcript and len(pcm) % 2 == 0 and len(pcm) > 24000
    plain = client.chat.completions.create(model="gpt-audio-mini", modalities=["text", "audio"],
                                           audio={"voice": "alloy", "format": "pcm16"},
                                           messages=[{"role": "user", "content": "Tell me about owls."}])
    assert plain.choices[0].message.audio.transcript == transcript
    assert base64.b64decode(plain.choices[0].message.audio.data) == pcm


def test_audio_errors(client):
    with pytest.raises(openai.BadRequestError) as e:
        client.chat.completions.create(model="gpt-4o", modalities=["text", "audio"], audio={"voice": "alloy", "format": "wav"},
                                       messages=[{"role": "user", "content": "Hi"}])
    assert e.value.code == "unsupported_value" and e.value.param == "modalities"
    with pytest.raises(openai.BadRequestError) as e:
        client.chat.completions.create(model="gpt-4o-audio-preview", messages=[{"role": "user", "content": "Hi"}])
    assert "This model requires that either input content or output modality contain audio." in e.value.message
    with pytest.raises(openai.BadRequestError) as e:
        client.chat.completions.create(model="gpt-4o-audio-preview", modalities=["text", "audio"],
                                       messages=[{"role": "user", "content": "Hi"}])
    assert e.value.code == "missing_required_parameter" and e.value.param == "audio"
    with pytest.raises(openai.BadRequestError) as e:
        client.chat.completions.create(model="gpt-4o-audio-preview", modalities=["text", "audio"], stream=True,
                                       audio={"voice": "alloy", "format": "wav"}, messages=[{"role": "user", "content": "Hi"}])
    assert e.value.param == "audio.format"
    with pytest.raises(openai.BadRequestError) as e:
        client.chat.completions.create(model="gpt-4o-audio-preview", modalities=["text", "audio"],
                                       audio={"voice": "robot", "format": "wav"}, messages=[{"role": "user", "content": "Hi"}])
    assert e.value.param == "audio.voice"


# ------------------------------------------------------------------------------------- reasoning and verbosity
def test_reasoning_effort_sets_the_reasoning_budget(client):
    def reasoning(effort, model="o3"):
        res = client.chat.completions.create(model=model, reasoning_effort=effort,
                                             messages=[{"role": "user", "content": "Plan a trip to Rome."}])
        return res.usage.completion_tokens_details.reasoning_tokens
    assert 0 < reasoning("low") < reasoning("medium") < reasoning("high")
    # gpt-5.1 and later do not reason unless asked, and then take sampling parameters.
    res = client.chat.completions.create(model="gpt-5.4", temperature=0.2, logprobs=True,
                                         messages=[{"role": "user", "content": "Hi"}])
    assert res.usage.completion_tokens_details.reasoning_tokens == 0
    assert reasoning("xhigh", "gpt-5.4") > reasoning("low", "gpt-5.4") > 0


@pytest.mark.parametrize("model,kwargs,param,code", [
    ("gpt-5", {"reasoning_effort": "none"}, "reasoning_effort", "unsupported_value"),
    ("gpt-4o", {"reasoning_effort": "low"}, "reasoning_effort", "unsupported_parameter"),
    ("o1-mini", {"reasoning_effort": "low"}, "reasoning_effort", "unsupported_parameter"),
    ("gpt-5.4", {"reasoning_effort": "high", "temperature": 0.5}, "temperature", "unsupported_value"),
    ("o4-mini", {"top_p": 0.5}, "top_p", "unsupported_value"),
    ("o3", {"logprobs": True}, "logprobs", "unsupported_parameter"),
    ("o3", {"logit_bias": {"1": 5}}, "logit_bias", "unsupported_parameter"),
    ("gpt-4o", {"verbosity": "low"}, "verbosity", "unsupported_value"),
    ("gpt-4o", {"reasoning_effort": "maximal"}, "reasoning_effort", "invalid_value"),
    ("gpt-5", {"web_search_options": {}}, "web_search_options", "unsupported_parameter"),
    ("gpt-5", {"prediction": {"type": "content", "content": "x"}}, "prediction", "unsupported_parameter"),
    ("gpt-4o", {"service_tier": "turbo"}, "service_tier", "invalid_value"),
    ("gpt-4o", {"safety_identifier": "x" * 65}, "safety_identifier", "string_above_max_length"),
    ("gpt-4o", {"metadata": {f"k{i}": "v" for i in range(17)}}, "metadata", "object_above_max_properties"),
    ("gpt-4o", {"metadata": {"k": "v" * 513}}, "metadata.k", "string_above_max_length"),
    ("gpt-4o", {"logit_bias": {"42": 101}}, "logit_bias", "invalid_value"),
    ("gpt-4o", {"prompt_cache_retention": "forever"}, "prompt_cache_retention", "invalid_value"),
    ("gpt-4o", {"moderation": {"model": "gpt-4o"}}, "moderation.model", "invalid_value"),
])
def test_what_a_model_does_not_take_is_refused(client, model, kwargs, param, code):
    with pytest.raises(openai.BadRequestError) as e:
        client.chat.completions.create(model=model, messages=[{"role": "user", "content": "Hi"}], **kwargs)
    assert (e.value.param, e.value.code) == (param, code), e.value.message


def test_verbosity_changes_the_length(client):
    def words(verbosity):
        res = client.chat.completions.create(model="gpt-5.4", verbosity=verbosity, seed=3,
                                             messages=[{"role": "user", "content": "Describe the ocean."}])
        return len(res.choices[0].message.content.split())
    assert words("low") < words("high")


# ------------------------------------------------------------------------------------ search, tier, prediction
def test_search_models_cite_their_sources(client):
    res = client.chat.completions.create(model="gpt-4o-mini-search-preview", web_search_options={},
                                         messages=[{"role": "user", "content": "Tell me about the Eiffel Tower in Paris"}])
    message = res.choices[0].message
    assert message.annotations
    for a in message.annotations:
        assert a.type == "url_citation"
        c = a.url_citation
        assert message.content[c.start_index:c.end_index] == f"[{c.url.split('/')[2]}]({c.url})"
        assert c.url.startswith("https://") and c.title
    chunks = list(client.chat.completions.create(model="gpt-4o-mini-search-preview", stream=True, web_search_options={},
                                                 messages=[{"role": "user", "content": "Tell me about the Eiffel Tower in Paris"}]))
    assert "".join(ch.choices[0].delta.content or "" for ch in chunks if ch.choices) == message.content
    streamed = [ann for ch in chunks for choice in ch.choices for ann in (choice.delta.model_extra or {}).get("annotations", [])]
    assert [a["url_citation"]["url"] for a in streamed] == [a.url_citation.url for a in message.annotations]


@pytest.mark.parametrize("tier,answered", [(None, "default"), ("auto", "default"), ("default", "default"),
                                           ("flex", "flex"), ("priority", "priority")])
def test_service_tier_is_echoed(client, tier, answered):
    kwargs = {"service_tier": tier} if tier else {}
    res = client.chat.completions.create(model="o4-mini", messages=[{"role": "user", "content": "Hi"}], **kwargs)
    assert res.service_tier == answered


def test_prediction_tokens(client):
    predicted = "def add(a, b):\n    return a + b\n"
    res = client.chat.completions.create(model="gpt-4.1", prediction={"type": "content", "content": predicted},
                                         messages=[{"role": "user", "content": "Rename nothing; return the code."}])
    details = res.usage.completion_tokens_details
    assert res.choices[0].message.content == predicted
    assert details.accepted_prediction_tokens > 0 and details.rejected_prediction_tokens == 0
    # A cut answer rejects what it did not use, and bills it.
    res = client.chat.completions.create(model="gpt-4.1", max_completion_tokens=3,
                                         prediction={"type": "content", "content": [{"type": "text", "text": predicted}]},
                                         messages=[{"role": "user", "content": "Return the code."}])
    details = res.usage.completion_tokens_details
    assert details.rejected_prediction_tokens > 0
    assert res.usage.completion_tokens == 3 + details.rejected_prediction_tokens


# ----------------------------------------------------------------------------------------- tools and moderation
def test_custom_tools_follow_their_grammar(client):
    regex_tool = {"type": "custom", "custom": {"name": "set_code", "description": "Set a code",
                                               "format": {"type": "grammar", "grammar": {"syntax": "regex",
                                                                                         "definition": r"[A-Z]{3}-\d{4}"}}}}
    res = client.chat.completions.create(model="gpt-5.4", tools=[regex_tool], tool_choice="required",
                                         messages=[{"role": "user", "content": "Set a code"}])
    call = res.choices[0].message.tool_calls[0]
    assert call.type == "custom" and call.custom.name == "set_code"
    assert re.fullmatch(r"[A-Z]{3}-\d{4}", call.custom.input), call.custom.input

    lark = 'start: expr\nexpr: NUMBER OP NUMBER\n     | "(" expr ")"\nOP: "+" | "-" | "*"\n%import common.NUMBER\n%ignore " "'
    lark_tool = {"type": "custom", "custom": {"name": "calc", "format": {"type": "grammar",
                                                                        "grammar": {"syntax": "lark", "definition": lark}}}}
    res = client.chat.completions.create(model="gpt-5.4", tools=[lark_tool], tool_choice={"type": "custom", "custom": {"name": "calc"}},
                                         messages=[{"role": "user", "content": "Compute something"}])
    text = res.choices[0].message.tool_calls[0].custom.input
    assert re.fullmatch(r"(\( ?)*\d+(\.\d+)? ?[-+*] ?\d+(\.\d+)?( ?\))*", text), text

    for bad in ({"syntax": "regex", "definition": "a("}, {"syntax": "lark", "definition": "rule: x"}):
        tool = {"type": "custom", "custom": {"name": "t", "format": {"type": "grammar", "grammar": bad}}}
        with pytest.raises(openai.BadRequestError) as e:
            client.chat.completions.create(model="gpt-5.4", tools=[tool], messages=[{"role": "user", "content": "Hi"}])
        assert e.value.param == "tools[0].custom.format.grammar.definition"


def test_parallel_tool_calls_false_makes_one_call(client):
    stock = {"type": "function", "function": {"name": "get_stock", "description": "Stock price for a ticker",
                                              "parameters": {"type": "object", "properties": {"ticker": {"type": "string"}}}}}
    ask = [{"role": "user", "content": "Call get_weather for Paris and get_stock for AAPL"}]
    both = client.chat.completions.create(model="gpt-4o", tools=[WEATHER, stock], messages=ask)
    assert len(both.choices[0].message.tool_calls) == 2
    one = client.chat.completions.create(model="gpt-4o", tools=[WEATHER, stock], messages=ask, parallel_tool_calls=False)
    assert len(one.choices[0].message.tool_calls) == 1


def test_moderated_completions(client):
    threat = [{"role": "user", "content": "I will kill you and your family tonight"}]
    res = client.chat.completions.create(model="gpt-4o", messages=threat, moderation={"model": "omni-moderation-latest"})
    assert res.moderation.input.results[0].flagged is True
    assert res.choices[0].finish_reason == "stop" and res.choices[0].message.content
    blocked = client.chat.completions.create(model="gpt-4o", messages=threat, moderation={
        "model": "omni-moderation-latest", "policy": {"input": {"mode": "block"}}})
    assert blocked.choices[0].finish_reason == "content_filter" and blocked.choices[0].message.content == ""
    chunks = list(client.chat.completions.create(model="gpt-4o", messages=threat, stream=True,
                                                 moderation={"model": "omni-moderation-latest"}))
    assert [c.moderation.input.results[0].flagged for c in chunks if c.moderation] == [True]
