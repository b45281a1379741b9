"""The built-in catalogue against the installed SDK: every model id the SDK names in its types is served, with the
shutdown date its deprecation notes announce, and every chat model answers chat completions (or the Responses-only
404). When a new SDK release names a model the catalogue lacks, `test_every_model_the_sdk_names_is_served` lists it.

Also `--models open`: any id is accepted as a model of the endpoint's kind."""
from __future__ import annotations

import datetime
import importlib
import pathlib
import pkgutil
import re
import typing

import openai
import openai.types
import pytest
from typing_extensions import Literal as ExtLiteral

from mockserver import assert_openai_error

# Fields named `model` that hold something else: a voice-design prompt's version (`"auto"`, `"2026-10-08"`).
NOT_MODEL_IDS = {"openai.types.audio.voice_create_params"}


def _literal_strings(tp, depth=0) -> set[str]:
    if depth > 8:
        return set()
    if typing.get_origin(tp) in (typing.Literal, ExtLiteral):
        return {a for a in typing.get_args(tp) if isinstance(a, str)}
    out: set[str] = set()
    for arg in typing.get_args(tp) or ():
        out |= _literal_strings(arg, depth + 1)
    return out


def sdk_model_ids() -> dict[str, str]:
    """Every string Literal of a `model` / `*_model` field or a `*Model` type alias in `openai.types`, with where it
    was first seen."""
    found: dict[str, str] = {}
    for info in pkgutil.walk_packages(openai.types.__path__, "openai.types."):
        if info.name in NOT_MODEL_IDS:
            continue
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if isinstance(obj, type) and getattr(obj, "__module__", None) == module.__name__:
                try:
                    hints = typing.get_type_hints(obj)
                except Exception:
                    hints = getattr(obj, "__annotations__", {})
                for field, tp in hints.items():
                    if field == "model" or field.endswith("_model"):
                        for v in _literal_strings(tp):
                            found.setdefault(v, f"{info.name}.{name}.{field}")
            elif name.endswith("Model") and not isinstance(obj, type):
                for v in _literal_strings(obj):
                    found.setdefault(v, f"{info.name}.{name}")
    return found


def sdk_deprecation_notes() -> dict[str, str]:
    """id → its note, from the `Deprecated values:` docstrings of the SDK's types."""
    notes: dict[str, str] = {}
    root = pathlib.Path(openai.types.__file__).parent
    for path in sorted(root.rglob("*.py")):
        for block in re.findall(r'"""Deprecated values:(.*?)"""', path.read_text(), re.S):
            for item in re.split(r"\n- ", "\n" + block.strip()):
                item = " ".join(item.split())
                head, _, note = item.partition(":")
                for model_id in re.findall(r'"([^"]+)"', head):
                    notes.setdefault(model_id, note.strip())
    return notes


def announced_shutdown(note: str) -> str | None:
    """`Announced shutdown date: 2026-10-23.`, `… was shut down on October 23, 2026.`, `… retired on May 12, 2026.`"""
    if m := re.search(r"shutdown date: (\d{4}-\d{2}-\d{2})", note):
        return m.group(1)
    if m := re.search(r"(?:shut down|retired) on ([A-Z][a-z]+ \d{1,2}, \d{4})", note):
        return datetime.datetime.strptime(m.group(1), "%B %d, %Y").date().isoformat()
    return None


UNSUPPORTED = "Not a supported model ID"


def test_every_model_the_sdk_names_is_served(client):
    named = sdk_model_ids()
    notes = sdk_deprecation_notes()
    assert len(named) > 150, f"the scan of the SDK's types found only {len(named)} model ids"
    served = {m.id: m for m in client.models.list().data}
    expected = {i for i in named if UNSUPPORTED not in notes.get(i, "")}
    missing = sorted(expected - served.keys())
    assert not missing, "the catalogue lacks models the SDK names:\n" + "\n".join(f"  {i}  ({named[i]})" for i in missing)
    unsupported = sorted(i for i in named if UNSUPPORTED in notes.get(i, ""))
    assert unsupported and not set(unsupported) & served.keys(), unsupported


def test_shutdown_dates_match_the_sdk(client):
    served = {m.id: m for m in client.models.list().data}
    checked = 0
    for model_id, note in sdk_deprecation_notes().items():
        date = announced_shutdown(note)
        if date and model_id in served:
            assert served[model_id].shutdown_date == date, (model_id, note)
            checked += 1
    assert checked > 60
    assert served["gpt-5.4"].shutdown_date is None


def test_an_unsupported_id_is_model_not_found(client):
    with pytest.raises(openai.NotFoundError) as e:
        client.chat.completions.create(model="gpt-5.1-mini", messages=[{"role": "user", "content": "Hi"}])
    assert e.value.code == "model_not_found"


def chat_models() -> list[str]:
    from openai.types.shared.chat_model import ChatModel
    notes = sdk_deprecation_notes()
    return [m for m in typing.get_args(ChatModel) if UNSUPPORTED not in notes.get(m, "")]


# What the real API serves only on /v1/responses, although the SDK's ChatModel names it.
RESPONSES_ONLY = {"gpt-5.1-codex", "gpt-5.2-pro", "gpt-5.2-pro-2025-12-11", "codex-mini-latest"}


@pytest.mark.parametrize("model", chat_models())
def test_every_chat_model_answers(client, model):
    messages = [{"role": "user", "content": "Name a bird."}]
    if model in RESPONSES_ONLY:
        with pytest.raises(openai.NotFoundError) as e:
            client.chat.completions.create(model=model, messages=messages)
        assert "only supported in v1/responses" in e.value.message
        return
    extra = {}
    if "audio" in model:  # audio models need audio in or out
        extra = {"modalities": ["text", "audio"], "audio": {"voice": "alloy", "format": "wav"}}
    res = client.chat.completions.create(model=model, messages=messages, max_completion_tokens=2000, **extra)
    assert res.model == model
    message = res.choices[0].message
    assert message.content or message.audio.transcript
    details = res.usage.completion_tokens_details
    reasoning = model.startswith(("o1", "o3", "o4")) or re.match(r"gpt-(5|6)(\.\d)?(-mini|-nano|-\d{4}-|$)", model)
    if reasoning and not re.match(r"gpt-(5\.[1-9]|6)", model):  # gpt-5.1 and later reason only when asked
        assert details.reasoning_tokens > 0, model
    assert res.usage.completion_tokens >= details.reasoning_tokens + details.audio_tokens


@pytest.mark.parametrize("model,endpoint", [("whisper-1", "chat"), ("dall-e-3", "chat"), ("sora-2", "chat"),
                                            ("gpt-realtime", "chat"), ("tts-1", "embeddings"), ("gpt-image-1", "completions")])
def test_models_of_other_endpoints_are_refused(client, model, endpoint):
    with pytest.raises(openai.APIStatusError) as e:
        if endpoint == "chat":
            client.chat.completions.create(model=model, messages=[{"role": "user", "content": "Hi"}])
        elif endpoint == "embeddings":
            client.embeddings.create(model=model, input="Hi")
        else:
            client.completions.create(model=model, prompt="Hi")
    assert e.value.status_code in (403, 404)
    assert client.models.retrieve(model).id == model


def test_dated_snapshots_resolve_to_their_family(client):
    # Same limits as the family: the 16,384-token output cap of gpt-4o holds for its 2024-08-06 snapshot.
    with pytest.raises(openai.BadRequestError) as e:
        client.chat.completions.create(model="gpt-4o-2024-08-06", max_completion_tokens=16_385,
                                       messages=[{"role": "user", "content": "Hi"}])
    assert "at most 16384 completion tokens" in e.value.message
    res = client.chat.completions.create(model="o4-mini-2025-04-16", messages=[{"role": "user", "content": "Hi"}])
    assert res.usage.completion_tokens_details.reasoning_tokens > 0


# ----------------------------------------------------------------------------------------------- --models open
def test_open_mode_accepts_any_model_name(start_server, make_client):
    srv = start_server("--models", "open")
    c = make_client(srv.base_url)
    res = c.chat.completions.create(model="acme-private-llm", messages=[{"role": "user", "content": "Hello"}])
    assert res.model == "acme-private-llm" and res.choices[0].message.content
    # The kind comes from the endpoint: the same unknown name embeds and completes too.
    assert len(c.embeddings.create(model="acme-embedder", input="hi", encoding_format="float").data[0].embedding) == 1536
    assert c.completions.create(model="acme-base", prompt="Once upon a time").choices[0].text
    assert c.moderations.create(model="acme-guard", input="hello").results[0].flagged is False
    # A name built on a catalogue model takes its limits: a proxy's `gpt-5-mini-eu` reasons and rejects max_tokens.
    res = c.chat.completions.create(model="azure/gpt-5-mini-eu", messages=[{"role": "user", "content": "Hi"}])
    assert res.usage.completion_tokens_details.reasoning_tokens > 0
    with pytest.raises(openai.BadRequestError) as e:
        c.chat.completions.create(model="gpt-5-mini-eu", max_tokens=10, messages=[{"role": "user", "content": "Hi"}])
    assert e.value.code == "unsupported_parameter"
    # Known models keep their kind.
    with pytest.raises(openai.NotFoundError):
        c.chat.completions.create(model="text-embedding-3-small", messages=[{"role": "user", "content": "Hi"}])
    assert c.models.retrieve("acme-private-llm").id == "acme-private-llm"
    assert "acme-private-llm" not in [m.id for m in c.models.list()]


def test_strict_mode_is_the_default(mock):
    status, headers, body = mock.request("POST", "/v1/chat/completions",
                                         {"model": "acme-private-llm", "messages": [{"role": "user", "content": "Hi"}]})
    assert_openai_error(status, headers, body, 404, code="model_not_found",
                        message="The model `acme-private-llm` does not exist or you do not have access to it.")
