"""Target: peak RSS of the whole CLI process tree flat in input size — 10k, 100k and 1M rows
of ~1 KB text each all <= 300 MB (the issue's check: 300k rows of Parquet <= 400 MB).

    .venv/bin/python bench/memory.py [--sizes 10000,100000,1000000] [--format parquet|jsonl]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

import orjson
from common import Server, machine, run_measured, write_labels_job, write_reviews_jsonl, write_reviews_parquet


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--format", choices=["parquet", "jsonl"], default="parquet")
    ap.add_argument("--concurrency", type=int, default=64)
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows_out = []
    with Server() as server:
        for n in sizes:
            work = Path(tempfile.mkdtemp(prefix="br-bench-mem-"))
            try:
                name = f"data.{args.format}"
                if args.format == "parquet":
                    write_reviews_parquet(work / name, n, text_bytes=1000)
                else:
                    write_reviews_jsonl(work / name, n, text_bytes=1000)
                input_mb = (work / name).stat().st_size / 1e6
                spec = write_labels_job(work, server.base_url, name, args.concurrency)
                m = run_measured(["run", str(spec), "--json"], env={"BATCHRUNNER_CACHE_DIR": str(work / "cache")})
                assert m.exit_code == 0, m.stderr[-2000:]
                s = orjson.loads(m.stdout)
                out_mb = (work / "out.parquet").stat().st_size / 1e6
                rows_out.append((n, input_mb, m.peak_tree_rss_mb, m.maxrss_mb, s["rows_per_s"], m.wall_s, out_mb))
                print(f"{n:,} rows: peak tree RSS {m.peak_tree_rss_mb:.0f} MB (CLI VmHWM {m.maxrss_mb:.0f} MB), "
                      f"{s['rows_per_s']:,.0f} rows/s, {m.wall_s:.1f} s", flush=True)
            finally:
                shutil.rmtree(work, ignore_errors=True)
    print(f"\n{machine()}; {args.format} input, ~1 KB text per row, concurrency {args.concurrency}, zero latency")
    print("| rows | input MB | peak RSS of the CLI tree MB | CLI VmHWM MB | rows/s | wall s | output MB |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for n, inp, peak, maxrss, rate, wall, out in rows_out:
        print(f"| {n:,} | {inp:,.0f} | {peak:,.0f} | {maxrss:,.0f} | {rate:,.0f} | {wall:,.1f} | {out:,.1f} |")


if __name__ == "__main__":
    main()
