"""Past runs of a job, read from their run folders (`batchrunner history`).

Each run's manifest lists its sessions (one per process that worked on it) with duration,
requests, tokens and cost; those are summed. Row counts come from the run's journal when it
is readable, because a `--retry-failed` session turns earlier errors into ok rows and summing
sessions would count such a row twice.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from . import checkpoint as cp
from .errors import CheckpointError
from .spec import load_spec


@dataclass
class RunRecord:
    run_id: str
    status: str
    exit_code: int | None
    started_at: float  # epoch seconds: when the run was created
    scheduled_for: str | None  # run_time of a scheduled run (or of --var run_date)
    duration_s: float  # sum over sessions
    sessions: int
    rows: int  # rows in the run's range (input, or --limit)
    ok: int
    error: int
    cached: int  # rows answered from the response cache
    requests: int  # HTTP requests sent
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int  # sent and paid for; cached rows cost none
    cost_usd: float
    shard: str | None = None

    @property
    def start(self) -> str:
        return dt.datetime.fromtimestamp(self.started_at).astimezone().isoformat(timespec="seconds")

    def as_json(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "start": self.start, **{k: v for k, v in asdict(self).items() if k != "run_id"}}


def _int(value: Any) -> int:
    return int(value or 0)


def record_of(run_dir: Path, manifest: cp.Manifest, lock_held: bool) -> RunRecord:
    sessions = manifest.sessions
    rows = manifest.total_rows if manifest.limit is None else min(manifest.limit, manifest.total_rows)
    ok = sum(_int(s.get("ok")) for s in sessions)
    error = sum(_int(s.get("error")) for s in sessions)
    cached = sum(_int(s.get("cached")) for s in sessions)
    journal_path = run_dir / "journal.sqlite"
    if journal_path.exists():
        try:
            journal = cp.Journal(journal_path, readonly=True)
            try:
                totals = journal.totals()
            finally:
                journal._db.close()  # read-only: nothing to flush or checkpoint
            ok, error, cached = totals.ok, totals.error, totals.cached
        except (CheckpointError, sqlite3.Error):
            pass  # the sessions' counts will do
    prompt = sum(_int(s.get("prompt_tokens")) for s in sessions)
    completion = sum(_int(s.get("completion_tokens")) for s in sessions)
    status = manifest.status
    if status == cp.RUNNING and not lock_held:
        status = "crashed"  # its process is gone; `batchrunner run` resumes it
    return RunRecord(
        run_id=manifest.run_id, status=status, exit_code=manifest.exit_code, started_at=manifest.created_at,
        scheduled_for=manifest.scheduled_for,
        duration_s=round(sum(float(s.get("duration_s") or 0.0) for s in sessions), 3), sessions=len(sessions),
        rows=rows, ok=ok, error=error, cached=cached, requests=sum(_int(s.get("requests")) for s in sessions),
        prompt_tokens=prompt, completion_tokens=completion, total_tokens=prompt + completion,
        cost_usd=round(sum(float(s.get("cost_usd") or 0.0) for s in sessions), 6), shard=manifest.shard,
    )


def job_history(spec_path: str | os.PathLike[str], state_dir: str | None = None) -> tuple[str, Path, list[RunRecord]]:
    """(job name, its state folder, its runs oldest first). Needs only the spec, not the input."""
    from .api import _lock_held

    spec = load_spec(spec_path)
    job_dir = cp.state_root(spec.base_dir, state_dir) / "runs" / spec.name
    records = []
    # The job's own runs, then each shard's (<job>/shard-i-of-N/<run id>/, with a lock of its own).
    folders = [job_dir, *sorted(job_dir.glob("shard-*-of-*"))] if job_dir.is_dir() else []
    for folder in folders:
        held = _lock_held(folder / "lock")
        records += [record_of(run_dir, m, held) for run_dir, m in cp.list_runs(folder)]
    records.sort(key=lambda r: r.started_at)
    return spec.name, job_dir, records


def format_table(records: list[RunRecord]) -> list[str]:
    """One line per run under a header, newest last."""
    header = ("run id", "start", "duration", "rows", "ok", "error", "cached", "tokens", "cost", "exit", "status")
    body = [(
        r.run_id + (f" [{r.shard}]" if r.shard else ""),
        dt.datetime.fromtimestamp(r.started_at).strftime("%Y-%m-%d %H:%M:%S"),
        _duration(r.duration_s), f"{r.rows:,}", f"{r.ok:,}", f"{r.error:,}", f"{r.cached:,}",
        f"{r.total_tokens:,}", f"${r.cost_usd:.4f}", "-" if r.exit_code is None else str(r.exit_code), r.status,
    ) for r in records]
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    left = {0, 1, 10}  # text columns; numbers align right
    return ["  ".join(cell.ljust(w) if i in left else cell.rjust(w) for i, (cell, w) in
                      enumerate(zip(row, widths, strict=True))).rstrip() for row in [header, *body]]


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(int(round(seconds)), 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"
