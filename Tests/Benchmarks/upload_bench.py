#!/usr/bin/env python3
"""Upload benchmark (issue 9): a 512 MB file through `curl -F` into POST /v1/files.

Usage: python3 Tests/Benchmarks/upload_bench.py [--mb 512] [--runs 3] [--paced-runs 3] [--binary PATH]
Needs curl and gcc (the paced part uses sse_load.c, see chat_bench.py). Prints Markdown tables.

  rss     server peak RSS growth during the upload (VmHWM after − VmRSS before), fresh server;
          goal < 64 MB.
  speed   upload wall time (curl's time_total) vs writing the same bytes with dd to the same disk
          (bs=1M), median of --runs: the default temporary store (no fsync) against plain dd, and
          --state-dir (fsynced) against dd conv=fsync.
  paced   1,000 paced streams (200 tokens at 10 ms, as in chat_bench.py) with and without a 512 MB
          upload running at the same time, --paced-runs each, interleaved; goal: the upload moves the
          median run's inter-token jitter p99 by less than 1 ms.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from bench_common import build_release, proc_extra, proc_status, start_server, stop
from chat_bench import MODEL, PACED_MARK, compile_client, paced_scenario, sse_load


def make_source(tmp, mb):
    path = os.path.join(tmp, "upload.bin")
    with open(path, "wb") as f:
        block = os.urandom(1 << 20)
        for i in range(mb):
            f.write(block[i % 7:] + block[:i % 7])
    return path


def dd(src, dst, fsync):
    args = ["dd", f"if={src}", f"of={dst}", "bs=1M", "status=none"] + (["conv=fsync"] if fsync else [])
    t0 = time.perf_counter()
    subprocess.run(args, check=True)
    elapsed = time.perf_counter() - t0
    os.unlink(dst)
    return elapsed


def curl_upload(url, src, purpose="user_data"):
    out = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{time_total}", url + "/v1/files",
                          "-H", "Authorization: Bearer sk-bench", "-F", f"file=@{src}", "-F", f"purpose={purpose}"],
                         capture_output=True, text=True, check=True)
    code, seconds = out.stdout.split()
    if code != "200":
        sys.exit(f"upload failed: HTTP {code}")
    return float(seconds)


def upload_run(binary, src, tmp, state_dir):
    env_tmp = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = tmp  # the default store lives in $TMPDIR: the same disk as dd's target
    try:
        args = ["--state-dir", state_dir] if state_dir else []
        proc, url = start_server(binary, *args)
    finally:
        if env_tmp is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = env_tmp
    try:
        rss0, _, _ = proc_status(proc.pid)
        seconds = curl_upload(url, src)
        hwm, _ = proc_extra(proc.pid)
        return seconds, rss0, hwm
    finally:
        stop(proc)
        if state_dir:
            shutil.rmtree(state_dir, ignore_errors=True)


def paced_run(binary, exe, tmp, scenario, src, with_upload):
    proc, url = start_server(binary, "--scenarios", scenario)
    body = {"model": MODEL, "messages": [{"role": "user", "content": f"{PACED_MARK} tell me a story"}], "stream": True}
    upload = {}
    try:
        def do_upload():
            time.sleep(0.5)  # the streams are connected and playing
            upload["seconds"] = curl_upload(url, src)
        t = threading.Thread(target=do_upload) if with_upload else None
        if t:
            t.start()
        r = sse_load(exe, url, body, 1000, pace_ms=10, timeout=120)
        if t:
            t.join()
        r["upload_s"] = upload.get("seconds")
        return r
    finally:
        stop(proc)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=int, default=512)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--paced-runs", type=int, default=3)
    ap.add_argument("--binary")
    args = ap.parse_args()
    binary = args.binary or build_release()
    tmp = tempfile.mkdtemp(prefix="upload-bench-", dir=os.environ.get("BENCH_DIR"))
    try:
        src = make_source(tmp, args.mb)
        size = os.path.getsize(src)
        print(f"# upload_bench: {args.mb} MB (multipart adds a few hundred bytes), disk of {tmp}\n")

        plain, durable, dd_plain, dd_sync, growth = [], [], [], [], []
        for _ in range(args.runs):
            dd_plain.append(dd(src, os.path.join(tmp, "dd.out"), fsync=False))
            s, rss0, hwm = upload_run(binary, src, tmp, None)
            plain.append(s)
            growth.append(hwm - rss0)
            dd_sync.append(dd(src, os.path.join(tmp, "dd.out"), fsync=True))
            s, _, _ = upload_run(binary, src, tmp, os.path.join(tmp, "state"))
            durable.append(s)
        med = statistics.median
        print("| store | upload s (median) | MB/s | dd s | dd MB/s | upload / dd speed |")
        print("|---|---|---|---|---|---|")
        for name, up, d in (("temporary (default, no fsync)", plain, dd_plain), ("--state-dir (fsync)", durable, dd_sync)):
            print(f"| {name} | {med(up):.2f} | {size / med(up) / 1e6:.0f} | {med(d):.2f} | {size / med(d) / 1e6:.0f} | "
                  f"{med(d) / med(up):.2f}× |")
        print(f"\nserver RSS growth during the upload (peak − before): median {med(growth):.1f} MB "
              f"(runs: {', '.join(f'{g:.1f}' for g in growth)}); goal < 64 MB\n")

        if args.paced_runs:
            exe = compile_client(tmp)
            scenario = paced_scenario(tmp, 200)
            quiet, loaded = [], []
            for _ in range(args.paced_runs):
                quiet.append(paced_run(binary, exe, tmp, scenario, src, False))
                loaded.append(paced_run(binary, exe, tmp, scenario, src, True))
            print("| 1,000 paced streams | jitter p99 ms (median run) | every run's p99 | lost | upload s |")
            print("|---|---|---|---|---|")
            for name, rs in (("alone", quiet), ("during a 512 MB upload", loaded)):
                p99 = sorted(r["jitter_p99_ms"] for r in rs)
                lost = sum(r["streams"] - r["completed"] for r in rs)
                ups = [r["upload_s"] for r in rs if r.get("upload_s")]
                print(f"| {name} | {med(p99):.2f} | {', '.join(f'{x:.2f}' for x in p99)} | {lost} | "
                      f"{', '.join(f'{u:.2f}' for u in ups) or '–'} |")
            print(f"\ndifference of the medians: {med(sorted(r['jitter_p99_ms'] for r in loaded)) - med(sorted(r['jitter_p99_ms'] for r in quiet)):+.2f} ms (goal: < 1 ms)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
