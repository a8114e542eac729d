"""Deterministic shards: `run --shard i/N` runs one contiguous slice of the input as its own job.

A shard's slice is computed from file metadata alone, so each shard reads only its part:

* Parquet: a contiguous range of row groups balanced by rows (footers only). With fewer row
  groups than shards, plain row ranges; a shard then decodes at most two row groups it shares.
* JSONL/CSV: byte ranges of the concatenated files, cut at line starts (a line belongs to the
  shard whose range holds its first byte; CSV shards re-read the header). CSV values with
  newlines inside quotes cannot be cut this way: convert such input to Parquet first.

Concatenating the shards in order gives the input in order. Each shard is a job of its own over
its slice: row numbers in its journal are shard-local, its state lives in

    <state dir>/runs/<job>/shard-<i>-of-<N>/<run id>/   manifest + journal, like a run
    <state dir>/runs/<job>/shard-<i>-of-<N>/lock        one writer per shard
    <state dir>/runs/<job>/shard-<i>-of-<N>/cache.sqlite  its replies (single writer)
    <state dir>/runs/<job>/shards.json                  N, so a different N is refused

and its fingerprint includes "i/N". Rate limits and max_cost_usd are the whole job's: a shard
paces at 1/run.parallel_shards (default N) of them, unless run.rate_limit shares one window
(redis_limit.py); it may spend max_cost_usd / N.
"""

from __future__ import annotations

import dataclasses
import os
import sqlite3
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from . import checkpoint as cp
from .cache import ResponseCache, default_cache_path
from .client import Completion
from .errors import CheckpointError, InputError, UsageError
from .inputs import InputFile, InputInfo, scan_input
from .job import PreparedJob, check_input, scan
from .spec import JobSpec

INDEX_ENV_VARS = ("JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID")  # Kubernetes Indexed Job, Slurm array
MARKER = "shards.json"
FORMAT_VERSION = 1


def parse_shard(text: str) -> tuple[int, int]:
    """'i/N' (0-based i) -> (i, N)."""
    index, sep, count = text.strip().partition("/")
    try:
        i, n = int(index), int(count)
    except ValueError:
        i = n = -1
    if not sep or n < 1 or not 0 <= i < n:
        raise UsageError(f"--shard {text!r}: expected i/N with 0 <= i < N, e.g. --shard 0/4")
    return i, n


def shard_dir_name(index: int, count: int) -> str:
    return f"shard-{index}-of-{count}"


def resolve_shard(spec: JobSpec, given: tuple[int, int] | None,
                  environ: Mapping[str, str] | None = None) -> tuple[int, int] | None:
    """The shard this process runs: --shard, else run.shards with the index from the launcher's env."""
    count = spec.run.shards
    if given is not None:
        if count is not None and given[1] != count:
            raise UsageError(f"--shard {given[0]}/{given[1]}: {spec.spec_path} sets run.shards: {count}; "
                             f"use --shard i/{count} or change run.shards")
        return given
    if count is None:
        return None
    env = os.environ if environ is None else environ
    for name in INDEX_ENV_VARS:
        raw = env.get(name)
        if raw is None or not raw.strip():
            continue
        try:
            index = int(raw)
        except ValueError:
            raise UsageError(f"{name}={raw!r}: not a shard index (an integer 0..{count - 1})") from None
        if not 0 <= index < count:
            raise UsageError(f"{name}={index}: out of range for run.shards: {count} (0..{count - 1})")
        return index, count
    raise UsageError(f"{spec.spec_path}: run.shards is {count} but no shard index is given; pass --shard i/{count} "
                     f"or set {' or '.join(INDEX_ENV_VARS)} (as Kubernetes Indexed Jobs and Slurm arrays do)")


# ---------------------------------------------------------------- planning


def plan_shard(files: list[InputFile], index: int, count: int) -> list[InputFile]:
    """The files (with their `part`) shard `index` of `count` reads; [] when its slice is empty."""
    formats = {f.format for f in files}
    if len(formats) > 1:
        raise InputError("input.path: a glob must match files of one format, not a mix of JSONL and others")
    if formats == {"parquet"}:
        return _plan_rows(files, index, count)
    return _plan_bytes(files, index, count)


def _plan_rows(files: list[InputFile], index: int, count: int) -> list[InputFile]:
    groups: list[list[int]] = []  # rows of each row group, per file
    for f in files:
        try:
            meta = pq.read_metadata(f.path)
        except (pa.ArrowException, OSError) as exc:
            raise InputError(f"{f.path}: not a readable Parquet file ({exc})") from exc
        groups.append([meta.row_group(g).num_rows for g in range(meta.num_row_groups)])
    sizes = [n for per_file in groups for n in per_file]
    total = sum(sizes)
    if len(sizes) >= count:
        # Cut at row-group boundaries nearest to k*total/N, each shard keeping at least one group.
        bounds = [0]
        for n in sizes:
            bounds.append(bounds[-1] + n)
        cuts = [0]
        for k in range(1, count):
            lo, hi = cuts[-1] + 1, len(sizes) - (count - k)
            target = k * total / count
            cuts.append(min(range(lo, hi + 1), key=lambda j: (abs(bounds[j] - target), j)))
        cuts.append(len(sizes))
        start, stop = bounds[cuts[index]], bounds[cuts[index + 1]]
    else:
        start, stop = index * total // count, (index + 1) * total // count
    out = []
    first = 0
    for f, per_file in zip(files, groups, strict=True):
        rows = sum(per_file)
        a, b = max(start, first), min(stop, first + rows)
        if a < b:
            out.append(dataclasses.replace(f, part=(a - first, b - first)))
        first += rows
    return out


def _plan_bytes(files: list[InputFile], index: int, count: int) -> list[InputFile]:
    total = sum(f.size for f in files)
    start, stop = index * total // count, (index + 1) * total // count
    out = []
    first = 0
    for f in files:
        a, b = max(start, first), min(stop, first + f.size)
        if a < b:
            try:
                with open(f.path, "rb") as fh:
                    head = len(fh.readline()) if f.format == "csv" else 0
                    s, e = max(_line_start(fh, a - first, f.size), head), max(_line_start(fh, b - first, f.size), head)
            except OSError as exc:
                raise InputError(f"{f.path}: cannot read: {exc.strerror}") from exc
            if s < e:
                out.append(dataclasses.replace(f, part=(s, e)))
        first += f.size
    return out


def _line_start(fh: Any, offset: int, size: int) -> int:
    """The first line start at or after `offset`."""
    if offset <= 0:
        return 0
    if offset >= size:
        return size
    fh.seek(offset - 1)
    if fh.read(1) == b"\n":
        return offset
    return offset + len(fh.readline())


# ---------------------------------------------------------------- a shard's run


@dataclass
class ShardContext:
    index: int
    count: int
    dir: Path  # <state>/runs/<job>/shard-i-of-N
    root: Path  # <state>/runs/<job>
    all_files: list[InputFile]
    empty: bool

    @property
    def label(self) -> str:
        return f"{self.index}/{self.count}"

    @property
    def flag(self) -> str:
        return f" --shard {self.label}"

    def scan(self, job: PreparedJob) -> InputInfo:
        if not self.empty:
            return scan(job)
        # Nothing to read: the columns come from the first row of the whole input.
        sample = scan_input(self.all_files, None, first_rows=1)
        info = InputInfo(files=job.files, schema=sample.schema, num_rows=0, json_columns=sample.json_columns)
        check_input(job, info)
        return info

    def open_cache(self) -> ResponseCache:
        return ShardCache(self.dir / "cache.sqlite")


def enter_shard(job: PreparedJob, given: tuple[int, int] | None, root: Path, *, fresh: bool
                ) -> ShardContext | None:
    """Make `job` the job of its shard: its slice, fingerprint and share of the limits. None: not sharded."""
    shard = resolve_shard(job.spec, given)
    if shard is None:
        return None
    index, count = shard
    base_fingerprint = job.fingerprint
    _check_count(job, root, count, base_fingerprint, fresh)
    all_files = list(job.files)
    parts = plan_shard(all_files, index, count)

    fp_parts = dict(job.fingerprint_parts)
    fp_parts["shard"] = cp.fingerprint_parts({"shard": f"{index}/{count}"})["shard"]
    job.fingerprint_parts = fp_parts
    job.fingerprint = cp.fingerprint_of(fp_parts)
    job.files = parts or [dataclasses.replace(all_files[0], part=(0, 0))]
    job.spec = dataclasses.replace(job.spec, run=shard_run_spec(job.spec, count))
    return ShardContext(index=index, count=count, dir=root / shard_dir_name(index, count), root=root,
                        all_files=all_files, empty=not parts)


def shard_run_spec(spec: JobSpec, count: int) -> Any:
    """run: with this shard's share of the job's limits (the whole window when Redis shares it)."""
    run = spec.run
    parallel = min(run.parallel_shards or count, count)
    rpm, tpm = run.requests_per_minute, run.tokens_per_minute
    if run.rate_limit is None:
        rpm = rpm / parallel if rpm is not None else None
        tpm = tpm / parallel if tpm is not None else None
    cost = run.max_cost_usd / count if run.max_cost_usd is not None else None
    return dataclasses.replace(run, requests_per_minute=rpm, tokens_per_minute=tpm, max_cost_usd=cost,
                               shards=count, parallel_shards=parallel)


def base_fingerprint(manifest: cp.Manifest) -> str:
    """The job's fingerprint without its shard part: equal for every shard of one job."""
    return cp.fingerprint_of({k: v for k, v in manifest.fingerprint_parts.items() if k != "shard"})


def read_marker(root: Path) -> dict[str, Any] | None:
    try:
        data = orjson.loads((root / MARKER).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("shards"), int) else None


def _check_count(job: PreparedJob, root: Path, count: int, fingerprint: str, fresh: bool) -> None:
    marker = read_marker(root)
    old = marker["shards"] if marker else None
    if old is not None and old != count and not fresh:
        # Refuse only when the old split holds work this one would redo: same job, or unfinished.
        for i in range(old):
            for _, manifest in cp.list_runs(root / shard_dir_name(i, old)):
                if base_fingerprint(manifest) == fingerprint or manifest.status in cp.UNFINISHED_STATES:
                    raise CheckpointError(
                        f"job '{job.spec.name}' has state for {old} shards in {root}; running it as {count} shards "
                        f"would send rows again. Run --shard i/{old}, or start over as {count} shards with --fresh")
    if old != count or not marker or marker.get("fingerprint") != fingerprint:
        root.mkdir(parents=True, exist_ok=True)
        cp.atomic_write(root / MARKER, orjson.dumps({"format_version": FORMAT_VERSION, "shards": count,
                                                     "fingerprint": fingerprint, "updated_at": time.time()}))


# ---------------------------------------------------------------- response cache


class ShardCache(ResponseCache):
    """The shard's own cache file (it is the only writer), read together with the main cache.

    The main cache is opened read-only: no shard ever writes a SQLite file another process
    writes, which network file systems do not survive. `merge` folds shard caches into it.
    """

    def __init__(self, path: Path, main: Path | None = None) -> None:
        super().__init__(path)
        self.main_path = main or default_cache_path()
        self._main: sqlite3.Connection | None = None
        if self.main_path.exists() and self.main_path.resolve() != path.resolve():
            try:
                self._main = sqlite3.connect(f"file:{self.main_path}?mode=ro", uri=True, timeout=5,
                                             check_same_thread=False)
                self._main.execute("SELECT 1 FROM replies LIMIT 1")
            except sqlite3.DatabaseError:
                self._main = None  # best effort: the shard's own cache still works

    def get(self, key: str) -> Completion | None:
        hit = super().get(key)
        if hit is not None or self._main is None:
            return hit
        try:
            return ResponseCache.get(cast(ResponseCache, _Reader(self._main)), key)
        except sqlite3.DatabaseError:
            return None

    def close(self) -> None:
        super().close()
        if self._main is not None:
            self._main.close()
            self._main = None


@dataclass
class _Reader:
    _db: sqlite3.Connection


# ---------------------------------------------------------------- state of every shard


@dataclass
class ShardState:
    index: int
    count: int
    dir: Path
    state: str  # finished, running, crashed, interrupted, stopped, incomplete, missing, stale
    run_dir: Path | None = None
    manifest: cp.Manifest | None = None
    detail: str = ""
    totals: cp.JournalTotals = field(default_factory=cp.JournalTotals)

    @property
    def label(self) -> str:
        return f"{self.index}/{self.count}"


def shard_states(job: PreparedJob, root: Path, count: int, *, totals: bool = False) -> list[ShardState]:
    """Each shard's latest run of this job (same fingerprint but for the shard), and what state it is in."""
    from .api import _lock_held

    out = []
    for i in range(count):
        d = root / shard_dir_name(i, count)
        runs = cp.list_runs(d)
        mine = [r for r in runs if base_fingerprint(r[1]) == job.fingerprint]
        if not mine:
            if runs:
                latest = runs[-1][1]
                changed = [k for k, v in job.fingerprint_parts.items() if latest.fingerprint_parts.get(k) != v]
                out.append(ShardState(i, count, d, "stale", runs[-1][0], latest,
                                      f"run with a different {', '.join(changed) or 'job'}"))
            else:
                out.append(ShardState(i, count, d, "missing", detail="never run"))
            continue
        run_dir, manifest = mine[-1]
        state = manifest.status
        if state == cp.RUNNING:
            state = "running" if _lock_held(d / "lock") else "crashed"
        s = ShardState(i, count, d, state, run_dir, manifest)
        if totals:
            journal = cp.Journal(run_dir / "journal.sqlite", readonly=True)
            try:
                s.totals = journal.totals()
            finally:
                journal._db.close()
        out.append(s)
    return out


def shard_count(job: PreparedJob, root: Path) -> int | None:
    marker = read_marker(root)
    return marker["shards"] if marker else job.spec.run.shards


def sharded_status(job: PreparedJob, root: Path) -> dict[str, Any] | None:
    """`status` of a sharded job: every shard summed. None when the job was last run unsharded."""
    marker = read_marker(root)
    if marker is None:
        return None
    count = marker["shards"]
    unsharded = [m.updated_at for _, m in cp.list_runs(root)]
    sharded = [m.updated_at for i in range(count) for _, m in cp.list_runs(root / shard_dir_name(i, count))]
    if unsharded and max(unsharded) > max(sharded, default=float(marker.get("updated_at", 0))):
        return None  # the latest activity was an unsharded run: plain status
    states = shard_states(job, root, count, totals=True)
    rows = ok = error = cached = pt = ct = tt = 0
    cost = 0.0
    kinds: dict[str, int] = {}
    last = None
    shards = []
    for s in states:
        t = s.totals
        n = s.manifest.total_rows if s.manifest and s.state != "stale" else 0
        rows += n
        ok, error, cached = ok + t.ok, error + t.error, cached + t.cached
        pt, ct, tt, cost = pt + t.prompt_tokens, ct + t.completion_tokens, tt + t.total_tokens, cost + t.cost_usd
        for k, v in t.error_kinds.items():
            kinds[k] = kinds.get(k, 0) + v
        if t.last_activity is not None:
            last = max(last or 0.0, t.last_activity)
        shards.append({"shard": s.label, "state": s.state, "rows": n, "ok": t.ok, "error": t.error,
                       "pending": max(0, n - t.ok - t.error), "run_id": s.manifest.run_id if s.manifest else None,
                       "detail": s.detail})
    names = {s.state for s in states}
    status = ("running" if "running" in names else "finished" if names == {cp.FINISHED} else "unfinished")
    return {
        "job": job.spec.name, "run_id": f"{count} shards", "status": status,
        "fingerprint_matches": "stale" not in names, "rows": rows, "limit": None, "ok": ok, "error": error,
        "pending": max(0, rows - ok - error), "pending_in_limit": max(0, rows - ok - error), "cached": cached,
        "prompt_tokens": pt, "completion_tokens": ct, "total_tokens": tt, "cost_usd": round(cost, 6),
        "error_kinds": dict(sorted(kinds.items(), key=lambda kv: -kv[1])),
        "last_activity": last or float(marker.get("updated_at", 0)), "run_dir": str(root),
        "shards": shards, "missing": [s.label for s in states if s.state in ("missing", "stale")],
    }


def format_status(info: dict[str, Any]) -> str:
    lines = [f"{info['job']}: {info['run_id']}, {info['status']}",
             f"  rows {info['rows']:,} in shards run so far: {info['ok']:,} ok, {info['error']:,} error, "
             f"{info['pending']:,} pending ({info['cached']:,} from cache)",
             f"  tokens {info['total_tokens']:,} (prompt {info['prompt_tokens']:,}, completion "
             f"{info['completion_tokens']:,}) · cost ${info['cost_usd']:.4f}"]
    if info["error_kinds"]:
        lines.append("  errors: " + ", ".join(f"{k} {v:,}" for k, v in info["error_kinds"].items()))
    for s in info["shards"]:
        extra = f" ({s['detail']})" if s["detail"] else ""
        lines.append(f"  shard {s['shard']}: {s['state']}{extra}, {s['ok']:,} ok, {s['error']:,} error, "
                     f"{s['pending']:,} pending of {s['rows']:,}")
    return "\n".join(lines)
