"""Per-test isolation with real pytest-xdist workers: four tests, one in each worker process (`pytest -n 4`), share
one openai-mock and a scripted `times` sequence (429 twice, then the reply). Each, with its own `X-Mock-Test-Id`,
sees the whole sequence from the start, only its own journal entries and files, and one test's reset leaves the
others where they are. Barriers across the processes make the four really run at once against the one server."""
from __future__ import annotations

import json
import os
import urllib.parse

import openai
import pytest

from v1.parallel.shared_server import all_arrive, shared_server_for
from v1.test_isolation import RULES, client, script

WORKERS = 4


@pytest.fixture(scope="session")
def shared(mock_bin, tmp_path_factory):
    rules = tmp_path_factory.mktemp("rules") / "rules.json5"
    rules.write_text(RULES)
    directory = tmp_path_factory.getbasetemp().parent   # common to the run's workers
    with shared_server_for(mock_bin, directory, "--scenarios", str(rules)) as server:
        yield server, directory


def chat(srv, test_id: str | None):
    try:
        if test_id is None:
            return srv.request("POST", "/v1/chat/completions", {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "x"}]})[0]
        client(srv, test_id).chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "again"}])
        return 200
    except openai.RateLimitError:
        return 429


@pytest.mark.parametrize("n", range(WORKERS))
def test_each_worker_gets_its_own_sequence_journal_files_and_reset(shared, request, n):
    srv, directory = shared
    test_id = request.node.nodeid
    arrived = all_arrive(directory, f"start-{n}", WORKERS, {"worker": os.environ["PYTEST_XDIST_WORKER"], "server": srv.pid})
    assert len({a["worker"] for a in arrived}) == WORKERS and len({a["server"] for a in arrived}) == 1, arrived

    assert script(srv, test_id) == [429, 429, f"Hello {test_id} 2", f"Hello {test_id} 3", f"Hello {test_id} 4", True]
    status, _, body = srv.request("GET", "/_mock/requests?test_id=" + urllib.parse.quote(test_id, safe=""))
    journal = json.loads(body)["data"]
    assert [e["status"] for e in journal] == [429, 429, 200, 200, 200, 200, 200]
    assert {e["test_id"] for e in journal} == {test_id}

    all_arrive(directory, f"scripted-{n}", WORKERS, {})
    if n == 0:
        assert chat(srv, None) == 429          # requests without an id have their own sequence, still unused
        srv.request("POST", "/_mock/reset", headers={"X-Mock-Test-Id": test_id})
    all_arrive(directory, f"reset-{n}", WORKERS, {})
    # Worker 0's reset started its sequence and world over; the others are where their script left them.
    assert chat(srv, test_id) == (429 if n == 0 else 200)
    assert len(client(srv, test_id).files.list().data) == (0 if n == 0 else 1)
