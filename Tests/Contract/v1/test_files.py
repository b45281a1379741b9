"""Files and Uploads through the current SDK, curl and raw HTTP: shapes, pagination, exact content,
fine-tune checks, `--state-dir` restarts and a `kill -9` in the middle of an upload."""
from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import openai
import pytest

from mockserver import DEFAULT_KEY, MockServer, assert_openai_error

TRAIN = b'{"prompt": "a ->", "completion": " b"}\n{"prompt": "c ->", "completion": " d"}\n'


def test_create_from_path_file_bytes_and_tuple(client, tmp_path):
    path = tmp_path / "train.jsonl"
    path.write_bytes(TRAIN)
    from_path = client.files.create(file=path, purpose="fine-tune")
    with path.open("rb") as fh:
        from_handle = client.files.create(file=fh, purpose="fine-tune")
    from_tuple = client.files.create(file=("tuple.jsonl", TRAIN, "application/jsonl"), purpose="fine-tune")
    raw = client.files.create(file=b"\x00\xffbinary", purpose="user_data")
    for f in (from_path, from_handle, from_tuple):
        assert f.object == "file" and f.purpose == "fine-tune" and f.bytes == len(TRAIN)
        assert f.status == "processed" and f.status_details is None
        assert f.id.startswith("file-")
    assert from_path.filename == "train.jsonl" and from_handle.filename == "train.jsonl"
    assert from_tuple.filename == "tuple.jsonl"
    assert raw.bytes == 8
    assert len({from_path.id, from_handle.id, from_tuple.id, raw.id}) == 4   # same bytes, different files


def test_list_auto_pagination_order_and_purpose(client):
    ids = [client.files.create(file=(f"f{i}.jsonl", TRAIN), purpose="fine-tune" if i != 1 else "assistants").id
           for i in range(5)]
    page = client.files.list(limit=2, order="asc")
    assert [f.id for f in page.data] == ids[:2] and page.has_more
    assert [f.id for f in client.files.list(limit=2, order="asc")] == ids          # auto-pagination
    assert [f.id for f in client.files.list(limit=2)] == ids[::-1]                # newest first by default
    assert [f.id for f in client.files.list(purpose="fine-tune", limit=3)] == [ids[4], ids[3], ids[2], ids[0]]
    first = client.files.list(limit=10)
    assert first.first_id == ids[4] and first.last_id == ids[0] and first.has_more is False


def test_retrieve_delete_and_exact_binary_content(client):
    data = bytes(range(256)) * 40 + "中文".encode()           # not UTF-8 as a whole
    f = client.files.create(file=("blob.bin", data, "application/octet-stream"), purpose="user_data")
    assert client.files.retrieve(f.id) == f
    assert client.files.content(f.id).content == data
    done = client.files.wait_for_processing(f.id, poll_interval=0.01, max_wait_seconds=5)
    assert done.status == "processed"
    deleted = client.files.delete(f.id)
    assert deleted.deleted is True and deleted.id == f.id
    with pytest.raises(openai.NotFoundError) as err:
        client.files.retrieve(f.id)
    assert err.value.message == f"Error code: 404 - No such File object: {f.id}" or \
        err.value.body["message"] == f"No such File object: {f.id}"
    with pytest.raises(openai.NotFoundError):
        client.files.content(f.id)


def test_large_content_is_streamed_back_exactly(client):
    data = os.urandom(5 * 1024 * 1024 + 17)
    f = client.files.create(file=("big.bin", data), purpose="user_data")
    assert f.bytes == len(data)
    assert client.files.content(f.id).content == data


@pytest.mark.parametrize("name, content, message", [
    ("train.csv", TRAIN, "Invalid file format for Fine-Tuning API. Must be .jsonl"),
    ("train.jsonl", b'{"prompt": "a", "completion": "b"}\n"just a string"\n',
     'Expected file to have JSONL format, where every line is a JSON dictionary. Line 2 is not a dictionary '
     '(HINT: line starts with: "\\"just a string\\"...").'),
    ("train.jsonl", b'{"prompt": "a", "completion": \n',
     'Expected file to have JSONL format, where every line is a JSON dictionary. Line 1 is not a dictionary '
     '(HINT: line starts with: "{\\"prompt\\": \\"a\\", \\"com...").'),
], ids=["not-jsonl", "not-an-object", "broken-json"])
def test_fine_tune_upload_errors(client, name, content, message):
    with pytest.raises(openai.BadRequestError) as err:
        client.files.create(file=(name, content), purpose="fine-tune")
    assert err.value.status_code == 400
    assert err.value.body["message"] == message
    assert err.value.type == "invalid_request_error"
    assert client.files.list().data == []


def test_other_upload_errors(client, mock):
    with pytest.raises(openai.BadRequestError) as err:
        client.files.create(file=("a.jsonl", TRAIN), purpose="classifications")
    assert err.value.param == "purpose"
    with pytest.raises(openai.BadRequestError) as err:
        client.files.create(file=("a.jsonl", TRAIN), purpose="fine-tune",
                            expires_after={"anchor": "created_at", "seconds": 10})
    assert err.value.param == "expires_after.seconds"
    # JSON instead of a form, and a form cut short.
    status, headers, body = mock.request("POST", "/v1/files", {"purpose": "fine-tune"})
    assert_openai_error(status, headers, body, 400)
    status, headers, body = mock.request("POST", "/v1/files", b"--x\r\nContent-Disposition: form-data; name=\"purpose\"",
                                         headers={"Content-Type": "multipart/form-data; boundary=x"})
    assert_openai_error(status, headers, body, 400)


def test_expiry_and_batch_default(client):
    f = client.files.create(file=("a.jsonl", TRAIN), purpose="fine-tune",
                            expires_after={"anchor": "created_at", "seconds": 3600})
    assert f.expires_at == f.created_at + 3600
    b = client.files.create(file=("batch.jsonl", b'{"custom_id": "1"}\n'), purpose="batch")
    assert b.expires_at == b.created_at + 30 * 24 * 3600


def test_upload_file_chunked_in_parts(client, tmp_path):
    data = b"".join(b'{"prompt": "p%d", "completion": " c%d"}\n' % (i, i) for i in range(3000))
    path = tmp_path / "big.jsonl"
    path.write_bytes(data)
    upload = client.uploads.upload_file_chunked(file=path, mime_type="text/jsonl", purpose="fine-tune",
                                                part_size=20_000, md5=hashlib.md5(data).hexdigest())
    assert upload.status == "completed" and upload.object == "upload"
    assert upload.file.filename == "big.jsonl" and upload.file.bytes == len(data)
    assert client.files.content(upload.file.id).content == data
    # A wrong checksum is refused and leaves the upload open.
    u = client.uploads.create(bytes=4, filename="x.bin", mime_type="application/octet-stream", purpose="user_data")
    part = client.uploads.parts.create(u.id, data=b"abcd")
    with pytest.raises(openai.BadRequestError):
        client.uploads.complete(u.id, part_ids=[part.id], md5="0" * 32)
    assert client.uploads.complete(u.id, part_ids=[part.id]).status == "completed"
    c = client.uploads.create(bytes=4, filename="y.bin", mime_type="application/octet-stream", purpose="user_data")
    assert client.uploads.cancel(c.id).status == "cancelled"


def test_curl_form_upload(mock, tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_bytes(TRAIN)
    out = subprocess.run(["curl", "-sS", f"{mock.base_url}/files", "-H", f"Authorization: Bearer {DEFAULT_KEY}",
                          "-F", f"file=@{path}", "-F", "purpose=fine-tune"],
                         capture_output=True, text=True, timeout=30, check=True).stdout
    f = json.loads(out)
    assert f["filename"] == "x.jsonl" and f["bytes"] == len(TRAIN) and f["purpose"] == "fine-tune"
    # The file part first and the purpose after it (curl sends fields in the order given).
    out = subprocess.run(["curl", "-sS", f"{mock.base_url}/files", "-H", f"Authorization: Bearer {DEFAULT_KEY}",
                          "-F", f"file=@{path}", "-F", "purpose=fine-tune"], capture_output=True, text=True,
                         timeout=30, check=True).stdout
    assert json.loads(out)["status"] == "processed"


def test_legacy_probe_with_a_local_path_is_a_json_404(mock):
    status, headers, body = mock.request("GET", "/v1/files/%2Fhome%2Fme%2Fdata_prepared.jsonl")
    err = assert_openai_error(status, headers, body, 404)
    assert err["message"] == "No such File object: /home/me/data_prepared.jsonl"


# ------------------------------------------------------------------------------------- state dir
def test_state_dir_survives_a_restart(start_server, make_client, tmp_path):
    state = tmp_path / "state"
    srv = start_server("--state-dir", str(state))
    c = make_client(srv.base_url)
    kept = c.files.create(file=("kept.jsonl", TRAIN), purpose="fine-tune")
    gone = c.files.create(file=("gone.bin", b"x" * 2_000_000), purpose="user_data")
    c.files.delete(gone.id)
    assert srv.stop(signal.SIGTERM) == 0

    again = start_server("--state-dir", str(state))
    c2 = make_client(again.base_url)
    assert [f.id for f in c2.files.list()] == [kept.id]
    assert c2.files.retrieve(kept.id) == kept
    assert c2.files.content(kept.id).content == TRAIN
    assert sorted(os.listdir(state / "blobs")) == [kept.id]
    # New ids go on from the store's sequence: no collision with what was there.
    assert c2.files.create(file=("kept.jsonl", TRAIN), purpose="fine-tune").id != kept.id


def test_second_server_on_the_same_state_dir_is_refused(start_server, mock_bin, tmp_path):
    state = tmp_path / "state"
    start_server("--state-dir", str(state))
    p = subprocess.run([str(mock_bin), "--port", "0", "--state-dir", str(state)], capture_output=True, text=True,
                       timeout=30, stdin=subprocess.DEVNULL)
    assert p.returncode == 1
    assert "in use by another openai-mock" in p.stderr


def test_kill_9_during_an_upload_leaves_nothing_half_written(mock_bin, make_client, tmp_path):
    state = tmp_path / "state"
    srv = MockServer.start(mock_bin, "--state-dir", str(state))
    try:
        c = make_client(srv.base_url)
        done = c.files.create(file=("done.jsonl", TRAIN), purpose="fine-tune")
        boundary = "cut-here"
        head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nuser_data\r\n"
                f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"half.bin\"\r\n\r\n").encode()
        total = len(head) + 50_000_000
        sock = socket.create_connection((srv.host, srv.port))
        sock.sendall((f"POST /v1/files HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {DEFAULT_KEY}\r\n"
                      f"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {total}\r\n\r\n").encode())
        sock.sendall(head + b"y" * 20_000_000)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not any((state / "tmp").iterdir()):
            time.sleep(0.01)
        assert any((state / "tmp").iterdir()), "the upload should be on its way to disk"
        srv.proc.send_signal(signal.SIGKILL)
        srv.proc.wait(10)
        sock.close()
    finally:
        srv.cleanup()

    again = MockServer.start(mock_bin, "--state-dir", str(state))
    try:
        c2 = make_client(again.base_url)
        assert [f.id for f in c2.files.list()] == [done.id]
        assert c2.files.content(done.id).content == TRAIN
        assert list((state / "tmp").iterdir()) == []
        assert sorted(os.listdir(state / "blobs")) == [done.id]
        assert again.stop(signal.SIGTERM) == 0
    finally:
        again.cleanup()


def test_reset_forgets_files(client, mock):
    client.files.create(file=("a.jsonl", TRAIN), purpose="fine-tune")
    mock.reset()
    assert client.files.list().data == []


def test_a_disk_that_fails_under_an_upload_is_a_server_error(start_server, make_client):
    srv = start_server(max_file_bytes=1_000_000)
    c = make_client(srv.base_url)
    with pytest.raises(openai.InternalServerError) as err:
        c.files.create(file=("big.bin", b"z" * 3_000_000), purpose="user_data")
    assert err.value.status_code == 500 and err.value.type == "server_error"
    assert c.files.list().data == []                          # nothing half-written is listed
    assert c.files.create(file=("small.bin", b"ok"), purpose="user_data").bytes == 2
