#!/usr/bin/env python3
"""Embeddings benchmark: 2,048 inputs × 1,536 dims (text-embedding-3-small) over HTTP, release build.

Usage: python3 Tests/Benchmarks/embeddings_bench.py [--runs 10]
Prints the best and median round-trip time per encoding format (goal: base64 well under 100 ms).
"""
import argparse
import json
import random
import statistics
import time
import http.client

from bench_common import build_release, start_server, stop

WORDS = ["the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "retrieval", "augmented",
         "generation", "vector", "store", "chunk", "document", "query", "我们", "喜欢", "苹果"]


def body(fmt, inputs=2048):
    rng = random.Random(1)
    texts = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 23))) + f" #{i}" for i in range(inputs)]
    return json.dumps({"model": "text-embedding-3-small", "input": texts, "encoding_format": fmt}).encode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()
    proc, url = start_server(build_release())
    host, port = url.split("//")[1].split(":")
    try:
        print("| encoding | best ms | median ms | response bytes |\n|---|---|---|---|")
        for fmt in ("base64", "float"):
            payload = body(fmt)
            conn = http.client.HTTPConnection(host, int(port))
            times, size = [], 0
            for _ in range(args.runs):
                t0 = time.perf_counter()
                conn.request("POST", "/v1/embeddings", payload,
                             {"Authorization": "Bearer sk-bench", "Content-Type": "application/json"})
                resp = conn.getresponse()
                data = resp.read()
                times.append((time.perf_counter() - t0) * 1000)
                assert resp.status == 200, data[:200]
                size = len(data)
            print(f"| {fmt} | {min(times):.1f} | {statistics.median(times):.1f} | {size:,} |")
    finally:
        stop(proc)


if __name__ == "__main__":
    main()
