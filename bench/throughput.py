"""Target: zero latency, a 20,000-row labels job, concurrency 64, every feature on (journal,
cache, Parquet output, progress bar): >= 0.6x the rows/s of a bare aiohttp loop measured in
the same run against the same server.

    .venv/bin/python bench/throughput.py [--rows 20000] [--repeats 3] [--server project|plain]

--server plain runs against bench/plainserver.py, a second server implementation, instead of
the project's fake server.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
from pathlib import Path

import orjson
from common import (
    Server,
    bare_aiohttp_rows_per_s,
    machine,
    median_spread,
    run_measured,
    write_labels_job,
    write_reviews_jsonl,
)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=20_000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--concurrency", type=int, default=64)
    ap.add_argument("--server", choices=["project", "plain"], default="project")
    ap.add_argument("--baseline-loop", choices=["uvloop", "asyncio"], default="uvloop",
                    help="event loop of the bare aiohttp baseline (uvloop is the stricter one)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="br-bench-"))
    try:
        data = write_reviews_jsonl(work / "data.jsonl", args.rows)
        texts = [orjson.loads(line)["text"] for line in data.read_bytes().splitlines()]
        ours, bare, cpu = [], [], []
        with Server(plain=args.server == "plain") as server:
            spec = write_labels_job(work, server.base_url, "data.jsonl", args.concurrency)
            for i in range(args.repeats):
                bare.append(bare_aiohttp_rows_per_s(server.base_url, texts, args.concurrency,
                                                    use_uvloop=args.baseline_loop == "uvloop"))
                # --progress forces the tqdm bar although stderr is a pipe here.
                m = run_measured(["run", str(spec), "--fresh", "--no-cache", "--json", "--progress"],
                                 env={"BATCHRUNNER_CACHE_DIR": str(work / f"cache{i}")})
                assert m.exit_code == 0, m.stderr[-2000:]
                summary = orjson.loads(m.stdout)
                ours.append(args.rows / m.wall_s)
                cpu.append(m.cpu_s * 1000 / args.rows)
                print(f"repeat {i + 1}: batchrunner {ours[-1]:,.0f} rows/s (wall incl. start-up; "
                      f"{summary['rows_per_s']:,.0f} in the loop), bare aiohttp {bare[-1]:,.0f} rows/s, "
                      f"CLI CPU {cpu[-1]:.2f} ms/row")
        ratios = [o / b for o, b in zip(ours, bare, strict=True)]
        print(f"\n{machine()}; {args.rows:,} rows, concurrency {args.concurrency}, {args.server} server, "
              f"baseline on {args.baseline_loop}, medians of {args.repeats}")
        print("| client | rows/s median (min–max) | CLI CPU ms/row |")
        print("|---|---:|---:|")
        print(f"| bare aiohttp loop | {median_spread(bare)} | – |")
        print(f"| batchrunner run (whole CLI) | {median_spread(ours)} | {statistics.median(cpu):.2f} |")
        print(f"\nratio batchrunner / bare aiohttp: median {statistics.median(ratios):.2f} "
              f"({min(ratios):.2f}–{max(ratios):.2f}); target >= 0.6")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
