"""`batchrunner merge JOB.yaml`: the output of a sharded job, once every shard has finished.

Shards are read in order, each one's input slice chunk by chunk joined with its journal, so
memory is bounded by one row group whatever the job's size. The output is written atomically:
one Parquet file (temp name + rename), or for very large jobs (or `--parts`) a folder named by
the output's stem (out.parquet -> out/) of part files, `part-<shard>-<n>.parquet` in input
order, completed by a `_SUCCESS` marker and swapped in by rename. Then the shards' response
caches are folded into the main cache so later runs, sharded or not, are answered from it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from . import checkpoint as cp
from .api import job_dir_for
from .cache import ResponseCache
from .errors import BatchRunnerError, CheckpointError
from .inputs import InputInfo, check_unique_ids, iter_chunks, schema_from_json
from .job import JobOptions, PreparedJob, prepare
from .output import ROW_GROUP_BYTES, ROW_GROUP_ROWS, ValueDecoder, output_schema, result_arrays
from .runner import stderr_log
from .shards import ShardState, shard_count, shard_dir_name, shard_states

PARTS_AUTO_ROWS = 50_000_000  # above this many rows, `auto` writes a directory of parts
PART_ROWS = 10_000_000  # rows per part file (a part never spans two shards)
SUCCESS = "_SUCCESS"
LAYOUTS = ("auto", "file", "parts")


class ShardsUnfinished(BatchRunnerError):
    """Some shards have not finished (or never ran): nothing was written."""

    exit_code = 3


@dataclass
class MergeSummary:
    job: str
    shards: int
    rows: int
    ok: int
    error: int
    cost_usd: float | None
    output: str
    layout: str  # file or parts
    files: int
    cache_entries_folded: int
    wall_s: float
    exit_code: int
    message: str | None = None
    failed_shards: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def merge_job(spec_path: str | os.PathLike[str], job_options: JobOptions | None = None, *,
              state_dir: str | None = None, shards: int | None = None, layout: str = "auto",
              log: Callable[[str], None] = stderr_log) -> MergeSummary:
    started = time.time()
    if layout not in LAYOUTS:
        raise BatchRunnerError(f"layout must be one of {', '.join(LAYOUTS)}, got {layout!r}")
    job = prepare(spec_path, job_options)
    root = job_dir_for(job, state_dir)
    count = shards or shard_count(job, root)
    if count is None:
        raise CheckpointError(f"no shards of job '{job.spec.name}' in {root}; run them first with "
                              f"`batchrunner run {spec_path} --shard i/N`")
    states = shard_states(job, root, count)
    unfinished = [s for s in states if s.state != cp.FINISHED]
    if unfinished:
        listed = "; ".join(f"shard {s.label} {s.state}{f' ({s.detail})' if s.detail else ''}" for s in unfinished)
        raise ShardsUnfinished(f"cannot merge '{job.spec.name}': {len(unfinished)} of {count} shards not finished: "
                               f"{listed}; run them with `batchrunner run {spec_path} --shard i/{count}`")
    lock = cp.JobLock(root / "merge.lock", f"{job.spec.name} (merge)")
    lock.acquire()
    try:
        infos = [_shard_input(s) for s in states]
        rows = sum(info.num_rows for info in infos)
        chosen = layout if layout != "auto" else ("parts" if rows > PARTS_AUTO_ROWS else "file")
        writer = _Output(job, _unify([info.schema for info in infos]), chosen)
        ok = error = 0
        cost = 0.0
        failed = []
        id_column = job.spec.input.id_column
        ids: list[pa.Array] = []  # each shard checked its own slice; duplicates across shards show here
        try:
            for s, info in zip(states, infos, strict=True):
                writer.next_shard(s.index)
                assert s.run_dir is not None
                journal = cp.Journal(s.run_dir / "journal.sqlite", readonly=True)
                try:
                    totals = journal.totals()
                    for batch in _joined(job, info, journal, s):
                        writer.write(batch)
                        if id_column is not None:
                            ids.append(batch.column(id_column))
                finally:
                    journal._db.close()
                ok, error, cost = ok + totals.ok, error + totals.error, cost + totals.cost_usd
                if totals.error:
                    failed.append(s.label)
            if id_column is not None:
                check_unique_ids(ids, id_column, job.files)  # before the output exists: nothing half-made
            files = writer.commit()
        finally:
            writer.abort()
        folded = fold_caches(root, count) if job.spec.cache else 0
    finally:
        lock.release()
    message = None
    if error:
        message = (f"{error:,} rows failed (shards {', '.join(failed)}); `batchrunner run {spec_path} "
                   f"--shard i/{count} --retry-failed` re-attempts a shard's, then merge again")
    target = output_target(job.output_path, chosen)
    log(f"merged {count} shards: {rows:,} rows into {target}" + (f" ({files} part files)" if chosen == "parts" else ""))
    return MergeSummary(job=job.spec.name, shards=count, rows=rows, ok=ok, error=error,
                        cost_usd=round(cost, 6) if job.spec.pricing else None, output=str(target),
                        layout=chosen, files=files, cache_entries_folded=folded,
                        wall_s=round(time.time() - started, 3), exit_code=3 if error else 0, message=message,
                        failed_shards=failed)


def output_target(path: Path, layout: str) -> Path:
    """output.path for one file; for parts the folder beside it named by its stem (out.parquet -> out/)."""
    return path if layout == "file" else path.with_suffix("")


def _shard_input(s: ShardState) -> InputInfo:
    assert s.manifest is not None
    info = schema_from_json(s.manifest.input)
    for f in info.files:
        try:
            st = f.path.stat()
        except OSError:
            raise CheckpointError(f"{f.path}: input of shard {s.label} is gone; restore it or rerun the shards "
                                  "with --fresh") from None
        if (st.st_size, st.st_mtime_ns) != (f.size, f.mtime_ns):
            raise CheckpointError(f"{f.path}: changed since shard {s.label} ran; rerun the shards with --fresh")
    return info


def _unify(schemas: list[pa.Schema]) -> pa.Schema:
    """Shards infer JSONL/CSV types from their own slice: one schema for all (text where they disagree)."""
    names: list[str] = []
    types: dict[str, list[pa.DataType]] = {}
    for schema in schemas:
        for f in schema:
            if f.name not in types:
                names.append(f.name)
                types[f.name] = []
            types[f.name].append(f.type)
    fields = []
    for name in names:
        seen = types[name]
        if all(t == seen[0] for t in seen):
            fields.append(pa.field(name, seen[0]))
            continue
        try:
            fields.append(pa.unify_schemas([pa.schema([pa.field(name, t)]) for t in seen],
                                           promote_options="permissive").field(name))
        except (pa.ArrowException, TypeError):
            fields.append(pa.field(name, pa.string()))
    return pa.schema(fields)


def _joined(job: PreparedJob, info: InputInfo, journal: cp.Journal, s: ShardState) -> Iterator[pa.RecordBatch]:
    """This shard's input slice joined with its journal, in order, as output batches (own schema)."""
    decode = ValueDecoder(job.spec.parse.mode, job.value_type)
    schema = output_schema(info, job.spec.output.column, job.value_type)
    for chunk in iter_chunks(info, max(job.spec.run.chunk_size, 4096)):
        rows = list(journal.range(chunk.start, chunk.start + chunk.length))
        if len(rows) != chunk.length:
            raise CheckpointError(f"shard {s.label}: rows {chunk.start + 1}-{chunk.start + chunk.length} are not all "
                                  "in its journal; rerun the shard to finish them")
        arrays = list(chunk.batch().columns) + result_arrays(rows, decode, job.value_type)
        yield pa.RecordBatch.from_arrays(arrays, schema=schema)


class _Output:
    """Row groups of ~ROW_GROUP_ROWS into one temp file, or into part files in a temp directory."""

    def __init__(self, job: PreparedJob, input_schema: pa.Schema, layout: str) -> None:
        self.final = output_target(job.output_path, layout)
        self.schema = output_schema(InputInfo(files=[], schema=input_schema, num_rows=0), job.spec.output.column,
                                    job.value_type)
        self.layout = layout
        self.final.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.final.with_name(f".{self.final.name}.{os.getpid()}.tmp")
        self.tmp = tmp
        if layout == "parts":
            tmp.mkdir()
        self._writer: pq.ParquetWriter | None = None
        self._path: Path | None = None
        self._pending: list[pa.RecordBatch] = []
        self._pending_rows = self._pending_bytes = 0
        self._part_rows = 0
        self._shard = 0
        self._part = 0
        self.files = 0

    def next_shard(self, index: int) -> None:
        if self.layout == "parts":
            self._close_file()
            self._shard, self._part = index, 0

    def write(self, batch: pa.RecordBatch) -> None:
        batch = _conform(batch, self.schema)
        if self.layout == "parts" and self._part_rows + batch.num_rows > PART_ROWS and self._part_rows:
            self._close_file()
            self._part += 1
        self._pending.append(batch)
        self._pending_rows += batch.num_rows
        self._pending_bytes += batch.nbytes
        self._part_rows += batch.num_rows
        if self._pending_rows >= ROW_GROUP_ROWS or self._pending_bytes >= ROW_GROUP_BYTES:
            self._flush()

    def _flush(self) -> None:
        if self._writer is None:
            name = f"part-{self._shard:05d}-{self._part:03d}.parquet"
            self._path = self.tmp if self.layout == "file" else self.tmp / name
            self._writer = pq.ParquetWriter(self._path, self.schema, compression="zstd")
            self.files += 1
        self._writer.write_table(pa.Table.from_batches(self._pending, schema=self.schema),
                                 row_group_size=ROW_GROUP_ROWS)
        self._pending, self._pending_rows, self._pending_bytes = [], 0, 0

    def _close_file(self) -> None:
        if self._pending:
            self._flush()
        if self._writer is not None:
            self._writer.close()
            assert self._path is not None
            _fsync(self._path)
            self._writer = None
        self._part_rows = 0

    def commit(self) -> int:
        if self.layout == "file" and self._writer is None:
            self._flush()  # an empty job still gets a file with the schema
        self._close_file()
        if self.layout == "parts":
            (self.tmp / SUCCESS).write_bytes(b"")
            _fsync(self.tmp / SUCCESS)
        _replace(self.tmp, self.final)
        return self.files

    def abort(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        if self.tmp.is_dir():
            shutil.rmtree(self.tmp, ignore_errors=True)
        elif self.tmp.exists():
            self.tmp.unlink()


def _conform(batch: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
    if batch.schema.equals(schema):
        return batch
    arrays = []
    for f in schema:
        i = batch.schema.get_field_index(f.name)
        arrays.append(pa.nulls(batch.num_rows, f.type) if i < 0 else batch.column(i).cast(f.type))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def _fsync(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def _replace(new: Path, final: Path) -> None:
    """Put `new` (file or directory) at `final` by rename, whatever was there."""
    if new.is_file() and not final.is_dir():
        os.replace(new, final)
        return
    old = final.with_name(f".{final.name}.{os.getpid()}.old")
    if final.exists() or final.is_symlink():
        os.replace(final, old)
    os.replace(new, final)
    if old.is_dir():
        shutil.rmtree(old, ignore_errors=True)
    elif old.exists():
        old.unlink()


def fold_caches(root: Path, count: int) -> int:
    """Copy every shard's cached replies into the main response cache; returns how many were new."""
    caches = [root / shard_dir_name(i, count) / "cache.sqlite" for i in range(count)]
    caches = [c for c in caches if c.exists()]
    if not caches:
        return 0
    main = ResponseCache()
    added = 0
    try:
        db = main._db
        for path in caches:
            try:
                db.execute("ATTACH DATABASE ? AS shard", (str(path),))
            except sqlite3.DatabaseError:
                continue  # a damaged shard cache only costs future hits
            try:
                db.execute("BEGIN IMMEDIATE")
                before = db.total_changes
                db.execute("INSERT OR IGNORE INTO main.replies SELECT * FROM shard.replies")
                added += db.total_changes - before
                db.execute("COMMIT")
            except sqlite3.DatabaseError:
                if db.in_transaction:
                    db.execute("ROLLBACK")
            finally:
                db.execute("DETACH DATABASE shard")
    finally:
        main.close()
    return added
