"""Assembling the output Parquet from the input and the journal, in input order.

Memory is bounded by one row group: the input is re-read chunk by chunk, the journal is
read by index range, and the file is written to a temp name and renamed at the end so a
reader never sees half a file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from .checkpoint import ROW_FIELDS, Journal
from .errors import BatchRunnerError, RunStopped
from .inputs import Chunk, InputInfo, iter_chunks
from .results import RESULT_COLUMNS
from .schema import to_arrow_value

ROW_GROUP_ROWS = 65_536
ROW_GROUP_BYTES = 16 << 20  # ~16 MB row groups: readable by every engine, and the memory bound of writing

_F = {name: i for i, name in enumerate(ROW_FIELDS)}


def output_schema(info: InputInfo, value_column: str, value_type: pa.DataType) -> pa.Schema:
    fields = list(info.schema) + [pa.field(value_column, value_type)]
    fields += [pa.field(name, typ) for name, typ in RESULT_COLUMNS]
    return pa.schema(fields)


class ValueDecoder:
    """Journal values are JSON; the output column is a string, JSON text or a typed struct."""

    def __init__(self, mode: str, value_type: pa.DataType) -> None:
        self.mode = mode
        self.value_type = value_type

    def __call__(self, raw: bytes | None) -> Any:
        if raw is None:
            return None
        if self.mode == "json":
            return raw.decode() if isinstance(raw, bytes) else str(raw)
        value = orjson.loads(raw)
        if self.mode == "json_schema":
            return to_arrow_value(value, self.value_type)
        return value


def result_arrays(rows: list[tuple[Any, ...]], decode: ValueDecoder, value_type: pa.DataType) -> list[pa.Array]:
    """Build the value column plus RESULT_COLUMNS from raw journal rows."""
    cols = list(zip(*rows, strict=True)) if rows else [()] * len(ROW_FIELDS)
    error_kind, error_message = cols[_F["error_kind"]], cols[_F["error_message"]]
    errors = [None if k is None else (f"{k}: {m}" if m else k) for k, m in zip(error_kind, error_message, strict=True)]
    values = [decode(v) for v in cols[_F["value"]]]
    by_name: dict[str, Any] = {
        "response_text": cols[_F["response_text"]],
        "status": cols[_F["status"]],
        "error": errors,
        "prompt_tokens": cols[_F["prompt_tokens"]],
        "completion_tokens": cols[_F["completion_tokens"]],
        "total_tokens": cols[_F["total_tokens"]],
        "cached_tokens": cols[_F["cached_tokens"]],
        "reasoning_tokens": cols[_F["reasoning_tokens"]],
        "cost_usd": cols[_F["cost_usd"]],
        "latency_ms": cols[_F["latency_ms"]],
        "attempts": cols[_F["attempts"]],
        "finish_reason": cols[_F["finish_reason"]],
        "model": cols[_F["model"]],
        "request_id": cols[_F["request_id"]],
        "cached": [bool(c) for c in cols[_F["cached"]]],
    }
    arrays = [pa.array(values, type=value_type)]
    arrays += [pa.array(list(by_name[name]), type=typ) for name, typ in RESULT_COLUMNS]
    return arrays


def _joined(info: InputInfo, journal: Journal, decode: ValueDecoder, value_type: pa.DataType,
            schema: pa.Schema, chunks: Iterable[Chunk]) -> Iterator[pa.RecordBatch]:
    for chunk in chunks:
        rows = list(journal.range(chunk.start, chunk.start + chunk.length))
        if len(rows) != chunk.length:
            done = {r[0] for r in rows}
            missing = next(i for i in range(chunk.start, chunk.start + chunk.length) if i not in done)
            raise BatchRunnerError(f"row {missing + 1} has no result in the journal; run the job again to finish it")
        batch = chunk.batch()
        arrays = list(batch.columns) + result_arrays(rows, decode, value_type)
        yield pa.RecordBatch.from_arrays(arrays, schema=schema)


def write_output(
    path: Path,
    info: InputInfo,
    journal: Journal,
    *,
    value_column: str,
    value_type: pa.DataType,
    mode: str,
    stop: int | None = None,
    chunk_size: int = 4096,
) -> int:
    """Write rows [0, stop) atomically; returns the number of rows written."""
    schema = output_schema(info, value_column, value_type)
    decode = ValueDecoder(mode, value_type)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    written = 0
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
            pending: list[pa.RecordBatch] = []
            pending_rows = pending_bytes = 0
            chunks = iter_chunks(info, chunk_size, stop=stop)
            for batch in _joined(info, journal, decode, value_type, schema, chunks):
                pending.append(batch)
                pending_rows += batch.num_rows
                pending_bytes += batch.nbytes
                if pending_rows >= ROW_GROUP_ROWS or pending_bytes >= ROW_GROUP_BYTES:
                    writer.write_table(pa.Table.from_batches(pending, schema=schema), row_group_size=ROW_GROUP_ROWS)
                    written += pending_rows
                    pending, pending_rows, pending_bytes = [], 0, 0
            if pending or written == 0:
                writer.write_table(pa.Table.from_batches(pending, schema=schema), row_group_size=ROW_GROUP_ROWS)
                written += pending_rows
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:  # disk full, permissions, a folder in the way: the journal still has every row
        raise RunStopped(f"cannot write the output {path}: {exc.strerror or exc}; every row's result is kept "
                         "in the checkpoint, so fix that (or pass --output) and run again to write it") from exc
    finally:
        if tmp.exists():
            tmp.unlink()
    return written
