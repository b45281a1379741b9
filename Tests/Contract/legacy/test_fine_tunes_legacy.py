"""The tutorials behind this project, verbatim with openai==0.28.1: `openai tools fine_tunes.prepare_data`,
`openai api fine_tunes.*` end to end (probe, duplicate check, upload, create, follow), results read with pandas,
the fine-tuned models answering the tutorials' prompts, incremental training, and the old SDK's
FineTuningJob on the current API."""
import csv
import io
import json
import subprocess
import time
from pathlib import Path

import backoff
import openai
import openai.error
import pandas as pd
import pytest

from mockserver import DEFAULT_KEY
from test_legacy_sdk import OPENAI_CLI, _cli

STORIES = {
    "宋,发射激光,艰难": "宋朝的将军在边关发射激光，历经艰难，终于守住了城池。",
    "唐,飞行,顺利": "唐朝的诗人乘着飞船飞行，一路顺利，在月亮上写下新诗。",
    "明,航海,风暴": "明朝的船队出海航海，遇到巨大的风暴，众人同心渡过难关。",
    "清,发明,成功": "清朝的工匠日夜发明机器，经过百次试验，终于成功造出水车。",
    "汉,探险,沙漠": "汉朝的使者穿越沙漠探险，带回了西域的种子和故事。",
    "元,骑马,草原": "元朝的少年在草原上骑马，追着落日一直跑到天边。",
}
NEWS = {"sports": ["match", "goal", "coach", "league", "stadium", "player"],
        "tech": ["chip", "software", "robot", "cloud", "startup", "browser"],
        "finance": ["stock", "bank", "bond", "market", "loan", "budget"]}


def tools(*args, cwd):
    return subprocess.run([OPENAI_CLI, "tools", *args], capture_output=True, text=True, timeout=120, cwd=cwd,
                          stdin=subprocess.DEVNULL)


def story_csv(path: Path):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["prompt", "completion"])
        for prompt, story in STORIES.items():
            w.writerow([prompt, story])
            w.writerow([prompt + "!", story])  # prepare_data drops exact duplicates


def news_csv(path: Path):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["prompt", "completion"])
        for i in range(40):
            for label, words in NEWS.items():
                w.writerow([f"Breaking report {i}: the {words[i % 6]} and the {words[(i + 2) % 6]} today", label])


@pytest.fixture
def ft_server(start_server):
    """A server whose clock moves instantly: every fine-tune is done as soon as it is created."""
    srv = start_server("--time", "instant")
    saved = (openai.api_base, openai.api_key, openai.organization, openai.api_type, openai.api_version)
    openai.api_base, openai.api_key, openai.organization = srv.base_url, DEFAULT_KEY, None
    openai.api_type, openai.api_version = "open_ai", None
    yield srv
    openai.api_base, openai.api_key, openai.organization, openai.api_type, openai.api_version = saved


def test_story_tutorial_end_to_end_with_the_cli(mock, legacy, cli_env, tmp_path):
    story_csv(tmp_path / "story.csv")
    prep = tools("fine_tunes.prepare_data", "-f", "story.csv", "-q", cwd=tmp_path)
    assert prep.returncode == 0, prep.stderr
    data = tmp_path / "story_prepared.jsonl"
    assert data.is_file()

    # The CLI probes the path as a file id, checks for duplicates, uploads, creates and follows.
    p = _cli(mock.base_url, DEFAULT_KEY, "fine_tunes.create", "-t", str(data), "-m", "curie", "--suffix", "ultraman",
             env=cli_env)
    assert p.returncode == 0, p.stderr
    out = p.stdout
    assert f"Uploaded file from {data}: file-" in out
    for message in ("Created fine-tune: ft-", "Fine-tune costs $", "Fine-tune enqueued. Queue number: 0", "Fine-tune started",
                    "Completed epoch 1/4", "Completed epoch 4/4", "Uploaded model: curie:ft-personal:ultraman-",
                    "Uploaded result file: file-", "Fine-tune succeeded", "Job complete! Status: succeeded 🎉"):
        assert message in out, out
    journal = [(e["method"], e["path"]) for e in mock.journal()]
    assert journal[:4] == [("GET", f"/v1/files/{str(data).replace('/', '%2F')}"), ("GET", "/v1/files"),
                           ("POST", "/v1/files"), ("POST", "/v1/fine-tunes")]
    job_id = out.split("Created fine-tune: ")[1].split()[0]
    job = openai.FineTune.retrieve(job_id)
    model = job["fine_tuned_model"]
    assert job["status"] == "succeeded" and model.startswith("curie:ft-personal:ultraman-20")
    assert job["hyperparams"]["n_epochs"] == 4 and job["hyperparams"]["prompt_loss_weight"] == 0.01
    assert job["training_files"][0]["filename"] == str(data)            # full file objects
    assert job["result_files"][0]["filename"] == "compiled_results.csv"
    assert all("id" not in e for e in job["events"])                      # legacy events carry no id

    # The tutorial's call, plain and streamed.
    prompt = "宋,发射激光,艰难 ->\n"
    res = openai.Completion.create(model=model, prompt=prompt, max_tokens=200, stop=["."])
    assert res["choices"][0]["text"].strip() == STORIES["宋,发射激光,艰难"]
    streamed = "".join(c["choices"][0]["text"] for c in
                       openai.Completion.create(model=model, prompt=prompt, max_tokens=200, stop=["."], stream=True))
    assert streamed == res["choices"][0]["text"]
    # An unseen prompt: a new story in the same language and style, not one of the training stories.
    new = openai.Completion.create(model=model, prompt="周,种树,丰收 ->", max_tokens=200)["choices"][0]["text"].strip()
    assert new and new not in STORIES.values() and new.endswith("。")
    assert sum("\u4e00" <= ch <= "\u9fff" for ch in new) > len(new) / 2
    assert "周" in new or "种树" in new or "丰收" in new             # steered by the prompt's own fields

    # get / list / events / results / delete, then the model itself.
    assert _cli(mock.base_url, DEFAULT_KEY, "fine_tunes.get", "-i", job_id, env=cli_env).returncode == 0
    listed = json.loads(_cli(mock.base_url, DEFAULT_KEY, "fine_tunes.list", env=cli_env).stdout)
    assert [j["id"] for j in listed["data"]] == [job_id]
    events = json.loads(_cli(mock.base_url, DEFAULT_KEY, "fine_tunes.events", "-i", job_id, env=cli_env).stdout)
    assert events["data"][-1]["message"] == "Fine-tune succeeded"
    results = _cli(mock.base_url, DEFAULT_KEY, "fine_tunes.results", "-i", job_id, env=cli_env)
    assert results.returncode == 0 and results.stdout.startswith("step,elapsed_tokens,elapsed_examples,training_loss")
    deleted = _cli(mock.base_url, DEFAULT_KEY, "models.delete", "-i", model, env=cli_env)
    assert deleted.returncode == 0 and json.loads(deleted.stdout)["deleted"] is True
    gone = _cli(mock.base_url, DEFAULT_KEY, "fine_tunes.delete", "-i", job_id, env=cli_env)
    assert gone.returncode == 0 and json.loads(gone.stdout)["deleted"] is True


def test_no_follow_then_follow_and_cancel(mock, legacy, cli_env, tmp_path, start_server):
    story_csv(tmp_path / "story.csv")
    tools("fine_tunes.prepare_data", "-f", "story.csv", "-q", cwd=tmp_path)
    data = str(tmp_path / "story_prepared.jsonl")
    p = _cli(mock.base_url, DEFAULT_KEY, "fine_tunes.create", "-t", data, "-m", "ada", "--no_follow", env=cli_env)
    assert p.returncode == 0, p.stderr
    created = json.loads(p.stdout[p.stdout.index("{"):])
    assert created["status"] == "pending" and created["events"][0]["message"] == f"Created fine-tune: {created['id']}"
    # follow replays what happened and waits for the rest, on the clock (100× wall time while it runs)
    f = _cli(mock.base_url, DEFAULT_KEY, "fine_tunes.follow", "-i", created["id"], env=cli_env)
    assert "Fine-tune succeeded" in f.stdout and "Job complete! Status: succeeded 🎉" in f.stdout, f.stdout + f.stderr
    assert openai.FineTune.retrieve(created["id"])["fine_tuned_model"].startswith("ada:ft-personal-20")
    # On a clock that waits for us: the duplicate check answered from stdin (empty: upload anyway), then a
    # cancellation while the fine-tune is pending.
    manual = start_server("--time", "manual")
    _cli(manual.base_url, DEFAULT_KEY, "files.create", "-f", data, "-p", "fine-tune", env=cli_env)
    p = subprocess.run([OPENAI_CLI, "-b", manual.base_url, "-k", DEFAULT_KEY, "api", "fine_tunes.create", "-t", data,
                        "--no_follow"], input="\n", capture_output=True, text=True, timeout=60, env=cli_env)
    assert "Found potentially duplicated files with name 'story_prepared.jsonl'" in p.stdout
    second = json.loads(p.stdout[p.stdout.index("{", p.stdout.index("Uploaded file")):])
    c = _cli(manual.base_url, DEFAULT_KEY, "fine_tunes.cancel", "-i", second["id"], env=cli_env)
    assert json.loads(c.stdout)["status"] == "cancelled", c.stderr
    again = _cli(manual.base_url, DEFAULT_KEY, "fine_tunes.cancel", "-i", second["id"], env=cli_env)
    assert again.returncode != 0 and "Cannot cancel a fine-tune that has already cancelled" in again.stderr


def test_classification_tutorial_results_match_the_answers(ft_server, cli_env, tmp_path):
    news_csv(tmp_path / "news.csv")
    prep = tools("fine_tunes.prepare_data", "-f", "news.csv", "-q", cwd=tmp_path)
    assert prep.returncode == 0, prep.stderr
    train, valid = tmp_path / "news_prepared_train.jsonl", tmp_path / "news_prepared_valid.jsonl"
    assert train.is_file() and valid.is_file()
    p = _cli(ft_server.base_url, DEFAULT_KEY, "fine_tunes.create", "-t", str(train), "-v", str(valid),
             "--compute_classification_metrics", "--classification_n_classes", "3", "-m", "davinci", env=cli_env)
    assert "Job complete! Status: succeeded 🎉" in p.stdout, p.stdout + p.stderr
    job_id = p.stdout.split("Created fine-tune: ")[1].split()[0]
    results = _cli(ft_server.base_url, DEFAULT_KEY, "fine_tunes.results", "-i", job_id, env=cli_env)
    (tmp_path / "metric.csv").write_text(results.stdout)
    df = pd.read_csv(tmp_path / "metric.csv")
    assert "classification/accuracy" in df.columns and "classification/weighted_f1_score" in df.columns
    accuracy = df[df["classification/accuracy"].notnull()]["classification/accuracy"].iloc[-1]

    model = openai.FineTune.retrieve(job_id)["fine_tuned_model"]
    rows = [json.loads(line) for line in valid.read_text().splitlines()]
    right = 0
    for row in rows:
        res = openai.Completion.create(model=model, prompt=row["prompt"], max_tokens=1, temperature=0)
        right += res["choices"][0]["text"].strip() == row["completion"].strip()
    assert accuracy == pytest.approx(right / len(rows), abs=1e-4)
    assert accuracy > 0.8


def train(lines, suffix=None, model="curie", **kw):
    f = openai.File.create(file=("".join(json.dumps(l, ensure_ascii=False) + "\n" for l in lines)).encode(),
                           purpose="fine-tune", user_provided_filename="data.jsonl")
    args = {"training_file": f["id"], "model": model, **kw}
    if suffix:
        args["suffix"] = suffix
    job = openai.FineTune.create(**args)
    assert job["status"] == "succeeded", job
    return job["fine_tuned_model"]


def test_interview_bot_and_entity_extractor(ft_server, cli_env, tmp_path):
    qa = [("What is a linked list?", "A linked list is a chain of nodes, each pointing to the next one."),
          ("What is a stack?", "A stack is a last-in first-out pile of items."),
          ("What is a queue?", "A queue is a first-in first-out line of items."),
          ("What is a hash table?", "A hash table maps keys to values through a hash function."),
          ("What is a binary tree?", "A binary tree is a tree where each node has at most two children."),
          ("What is a heap?", "A heap is a tree that keeps its smallest item at the root.")]
    with open(tmp_path / "interview.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["prompt", "completion"])
        for q, a in qa:
            w.writerow([f"Human: {q}\nDSA:", f" {a}\nHuman:"])
    assert tools("fine_tunes.prepare_data", "-f", "interview.csv", "-q", cwd=tmp_path).returncode == 0
    prepared = [json.loads(l) for l in (tmp_path / "interview_prepared.jsonl").read_text().splitlines()]
    p = _cli(ft_server.base_url, DEFAULT_KEY, "fine_tunes.create", "-t", str(tmp_path / "interview_prepared.jsonl"),
             "-m", "curie", "--suffix", "interview", env=cli_env)
    assert "Job complete! Status: succeeded 🎉" in p.stdout, p.stdout + p.stderr
    bot = openai.FineTune.retrieve(p.stdout.split("Created fine-tune: ")[1].split()[0])["fine_tuned_model"]
    stack = next(row for row in prepared if "stack" in row["prompt"])  # prepare_data cut the common "Human: What is a "
    res = openai.Completion.create(model=bot, prompt=stack["prompt"], max_tokens=60, stop=["\n", " Human:", " DSA:"])
    assert res["choices"][0]["text"] == " A stack is a last-in first-out pile of items."
    assert res["choices"][0]["finish_reason"] == "stop"
    other = openai.Completion.create(model=bot, prompt="trie?\nDSA:", max_tokens=60, stop=["\n", " Human:", " DSA:"])
    assert other["choices"][0]["text"].startswith(" ") and "\n" not in other["choices"][0]["text"]

    texts = [("Apple hired Tim Cook in Cupertino.", "Apple, Tim Cook, Cupertino"),
             ("Microsoft opened an office in Seattle.", "Microsoft, Seattle"),
             ("Angela Merkel visited Paris with Emmanuel Macron.", "Angela Merkel, Paris, Emmanuel Macron"),
             ("Toyota builds cars in Nagoya.", "Toyota, Nagoya"),
             ("Lionel Messi joined Inter Miami in Florida.", "Lionel Messi, Inter Miami, Florida"),
             ("Amazon was founded by Jeff Bezos in Seattle.", "Amazon, Jeff Bezos, Seattle")]
    extractor = train([{"prompt": f"{t}\n\n###\n\n", "completion": f" {e} END"} for t, e in texts], suffix="entities")
    known = openai.Completion.create(model=extractor, prompt="Toyota builds cars in Nagoya.\n\n###\n\n", max_tokens=50)
    assert known["choices"][0]["text"] == " Toyota, Nagoya END"
    unseen = openai.Completion.create(model=extractor, prompt="Google bought a startup in Berlin.\n\n###\n\n",
                                      max_tokens=50)["choices"][0]["text"]
    assert unseen.endswith(" END") and unseen.strip() not in [f"{e} END" for _, e in texts]
    cut = openai.Completion.create(model=extractor, prompt="Google bought a startup in Berlin.\n\n###\n\n",
                                   max_tokens=50, stop=[" END"])["choices"][0]["text"]
    assert cut == unseen[: -len(" END")]


def test_incremental_training_knows_both_data_sets(ft_server, cli_env, tmp_path):
    first = train([{"prompt": f"{k} ->", "completion": f" {v}"} for k, v in STORIES.items()], suffix="ultraman")
    more = tmp_path / "more.jsonl"
    more.write_text("".join(json.dumps({"prompt": f"Planet {i} ->", "completion": f" Planet {i} is far away."}) + "\n"
                            for i in range(6)))
    p = _cli(ft_server.base_url, DEFAULT_KEY, "fine_tunes.create", "-t", str(more), "-m", first, "--suffix", "ultraman",
             "--learning_rate_multiplier", "0.2", env=cli_env)
    assert "Job complete! Status: succeeded 🎉" in p.stdout, p.stdout + p.stderr
    job = openai.FineTune.retrieve(p.stdout.split("Created fine-tune: ")[1].split()[0])
    assert job["model"] == first and job["hyperparams"]["learning_rate_multiplier"] == 0.2
    second = job["fine_tuned_model"]
    assert second.startswith("curie:ft-personal:ultraman-") and second != first
    ask = lambda prompt: openai.Completion.create(model=second, prompt=prompt, max_tokens=100)["choices"][0]["text"]
    assert ask("Planet 3 ->") == " Planet 3 is far away."
    assert ask("唐,飞行,顺利 ->") == " " + STORIES["唐,飞行,顺利"]


def test_backoff_through_a_rate_limited_fine_tuned_model(start_server, tmp_path):
    scenario = tmp_path / "limit.json5"
    scenario.write_text('{rules: [{when: {endpoint: "completions", model: "curie:ft-*"}, times: 2, '
                        'do: {fault: {status: 429, headers: {"retry-after-ms": 10}}}}]}')
    srv = start_server("--time", "instant", "--scenarios", str(scenario))
    saved = (openai.api_base, openai.api_key)
    openai.api_base, openai.api_key = srv.base_url, DEFAULT_KEY
    try:
        model = train([{"prompt": f"{k} ->", "completion": f" {v}"} for k, v in STORIES.items()])
        calls = []

        @backoff.on_exception(backoff.expo, openai.error.RateLimitError, factor=0.02, max_tries=5)
        def completion_with_backoff(**kwargs):
            calls.append(1)
            return openai.Completion.create(**kwargs)

        res = completion_with_backoff(model=model, prompt="明,航海,风暴 ->", max_tokens=100)
        assert res["choices"][0]["text"].strip() == STORIES["明,航海,风暴"]
        assert len(calls) == 3
    finally:
        openai.api_base, openai.api_key = saved


def test_bad_requests_and_files(ft_server):
    with pytest.raises(openai.error.InvalidRequestError) as e:
        openai.FineTune.create(training_file="file-missing")
    assert "invalid training_file: file-missing" in str(e.value)
    chat = openai.File.create(file=(json.dumps({"messages": [{"role": "user", "content": "hi"},
                                                             {"role": "assistant", "content": "yo"}]}) + "\n").encode(),
                              purpose="fine-tune", user_provided_filename="chat.jsonl")
    with pytest.raises(openai.error.InvalidRequestError) as e:
        openai.FineTune.create(training_file=chat["id"], suffix=None)
    assert "None is not of type 'string' - 'suffix'" in str(e.value)
    failed = openai.FineTune.create(training_file=chat["id"], model="ada")
    assert failed["status"] == "failed"
    assert failed["events"][-2]["level"] == "error" and failed["events"][-2]["message"].startswith(
        "Error: Expected file to have JSONL format with prompt/completion keys.")
    assert failed["events"][-1]["message"] == "Fine-tune failed" and failed["fine_tuned_model"] is None
    with pytest.raises(openai.error.InvalidRequestError):
        openai.FineTune.create(training_file=chat["id"], model="gpt-4o")


def test_fine_tuning_job_through_the_old_sdk_and_its_cli(ft_server, cli_env, tmp_path):
    lines = "".join(json.dumps({"messages": [{"role": "user", "content": f"Hello {i}"},
                                              {"role": "assistant", "content": f"Hi {i}!"}]}) + "\n" for i in range(12))
    path = tmp_path / "chat.jsonl"
    path.write_text(lines)
    f = openai.File.create(file=open(path, "rb"), purpose="fine-tune")
    job = openai.FineTuningJob.create(training_file=f["id"], model="gpt-3.5-turbo")
    assert job["status"] == "succeeded"
    page = openai.FineTuningJob.list(limit=20)
    assert page.has_more is False and [j["id"] for j in page["data"]] == [job["id"]]
    assert openai.FineTuningJob.retrieve(job["id"])["fine_tuned_model"] == job["fine_tuned_model"]
    events = openai.FineTuningJob.list_events(id=job["id"], limit=5)
    assert events.has_more is True and events["data"][0]["message"] == "The job has successfully completed"
    out = _cli(ft_server.base_url, DEFAULT_KEY, "fine_tuning.job.create", "-t", str(path), "-m", "gpt-3.5-turbo",
               env=cli_env)
    assert out.returncode == 0, out.stderr
    listed = _cli(ft_server.base_url, DEFAULT_KEY, "fine_tuning.job.list", env=cli_env)
    assert listed.returncode == 0 and job["id"] in listed.stdout
    reply = openai.ChatCompletion.create(model=job["fine_tuned_model"], messages=[{"role": "user", "content": "Hello 7"}])
    assert reply["choices"][0]["message"]["content"] == "Hi 7!"
