#!/usr/bin/env python3
"""Foundation benchmark: GET /v1/models throughput and latency vs nginx, cold start, RSS.

Usage: python3 Tests/Benchmarks/http_bench.py [--seconds 10] [--soak SECONDS] [--binary PATH]
Needs wrk and nginx (Debian: apt-get install -y wrk nginx-light). Prints a Markdown table.
"""
import argparse
import os
import socket
import statistics
import subprocess
import time
import urllib.request

from bench_common import Nginx, build_release, proc_status, start_server, stop, wrk

AUTH = "/tmp/openai-mock-bench-auth.lua"


def cold_start(binary, runs=10):
    """Median ms from exec to the first 200 on GET /v1/models."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        proc, url = start_server(binary)
        req = urllib.request.Request(url + "/v1/models", headers={"Authorization": "Bearer sk-bench"})
        with urllib.request.urlopen(req) as r:
            assert r.status == 200
        times.append((time.perf_counter() - t0) * 1000)
        stop(proc)
    return statistics.median(times)


def idle_connections(url, pid, count=1000):
    """Opens `count` keep-alive connections that each made one request, then reads RSS/threads."""
    host, port = url.split("//")[1].split(":")
    socks = []
    request = b"GET /v1/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk-bench\r\n\r\n"
    for _ in range(count):
        s = socket.create_connection((host, int(port)))
        s.sendall(request)
        socks.append(s)
    for s in socks:  # drain each response head+body
        s.settimeout(5)
        data = b""
        while b"\r\n\r\n" not in data:
            data += s.recv(65536)
        head, _, rest = data.partition(b"\r\n\r\n")
        length = int([l for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")][0].split(b":")[1])
        while len(rest) < length:
            rest += s.recv(65536)
    time.sleep(1)
    figures = proc_status(pid)
    for s in socks:
        s.close()
    return figures


def soak(url, pid, seconds):
    """256 keep-alive connections for `seconds`; samples RSS and fds every 30 s."""
    wrk_proc = subprocess.Popen(["wrk", "-t2", "-c256", f"-d{seconds}s", "-s", AUTH, url + "/v1/models"],
                                stdout=subprocess.PIPE, text=True)
    samples = []
    start = time.time()
    while wrk_proc.poll() is None:
        rss, threads, fds = proc_status(pid)
        samples.append((round(time.time() - start), rss, threads, fds))
        time.sleep(30)
    print(wrk_proc.stdout.read())
    print("| t (s) | RSS (MB) | threads | open fds |\n|---|---|---|---|")
    for t, rss, threads, fds in samples:
        print(f"| {t} | {rss:.1f} | {threads} | {fds} |")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--soak", type=int, default=0, help="also run a soak test of this many seconds")
    ap.add_argument("--binary", help="use this openai-mock binary instead of building the release one")
    args = ap.parse_args()
    with open(AUTH, "w") as f:
        f.write('wrk.headers["Authorization"] = "Bearer sk-bench"\n')

    binary = args.binary or build_release()
    proc, url = start_server(binary)
    rss_idle, threads_idle, _ = proc_status(proc.pid)
    body = urllib.request.urlopen(urllib.request.Request(
        url + "/v1/models", headers={"Authorization": "Bearer sk-bench"})).read()
    nginx = Nginx(body)
    rows = []
    try:
        for c in (16, 64, 256):
            ours = wrk(url + "/v1/models", c, args.seconds, script=AUTH)
            ref = wrk(nginx.url, c, args.seconds)
            rows.append((c, ours, ref))
        rss_conn, threads_conn, fds_conn = idle_connections(url, proc.pid)
        if args.soak:
            soak(url, proc.pid, args.soak)
    finally:
        nginx.close()
        stop(proc)
    start_ms = cold_start(binary)

    print(f"GET /v1/models ({len(body)} bytes), wrk -t2, {args.seconds}s per row, {os.cpu_count()} cores\n")
    print("| connections | openai-mock req/s | p50 ms | p99 ms | nginx (1 worker) req/s | ratio |")
    print("|---|---|---|---|---|---|")
    for c, (rps, p50, p99), (nrps, _, _) in rows:
        print(f"| {c} | {rps:,.0f} | {p50:.2f} | {p99:.2f} | {nrps:,.0f} | {rps / nrps:.2f}× |")
    print()
    print(f"| cold start to first 200 (median of 10) | {start_ms:.1f} ms |")
    print(f"| idle RSS | {rss_idle:.1f} MB ({threads_idle} threads) |")
    print(f"| RSS with 1,000 idle keep-alive connections | {rss_conn:.1f} MB ({threads_conn} threads, {fds_conn} fds) |")


if __name__ == "__main__":
    main()
