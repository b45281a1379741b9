"""Batches through the current SDK: the documented flow (upload JSONL → create → poll → download the
output file), list pagination, cancel, validation failures, and scenario rules failing single lines."""
from __future__ import annotations

import json
import time

import openai
import pytest

from mockserver import SCENARIOS_DIR as SCENARIOS


def chat_line(custom_id: str, text: str, model: str = "gpt-4o-mini", **extra) -> dict:
    return {"custom_id": custom_id, "method": "POST", "url": "/v1/chat/completions",
            "body": {"model": model, "messages": [{"role": "user", "content": text}], **extra}}


def jsonl(lines: list[dict]) -> bytes:
    return "".join(json.dumps(line) + "\n" for line in lines).encode()


def upload(client, lines: list[dict]):
    return client.files.create(file=("requests.jsonl", jsonl(lines)), purpose="batch")


def wait_done(client, batch_id, timeout=60):
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        batch = client.batches.retrieve(batch_id)
        if not seen or seen[-1] != batch.status:
            seen.append(batch.status)
        if batch.status in ("completed", "failed", "cancelled", "expired"):
            return batch, seen
        time.sleep(0.01)
    raise AssertionError(f"batch {batch_id} still {seen[-1]} after {timeout}s")


def output_lines(client, file_id) -> list[dict]:
    return [json.loads(line) for line in client.files.content(file_id).text.splitlines()]


def test_the_documented_flow(client, tmp_path):
    path = tmp_path / "batchinput.jsonl"
    path.write_bytes(jsonl([chat_line(f"request-{i}", f"Tell me a fact about the number {i}") for i in range(1, 11)]))
    batch_input_file = client.files.create(file=open(path, "rb"), purpose="batch")
    assert batch_input_file.purpose == "batch"
    batch = client.batches.create(input_file_id=batch_input_file.id, endpoint="/v1/chat/completions",
                                  completion_window="24h", metadata={"description": "nightly eval job"})
    assert batch.status == "validating" and batch.metadata == {"description": "nightly eval job"}
    assert batch.expires_at == batch.created_at + 86400
    done, seen = wait_done(client, batch.id)
    assert seen[-1] == "completed" and "in_progress" in seen               # it visibly ran
    assert done.request_counts.total == 10 and done.request_counts.completed == 10 and done.request_counts.failed == 0
    assert done.error_file_id is None and done.completed_at >= done.finalizing_at >= done.in_progress_at
    assert done.usage.input_tokens > 0 and done.usage.output_tokens > 0
    assert done.usage.total_tokens == done.usage.input_tokens + done.usage.output_tokens

    out = client.files.retrieve(done.output_file_id)
    assert out.purpose == "batch_output"
    lines = output_lines(client, done.output_file_id)
    assert [line["custom_id"] for line in lines] == [f"request-{i}" for i in range(1, 11)]
    for line in lines:
        assert line["id"].startswith("batch_req_") and line["error"] is None
        assert line["response"]["status_code"] == 200 and line["response"]["request_id"]
        completion = openai.types.chat.ChatCompletion.model_validate(line["response"]["body"])
        assert completion.choices[0].message.content


def test_embeddings_batch_and_instant_clock(start_server, make_client):
    srv = start_server("--time", "instant")
    c = make_client(srv.base_url)
    f = upload(c, [{"custom_id": f"e{i}", "method": "POST", "url": "/v1/embeddings",
                    "body": {"model": "text-embedding-3-small", "input": f"document {i}"}} for i in range(3)])
    batch = c.batches.create(input_file_id=f.id, endpoint="/v1/embeddings", completion_window="24h",
                             output_expires_after={"anchor": "created_at", "seconds": 3600})
    assert batch.status == "completed" and batch.model == "text-embedding-3-small"   # instant: done at once
    out = c.files.retrieve(batch.output_file_id)
    assert out.expires_at == out.created_at + 3600
    for line in output_lines(c, batch.output_file_id):
        body = openai.types.CreateEmbeddingResponse.model_validate(line["response"]["body"])
        assert len(body.data[0].embedding) == 1536


def test_responses_batch_answers_like_direct_calls(start_server, make_client):
    srv = start_server("--time", "instant")
    c = make_client(srv.base_url)
    body = {"model": "gpt-4o-mini", "input": "Name a colour.", "store": False}
    f = upload(c, [{"custom_id": "r1", "method": "POST", "url": "/v1/responses", "body": body}])
    batch = c.batches.create(input_file_id=f.id, endpoint="/v1/responses", completion_window="24h")
    assert batch.status == "completed" and batch.request_counts.completed == 1
    [line] = output_lines(c, batch.output_file_id)
    answered = openai.types.responses.Response.model_validate(line["response"]["body"])
    assert answered.output_text == c.responses.create(**body).output_text


def test_list_paginates_newest_first(start_server, make_client):
    srv = start_server("--time", "instant")
    c = make_client(srv.base_url)
    f = upload(c, [chat_line("a", "hi")])
    ids = [c.batches.create(input_file_id=f.id, endpoint="/v1/chat/completions", completion_window="24h").id
           for _ in range(5)]
    page = c.batches.list(limit=2)
    assert [b.id for b in page.data] == ids[::-1][:2] and page.has_more
    assert [b.id for b in c.batches.list(limit=2)] == ids[::-1]
    assert [b.id for b in c.batches.list(after=ids[2])] == [ids[1], ids[0]]


def test_cancel(start_server, make_client):
    srv = start_server("--time", "manual")
    c = make_client(srv.base_url)
    f = upload(c, [chat_line(f"r{i}", f"line {i}") for i in range(40)])
    batch = c.batches.create(input_file_id=f.id, endpoint="/v1/chat/completions", completion_window="24h")
    srv.json("POST", "/_mock/clock/advance", {"seconds": 12})
    assert c.batches.retrieve(batch.id).status == "in_progress"
    cancelling = c.batches.cancel(batch.id)
    assert cancelling.status == "cancelling" and cancelling.cancelling_at is not None
    kept = cancelling.request_counts.completed
    assert 0 < kept < 40
    srv.json("POST", "/_mock/clock/advance", {"seconds": 60})
    cancelled = c.batches.retrieve(batch.id)
    assert cancelled.status == "cancelled" and cancelled.cancelled_at is not None and cancelled.completed_at is None
    assert [line["custom_id"] for line in output_lines(c, cancelled.output_file_id)] == [f"r{i}" for i in range(kept)]
    with pytest.raises(openai.ConflictError):
        c.batches.cancel(batch.id)
    with pytest.raises(openai.NotFoundError):
        c.batches.retrieve("batch_missing")


def test_bad_requests(start_server, make_client):
    srv = start_server("--time", "manual")
    c = make_client(srv.base_url)
    f = upload(c, [chat_line("a", "hi")])
    tune = c.files.create(file=("t.jsonl", jsonl([{"messages": [{"role": "user", "content": "x"},
                                                                 {"role": "assistant", "content": "y"}]}])),
                          purpose="fine-tune")
    with pytest.raises(openai.BadRequestError) as e:
        c.batches.create(input_file_id=f.id, endpoint="/v1/chat/completions", completion_window="48h")
    assert e.value.param == "completion_window" and e.value.code == "invalid_value"
    with pytest.raises(openai.BadRequestError) as e:
        c.batches.create(input_file_id=f.id, endpoint="/v1/audio/speech", completion_window="24h")
    assert e.value.param == "endpoint"
    with pytest.raises(openai.BadRequestError) as e:
        c.batches.create(input_file_id="file-missing", endpoint="/v1/chat/completions", completion_window="24h")
    assert e.value.param == "input_file_id"
    with pytest.raises(openai.BadRequestError) as e:
        c.batches.create(input_file_id=tune.id, endpoint="/v1/chat/completions", completion_window="24h")
    assert e.value.param == "input_file_id"
    with pytest.raises(openai.BadRequestError) as e:
        c.batches.create(input_file_id=f.id, endpoint="/v1/chat/completions", completion_window="24h",
                         metadata={f"k{i}": "v" for i in range(17)})
    assert e.value.param == "metadata"
    with pytest.raises(openai.BadRequestError) as e:
        c.batches.create(input_file_id=f.id, endpoint="/v1/chat/completions", completion_window="24h",
                         output_expires_after={"anchor": "created_at", "seconds": 10})
    assert e.value.param == "output_expires_after.seconds"


def test_a_batch_that_outruns_its_window_expires(start_server, make_client, tmp_path):
    # Each "slow" line's rule takes 10 minutes, which a batch spends in virtual time: 150 of them outrun 24 h.
    rules = tmp_path / "slow.json5"
    rules.write_text('{ rules: [ { when: { last_user_message: { prefix: "slow" } }, do: { text: "done", delay_ms: 600000 } } ] }')
    srv = start_server("--time", "instant", "--scenarios", str(rules))
    c = make_client(srv.base_url)
    ids = [f"slow-{i}" for i in range(150)]
    f = upload(c, [chat_line(i, i) for i in ids])
    batch = c.batches.create(input_file_id=f.id, endpoint="/v1/chat/completions", completion_window="24h")
    assert batch.status == "expired" and batch.expired_at == batch.created_at + 86400 == batch.expires_at
    assert batch.completed_at is None and batch.finalizing_at is None
    counts = batch.request_counts
    assert counts.total == 150 and counts.completed + counts.failed == 150 and 100 < counts.completed < 150
    done = output_lines(c, batch.output_file_id)
    expired = output_lines(c, batch.error_file_id)
    assert [line["custom_id"] for line in done + expired] == ids and len(done) == counts.completed
    assert all(line["response"]["body"]["choices"][0]["message"]["content"] == "done" for line in done)
    assert all(line["response"] is None and line["error"]["code"] == "batch_expired" for line in expired)


def test_invalid_lines_fail_the_batch(start_server, make_client):
    srv = start_server("--time", "instant")
    c = make_client(srv.base_url)
    f = upload(c, [
        chat_line("a", "fine"),
        {"method": "POST", "url": "/v1/chat/completions", "body": {}},
        chat_line("a", "duplicate"),
        {"custom_id": "g", "method": "GET", "url": "/v1/chat/completions", "body": {}},
        {"custom_id": "u", "method": "POST", "url": "/v1/embeddings", "body": {}},
        {"custom_id": "b", "method": "POST", "url": "/v1/chat/completions", "body": "text"},
    ])
    batch = c.batches.create(input_file_id=f.id, endpoint="/v1/chat/completions", completion_window="24h")
    assert batch.status == "failed" and batch.failed_at is not None and batch.in_progress_at is None
    assert batch.output_file_id is None and batch.request_counts.total == 0
    assert batch.errors.object == "list"
    assert [(e.code, e.line, e.param) for e in batch.errors.data] == [
        ("missing_required_parameter", 2, "custom_id"), ("duplicate_custom_id", 3, "custom_id"),
        ("invalid_value", 4, "method"), ("url_mismatch", 5, "url"), ("invalid_type", 6, "body")]
    assert all(e.message for e in batch.errors.data)


def test_scenario_rules_fail_single_lines(start_server, make_client):
    srv = start_server("--time", "instant", "--scenarios", str(SCENARIOS / "batch-failures.json5"))
    c = make_client(srv.base_url)
    f = upload(c, [chat_line("ok", "hello"), chat_line("poisoned", "a poison pill"), chat_line("ping", "ping"),
                   chat_line("refused", "something forbidden"), chat_line("streamed", "hi", stream=True)])
    batch = c.batches.create(input_file_id=f.id, endpoint="/v1/chat/completions", completion_window="24h")
    assert batch.status == "completed"
    assert (batch.request_counts.total, batch.request_counts.completed, batch.request_counts.failed) == (5, 2, 3)
    ok = output_lines(c, batch.output_file_id)
    assert [line["custom_id"] for line in ok] == ["ok", "ping"]
    assert ok[1]["response"]["body"]["choices"][0]["message"]["content"] == "pong"
    errors = output_lines(c, batch.error_file_id)
    assert [(line["custom_id"], line["response"]["status_code"]) for line in errors] == [
        ("poisoned", 500), ("refused", 400), ("streamed", 400)]
    refused = errors[1]["response"]["body"]["error"]
    assert refused["code"] == "content_policy_violation" and refused["message"] == "This request was refused: something forbidden"
    assert all(line["error"] is None for line in errors)
    # The same body sent directly gets the same answer.
    with pytest.raises(openai.BadRequestError) as e:
        c.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "something forbidden"}])
    assert e.value.code == "content_policy_violation"


def test_batches_survive_a_restart_and_reset_forgets_them(start_server, make_client, tmp_path):
    state = str(tmp_path / "state")
    srv = start_server("--state-dir", state, "--time", "manual")
    c = make_client(srv.base_url)
    f = upload(c, [chat_line(f"r{i}", f"line {i}") for i in range(3)])
    batch = c.batches.create(input_file_id=f.id, endpoint="/v1/chat/completions", completion_window="24h")
    srv.stop()
    srv = start_server("--state-dir", state, "--time", "manual")
    c = make_client(srv.base_url)
    assert c.batches.retrieve(batch.id).status == "validating"
    srv.json("POST", "/_mock/clock/advance", {"seconds": 30})
    done = c.batches.retrieve(batch.id)
    assert done.status == "completed" and len(output_lines(c, done.output_file_id)) == 3
    srv.reset()
    with pytest.raises(openai.NotFoundError):
        c.batches.retrieve(batch.id)
    assert c.batches.list().data == []
