"""Target: a 1M-row run with 990k rows done resumes and sends its next request within 5 s.

Builds the state for real: runs the first 990k rows (`--limit`, zero latency), then times a
plain `run` from process start to the first request the server receives.

    .venv/bin/python bench/resume.py [--rows 1000000] [--done 990000] [--format jsonl|parquet]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import httpx
from common import (
    REPO,
    CliRun,
    Server,
    machine,
    run_measured,
    write_labels_job,
    write_reviews_jsonl,
    write_reviews_parquet,
)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--done", type=int, default=990_000)
    ap.add_argument("--format", choices=["parquet", "jsonl"], default="jsonl")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="br-bench-resume-"))
    env = {"BATCHRUNNER_CACHE_DIR": str(work / "cache")}
    try:
        name = f"data.{args.format}"
        (write_reviews_parquet if args.format == "parquet" else write_reviews_jsonl)(work / name, args.rows, 1000)
        with Server() as server:
            spec = write_labels_job(work, server.base_url, name, 64, extra={"cache": False})
            first = run_measured(["run", str(spec), "--limit", str(args.done), "--json"], env=env)
            assert first.exit_code == 0, first.stderr[-2000:]
            print(f"first session: {args.done:,} rows in {first.wall_s:.1f} s", flush=True)
            stats_url = server.base_url.rsplit("/v1", 1)[0] + "/_stats"
            before = httpx.get(stats_url).json()["requests"]
            resumed = CliRun(["run", str(spec), "--json"], env=env, cwd=REPO)
            first_request = None
            while resumed.running() and first_request is None:
                if httpx.get(stats_url).json()["requests"] > before:
                    first_request = time.perf_counter() - resumed.start
                time.sleep(0.02)
            second = resumed.wait()
            assert second.exit_code == 0, second.stderr[-2000:]
            assert first_request is not None, "the resumed run ended before the server saw a request"
            print(second.stderr.strip().splitlines()[0])
        print(f"\n{machine()}; {args.rows:,} rows ({args.format}, ~1 KB each), {args.done:,} done")
        print(f"resume: first request after {first_request:.2f} s (target < 5 s); "
              f"finished the remaining {args.rows - args.done:,} rows and the output in {second.wall_s:.1f} s; "
              f"peak RSS {second.peak_tree_rss_mb:.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
