"""Target: 200 ms server latency, concurrency 64: >= 95% of Little's law, 64 / 0.2 s = 320 rows/s.

    .venv/bin/python bench/latency.py [--rows 6400] [--repeats 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
from pathlib import Path

import orjson
from common import Server, machine, run_measured, write_labels_job, write_reviews_jsonl


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=6400)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--latency-ms", type=float, default=200)
    ap.add_argument("--concurrency", type=int, default=64)
    args = ap.parse_args()
    ideal = args.concurrency / (args.latency_ms / 1000)
    work = Path(tempfile.mkdtemp(prefix="br-bench-"))
    try:
        write_reviews_jsonl(work / "data.jsonl", args.rows)
        loop_rates, wall_rates = [], []
        with Server(latency_ms=args.latency_ms) as server:
            spec = write_labels_job(work, server.base_url, "data.jsonl", args.concurrency)
            for i in range(args.repeats):
                m = run_measured(["run", str(spec), "--fresh", "--no-cache", "--json"],
                                 env={"BATCHRUNNER_CACHE_DIR": str(work / f"cache{i}")})
                assert m.exit_code == 0, m.stderr[-2000:]
                loop_rates.append(orjson.loads(m.stdout)["rows_per_s"])
                wall_rates.append(args.rows / m.wall_s)
                print(f"repeat {i + 1}: {loop_rates[-1]:,.1f} rows/s in the loop, {wall_rates[-1]:,.1f} "
                      f"rows/s over the whole CLI wall time")
        med = statistics.median(loop_rates)
        print(f"\n{machine()}; {args.rows:,} rows, {args.latency_ms:g} ms latency, concurrency {args.concurrency}")
        print(f"Little's law: {ideal:,.0f} rows/s; achieved median {med:,.1f} rows/s in the loop "
              f"({med / ideal:.1%}; spread {min(loop_rates):,.1f}–{max(loop_rates):,.1f}), "
              f"{statistics.median(wall_rates) / ideal:.1%} over the whole wall time incl. start-up and output")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
