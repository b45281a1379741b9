#!/usr/bin/env python3
"""Fine-tuning benchmark (issue 10): a job on 100,000 examples through the server, then inference on the
model it made, over HTTP.

Usage: python3 Tests/Benchmarks/finetune_bench.py [--examples 100000] [--requests 2000] [--binary PATH]
Standard library only. Prints a Markdown table. The in-process figures of the learning library alone
(parse, training run with every metric, model build, reply latency) come from
`swift run -c release LearningBench` (Tests/Benchmarks/LearningBench).

  train   upload the JSONL, create a job on `--time instant` (the clock jumps to the job's end at
          creation), and time until the job shows `succeeded` with its model and result file recorded:
          validation (the file parsed), the training run with its per-step metrics, the model's indexes.
  infer   POST /v1/completions to the fine-tuned model, one connection, keep-alive: prompts from the
          training file (recalled) and unseen ones (generated in style); p50 / p99 round trip.
"""
import argparse
import http.client
import json
import os
import random
import statistics
import tempfile
import time

from bench_common import build_release, proc_extra, proc_status, start_server, stop

WORDS = ["river", "mountain", "village", "storm", "lantern", "harbor", "forest", "castle", "desert", "garden",
         "market", "bridge", "tower", "meadow", "island", "valley", "temple", "caravan", "orchard", "lighthouse"]


def story(rng, i):
    a, b, c = rng.sample(WORDS, 3)
    return (f"{a},{b},{c} #{i} ->",
            f" Once near the {a} a traveller found a {b}. The {c} kept its secret until dawn, and the people of the {a} "
            f"told the tale for years. END")


def request(conn, method, path, body=None, headers=None):
    hdrs = {"Authorization": "Bearer sk-bench", **(headers or {})}
    if isinstance(body, dict):
        body = json.dumps(body).encode()
        hdrs["Content-Type"] = "application/json"
    conn.request(method, path, body=body, headers=hdrs)
    r = conn.getresponse()
    data = r.read()
    if r.status != 200:
        raise SystemExit(f"{method} {path}: {r.status} {data[:300]!r}")
    return json.loads(data)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--examples", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--binary")
    args = ap.parse_args()
    binary = args.binary or build_release()
    rng = random.Random(7)
    rows = [story(rng, i) for i in range(args.examples)]
    data = "".join(json.dumps({"prompt": p, "completion": c}) + "\n" for p, c in rows).encode()
    boundary = "bench-boundary"
    form = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nfine-tune\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"stories.jsonl\"\r\n\r\n").encode() \
        + data + f"\r\n--{boundary}--\r\n".encode()

    proc, url = start_server(binary, "--time", "instant")
    try:
        host, port = url.split("//")[1].split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=600)
        rss0, _, _ = proc_status(proc.pid)
        t0 = time.perf_counter()
        f = request(conn, "POST", "/v1/files", form, {"Content-Type": f"multipart/form-data; boundary={boundary}"})
        t1 = time.perf_counter()
        job = request(conn, "POST", "/v1/fine_tuning/jobs",
                      {"training_file": f["id"], "model": "davinci-002", "hyperparameters": {"n_epochs": 3, "batch_size": 64}})
        t2 = time.perf_counter()
        assert job["status"] == "succeeded", job
        model = job["fine_tuned_model"]
        hwm, cpu = proc_extra(proc.pid)
        rss, _, _ = proc_status(proc.pid)

        def timed(prompts):
            out = []
            for p in prompts:
                s = time.perf_counter()
                request(conn, "POST", "/v1/completions", {"model": model, "prompt": p, "max_tokens": 64})
                out.append((time.perf_counter() - s) * 1000)
            out.sort()
            return out[len(out) // 2], out[int(len(out) * 0.99) - 1]

        known = [rows[rng.randrange(len(rows))][0] for _ in range(args.requests)]
        unseen = [f"{a},{b},{c} ->" for a, b, c in (rng.sample(WORDS, 3) for _ in range(args.requests))]
        timed(known[:50])  # warm-up
        k50, k99 = timed(known)
        u50, u99 = timed(unseen)
        sample = request(conn, "POST", "/v1/completions", {"model": model, "prompt": unseen[0], "max_tokens": 64})
    finally:
        stop(proc)
    mb = len(data) / 1e6
    print(f"# finetune_bench: {args.examples:,} prompt/completion examples ({mb:.0f} MB), 3 epochs, batch 64, davinci-002\n")
    print("| step | figure |")
    print("|---|---|")
    print(f"| upload (POST /v1/files, fine-tune checks) | {t1 - t0:.2f} s |")
    print(f"| create → succeeded (parse, training run with {job['trained_tokens']:,} tokens' metrics, model) | {t2 - t1:.2f} s |")
    print(f"| server RSS before → after, peak | {rss0:.0f} → {rss:.0f} MB, peak {hwm:.0f} MB (CPU {cpu:.1f} s) |")
    print(f"| completion round trip, recalled prompt, p50 / p99 | {k50:.2f} / {k99:.2f} ms |")
    print(f"| completion round trip, unseen prompt, p50 / p99 | {u50:.2f} / {u99:.2f} ms |")
    print(f"\nunseen {unseen[0]!r} → {sample['choices'][0]['text']!r}")


if __name__ == "__main__":
    main()
