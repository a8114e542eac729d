"""Run state on disk: a folder per run with a manifest and a journal of finished rows.

    <state dir>/runs/<job name>/<run id>/manifest.json   format_version, fingerprint, status
    <state dir>/runs/<job name>/<run id>/journal.sqlite  one row per finished input row
    <state dir>/runs/<job name>/lock                    one writer per job (flock + pid)

The journal is SQLite in WAL mode rather than a hand-rolled log because the same file has
to answer range reads in input order (assembling the output), aggregates (`status`) and
"which rows failed" (`--retry-failed`), and SQLite already detects torn writes. Each
finished row is committed as soon as the event loop gets to it (rows finishing in the same
tick share one commit), so a kill -9 loses at most the requests still in flight; with
`synchronous=NORMAL` a commit reaches the OS at once and a checkpoint every second fsyncs it.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import orjson

from .client import Usage
from .errors import CheckpointError
from .results import RowResult

FORMAT_VERSION = 1
STATE_DIR_ENV = "BATCHRUNNER_STATE_DIR"
LOCK_PROBE_GRACE_S = 0.3  # how long a busy lock is retried before the job counts as running elsewhere

# Run status values in the manifest.
RUNNING = "running"  # a process is (or was, until it died) working on it
INTERRUPTED = "interrupted"  # Ctrl-C / SIGTERM: resumable
STOPPED = "stopped"  # auth, budget, circuit breaker: resumable
INCOMPLETE = "incomplete"  # --limit reached before the end of the input
FINISHED = "finished"  # every row has a final status (ok or error)
UNFINISHED_STATES = (RUNNING, INTERRUPTED, STOPPED, INCOMPLETE)


def state_root(spec_dir: Path, override: str | os.PathLike[str] | None = None) -> Path:
    if override:
        return Path(override)
    env = os.environ.get(STATE_DIR_ENV)
    if env:
        return Path(env)
    return spec_dir / ".batchrunner"


def fingerprint_parts(parts: dict[str, Any]) -> dict[str, str]:
    """A short hash per component, so a refused resume can say what changed."""
    return {k: hashlib.sha256(orjson.dumps(v, option=orjson.OPT_SORT_KEYS)).hexdigest()[:16]
            for k, v in sorted(parts.items())}


def fingerprint_of(parts: dict[str, str]) -> str:
    return hashlib.sha256(orjson.dumps(parts, option=orjson.OPT_SORT_KEYS)).hexdigest()[:16]


@dataclass
class Manifest:
    run_id: str
    job_name: str
    fingerprint: str
    fingerprint_parts: dict[str, str]
    status: str
    total_rows: int
    input: dict[str, Any]
    created_at: float
    updated_at: float
    format_version: int = FORMAT_VERSION
    limit: int | None = None
    shard: str | None = None
    exit_code: int | None = None
    scheduled_for: str | None = None
    sessions: list[dict[str, Any]] = field(default_factory=list)  # one entry per process that worked on it

    @classmethod
    def load(cls, path: Path) -> Manifest:
        try:
            data = orjson.loads(path.read_bytes())
        except (OSError, orjson.JSONDecodeError) as exc:
            raise CheckpointError(f"{path}: unreadable run manifest ({exc}); start over with --fresh") from exc
        version = data.get("format_version")
        if version != FORMAT_VERSION:
            raise CheckpointError(
                f"{path}: run state format {version} is not one this batchrunner reads "
                f"({FORMAT_VERSION}); start over with --fresh"
            )
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})

    def save(self, run_dir: Path) -> None:
        self.updated_at = time.time()
        atomic_write(run_dir / "manifest.json", orjson.dumps(asdict(self), option=orjson.OPT_INDENT_2))


def atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def new_run_id(fingerprint: str) -> str:
    return time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + f"-{os.getpid() % 100000:05d}-{fingerprint[:6]}"


def list_runs(job_dir: Path) -> list[tuple[Path, Manifest]]:
    """Runs of a job, oldest first; folders without a readable manifest are skipped."""
    if not job_dir.is_dir():
        return []
    runs = []
    for run_dir in sorted(p for p in job_dir.iterdir() if p.is_dir()):
        manifest = run_dir / "manifest.json"
        if manifest.exists():
            try:
                runs.append((run_dir, Manifest.load(manifest)))
            except CheckpointError:
                continue
    runs.sort(key=lambda item: item[1].created_at)
    return runs


class JobLock:
    """One writer per job: an flock (released by the kernel when the holder dies) plus its pid."""

    def __init__(self, path: Path, job_name: str) -> None:
        self.path = path
        self.job_name = job_name
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        # `status` and the scheduler probe the lock for an instant; a run starting then must not fail.
        deadline = time.monotonic() + LOCK_PROBE_GRACE_S
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() < deadline:
                    time.sleep(0.02)
                    continue
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise CheckpointError(
                f"job '{self.job_name}' is already running (pid {holder}, lock {self.path}); "
                "wait for it to finish or stop it"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            try:
                os.ftruncate(self._fd, 0)
            finally:
                os.close(self._fd)
                self._fd = None

    def __enter__(self) -> JobLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


# ---------------------------------------------------------------- journal

_ROW_FIELDS = (
    "idx", "status", "value", "response_text", "error_kind", "error_message",
    "prompt_tokens", "completion_tokens", "total_tokens", "cached_tokens", "reasoning_tokens",
    "cost_usd", "latency_ms", "attempts", "finish_reason", "model", "request_id", "cached", "finished_at",
)
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS rows (
    idx INTEGER PRIMARY KEY, status TEXT NOT NULL, value BLOB, response_text TEXT,
    error_kind TEXT, error_message TEXT, prompt_tokens INTEGER, completion_tokens INTEGER,
    total_tokens INTEGER, cached_tokens INTEGER, reasoning_tokens INTEGER, cost_usd REAL,
    latency_ms REAL, attempts INTEGER NOT NULL, finish_reason TEXT, model TEXT, request_id TEXT,
    cached INTEGER NOT NULL, finished_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS parts (
    idx INTEGER NOT NULL, part INTEGER NOT NULL, text TEXT, prompt_tokens INTEGER,
    completion_tokens INTEGER, total_tokens INTEGER, cached_tokens INTEGER, reasoning_tokens INTEGER,
    cost_usd REAL, attempts INTEGER NOT NULL, finish_reason TEXT, PRIMARY KEY (idx, part)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
INSERT OR IGNORE INTO meta VALUES ('format_version', '{FORMAT_VERSION}');
"""
_INSERT_ROW = f"INSERT OR REPLACE INTO rows ({', '.join(_ROW_FIELDS)}) VALUES ({', '.join('?' * len(_ROW_FIELDS))})"

# Row states in the in-memory map a resume builds.
PENDING, OK, ERROR = 0, 1, 2


@dataclass
class PartResult:
    index: int
    part: int
    text: str
    usage: Usage
    cost_usd: float | None
    attempts: int
    finish_reason: str | None


@dataclass
class JournalTotals:
    ok: int = 0
    error: int = 0
    cached: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    cost_usd: float = 0.0
    error_kinds: dict[str, int] = field(default_factory=dict)
    last_activity: float | None = None


class Journal:
    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        try:
            if readonly:
                self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None,
                                           check_same_thread=False)
            else:
                self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
                # No checkpoint (with its fsyncs) inside a commit on the event loop: the runner
                # checkpoints every second from a worker thread (checkpoint_in_background).
                self._db.execute("PRAGMA wal_autocheckpoint=0")
                self._db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise CheckpointError(f"{path}: the journal is damaged ({exc}); start over with --fresh") from exc
        self._pending: list[tuple[Any, ...]] = []
        self._pending_parts: list[tuple[Any, ...]] = []
        self._last_sync = time.monotonic()
        self._sync_db: sqlite3.Connection | None = None
        self._sync_lock = threading.Lock()

    # -- writing

    def add(self, r: RowResult, *, now: float | None = None) -> None:
        """Queue a finished row; `flush` commits everything queued in one transaction."""
        u = r.usage
        value = orjson.dumps(r.value) if r.value is not None else None
        self._pending.append((
            r.index, r.status, value, r.response_text, r.error_kind, r.error_message,
            u.prompt_tokens, u.completion_tokens, u.total_tokens, u.cached_tokens, u.reasoning_tokens,
            r.cost_usd, r.latency_ms, r.attempts, r.finish_reason, r.model, r.request_id,
            int(r.cached), now if now is not None else time.time(),
        ))

    def add_part(self, p: PartResult) -> None:
        u = p.usage
        self._pending_parts.append((
            p.index, p.part, p.text, u.prompt_tokens, u.completion_tokens, u.total_tokens,
            u.cached_tokens, u.reasoning_tokens, p.cost_usd, p.attempts, p.finish_reason,
        ))

    @property
    def has_pending(self) -> bool:
        return bool(self._pending or self._pending_parts)

    def flush(self) -> None:
        if not self._pending and not self._pending_parts:
            return
        rows, parts = self._pending, self._pending_parts
        self._pending, self._pending_parts = [], []
        db = self._db
        db.execute("BEGIN")
        try:
            if rows:
                db.executemany(_INSERT_ROW, rows)
            if parts:
                db.executemany(
                    "INSERT OR REPLACE INTO parts VALUES (?,?,?,?,?,?,?,?,?,?,?)", parts)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def sync(self) -> None:
        """Make committed rows durable against power loss, not just against a killed process."""
        self.flush()
        self._db.execute("PRAGMA wal_checkpoint(PASSIVE)")
        self._last_sync = time.monotonic()

    def checkpoint_in_background(self) -> None:
        """The same fsync from a second connection, so a slow disk never stalls the event loop
        (a PASSIVE checkpoint takes no lock that the writer needs). Runs in a worker thread."""
        with self._sync_lock:
            if self._sync_db is None:
                self._sync_db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._sync_db.execute("PRAGMA wal_checkpoint(PASSIVE)")
            self._last_sync = time.monotonic()

    def close(self) -> None:
        self.flush()
        with self._sync_lock:  # a background checkpoint may still be running
            if self._sync_db is not None:
                self._sync_db.close()
                self._sync_db = None
        try:
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.OperationalError:
            pass
        self._db.close()

    # -- reading

    def states(self, total_rows: int) -> bytearray:
        """One byte per input row: PENDING, OK or ERROR. 1M rows cost 1 MB."""
        states = bytearray(total_rows)
        try:
            for idx, status in self._db.execute("SELECT idx, status FROM rows"):
                if 0 <= idx < total_rows:
                    states[idx] = OK if status == "ok" else ERROR
        except sqlite3.DatabaseError as exc:  # a damaged page the open did not touch
            raise self.damaged(exc) from exc
        return states

    def damaged(self, exc: sqlite3.DatabaseError) -> CheckpointError:
        return CheckpointError(f"{self.path}: the journal is damaged ({exc}); start over with --fresh")

    def attempts_of_errors(self) -> dict[int, int]:
        return dict(self._db.execute("SELECT idx, attempts FROM rows WHERE status = 'error'"))

    def parts_of(self, index: int) -> dict[int, PartResult]:
        out = {}
        for row in self._db.execute("SELECT * FROM parts WHERE idx = ?", (index,)):
            idx, part, text, pt, ct, tt, cat, rt, cost, attempts, fr = row
            out[part] = PartResult(idx, part, text, Usage(pt, ct, tt, cat, rt), cost, attempts, fr)
        return out

    def range(self, start: int, stop: int) -> Iterator[tuple[Any, ...]]:
        """Journal rows with start <= idx < stop, in input order, as raw tuples (see _ROW_FIELDS)."""
        return self._db.execute(
            f"SELECT {', '.join(_ROW_FIELDS)} FROM rows WHERE idx >= ? AND idx < ? ORDER BY idx", (start, stop))

    def totals(self, stop: int | None = None) -> JournalTotals:
        try:
            return self._totals(stop)
        except sqlite3.DatabaseError as exc:
            raise self.damaged(exc) from exc

    def _totals(self, stop: int | None) -> JournalTotals:
        where = "" if stop is None else f" WHERE idx < {int(stop)}"
        t = JournalTotals()
        row = self._db.execute(
            "SELECT SUM(status='ok'), SUM(status='error'), SUM(cached), SUM(prompt_tokens),"
            f" SUM(completion_tokens), SUM(total_tokens), SUM(cost_usd), MAX(finished_at) FROM rows{where}"
        ).fetchone()
        t.ok, t.error, t.cached = int(row[0] or 0), int(row[1] or 0), int(row[2] or 0)
        t.prompt_tokens, t.completion_tokens, t.total_tokens = int(row[3] or 0), int(row[4] or 0), int(row[5] or 0)
        t.cost_usd = float(row[6] or 0.0)
        t.last_activity = row[7]
        kinds = self._db.execute(
            f"SELECT error_kind, COUNT(*) FROM rows{where}{' AND' if where else ' WHERE'} status='error'"
            " GROUP BY error_kind ORDER BY COUNT(*) DESC")
        t.error_kinds = {str(k): int(n) for k, n in kinds}
        return t

    def label_counts(self, stop: int | None = None) -> dict[str, int]:
        where = "status='ok'" + ("" if stop is None else f" AND idx < {int(stop)}")
        return {orjson.loads(v) if v is not None else "null": int(n) for v, n in
                self._db.execute(f"SELECT value, COUNT(*) FROM rows WHERE {where} GROUP BY value ORDER BY 2 DESC")}


ROW_FIELDS = _ROW_FIELDS
