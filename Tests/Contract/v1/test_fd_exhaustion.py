"""Accept keeps working through EMFILE: a server whose descriptor table is full sheds the excess
connections instead of spinning or hanging, and serves normally once clients leave."""
import os
import socket
import stat
import time

import pytest

from mockserver import MockServer, wait_until

FD_LIMIT = 64


def _cpu_seconds(pid: int) -> float:
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.fixture
def limited_server(mock_bin, tmp_path):
    wrapper = tmp_path / "limited.sh"
    wrapper.write_text(f'#!/bin/sh\nulimit -n {FD_LIMIT}\nexec "{mock_bin}" "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    srv = MockServer.start(wrapper, log=None)
    try:
        yield srv
        assert srv.stop() == 0, srv.stderr()[-2000:]
    finally:
        srv.cleanup()


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="needs /proc")
def test_full_descriptor_table_sheds_connections_without_spinning(limited_server):
    srv = limited_server
    clients = []
    try:
        for _ in range(3 * FD_LIMIT):
            clients.append(socket.create_connection((srv.host, srv.port), timeout=5))
        # Every connection the server could not keep is closed by it, not left hanging.
        def shed() -> int:
            closed = 0
            for c in clients:
                c.setblocking(False)
                try:
                    closed += c.recv(1) == b""
                except BlockingIOError:
                    pass
                except OSError:
                    closed += 1
            return closed
        assert wait_until(lambda: shed() >= FD_LIMIT, timeout=10), "excess connections were not shed"
        # While the table stays full the server idles instead of busy-looping on accept.
        before = _cpu_seconds(srv.proc.pid)
        time.sleep(1.0)
        assert _cpu_seconds(srv.proc.pid) - before < 0.3
    finally:
        for c in clients:
            c.close()
    # Once the clients are gone, new requests are served again.
    assert wait_until(lambda: _models_ok(srv), timeout=10)


def _models_ok(srv) -> bool:
    try:
        return srv.request("GET", "/v1/models")[0] == 200
    except OSError:
        return False
