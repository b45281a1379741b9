"""Fine-tuning jobs through the current SDK: the tutorial flow verbatim, events and checkpoints,
cancel/pause/resume, failures, graders, permissions, the clock modes, and models that learned their data."""
from __future__ import annotations

import base64
import csv
import io
import json
import time

import openai
import pytest

ANIMALS = ["cat", "dog", "fish", "bird", "cow", "bee", "owl", "frog", "duck", "goat", "pig", "horse"]
SYSTEM = "You are a joker who ends every joke with Haha."


def joke_lines(names=ANIMALS):
    return "".join(json.dumps({"messages": [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": f"Tell me a joke about the {n}"},
        {"role": "assistant", "content": f"Why did the {n} cross the road? To prove it was no chicken. Haha"},
    ]}) + "\n" for n in names).encode()


def wait_done(client, job_id, timeout=60):
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        job = client.fine_tuning.jobs.retrieve(job_id)
        if not seen or seen[-1] != job.status:
            seen.append(job.status)
        if job.status in ("succeeded", "failed", "cancelled"):
            return job, seen
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} still {seen[-1]} after {timeout}s")


def test_the_tutorial_flow(client, tmp_path):
    path = tmp_path / "jokes.jsonl"
    path.write_bytes(joke_lines())
    file = client.files.create(file=open(path, "rb"), purpose="fine-tune")
    job = client.fine_tuning.jobs.create(training_file=file.id, model="gpt-3.5-turbo")
    assert job.status == "validating_files" and job.model == "gpt-3.5-turbo-0125"
    done, seen = wait_done(client, job.id)
    assert seen[-1] == "succeeded" and "running" in seen          # it visibly ran
    assert done.fine_tuned_model.startswith("ft:gpt-3.5-turbo-0125:personal::")
    assert done.trained_tokens > 0 and done.finished_at >= done.created_at
    answer = client.chat.completions.create(model=done.fine_tuned_model, messages=[
        {"role": "system", "content": SYSTEM}, {"role": "user", "content": "Tell me a joke about the owl"}])
    assert answer.choices[0].message.content == "Why did the owl cross the road? To prove it was no chicken. Haha"
    unseen = client.chat.completions.create(model=done.fine_tuned_model, messages=[
        {"role": "system", "content": SYSTEM}, {"role": "user", "content": "Tell me a joke about the giraffe"}])
    text = unseen.choices[0].message.content
    assert text.endswith("Haha")                                   # in the style of the training data
    assert "cross the road" in text or "chicken" in text
    assert done.fine_tuned_model in [m.id for m in client.models.list()]


def manual(start_server, make_client):
    srv = start_server("--time", "manual")
    return srv, make_client(srv.base_url)


def test_events_and_checkpoints_paginate(start_server, make_client):
    srv, c = manual(start_server, make_client)
    f = c.files.create(file=("j.jsonl", joke_lines()), purpose="fine-tune")
    job = c.fine_tuning.jobs.create(training_file=f.id, model="gpt-4o-mini", hyperparameters={"n_epochs": 3},
                                    suffix="jokes", metadata={"team": "a"})
    srv.json("POST", "/_mock/clock/advance", {"seconds": 3600})
    done = c.fine_tuning.jobs.retrieve(job.id)
    assert done.status == "succeeded" and done.hyperparameters.n_epochs == 3 and done.hyperparameters.batch_size == 1
    events = list(c.fine_tuning.jobs.list_events(job.id, limit=7))        # auto-pagination, newest first
    assert events[0].message == "The job has successfully completed"
    assert events[-1].message == f"Created fine-tuning job: {job.id}"
    assert len(events) == len({e.id for e in events})
    metrics = [e for e in events if e.type == "metrics"]
    assert len(metrics) == 36 and metrics[-1].data["step"] == 1 and metrics[0].data["total_steps"] == 36
    assert metrics[-1].data["train_loss"] > metrics[0].data["train_loss"]     # it learned
    ckpts = list(c.fine_tuning.jobs.checkpoints.list(job.id, limit=1))
    assert [k.step_number for k in ckpts] == [36, 24, 12]
    assert ckpts[0].fine_tuned_model_checkpoint == f"{done.fine_tuned_model}:ckpt-step-36"
    assert ckpts[0].metrics.train_loss is not None
    page = c.fine_tuning.jobs.list(limit=1, metadata={"team": "a"})
    assert [j.id for j in page.data] == [job.id]
    assert c.fine_tuning.jobs.list(metadata={"team": "b"}).data == []


def test_results_file_is_base64_of_the_metrics_csv(start_server, make_client):
    srv, c = manual(start_server, make_client)
    f = c.files.create(file=("j.jsonl", joke_lines()), purpose="fine-tune")
    job = c.fine_tuning.jobs.create(training_file=f.id, model="gpt-4o-mini", hyperparameters={"n_epochs": 2})
    srv.json("POST", "/_mock/clock/advance", {"seconds": 3600})
    done = c.fine_tuning.jobs.retrieve(job.id)
    result = c.files.retrieve(done.result_files[0])
    assert result.purpose == "fine-tune-results" and result.filename == "step_metrics.csv"
    rows = list(csv.DictReader(io.StringIO(base64.b64decode(c.files.content(result.id).content).decode())))
    assert list(rows[0]) == ["step", "train_loss", "train_accuracy", "valid_loss", "valid_mean_token_accuracy"]
    assert [int(r["step"]) for r in rows] == list(range(1, 25))
    assert float(rows[-1]["train_accuracy"]) >= float(rows[0]["train_accuracy"])


def test_cancel_pause_resume(start_server, make_client):
    srv = start_server("--time", "manual")
    # `paused` is what the real API answers, but not in the SDK's status Literal: strict validation
    # (which real clients do not use) would refuse it.
    c = make_client(srv.base_url, _strict_response_validation=False)
    f = c.files.create(file=("j.jsonl", joke_lines()), purpose="fine-tune")
    job = c.fine_tuning.jobs.create(training_file=f.id, model="gpt-4o-mini")
    with pytest.raises(openai.BadRequestError):
        c.fine_tuning.jobs.pause(job.id)                         # not running yet
    srv.json("POST", "/_mock/clock/advance", {"seconds": 60})
    assert c.fine_tuning.jobs.pause(job.id).status == "paused"
    srv.json("POST", "/_mock/clock/advance", {"seconds": 86400})
    assert c.fine_tuning.jobs.retrieve(job.id).status == "paused"
    assert c.fine_tuning.jobs.resume(job.id).status == "queued"
    srv.json("POST", "/_mock/clock/advance", {"seconds": 3600})
    assert c.fine_tuning.jobs.retrieve(job.id).status == "succeeded"
    with pytest.raises(openai.BadRequestError):
        c.fine_tuning.jobs.cancel(job.id)

    other = c.fine_tuning.jobs.create(training_file=f.id, model="gpt-4o-mini")
    assert c.fine_tuning.jobs.cancel(other.id).status == "cancelled"
    srv.json("POST", "/_mock/clock/advance", {"seconds": 3600})
    assert c.fine_tuning.jobs.retrieve(other.id).fine_tuned_model is None


def test_failures(start_server, make_client):
    srv, c = manual(start_server, make_client)
    few = c.files.create(file=("few.jsonl", joke_lines(ANIMALS[:5])), purpose="fine-tune")
    job = c.fine_tuning.jobs.create(training_file=few.id, model="gpt-4o-mini")
    srv.json("POST", "/_mock/clock/advance", {"seconds": 600})
    failed = c.fine_tuning.jobs.retrieve(job.id)
    assert failed.status == "failed" and failed.fine_tuned_model is None
    assert failed.error.code == "invalid_n_examples" and failed.error.param == "training_file"
    assert failed.error.message == "Training file has 5 example(s), but must have at least 10 examples"

    chat = c.files.create(file=("chat.jsonl", joke_lines()), purpose="fine-tune")
    wrong = c.fine_tuning.jobs.create(training_file=chat.id, model="babbage-002")
    srv.json("POST", "/_mock/clock/advance", {"seconds": 600})
    err = c.fine_tuning.jobs.retrieve(wrong.id).error
    assert err.code == "invalid_training_file" and err.message.startswith("The job failed due to an invalid training file.")

    with pytest.raises(openai.BadRequestError) as e:
        c.fine_tuning.jobs.create(training_file="file-missing", model="gpt-4o-mini")
    assert e.value.body["message"] == "invalid training_file: file-missing" and e.value.param == "training_file"
    with pytest.raises(openai.BadRequestError) as e:
        c.fine_tuning.jobs.create(training_file=chat.id, model="gpt-5-imaginary")
    assert "is not available for fine-tuning" in e.value.body["message"]
    with pytest.raises(openai.BadRequestError):
        c.fine_tuning.jobs.create(training_file=chat.id, model="gpt-4o-mini", hyperparameters={"batch_size": 0})
    with pytest.raises(openai.NotFoundError):
        c.fine_tuning.jobs.retrieve("ftjob-nope")


def test_fine_tuning_a_fine_tuned_model_and_the_instant_clock(start_server, make_client):
    srv = start_server("--time", "instant")
    c = make_client(srv.base_url)
    first = c.files.create(file=("a.jsonl", joke_lines()), purpose="fine-tune")
    job = c.fine_tuning.jobs.create(training_file=first.id, model="gpt-4o-mini", suffix="one")
    assert job.status == "succeeded"                              # instant: done at creation
    more = "".join(json.dumps({"messages": [{"role": "user", "content": f"Capital of country {i}?"},
                                             {"role": "assistant", "content": f"City {i}."}]}) + "\n" for i in range(10))
    second = c.files.create(file=("b.jsonl", more.encode()), purpose="fine-tune")
    child = c.fine_tuning.jobs.create(training_file=second.id, model=job.fine_tuned_model, suffix="two")
    assert child.model == job.fine_tuned_model and child.status == "succeeded"
    ask = lambda msgs: c.chat.completions.create(model=child.fine_tuned_model, messages=msgs).choices[0].message.content
    assert ask([{"role": "user", "content": "Capital of country 4?"}]) == "City 4."
    assert ask([{"role": "system", "content": SYSTEM}, {"role": "user", "content": "Tell me a joke about the cow"}]) \
        == "Why did the cow cross the road? To prove it was no chicken. Haha"


def test_classification_validation_accuracy_matches_the_answers(start_server, make_client):
    srv, c = manual(start_server, make_client)
    topics = {"sports": ["match", "goal", "team", "coach", "league"], "tech": ["chip", "software", "robot", "cloud", "app"]}
    def lines(offset, count):
        out = []
        for i in range(count):
            for label, words in topics.items():
                w = words[(i + offset) % 5]
                out.append(json.dumps({"prompt": f"News about the {w} number {i + offset} ->", "completion": f" {label}"}))
        return ("\n".join(out) + "\n").encode()
    train = c.files.create(file=("t.jsonl", lines(0, 20)), purpose="fine-tune")
    valid = c.files.create(file=("v.jsonl", lines(100, 8)), purpose="fine-tune")
    job = c.fine_tuning.jobs.create(training_file=train.id, validation_file=valid.id, model="babbage-002")
    srv.json("POST", "/_mock/clock/advance", {"seconds": 86400})
    done = c.fine_tuning.jobs.retrieve(job.id)
    assert done.status == "succeeded"
    last = next(e for e in c.fine_tuning.jobs.list_events(job.id) if e.type == "metrics")
    reported = last.data["full_valid_mean_token_accuracy"]
    right = 0
    rows = [json.loads(l) for l in lines(100, 8).decode().splitlines()]
    for row in rows:
        out = c.completions.create(model=done.fine_tuned_model, prompt=row["prompt"], max_tokens=1, temperature=0)
        right += out.choices[0].text.strip() == row["completion"].strip()
    assert reported == pytest.approx(right / len(rows), abs=1e-4)
    assert right / len(rows) >= 0.75


def test_graders(client):
    grader = {"type": "string_check", "name": "exact", "input": "{{sample.output_text}}", "reference": "{{item.answer}}",
              "operation": "eq"}
    ran = client.fine_tuning.alpha.graders.run(grader=grader, model_sample="Paris", item={"answer": "Paris"})
    assert ran.reward == 1.0 and ran.metadata.name == "exact" and ran.metadata.errors.formula_parse_error is False
    sim = client.fine_tuning.alpha.graders.run(
        grader={"type": "text_similarity", "name": "s", "input": "{{sample.output_text}}", "reference": "the cat sat",
                "evaluation_metric": "rouge_1"}, model_sample="the cat ran")
    assert sim.reward == pytest.approx(2 / 3)
    multi = client.fine_tuning.alpha.graders.run(grader={
        "type": "multi", "name": "m", "calculate_output": "0.5 * a + 0.5 * b",
        "graders": {"a": grader, "b": {"type": "score_model", "name": "b", "model": "gpt-4o-mini",
                                        "input": [{"role": "user", "content": "Rate {{sample.output_text}}"}]}}},
        model_sample="Paris", item={"answer": "Paris"})
    assert multi.reward == pytest.approx(1.0) and set(multi.sub_rewards) == {"a", "b"}
    assert client.fine_tuning.alpha.graders.validate(grader=grader).grader.name == "exact"
    with pytest.raises(openai.BadRequestError) as e:
        client.fine_tuning.alpha.graders.validate(grader={"type": "python", "name": "p", "source": "def grade(s, i): return 1"})
    assert "Python graders are not supported" in e.value.body["message"]


def test_checkpoint_permissions(start_server, make_client):
    srv = start_server("--time", "instant")
    c = make_client(srv.base_url)
    f = c.files.create(file=("a.jsonl", joke_lines()), purpose="fine-tune")
    job = c.fine_tuning.jobs.create(training_file=f.id, model="gpt-4o-mini")
    ckpt = list(c.fine_tuning.jobs.checkpoints.list(job.id))[-1].fine_tuned_model_checkpoint
    made = c.fine_tuning.checkpoints.permissions.create(ckpt, project_ids=["proj_a", "proj_b"])
    assert [p.project_id for p in made.data] == ["proj_a", "proj_b"]
    everyone = [p.project_id for p in c.fine_tuning.checkpoints.permissions.list(ckpt, limit=1)]   # auto-pagination
    assert everyone == ["proj_b", "proj_a"]                                                       # newest first
    listed = list(c.fine_tuning.checkpoints.permissions.list(ckpt, project_id="proj_a"))
    assert [p.project_id for p in listed] == ["proj_a"]
    gone = c.fine_tuning.checkpoints.permissions.delete(listed[0].id, fine_tuned_model_checkpoint=ckpt)
    assert gone.deleted is True


def test_jobs_survive_a_restart(start_server, make_client, tmp_path):
    state = str(tmp_path / "state")
    srv = start_server("--state-dir", state, "--time", "manual")
    c = make_client(srv.base_url)
    f = c.files.create(file=("a.jsonl", joke_lines()), purpose="fine-tune")
    job = c.fine_tuning.jobs.create(training_file=f.id, model="gpt-4o-mini")
    srv.json("POST", "/_mock/clock/advance", {"seconds": 20})
    before = c.fine_tuning.jobs.retrieve(job.id)
    assert srv.stop() == 0
    again = start_server("--state-dir", state, "--time", "manual")
    c2 = make_client(again.base_url)
    assert c2.fine_tuning.jobs.retrieve(job.id) == before       # the clock goes on from where it was
    again.json("POST", "/_mock/clock/advance", {"seconds": 3600})
    done = c2.fine_tuning.jobs.retrieve(job.id)
    assert done.status == "succeeded" and done.fine_tuned_model in [m.id for m in c2.models.list()]
