"""openai 0.28.1: File resources and the `openai api files.*` CLI against the Files API."""
import json
import subprocess

import openai
import pytest

from test_legacy_sdk import _cli

TRAIN = b'{"prompt": "a ->", "completion": " b"}\n{"prompt": "c ->", "completion": " d"}\n'


def test_file_create_keeps_the_full_local_path(legacy, tmp_path):
    path = tmp_path / "data_prepared.jsonl"
    path.write_bytes(TRAIN)
    with open(path, "rb") as fh:
        f = openai.File.create(file=fh, purpose="fine-tune", user_provided_filename=str(path))
    assert f["filename"] == str(path)            # 0.28 sends the path verbatim; it is kept as sent
    assert f["status"] == "processed" and f["bytes"] == len(TRAIN) and f["purpose"] == "fine-tune"
    assert f.id.startswith("file-")
    assert openai.File.wait_for_processing(f.id, max_wait_seconds=5) == "processed"   # returns at once


def test_list_retrieve_download_delete(legacy):
    f = openai.File.create(file=TRAIN, purpose="fine-tune", user_provided_filename="t.jsonl")
    listed = openai.File.list()
    assert [x["id"] for x in listed["data"]] == [f.id]
    assert openai.File.retrieve(f.id)["filename"] == "t.jsonl"
    assert openai.File.download(f.id) == TRAIN
    assert openai.File.delete(f.id)["deleted"] is True
    with pytest.raises(openai.error.InvalidRequestError) as err:
        openai.File.retrieve(f.id)
    assert err.value.http_status == 404


def test_probe_with_a_local_path_is_an_invalid_request_error(legacy):
    # What `openai api fine_tunes.create -t ./data.jsonl` does first to tell ids from paths.
    with pytest.raises(openai.error.InvalidRequestError) as err:
        openai.File.retrieve(id="/home/me/data prepared.jsonl")
    assert err.value.http_status == 404
    assert "No such File object: /home/me/data prepared.jsonl" in str(err.value)


def test_fine_tune_upload_errors_reach_the_sdk(legacy):
    with pytest.raises(openai.error.InvalidRequestError) as err:
        openai.File.create(file=b'["not", "a", "dict"]\n', purpose="fine-tune", user_provided_filename="x.jsonl")
    assert "Line 1 is not a dictionary" in str(err.value)
    with pytest.raises(openai.error.InvalidRequestError) as err:
        openai.File.create(file=TRAIN, purpose="fine-tune", user_provided_filename="x.csv")
    assert "Must be .jsonl" in str(err.value)


def test_cli_files_commands(mock, cli_env, tmp_path):
    path = tmp_path / "cli.jsonl"
    path.write_bytes(TRAIN)
    p = _cli(mock.base_url, "sk-test", "files.create", "-f", str(path), "-p", "fine-tune", env=cli_env)
    assert p.returncode == 0, p.stderr
    created = json.loads(p.stdout)
    assert created["filename"] == str(path) and created["bytes"] == len(TRAIN)

    p = _cli(mock.base_url, "sk-test", "files.list", env=cli_env)
    assert p.returncode == 0, p.stderr
    assert [f["id"] for f in json.loads(p.stdout)["data"]] == [created["id"]]

    p = _cli(mock.base_url, "sk-test", "files.get", "-i", created["id"], env=cli_env)
    assert p.returncode == 0 and json.loads(p.stdout)["id"] == created["id"]

    p = _cli(mock.base_url, "sk-test", "files.delete", "-i", created["id"], env=cli_env)
    assert p.returncode == 0 and json.loads(p.stdout)["deleted"] is True

    p = _cli(mock.base_url, "sk-test", "files.get", "-i", created["id"], env=cli_env)
    assert p.returncode != 0 and "No such File object" in p.stderr
