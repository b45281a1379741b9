"""Fixtures shared by every contract venv (v1/, legacy/, ...). Standard library only at import time.

- `mock_bin`      the built `openai-mock` ($OPENAI_MOCK_BIN, set by Tests/run, else `swift build --show-bin-path`)
- `server`        the session's default server (any bearer key accepted), started with --port 0
- `mock`          `server` with the journal emptied and state reset before the test
- `start_server`  factory for extra servers with their own flags; each is SIGTERMed at teardown and must exit 0
"""
from __future__ import annotations

import os
import signal

import pytest

from mockserver import DEFAULT_KEY, SCENARIOS_DIR, MockServer, find_binary

# ---------------------------------------------------------------------------- network isolation
# Nothing in this suite may reach the internet or a proxy: every client talks to 127.0.0.1 only.
for _var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy",
             "OPENAI_BASE_URL", "OPENAI_API_BASE", "OPENAI_ORG_ID", "OPENAI_ORGANIZATION", "OPENAI_PROJECT_ID",
             "OPENAI_ADMIN_KEY", "OPENAI_LOG", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
    os.environ.pop(_var, None)
os.environ.update({
    "OPENAI_API_KEY": DEFAULT_KEY,
    "NO_PROXY": "*",
    "no_proxy": "*",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "LITELLM_LOCAL_MODEL_COST_MAP": "True",
    "ANONYMIZED_TELEMETRY": "False",
    "DO_NOT_TRACK": "1",
})


@pytest.fixture(scope="session")
def mock_bin():
    return find_binary()


@pytest.fixture(scope="session")
def server(mock_bin):
    srv = MockServer.start(mock_bin)
    try:
        yield srv
        code = srv.stop(signal.SIGTERM)
        assert code == 0, f"default server exited with {code} on SIGTERM; stderr:\n{srv.stderr()[-4000:]}"
    finally:
        srv.cleanup()


@pytest.fixture
def mock(server):
    """The default server, reset and with an empty journal."""
    server.reset()
    server.clear_journal()
    return server


@pytest.fixture
def base_url(mock):
    return mock.base_url


@pytest.fixture
def start_server(mock_bin):
    """`start_server("--api-key", "sk-good")` → a fresh MockServer; stopped (SIGTERM, exit 0) after the test."""
    started: list[MockServer] = []

    def start(*args: str, **kwargs) -> MockServer:
        srv = MockServer.start(mock_bin, *args, **kwargs)
        started.append(srv)
        return srv

    yield start
    problems = []
    for srv in started:
        try:
            if srv.proc.poll() is None:
                code = srv.stop(signal.SIGTERM)
                if code != 0:
                    problems.append(f"{' '.join(srv.args)} exited {code}; stderr:\n{srv.stderr()[-2000:]}")
        finally:
            srv.cleanup()
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def scenario_server(mock_bin):
    """A server serving the example scenarios in `scenarios/` (module-scoped; stopped with SIGTERM → 0)."""
    srv = MockServer.start(mock_bin, "--scenarios", str(SCENARIOS_DIR))
    try:
        yield srv
        assert srv.stop(signal.SIGTERM) == 0, srv.stderr()[-2000:]
    finally:
        srv.cleanup()
