"""Shared helpers for the benchmark scripts: build, start the server, read /proc, run wrk, nginx.

Benchmarks print figures; they are not run by CI. Only the standard library is used.
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def build_release():
    """Builds the release binary; BENCH_SCRATCH_PATH=DIR builds in DIR instead of .build (so a benchmark
    does not hold the build lock of colleagues working in the same tree)."""
    scratch = ["--scratch-path", os.environ["BENCH_SCRATCH_PATH"]] if os.environ.get("BENCH_SCRATCH_PATH") else []
    subprocess.run(["swift", "build", "-c", "release", *scratch, "--product", "openai-mock"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    out = subprocess.run(["swift", "build", "-c", "release", *scratch, "--show-bin-path"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.strip()
    return os.path.join(out, "openai-mock")


def start_server(binary, *args):
    """Starts the server on a free port; returns (process, base_url)."""
    proc = subprocess.Popen([binary, "--port", "0", "--log", "off", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    m = re.search(r"http://[\d.]+:(\d+)", line)
    if not m:
        proc.kill()
        sys.exit(f"server did not start: {line!r}")
    return proc, f"http://127.0.0.1:{m.group(1)}"


def stop(proc):
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def proc_status(pid):
    """RSS in MB, thread count, open fds."""
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            fields[k] = v.strip()
    rss_mb = int(fields["VmRSS"].split()[0]) / 1024
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    return rss_mb, int(fields["Threads"]), fds


def proc_extra(pid):
    """Peak RSS (VmHWM) in MB and CPU seconds (user + system) used so far."""
    with open(f"/proc/{pid}/status") as f:
        hwm = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:")) / 1024
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return hwm, cpu


def machine_busy_seconds():
    """CPU seconds the whole machine has spent busy (all cores, from /proc/stat): compare a run's
    delta with the processes' own CPU to see how much else was running."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + (v[4] if len(v) > 4 else 0)
    return (sum(v[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def wrk(url, connections, seconds=10, threads=2, script=None):
    """Runs wrk; returns (requests/s, p50 ms, p99 ms)."""
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if script:
        cmd += ["-s", script]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if bad:
        print(f"warning: wrk {url}: {bad.group(1)} non-2xx/3xx responses", file=sys.stderr)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def pct(p):
        m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    return rps, pct(50), pct(99)


class Nginx:
    """A single-worker nginx answering every request with a fixed body, as the reference."""

    def __init__(self, body, content_type="application/json"):
        if not shutil.which("nginx"):
            sys.exit("nginx is needed as the reference: apt-get install -y nginx-light")
        self.dir = tempfile.mkdtemp(prefix="bench-nginx-")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        with open(os.path.join(self.dir, "body"), "wb") as f:
            f.write(body)
        conf = f"""
worker_processes 1;
daemon off;
error_log {self.dir}/error.log;
pid {self.dir}/nginx.pid;
events {{ worker_connections 20000; }}
http {{
  access_log off;
  keepalive_requests 100000000;
  client_body_temp_path {self.dir};
  proxy_temp_path {self.dir};
  fastcgi_temp_path {self.dir};
  uwsgi_temp_path {self.dir};
  scgi_temp_path {self.dir};
  server {{
    listen 127.0.0.1:{self.port};
    location / {{
      default_type {content_type};
      root {self.dir};
      try_files /body =404;
    }}
  }}
}}
"""
        path = os.path.join(self.dir, "nginx.conf")
        with open(path, "w") as f:
            f.write(conf)
        self.proc = subprocess.Popen(["nginx", "-c", path, "-p", self.dir], stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        self.url = f"http://127.0.0.1:{self.port}/"

    def close(self):
        self.proc.terminate()
        self.proc.wait(10)
        shutil.rmtree(self.dir, ignore_errors=True)
