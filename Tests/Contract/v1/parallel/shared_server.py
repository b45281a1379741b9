"""One openai-mock shared by every pytest-xdist worker process of a run (see conftest.py for how it is shared)."""
from __future__ import annotations

import contextlib
import fcntl
import json
import signal
import time
from pathlib import Path

from mockserver import MockServer

STATE = "shared-server.json"


@contextlib.contextmanager
def locked(directory: Path):
    with open(directory / "shared-server.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


class SharedServer:
    """What a worker knows of the shared server: where it is (and the `request` helper of MockServer)."""
    request = MockServer.request

    def __init__(self, url: str, pid: int):
        self.url, self.base_url, self.pid = url, url + "/v1", pid
        self.host, port = url.removeprefix("http://").rsplit(":", 1)
        self.port = int(port)


def shared_server_for(mock_bin, directory: Path, *args: str):
    """Context manager: the run's shared server (started with `args` by whichever worker comes first)."""

    @contextlib.contextmanager
    def manage():
        started = None
        with locked(directory):
            state_file = directory / STATE
            if state_file.exists():
                state = json.loads(state_file.read_text())
            else:
                started = MockServer.start(mock_bin, *args)
                state = {"url": started.url, "pid": started.proc.pid, "users": 0}
            state["users"] += 1
            state_file.write_text(json.dumps(state))
        try:
            yield SharedServer(state["url"], state["pid"])
        finally:
            with locked(directory):
                state = json.loads(state_file.read_text())
                state["users"] -= 1
                state_file.write_text(json.dumps(state))
            if started is not None:
                try:
                    deadline = time.monotonic() + 120
                    while json.loads(state_file.read_text())["users"] > 0 and time.monotonic() < deadline:
                        time.sleep(0.05)
                    code = started.stop(signal.SIGTERM)
                    with locked(directory):
                        state_file.write_text(json.dumps({**json.loads(state_file.read_text()), "stopped": True}))
                    assert code == 0, f"the shared server exited {code}; stderr:\n{started.stderr()[-2000:]}"
                finally:
                    started.cleanup()

    return manage()


def all_arrive(directory: Path, name: str, count: int, payload: dict, timeout: float = 60) -> list[dict]:
    """A barrier across worker processes: writes `payload` as `name`, waits until `count` have arrived, returns all."""
    barrier = directory / "barrier"
    barrier.mkdir(exist_ok=True)
    (barrier / f"{name}.tmp").write_text(json.dumps(payload))
    (barrier / f"{name}.tmp").rename(barrier / f"{name}.json")
    deadline = time.monotonic() + timeout
    while len(arrived := sorted(barrier.glob("*.json"))) < count:
        assert time.monotonic() < deadline, (f"only {len(arrived)} of {count} tests arrived within {timeout:.0f}s: "
                                             f"they must run at once, one per worker (pytest -n {count})")
        time.sleep(0.02)
    return [json.loads(p.read_text()) for p in arrived]
