"""Start, talk to and stop a real `openai-mock` process. Standard library only, so every venv can use it.

    server = MockServer.start(binary, "--api-key", "sk-good")   # --port 0, reads the first stdout line
    status, headers, body = server.request("GET", "/v1/models")
    server.stop()                                                 # SIGTERM, returns the exit code

`RawConnection` speaks HTTP/1.1 over a plain socket for framing tests (keep-alive, pipelining,
chunked bodies, 100-continue, limits) where a client library would hide what is on the wire.
"""
from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

CONTRACT_DIR = Path(__file__).resolve().parent
REPO_ROOT = CONTRACT_DIR.parent.parent
SCENARIOS_DIR = REPO_ROOT / "scenarios"
DEFAULT_KEY = "sk-test"
LISTENING = re.compile(r"^openai-mock listening on (http://([^/\s:]+|\[[^\]]+\]):(\d+))\s*$")


def find_binary() -> Path:
    """`$OPENAI_MOCK_BIN`, else the debug build of this checkout (`swift build --show-bin-path`)."""
    env = os.environ.get("OPENAI_MOCK_BIN")
    if env:
        path = Path(env)
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise RuntimeError(f"OPENAI_MOCK_BIN={env} is not an executable file")
        return path
    if shutil.which("swift") is None:
        raise RuntimeError("set OPENAI_MOCK_BIN or put swift on PATH (run Tests/run, which builds first)")
    out = subprocess.run(["swift", "build", "--show-bin-path"], cwd=REPO_ROOT, check=True,
                         capture_output=True, text=True, timeout=120).stdout.strip()
    path = Path(out) / "openai-mock"
    if not path.is_file():
        raise RuntimeError(f"{path} does not exist: build first (swift build, or Tests/run)")
    return path


class ServerStartError(RuntimeError):
    pass


class MockServer:
    """One `openai-mock` process started on a free port."""

    def __init__(self, proc: subprocess.Popen, url: str, host: str, port: int, stderr_path: Path, args: list[str]):
        self.proc = proc
        self.url = url                      # http://127.0.0.1:PORT
        self.base_url = url + "/v1"         # what clients are configured with
        self.host = host
        self.port = port
        self.args = args
        self._stderr_path = stderr_path
        self._stdout_rest: list[str] = []
        self._drain = threading.Thread(target=self._drain_stdout, daemon=True)
        self._drain.start()

    # ----------------------------------------------------------------------------- lifecycle
    @classmethod
    def start(cls, binary: Path | str, *args: str, port: str = "0", log: str | None = "text",
              timeout: float = 30.0, env: dict | None = None, max_file_bytes: int | None = None) -> "MockServer":
        """`max_file_bytes` caps the size of any file the server writes (RLIMIT_FSIZE; writes past it fail with
        EFBIG, as on a full disk)."""
        argv = [str(binary), "--port", port]
        if log is not None:
            argv += ["--log", log]
        argv += list(args)
        fd, name = tempfile.mkstemp(prefix="openai-mock-", suffix=".stderr")
        stderr_path = Path(name)
        with os.fdopen(fd, "wb") as stderr_file:
            def limit_files():
                if max_file_bytes is not None:
                    import resource
                    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # inherited: the write fails instead
                    resource.setrlimit(resource.RLIMIT_FSIZE, (max_file_bytes, max_file_bytes))
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=stderr_file,
                                    env=env, start_new_session=True, preexec_fn=limit_files)
        first: list[str] = []
        reader = threading.Thread(target=lambda: first.append(proc.stdout.readline().decode("utf-8", "replace")),
                                  daemon=True)
        reader.start()
        reader.join(timeout)

        def fail(why: str) -> ServerStartError:
            if proc.poll() is None:
                proc.kill()
            proc.wait(10)
            err = stderr_path.read_text(errors="replace")
            return ServerStartError(f"{why}\n  command: {' '.join(argv)}\n  exit code: {proc.returncode}\n"
                                    f"  stderr:\n{err}")

        if reader.is_alive():
            raise fail(f"openai-mock printed no first stdout line within {timeout:.0f}s")
        line = first[0] if first else ""
        m = LISTENING.match(line)
        if not m:
            raise fail(f"first stdout line is not 'openai-mock listening on http://HOST:PORT': {line!r}")
        return cls(proc, m.group(1), m.group(2).strip("[]"), int(m.group(3)), stderr_path, argv)

    def _drain_stdout(self) -> None:
        for raw in self.proc.stdout:
            self._stdout_rest.append(raw.decode("utf-8", "replace"))

    @property
    def stdout_after_first_line(self) -> str:
        return "".join(self._stdout_rest)

    def stderr(self) -> str:
        return self._stderr_path.read_text(errors="replace")

    def send_signal(self, sig: int) -> None:
        self.proc.send_signal(sig)

    def wait(self, timeout: float = 15.0) -> int:
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
            raise AssertionError(f"openai-mock did not exit within {timeout}s of the signal; stderr:\n{self.stderr()}")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15.0) -> int:
        """Sends `sig` (once) and returns the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        code = self.wait(timeout)
        self._drain.join(5)
        return code

    def cleanup(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        try:
            self._stderr_path.unlink()
        except FileNotFoundError:
            pass

    # ----------------------------------------------------------------------------- requests
    def request(self, method: str, path: str, body: bytes | str | dict | list | None = None,
                headers: dict | None = None, key: str | None = DEFAULT_KEY, timeout: float = 30.0):
        """One request on a fresh connection: (status, headers as {lowercase: value}, body bytes)."""
        hdrs = {}
        if key is not None:
            hdrs["Authorization"] = f"Bearer {key}"
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        elif isinstance(body, str):
            body = body.encode()
        hdrs.update(headers or {})
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=hdrs)
            resp = conn.getresponse()
            data = resp.read()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
        finally:
            conn.close()

    def json(self, method: str, path: str, body=None, headers: dict | None = None, key: str | None = DEFAULT_KEY,
             expect: int | None = 200):
        status, hdrs, data = self.request(method, path, body, headers, key)
        if expect is not None:
            assert status == expect, f"{method} {path}: expected {expect}, got {status}: {data[:500]!r}"
        return json.loads(data)

    # admin API
    def journal(self, path: str | None = None) -> list[dict]:
        q = f"?path={path}" if path else ""
        return self.json("GET", "/_mock/requests" + q)["data"]

    def clear_journal(self) -> None:
        self.json("DELETE", "/_mock/requests")

    def reset(self) -> None:
        self.json("POST", "/_mock/reset")

    def health(self) -> dict:
        return self.json("GET", "/_mock/health")

    def raw(self, timeout: float = 10.0) -> "RawConnection":
        return RawConnection(self.host, self.port, timeout)


# --------------------------------------------------------------------------------- raw HTTP/1.1
class Response:
    def __init__(self, version: str, status: int, reason: str, headers: list[tuple[str, str]], body: bytes):
        self.version, self.status, self.reason, self.header_list, self.body = version, status, reason, headers, body

    def header(self, name: str) -> str | None:
        name = name.lower()
        for k, v in self.header_list:
            if k.lower() == name:
                return v
        return None

    def json(self):
        return json.loads(self.body)

    def __repr__(self) -> str:
        return f"<Response {self.status} {self.header_list} {self.body[:200]!r}>"


class RawConnection:
    """A plain TCP connection with an HTTP/1.1 response reader that keeps unread bytes for the next response."""

    def __init__(self, host: str, port: int, timeout: float = 10.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass

    def send(self, data: bytes | str) -> None:
        self.sock.sendall(data.encode() if isinstance(data, str) else data)

    def _fill(self) -> bool:
        chunk = self.sock.recv(65536)
        if not chunk:
            return False
        self.buf += chunk
        return True

    def _read_until(self, marker: bytes) -> bytes:
        while marker not in self.buf:
            if not self._fill():
                raise ConnectionError(f"connection closed before {marker!r}; got {self.buf[:300]!r}")
        head, self.buf = self.buf.split(marker, 1)
        return head

    def _read_exact(self, n: int) -> bytes:
        while len(self.buf) < n:
            if not self._fill():
                raise ConnectionError(f"connection closed with {len(self.buf)} of {n} body bytes")
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def read_response(self, head_request: bool = False, skip_informational: bool = True) -> Response:
        while True:
            head = self._read_until(b"\r\n\r\n").decode("latin-1")
            lines = head.split("\r\n")
            version, status, *reason = lines[0].split(" ", 2)
            headers = []
            for line in lines[1:]:
                k, _, v = line.partition(":")
                headers.append((k.strip(), v.strip()))
            status = int(status)
            if 100 <= status < 200 and skip_informational:
                continue
            resp = Response(version, status, reason[0] if reason else "", headers, b"")
            break
        if head_request or status in (204, 304) or 100 <= status < 200:
            return resp
        te = (resp.header("transfer-encoding") or "").lower()
        if "chunked" in te:
            body = b""
            while True:
                size_line = self._read_until(b"\r\n").decode("latin-1")
                size = int(size_line.split(";")[0].strip(), 16)
                if size == 0:
                    # trailers until the empty line
                    while self._read_until(b"\r\n"):
                        pass
                    break
                body += self._read_exact(size)
                self._read_exact(2)
            resp.body = body
        elif resp.header("content-length") is not None:
            resp.body = self._read_exact(int(resp.header("content-length")))
        else:
            while self._fill():
                pass
            resp.body, self.buf = self.buf, b""
        return resp

    def is_closed_by_peer(self, timeout: float = 5.0) -> bool:
        """True when the server closes (EOF or reset) within `timeout` without sending anything more."""
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(1)
        except socket.timeout:
            return False
        except ConnectionResetError:
            return True
        if data:
            self.buf += data
            return False
        return True


def request_bytes(method: str, path: str, headers: dict | None = None, body: bytes = b"",
                  key: str | None = DEFAULT_KEY, host: str = "127.0.0.1", version: str = "HTTP/1.1") -> bytes:
    """A complete request as wire bytes (Content-Length added when there is a body)."""
    lines = [f"{method} {path} {version}", f"Host: {host}"]
    if key is not None:
        lines.append(f"Authorization: Bearer {key}")
    hdrs = dict(headers or {})
    if body and not any(k.lower() in ("content-length", "transfer-encoding") for k in hdrs):
        hdrs["Content-Length"] = str(len(body))
    lines += [f"{k}: {v}" for k, v in hdrs.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def wait_until(predicate, timeout: float = 10.0, interval: float = 0.02) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def assert_openai_error(status: int, headers: dict, body: bytes, expected_status: int, *,
                        message: str | None = None, message_prefix: str | None = None,
                        type: str | None = "invalid_request_error", code: object = ..., param: object = ...) -> dict:
    """The OpenAI error shape: JSON content type, `{"error":{"message","type","param","code"}}`, all four keys."""
    assert status == expected_status, f"expected {expected_status}, got {status}: {body[:500]!r}"
    ctype = headers.get("content-type", "")
    assert ctype.split(";")[0].strip() == "application/json", f"content-type {ctype!r} for {status}: {body[:200]!r}"
    doc = json.loads(body)
    assert list(doc) == ["error"], doc
    err = doc["error"]
    assert set(err) >= {"message", "type", "param", "code"}, f"error object lacks keys: {err}"
    assert isinstance(err["message"], str) and err["message"], err
    assert err["param"] is None or isinstance(err["param"], str), err
    assert err["code"] is None or isinstance(err["code"], str), err
    if message is not None:
        assert err["message"] == message, err["message"]
    if message_prefix is not None:
        assert err["message"].startswith(message_prefix), err["message"]
    if type is not None:
        assert err["type"] == type, err
    if code is not ...:
        assert err["code"] == code, err
    if param is not ...:
        assert err["param"] == param, err
    return err
