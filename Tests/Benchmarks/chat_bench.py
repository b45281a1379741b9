#!/usr/bin/env python3
"""Chat benchmark (issue 3): non-streaming throughput vs nginx, and SSE streaming under load.

Usage: python3 Tests/Benchmarks/chat_bench.py [--seconds 10] [--only client,t1,wrk,5k,10k,paced] [--binary PATH]
Needs gcc, wrk and nginx (Debian: apt-get install -y gcc wrk nginx-light). Prints a Markdown table.
BENCH_SCRATCH_PATH=DIR builds the server in DIR instead of .build (see bench_common.build_release).

Runs (each streaming run gets a fresh server, so RSS/threads after it are its own):
  t1     the small request {"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello"}]} with a one-thread
         load generator (wrk -t1 -c64, keep-alive), alternating with a 1-worker nginx serving the same reply bytes,
         --t1-runs times (default 3; each side gets its own run in turn); the median ratio; goal >= 0.5x.
  wrk    POST /v1/chat/completions (non-streaming), wrk -t2 -c64, vs a 1-worker nginx returning a fixed
         body of the same bytes; goal >= 0.3x.
  5k     5,000 concurrent unpaced streams of ~50 events (max_tokens 48: role + 48 content + finish);
         goals: none lost, wall <= 2 s, server RSS after < 100 MB.
  10k    10,000 concurrent unpaced streams, same body; goal: none lost.
  paced  1,000 streams of a scripted 200-token reply at token_delay_ms 10 (a scenario file written to a
         temp dir), --paced-runs times (default 5, a fresh server each): the figures on this shared 2-core
         box vary from run to run, so the table shows the median run and every run's p99; goal: the
         median run's inter-token jitter p99 < 5 ms, no stream lost in any run.
  client the load client (sse_load.c) against its own trivial C SSE server, to show it is not the
         bottleneck: events/s and events per client CPU-second; and a paced C reference (250 and 1,000
         streams at 10 ms) whose own send-side jitter is compared with what the client measures.
The streaming client is Tests/Benchmarks/sse_load.c (single-threaded epoll), compiled here with gcc -O2.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

from bench_common import (Nginx, build_release, machine_busy_seconds, proc_extra, proc_status, start_server, stop,
                          wrk)

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = "gpt-4o-mini"
STREAM_PROMPT = "Explain how a river delta forms and why farmers settle near it."
PACED_MARK = "PACED-BENCH"


def compile_client(tmp):
    exe = os.path.join(tmp, "sse_load")
    subprocess.run(["gcc", "-O2", "-Wall", "-o", exe, os.path.join(HERE, "sse_load.c")], check=True)
    return exe


def sse_load(exe, url, body, streams, pace_ms=None, timeout=60, batch=512):
    """Runs the load client; returns its JSON figures."""
    path = os.path.join(tempfile.gettempdir(), f"sse-body-{os.getpid()}.json")
    with open(path, "w") as f:
        json.dump(body, f)
    cmd = [exe, "--url", url, "--body-file", path, "--streams", str(streams), "--batch", str(batch),
           "--timeout", str(timeout), "--json"]
    if pace_ms:
        cmd += ["--pace-ms", str(pace_ms)]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout + 30)
    os.unlink(path)
    if not out.stdout.strip():
        sys.exit(f"sse_load failed: {out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def post(url, body):
    req = urllib.request.Request(url + "/v1/chat/completions", data=json.dumps(body).encode(), method="POST",
                                 headers={"Authorization": "Bearer sk-bench", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status, r.read()


def stream_body(seed, max_tokens=48, prompt=STREAM_PROMPT):
    return {"model": MODEL, "messages": [{"role": "user", "content": prompt}], "stream": True,
            "max_tokens": max_tokens, "seed": seed}


def find_50_event_body(exe, url):
    """The default generator picks a reply length of 20–120 tokens per request; try a few `seed`s until
    max_tokens 48 truncates it, so each stream is role + 48 content events + finish = 50 events."""
    for seed in range(30):
        body = stream_body(seed)
        r = sse_load(exe, url, body, 1, timeout=10)
        if r["completed"] == 1 and r["content_per_stream"] >= 48:
            return body, r
    return body, r


# ------------------------------------------------------------------------------------------ runs

def run_wrk(binary, seconds, tmp):
    proc, url = start_server(binary)
    body = {"model": MODEL, "messages": [{"role": "user", "content": STREAM_PROMPT}], "max_tokens": 48}
    try:
        status, reply = post(url, body)
        assert status == 200, status
        lua = os.path.join(tmp, "chat-post.lua")
        with open(lua, "w") as f:
            f.write('wrk.method = "POST"\n'
                    f'wrk.body = {json.dumps(json.dumps(body))}\n'
                    'wrk.headers["Authorization"] = "Bearer sk-bench"\n'
                    'wrk.headers["Content-Type"] = "application/json"\n')
        ours = wrk(url + "/v1/chat/completions", 64, seconds, script=lua)
        rss, threads, _ = proc_status(proc.pid)
    finally:
        stop(proc)
    nginx = Nginx(reply)
    try:
        ref = wrk(nginx.url, 64, seconds)
    finally:
        nginx.close()
    return {"bytes": len(reply), "ours": ours, "ref": ref, "rss": rss, "threads": threads}


def run_wrk_t1(binary, seconds, tmp, runs, args=()):
    """Interleaved one-thread wrk runs against the server and nginx; per run (ours, ref), plus server CPU."""
    body = {"model": MODEL, "messages": [{"role": "user", "content": "Hello"}]}
    lua = os.path.join(tmp, "chat-hello.lua")
    with open(lua, "w") as f:
        f.write('wrk.method = "POST"\n'
                f'wrk.body = {json.dumps(json.dumps(body))}\n'
                'wrk.headers["Authorization"] = "Bearer sk-bench"\n'
                'wrk.headers["Content-Type"] = "application/json"\n')
    proc, url = start_server(binary, *args)
    nginx = None
    pairs = []
    try:
        status, reply = post(url, body)
        assert status == 200, status
        nginx = Nginx(reply)
        wrk(url + "/v1/chat/completions", 64, 2, threads=1, script=lua)  # warm-up
        for _ in range(runs):
            _, cpu0 = proc_extra(proc.pid)
            ours = wrk(url + "/v1/chat/completions", 64, seconds, threads=1, script=lua)
            _, cpu1 = proc_extra(proc.pid)
            ref = wrk(nginx.url, 64, seconds, threads=1)
            pairs.append({"ours": ours, "ref": ref, "ratio": ours[0] / ref[0], "server_cpu_s": cpu1 - cpu0})
        rss, threads, _ = proc_status(proc.pid)
    finally:
        stop(proc)
        if nginx:
            nginx.close()
    pairs.sort(key=lambda p: p["ratio"])
    return {"bytes": len(reply), "runs": pairs, "median": pairs[len(pairs) // 2], "rss": rss, "threads": threads}


def run_streams(binary, exe, streams, body=None, pace_ms=None, scenario=None, timeout=60):
    args = ["--scenarios", scenario] if scenario else []
    proc, url = start_server(binary, *args)
    try:
        rss0, threads0, _ = proc_status(proc.pid)
        if body is None:
            body, probe = find_50_event_body(exe, url)
        _, cpu0 = proc_extra(proc.pid)
        busy0 = machine_busy_seconds()
        r = sse_load(exe, url, body, streams, pace_ms=pace_ms, timeout=timeout)
        hwm, cpu1 = proc_extra(proc.pid)
        r["machine_busy_s"] = machine_busy_seconds() - busy0
        time.sleep(1)  # let finished streams' buffers go
        rss, threads, fds = proc_status(proc.pid)
        r.update(server_rss_idle=rss0, server_threads_idle=threads0, server_rss_after=rss, server_threads_after=threads,
                 server_fds_after=fds, server_rss_peak=hwm, server_cpu_s=cpu1 - cpu0, body=body)
        return r
    finally:
        stop(proc)


def paced_scenario(tmp, words):
    text = " ".join(["river", "delta", "farm", "water", "field", "boat", "rain", "sun"][i % 8] for i in range(words))
    path = os.path.join(tmp, "paced.json")
    with open(path, "w") as f:
        json.dump({"description": "chat_bench: a fixed reply streamed at 10 ms per token",
                   "rules": [{"name": "bench-paced", "when": {"endpoint": "chat",
                                                               "last_user_message": {"contains": PACED_MARK}},
                              "do": {"text": text, "stream": {"token_delay_ms": 10}}}]}, f)
    return path


def run_paced(binary, exe, tmp, streams, runs):
    """`runs` runs of 1,000 streams of a scripted 200-token reply at 10 ms/token, sorted by jitter p99;
    None + reason when pacing is missing."""
    body = {"model": MODEL, "messages": [{"role": "user", "content": f"{PACED_MARK} tell me a story"}],
            "stream": True}
    words = 200
    for _ in range(4):  # size the scripted text so the server's token counter makes it 200 pieces
        scenario = paced_scenario(tmp, words)
        try:
            proc, url = start_server(binary, "--scenarios", scenario)
        except SystemExit as e:
            return None, f"needs scenario pacing (server did not start with --scenarios: {e})"
        try:
            t0 = time.perf_counter()
            probe = sse_load(exe, url, body, 1, pace_ms=10, timeout=20)
            one = time.perf_counter() - t0
        finally:
            stop(proc)
        if probe["completed"] != 1:
            return None, f"needs scenario pacing (probe stream lost: {probe})"
        got = round(probe["content_per_stream"])
        if got == 200:
            break
        words = max(1, round(words * 200 / max(1, got)))
    else:
        return None, f"could not script a 200-token reply (last: {got} content events)"
    if probe["gap_p50_ms"] < 5 or one < 1.5:
        return None, (f"needs scenario pacing: the scripted rule streamed {got} tokens in {one:.2f} s "
                      f"(gap p50 {probe['gap_p50_ms']:.2f} ms), token_delay_ms is not applied yet")
    results = sorted((run_streams(binary, exe, streams, body=body, pace_ms=10, scenario=scenario, timeout=90)
                      for _ in range(runs)), key=lambda r: r["jitter_p99_ms"])
    for r in results:
        r["words"] = words
    return results, None


def run_client_check(exe, paced_streams):
    """sse_load against its own trivial C server: the client's ceiling, and the paced floor of this box."""
    rows = []
    configs = [("whole response", 50, 5000, [], None), ("one send() per event", 50, 5000, ["--per-event"], None),
               ("whole response", 2000, 1000, [], None)]
    for n in sorted({250, paced_streams}):
        configs.append(("paced 10 ms (timerfd)", 200, n, ["--pace-ms", "10"], 10))
    for label, events, streams, extra, pace in configs:
        srv = subprocess.Popen([exe, "serve", "--events", str(events), *extra], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
        try:
            line = srv.stdout.readline()
            url = re.search(r"http://[\d.]+:\d+", line).group(0)
            r = sse_load(exe, url, {"stream": True}, streams, pace_ms=pace, timeout=60)
            _, srv_cpu = proc_extra(srv.pid)
        finally:
            srv.terminate()
            _, err = srv.communicate(timeout=10)
        m = re.search(r"send jitter .*? p99 ([\d.]+) ms", err or "")
        r["server_cpu_s"] = srv_cpu
        r["send_jitter_p99_ms"] = float(m.group(1)) if m else None
        rows.append((label, events, streams, r))
    return rows


# ------------------------------------------------------------------------------------------ report

def ok(flag):
    return "✅" if flag else "❌"


def stream_row(name, r):
    jit = f"{r['jitter_p99_ms']:.2f}" if r.get("pace_ms") else "–"
    return (f"| {name} | {r['completed']:,} / {r['lost']:,} | {r['events_per_stream']:.1f} "
            f"({r['content_per_stream']:.0f} content) | {r['wall_s']:.2f} s | {r['ttfb_p50_ms']:.1f} / "
            f"{r['ttfb_p99_ms']:.1f} | {r['gap_p50_ms']:.2f} / {r['gap_p99_ms']:.2f} | {jit} | "
            f"{r['events_per_s']:,.0f} | {r['server_rss_after']:.1f} ({r['server_rss_peak']:.1f}) | "
            f"{r['server_threads_after']} | {r['server_cpu_s']:.2f} s / {r['client_cpu_s']:.2f} s |")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=10, help="wrk duration per side")
    ap.add_argument("--only", default="client,t1,wrk,5k,10k,paced", help="comma-separated subset of runs")
    ap.add_argument("--t1-runs", type=int, default=3, help="interleaved wrk -t1 runs per side; median reported")
    ap.add_argument("--server-args", default="--log text",
                    help="server arguments for the t1 run (default: the default request log, to stderr → /dev/null)")
    ap.add_argument("--streams", type=int, default=5000)
    ap.add_argument("--big-streams", type=int, default=10000)
    ap.add_argument("--paced-streams", type=int, default=1000)
    ap.add_argument("--paced-runs", type=int, default=5, help="paced runs (fresh server each); median reported")
    ap.add_argument("--binary", help="use this openai-mock binary instead of building the release one")
    args = ap.parse_args()
    only = set(args.only.split(","))

    tmp = tempfile.mkdtemp(prefix="chat-bench-")
    try:
        exe = compile_client(tmp)
        binary = args.binary or (build_release() if only - {"client"} else None)
        res = {}
        if "client" in only:
            res["client"] = run_client_check(exe, args.paced_streams)
        if "t1" in only:
            res["t1"] = run_wrk_t1(binary, args.seconds, tmp, args.t1_runs, args.server_args.split())
        if "wrk" in only:
            res["wrk"] = run_wrk(binary, args.seconds, tmp)
        if "5k" in only:
            res["5k"] = run_streams(binary, exe, args.streams)
        if "10k" in only:
            res["10k"] = run_streams(binary, exe, args.big_streams,
                                     body=res["5k"]["body"] if "5k" in res else None)
        if "paced" in only:
            res["paced_runs"], res["paced_missing"] = run_paced(binary, exe, tmp, args.paced_streams, args.paced_runs)
            if res["paced_runs"]:
                res["paced"] = res["paced_runs"][len(res["paced_runs"]) // 2]  # the median run
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"openai-mock chat benchmark — {os.cpu_count()} cores, client sse_load.c (epoll, 1 thread), "
          f"server and client on the same machine\n")
    if "t1" in res:
        t = res["t1"]
        print(f"Non-streaming POST /v1/chat/completions, the 'Hello' request ({t['bytes']} bytes reply), wrk -t1 -c64 "
              f"{args.seconds}s, alternating with nginx 1 worker serving the same bytes, {len(t['runs'])} runs each\n")
        print("| run | openai-mock req/s | p50 / p99 ms | nginx req/s | p50 / p99 ms | ratio | server CPU s |")
        print("|---|---|---|---|---|---|---|")
        for i, r in enumerate(t["runs"]):
            (rps, p50, p99), (nrps, np50, np99) = r["ours"], r["ref"]
            print(f"| {i + 1} | {rps:,.0f} | {p50:.2f} / {p99:.2f} | {nrps:,.0f} | {np50:.2f} / {np99:.2f} | "
                  f"{r['ratio']:.2f} | {r['server_cpu_s']:.1f} |")
        m = t["median"]["ratio"]
        print(f"\nmedian ratio **{m:.2f}×** (goal ≥ 0.5×) {ok(m >= 0.5)}; server RSS {t['rss']:.1f} MB, "
              f"{t['threads']} threads after the runs\n")
    if "wrk" in res:
        w = res["wrk"]
        (rps, p50, p99), (nrps, np50, np99) = w["ours"], w["ref"]
        print(f"Non-streaming POST /v1/chat/completions ({w['bytes']} bytes reply), wrk -t2 -c64 "
              f"{args.seconds}s, vs nginx 1 worker serving the same bytes\n")
        print("| server | req/s | p50 ms | p99 ms |\n|---|---|---|---|")
        print(f"| openai-mock | {rps:,.0f} | {p50:.2f} | {p99:.2f} |")
        print(f"| nginx (fixed body) | {nrps:,.0f} | {np50:.2f} | {np99:.2f} |")
        print(f"\nratio **{rps / nrps:.2f}×** (goal ≥ 0.3×) {ok(rps / nrps >= 0.3)}; "
              f"server RSS {w['rss']:.1f} MB, {w['threads']} threads after the run\n")
    streams = [(k, n) for k, n in (("5k", f"{args.streams:,} unpaced"), ("10k", f"{args.big_streams:,} unpaced"),
                                   ("paced", f"{args.paced_streams:,} paced 10 ms × 200 (median of {args.paced_runs} runs)"))
               if res.get(k)]
    if streams:
        print("| streams | completed / lost | events per stream | wall | TTFB p50 / p99 ms | gap p50 / p99 ms | "
              "jitter p99 ms | events/s | server RSS after (peak) MB | server threads | CPU server / client |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for k, name in streams:
            print(stream_row(name, res[k]))
        print()
    if res.get("paced_runs"):
        runs = res["paced_runs"]
        p99s = ", ".join(f"{r['jitter_p99_ms']:.2f}" for r in runs)
        p50s = ", ".join(f"{r['jitter_p50_ms']:.2f}" for r in runs)
        print(f"Paced runs, jitter p99 ms (sorted): {p99s}; jitter p50 ms: {p50s}; "
              f"lost: {sum(r['lost'] for r in runs)}\n")
    if res.get("paced_missing"):
        print(f"Paced run: **{res['paced_missing']}**\n")

    goals = []
    if "t1" in res:
        m = res["t1"]["median"]["ratio"]
        goals.append((f"non-streaming, wrk -t1, ≥ 0.5× nginx (median): {m:.2f}×", m >= 0.5))
    if "wrk" in res:
        ratio = res["wrk"]["ours"][0] / res["wrk"]["ref"][0]
        goals.append((f"non-streaming ≥ 0.3× nginx: {ratio:.2f}×", ratio >= 0.3))
    if res.get("5k"):
        r = res["5k"]
        goals.append((f"{args.streams:,} streams, none lost: {r['lost']} lost", r["lost"] == 0))
        goals.append((f"{args.streams:,} streams in ≤ 2 s wall: {r['wall_s']:.2f} s", r["wall_s"] <= 2))
        goals.append((f"RSS after the {args.streams:,} run < 100 MB: {r['server_rss_after']:.1f} MB",
                      r["server_rss_after"] < 100))
    if res.get("10k"):
        r = res["10k"]
        goals.append((f"{args.big_streams:,} streams complete: {r['completed']:,} / {r['lost']} lost", r["lost"] == 0))
    if res.get("paced"):
        r, lost = res["paced"], sum(x["lost"] for x in res["paced_runs"])
        goals.append((f"paced jitter p99 < 5 ms (median run): {r['jitter_p99_ms']:.2f} ms ({lost} lost in all runs)",
                      r["jitter_p99_ms"] < 5 and lost == 0))
    elif "paced" in only:
        goals.append(("paced jitter p99 < 5 ms: not measurable — " + res["paced_missing"], False))
    for text, flag in goals:
        print(f"- {ok(flag)} {text}")

    if "client" in res:
        print("\nLoad client check — sse_load against its own trivial C SSE server (`sse_load serve`: a pre-rendered "
              "chunked response of ~250-byte chat-chunk-shaped events, one chunk per event). 'one send() per event' "
              "interleaves the streams so the client pays a wake-up and a recv() per event, as against openai-mock; "
              "'paced' sends one event per stream every 10 ms on a drift-free timer and reports the jitter of its "
              "own sends, to compare with what the client measures:\n")
        print("| streams × events | reference server writes | completed / lost | wall | events/s | client CPU | "
              "events per client CPU-s | jitter p99 client / server-side |")
        print("|---|---|---|---|---|---|---|---|")
        for label, events, n, r in res["client"]:
            jit = (f"{r['jitter_p99_ms']:.2f} / {r['send_jitter_p99_ms']:.2f} ms"
                   if r.get("send_jitter_p99_ms") is not None else "–")
            print(f"| {n:,} × {events} | {label} | {r['completed']:,} / {r['lost']} | {r['wall_s']:.2f} s | "
                  f"{r['events_per_s']:,.0f} | {r['client_cpu_s']:.2f} s ({r['client_cpu_pct_of_wall']:.0f}% of wall) "
                  f"| {r['events_per_client_cpu_s']:,.0f} | {jit} |")
    for k, name in streams:
        r = res[k]
        print(f"\nDuring the {name} run the client used {r['client_cpu_s']:.2f} s CPU "
              f"({r['client_cpu_pct_of_wall']:.0f}% of one core over the wall time) for "
              f"{r['events']:,} events; the server used {r['server_cpu_s']:.2f} s; the machine was busy "
              f"{r['machine_busy_s']:.2f} CPU-s in all (other processes ≈ "
              f"{max(0.0, r['machine_busy_s'] - r['server_cpu_s'] - r['client_cpu_s']):.2f} s).", end="")
    print()


if __name__ == "__main__":
    main()
