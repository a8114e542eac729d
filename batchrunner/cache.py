"""The response cache: every successful reply, keyed by a hash of the request.

One SQLite file per user, `$BATCHRUNNER_CACHE_DIR/cache.sqlite`, else
`$XDG_CACHE_HOME/batchrunner/cache.sqlite`, else `~/.cache/batchrunner/cache.sqlite`:
per user rather than per job folder so that an identical request of any job hits it.
WAL mode with a busy timeout makes it safe for several runs at once; writes are batched
per event-loop tick like the journal's.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from .client import Completion, Usage
from .errors import CheckpointError

CACHE_DIR_ENV = "BATCHRUNNER_CACHE_DIR"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS replies (
    key TEXT PRIMARY KEY, text TEXT NOT NULL, finish_reason TEXT, model TEXT, request_id TEXT,
    usage BLOB, created_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS replies_created ON replies (created_at);
"""


def default_cache_path() -> Path:
    env = os.environ.get(CACHE_DIR_ENV)
    if env:
        return Path(env) / "cache.sqlite"
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg) / "batchrunner" / "cache.sqlite"


def request_key_and_payload(base_url: str, body: dict[str, Any]) -> tuple[str, bytes]:
    """The cache key and the request bytes from one serialisation (the hot path's)."""
    if "stream" in body or "stream_options" in body:
        return request_key(base_url, body), orjson.dumps(body)
    payload = orjson.dumps(body, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(base_url.encode() + b"\0" + payload).hexdigest(), payload


def request_key(base_url: str, body: dict[str, Any]) -> str:
    """Hash of (base_url, model, messages, params); transport-only keys do not count."""
    relevant = {k: v for k, v in body.items() if k not in ("stream", "stream_options")}
    blob = orjson.dumps([base_url, relevant], option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(blob).hexdigest()


def endpoint_identity(endpoint: Any, served_at: str) -> str:
    """What a cache key calls the endpoint: its URL, but for a local model (served on a new
    port every run) the model file, so that a re-run hits."""
    local = getattr(endpoint, "local", None)
    if local is not None:
        return f"local:{local.model_path or 'bundled'}"
    return served_at


@dataclass
class CacheStats:
    path: Path
    entries: int
    size_bytes: int
    oldest: float | None
    newest: float | None


class ResponseCache:
    def __init__(self, path: Path | None = None, *, reset_if_damaged: bool = False) -> None:
        self.path = path or default_cache_path()
        try:
            self._db = self._open()
        except sqlite3.DatabaseError as exc:
            if not reset_if_damaged:
                raise CheckpointError(f"{self.path}: cannot open the response cache ({exc}); "
                                      "`batchrunner cache clear` starts it afresh, or set `cache: false`") from exc
            # `cache clear` on a file that is not a database: start over with an empty one.
            for stale in (self.path, Path(f"{self.path}-wal"), Path(f"{self.path}-shm")):
                stale.unlink(missing_ok=True)
            self._db = self._open()
        self._pending: list[tuple[Any, ...]] = []
        self._writer: sqlite3.Connection | None = None
        self._writer_lock = threading.Lock()
        self._checkpointer: sqlite3.Connection | None = None
        self._checkpoint_lock = threading.Lock()

    def _open(self) -> sqlite3.Connection:
        db = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, isolation_level=None, timeout=30, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(_SCHEMA)
            return db
        except sqlite3.DatabaseError:
            if db is not None:
                db.close()
            raise
        except OSError as exc:
            raise CheckpointError(f"{self.path}: cannot open the response cache ({exc}); "
                                  f"check the folder's permissions or set {CACHE_DIR_ENV}") from exc

    def get(self, key: str) -> Completion | None:
        try:
            row = self._db.execute(
                "SELECT text, finish_reason, model, request_id, usage FROM replies WHERE key = ?", (key,)
            ).fetchone()
        except sqlite3.OperationalError:
            return None  # locked past the timeout (a `cache clear` vacuuming): a miss, not a crash
        if row is None:
            return None
        text, finish_reason, model, request_id, usage = row
        return Completion(text=text, finish_reason=finish_reason, model=model, request_id=request_id,
                          usage=Usage(*orjson.loads(usage)) if usage else Usage(), latency_ms=0.0)

    def put(self, key: str, c: Completion) -> None:
        self._pending.append((key, c.text, c.finish_reason, c.model, c.request_id,
                              orjson.dumps(list(c.usage.as_tuple())), time.time()))

    def checkpoint(self) -> None:
        """Fold the WAL into the database; called from a worker thread every few seconds."""
        # Its own connection: a checkpoint takes no lock the writer needs, so the event loop's
        # flush never waits behind an fsync.
        with self._checkpoint_lock:
            try:
                if self._checkpointer is None:
                    self._checkpointer = sqlite3.connect(self.path, isolation_level=None, timeout=1,
                                                         check_same_thread=False)
                self._checkpointer.execute("PRAGMA wal_checkpoint(PASSIVE)")
            except sqlite3.OperationalError:
                pass  # busy: the next one will do

    def take_pending(self) -> list[tuple[Any, ...]]:
        rows, self._pending = self._pending, []
        return rows

    def flush(self) -> None:
        self.write(self.take_pending())

    def write(self, rows: list[tuple[Any, ...]]) -> None:
        """Store replies; safe from a worker thread (it uses its own connection), so the
        event loop never waits for the cache's disk writes."""
        if not rows:
            return
        with self._writer_lock:
            if self._writer is None:
                self._writer = sqlite3.connect(self.path, isolation_level=None, timeout=30, check_same_thread=False)
                # Checkpoints (and their fsyncs) run from checkpoint(), off the event loop.
                self._writer.execute("PRAGMA wal_autocheckpoint=0")
            db = self._writer
            try:
                db.execute("BEGIN IMMEDIATE")
                db.executemany("INSERT OR REPLACE INTO replies VALUES (?,?,?,?,?,?,?)", rows)
                db.execute("COMMIT")
            except sqlite3.OperationalError:
                # Another process held the lock past the timeout: the cache is best effort.
                try:
                    db.execute("ROLLBACK")
                except sqlite3.OperationalError:
                    pass

    def stats(self) -> CacheStats:
        entries, oldest, newest = self._db.execute(
            "SELECT COUNT(*), MIN(created_at), MAX(created_at) FROM replies").fetchone()
        size = sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*") if p.is_file())
        return CacheStats(self.path, int(entries), size, oldest, newest)

    def clear(self, older_than_s: float | None = None) -> int:
        if older_than_s is None:
            n = self._db.execute("DELETE FROM replies").rowcount
        else:
            n = self._db.execute("DELETE FROM replies WHERE created_at < ?", (time.time() - older_than_s,)).rowcount
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._db.execute("VACUUM")
        return int(n)

    def close(self) -> None:
        self.flush()
        self.checkpoint()
        with self._checkpoint_lock:
            if self._checkpointer is not None:
                self._checkpointer.close()
                self._checkpointer = None
        with self._writer_lock:
            if self._writer is not None:
                self._writer.close()
                self._writer = None
        self._db.close()
