"""Stored chat completions (`store: true`) through the current SDK: list with filters and auto-pagination,
retrieve, metadata update, delete, the stored messages, streams stored as assembled, and `--state-dir`
restarts."""
from __future__ import annotations

import signal

import openai
import pytest



def ask(client, text, **kwargs):
    return client.chat.completions.create(
        model=kwargs.pop("model", "gpt-4o-mini"),
        messages=[{"role": "system", "content": "Be brief."}, {"role": "user", "content": text}],
        **kwargs,
    )


def test_only_stored_completions_are_listed(client):
    kept = ask(client, "remember me", store=True, metadata={"team": "a"})
    ask(client, "forget me")  # store defaults to false
    listed = client.chat.completions.list()
    assert [c.id for c in listed.data] == [kept.id]
    got = client.chat.completions.retrieve(kept.id)
    assert got.id == kept.id
    assert got.choices[0].message.content == kept.choices[0].message.content
    assert got.metadata == {"team": "a"}
    assert got.model == kept.model and got.created == kept.created
    assert got.usage.total_tokens == kept.usage.total_tokens


def test_list_filters_orders_and_auto_paginates(client):
    made = [ask(client, f"question {i}", store=True, metadata={"parity": "even" if i % 2 == 0 else "odd"},
                model="gpt-4o-mini" if i < 5 else "gpt-4.1")
            for i in range(7)]
    ids = [c.id for c in made]
    page = client.chat.completions.list(limit=3)
    assert [c.id for c in page.data] == ids[:3]
    assert page.has_more is True
    assert [c.id for c in client.chat.completions.list(limit=3)] == ids  # the SDK follows `after`
    assert [c.id for c in client.chat.completions.list(limit=2, order="desc")] == ids[::-1]
    assert [c.id for c in client.chat.completions.list(metadata={"parity": "odd"})] == ids[1::2]
    assert [c.id for c in client.chat.completions.list(model="gpt-4.1")] == ids[5:]
    assert [c.id for c in client.chat.completions.list(after=ids[4])] == ids[5:]


def test_update_replaces_metadata_and_delete_removes(client, make_client):
    c = ask(client, "hello", store=True, metadata={"a": "1", "b": "2"})
    updated = client.chat.completions.update(c.id, metadata={"c": "3"})
    assert updated.metadata == {"c": "3"}
    assert client.chat.completions.retrieve(c.id).metadata == {"c": "3"}
    deleted = client.chat.completions.delete(c.id)
    assert (deleted.id, deleted.deleted, deleted.object) == (c.id, True, "chat.completion.deleted")
    with pytest.raises(openai.NotFoundError) as err:
        client.chat.completions.retrieve(c.id)
    assert err.value.code == "not_found" and err.value.param == "completion_id"
    with pytest.raises(openai.NotFoundError):
        client.chat.completions.delete(c.id)
    with pytest.raises(openai.NotFoundError):
        lenient(client, make_client).chat.completions.messages.list(c.id)


def test_bad_metadata_is_refused(client):
    c = ask(client, "hello", store=True)
    with pytest.raises(openai.BadRequestError) as err:
        client.chat.completions.update(c.id, metadata={"k" * 65: "v"})
    assert err.value.status_code == 400
    with pytest.raises(openai.BadRequestError):
        ask(client, "x", store=True, metadata={f"k{i}": "v" for i in range(17)})


def lenient(client, make_client):
    """The SDK types these messages as `ChatCompletionMessage` (role `assistant` only) while the API returns
    the request's messages with their own roles: strict validation would refuse the real answer too."""
    return make_client(str(client.base_url), _strict_response_validation=False)


def test_messages_are_the_request_messages(client, make_client):
    c = ask(client, "what is stored?", store=True)
    client = lenient(client, make_client)
    messages = list(client.chat.completions.messages.list(c.id, limit=1))  # auto-pagination, one per page
    assert [(m.role, m.content) for m in messages] == [("system", "Be brief."), ("user", "what is stored?")]
    assert len({m.id for m in messages}) == 2
    desc = client.chat.completions.messages.list(c.id, order="desc")
    assert [m.content for m in desc.data] == ["what is stored?", "Be brief."]


def test_a_stream_is_stored_as_assembled(client):
    stream = ask(client, "stream and store", store=True, stream=True, stream_options={"include_usage": True})
    chunks = list(stream)
    text = "".join(ch.choices[0].delta.content or "" for ch in chunks if ch.choices)
    got = client.chat.completions.retrieve(chunks[0].id)
    assert got.object == "chat.completion"
    assert got.choices[0].message.content == text
    assert got.choices[0].finish_reason == chunks[-2].choices[0].finish_reason
    assert got.usage.completion_tokens == chunks[-1].usage.completion_tokens


def test_stored_completions_survive_a_restart(start_server, make_client, tmp_path):
    state = tmp_path / "state"
    srv = start_server("--state-dir", str(state))
    c = make_client(srv.base_url)
    kept = ask(c, "durable", store=True, metadata={"run": "1"})
    assert srv.stop(signal.SIGTERM) == 0

    again = make_client(start_server("--state-dir", str(state)).base_url)
    got = again.chat.completions.retrieve(kept.id)
    assert got.choices[0].message.content == kept.choices[0].message.content
    assert got.metadata == {"run": "1"}
    assert [m.content for m in lenient(again, make_client).chat.completions.messages.list(kept.id)] == ["Be brief.", "durable"]
    assert ask(again, "after", store=True).id != kept.id
