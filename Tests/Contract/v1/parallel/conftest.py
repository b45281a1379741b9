"""Tests that need pytest-xdist workers (`pytest -n 4 v1/parallel`, which Tests/run runs apart from the rest of v1/):
one openai-mock shared by every worker process of the run.

The workers meet in the directory xdist gives them in common (the parent of each worker's basetemp). Under a file
lock, the first worker starts the server and writes its URL and pid to `shared-server.json`, and each worker counts
itself in; at its session's end each counts itself out. The worker that started the server waits until it is the
last one in, then stops it (SIGTERM → exit 0). Should that worker die first, the controller kills the server at the
end of the run.
"""
from __future__ import annotations

import contextlib
import json
import os
import signal
from pathlib import Path

import pytest

from v1.parallel.shared_server import STATE


def pytest_collection_modifyitems(config, items):
    if not hasattr(config, "workerinput"):
        skip = pytest.mark.skip(reason="needs pytest-xdist workers: pytest -n 4 v1/parallel (Tests/run runs it so)")
        for item in items:
            if Path(__file__).parent in Path(item.fspath).parents:
                item.add_marker(skip)


def pytest_sessionfinish(session):
    """The controller (not a worker): a shared server its starter left behind (the worker died) is killed."""
    factory = getattr(session.config, "_tmp_path_factory", None)
    if hasattr(session.config, "workerinput") or factory is None:
        return
    state_file = factory.getbasetemp() / STATE
    with contextlib.suppress(OSError, ValueError, KeyError):
        state = json.loads(state_file.read_text())
        if not state.get("stopped") and b"openai-mock" in Path(f"/proc/{state['pid']}/cmdline").read_bytes():
            os.kill(int(state["pid"]), signal.SIGKILL)
