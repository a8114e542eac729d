"""Reading the input table: Parquet, JSONL and CSV, streamed in chunks, never loaded whole.

`scan_input` makes one streaming pass before anything is sent: it counts rows, infers the
schema (JSONL), and checks that `id_column` exists and is unique anywhere in the input.
`iter_chunks` then yields the rows in input order, chunk by chunk, skipping the chunks the
caller does not want without decoding them where the format allows.
"""

from __future__ import annotations

import functools
import glob
import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .errors import InputError

FORMATS = {".parquet": "parquet", ".pq": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}


@dataclass(frozen=True)
class InputFile:
    path: Path
    format: str
    size: int
    mtime_ns: int
    # A shard's slice (shards.py): rows [a, b) of a Parquet file, or bytes [a, b) of a JSONL/CSV
    # file with both ends at line starts. None: the whole file.
    part: tuple[int, int] | None = None


@dataclass
class InputInfo:
    """What one scan learned; stored in the run manifest so a resume need not rescan."""

    files: list[InputFile]
    schema: pa.Schema
    num_rows: int
    json_columns: frozenset[str] = frozenset()  # JSONL columns holding objects/lists: stored as JSON text

    @property
    def columns(self) -> list[str]:
        return list(self.schema.names)

    @property
    def display(self) -> str:
        if len(self.files) == 1:
            return str(self.files[0].path)
        return f"{self.files[0].path} (+{len(self.files) - 1} more files)"

    def identity(self) -> list[list[Any]]:
        return [[str(f.path), f.size, f.mtime_ns] for f in self.files]


@dataclass
class Chunk:
    start: int  # global position of the first row
    length: int
    _rows: list[dict[str, Any]] | None = None
    _batch: pa.RecordBatch | None = None
    _info: InputInfo | None = None

    def rows(self) -> list[dict[str, Any]]:
        if self._rows is None:
            assert self._batch is not None
            self._rows = self._batch.to_pylist()
        return self._rows

    def batch(self) -> pa.RecordBatch:
        if self._batch is None:
            assert self._rows is not None and self._info is not None
            self._batch = _batch_from_dicts(self._rows, self._info)
        return self._batch


# ---------------------------------------------------------------- discovery


def discover(pattern: str, base_dir: Path) -> list[InputFile]:
    """Files named by `input.path`: one path or a glob, read in sorted order."""
    full = pattern if os.path.isabs(pattern) else str(base_dir / pattern)
    if glob.has_magic(full):
        paths = sorted(glob.glob(full, recursive=True))
        if not paths:
            raise InputError(f"input.path: no file matches {full}")
    else:
        if not os.path.exists(full):
            raise InputError(f"input.path: no such file: {full}")
        paths = [full]
    files = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            raise InputError(f"input.path: {path} is a folder; name a file or a glob such as {path}/*.parquet")
        fmt = FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise InputError(f"{path}: unsupported file type '{path.suffix}' (use .parquet, .jsonl or .csv)")
        st = path.stat()
        files.append(InputFile(path=path, format=fmt, size=st.st_size, mtime_ns=st.st_mtime_ns))
    return files


# ---------------------------------------------------------------- scanning


_INT64_MIN, _INT64_MAX = -(1 << 63), (1 << 63) - 1


class _BigInt:
    """Marks an integer outside int64 in a JSONL column."""


class _JsonlSchema:
    """Ordered union of keys with the JSON types seen for each."""

    def __init__(self) -> None:
        self.types: dict[str, set[type]] = {}

    def add(self, row: dict[str, Any]) -> None:
        types = self.types
        for key, value in row.items():
            seen = types.get(key)
            if seen is None:
                seen = types[key] = set()
            if value is not None:
                kind = type(value)
                if kind is int and not _INT64_MIN <= value <= _INT64_MAX:
                    kind = _BigInt  # does not fit int64: the column is kept as text
                seen.add(kind)

    def schema(self) -> tuple[pa.Schema, frozenset[str]]:
        fields = []
        json_cols = set()
        for key, seen in self.types.items():
            if not seen:
                typ = pa.string()
            elif seen <= {bool}:
                typ = pa.bool_()
            elif seen <= {int}:
                typ = pa.int64()
            elif seen <= {int, float}:
                typ = pa.float64()
            elif seen <= {str}:
                typ = pa.string()
            else:  # objects, lists or mixed types: keep the JSON text
                typ = pa.string()
                json_cols.add(key)
            fields.append(pa.field(key, typ))
        return pa.schema(fields), frozenset(json_cols)


def _jsonl_rows(file: InputFile) -> Iterator[tuple[int, bytes]]:
    """(line number, line) for every non-blank line (of the slice `file.part`, numbered from it)."""
    try:
        with open(file.path, "rb") as fh:
            if file.part is not None:
                yield from _jsonl_slice(fh, *file.part)
                return
            for lineno, line in enumerate(fh, 1):
                if line.strip():
                    yield lineno, line
    except OSError as exc:
        raise InputError(f"{file.path}: cannot read: {exc.strerror}") from exc


def _jsonl_slice(fh: Any, start: int, stop: int) -> Iterator[tuple[int, bytes]]:
    fh.seek(start)
    position = start
    for lineno, line in enumerate(fh, 1):
        if position >= stop:
            return
        position += len(line)
        if line.strip():
            yield lineno, line


class _CsvSlice(io.RawIOBase):
    """The header line, then bytes [start, stop) of a CSV file: what pyarrow reads for a shard."""

    def __init__(self, path: Path, start: int, stop: int) -> None:
        self._fh = open(path, "rb")  # closed by close()
        self._head = self._fh.readline()
        self._fh.seek(max(start, len(self._head)))
        self._left = max(0, stop - max(start, len(self._head)))

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._head:
            n = min(len(view), len(self._head))
            view[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        n = min(len(view), self._left)
        if n <= 0:
            return 0
        got = self._fh.readinto(view[:n])
        self._left -= got or 0
        return got or 0

    def close(self) -> None:
        self._fh.close()
        super().close()


def _row_group_spans(file: InputFile, pf: pq.ParquetFile) -> Iterator[tuple[int, int, int]]:
    """(row group, first row, stop row) within each row group that `file.part` covers; all without one."""
    meta = pf.metadata
    lo, hi = file.part if file.part is not None else (0, meta.num_rows)
    first = 0
    for rg in range(meta.num_row_groups):
        if first >= hi:
            return
        n = meta.row_group(rg).num_rows
        a, b = max(lo, first), min(hi, first + n)
        if a < b:
            yield rg, a - first, b - first
        first += n


def _parquet_batches(file: InputFile, pf: pq.ParquetFile, batch_size: int,
                     columns: list[str] | None = None) -> Iterator[pa.RecordBatch]:
    for rg, lo, hi in _row_group_spans(file, pf):
        yield from _row_group_slice(pf, rg, lo, hi, batch_size, columns)


def _row_group_slice(pf: pq.ParquetFile, rg: int, lo: int, hi: int, batch_size: int,
                     columns: list[str] | None = None) -> Iterator[pa.RecordBatch]:
    """Rows [lo, hi) of one row group; a whole row group is read as is."""
    if lo == 0 and hi == pf.metadata.row_group(rg).num_rows:
        yield from pf.iter_batches(batch_size=batch_size, row_groups=[rg], columns=columns)
        return
    offset = 0
    for batch in pf.iter_batches(batch_size=batch_size, row_groups=[rg], columns=columns):
        end = offset + batch.num_rows
        a, b = max(lo, offset), min(hi, end)
        if a < b:
            yield batch.slice(a - offset, b - a)
        offset = end
        if offset >= hi:
            return


def _parse_jsonl_line(file: InputFile, lineno: int, line: bytes) -> dict[str, Any]:
    try:
        row = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise InputError(f"{file.path}: line {lineno}: not valid JSON ({exc.args[0].split(':')[0]})") from None
    if not isinstance(row, dict):
        raise InputError(f"{file.path}: line {lineno}: expected a JSON object, got {type(row).__name__}")
    return row


def _open_parquet(file: InputFile) -> pq.ParquetFile:
    try:
        return pq.ParquetFile(file.path)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"{file.path}: not a readable Parquet file ({_first_line(exc)})") from exc


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def scan_input(files: list[InputFile], id_column: str | None, *, first_rows: int | None = None) -> InputInfo:
    """One streaming pass: schema, row count, id uniqueness. `first_rows` stops early (validate)."""
    ids: list[pa.Array] = []
    num_rows = 0
    schema: pa.Schema | None = None
    json_cols: frozenset[str] = frozenset()
    jsonl = _JsonlSchema()
    for file in files:
        if first_rows is not None and num_rows >= first_rows:
            break
        if file.format == "parquet":
            pf = _open_parquet(file)
            file_schema = pf.schema_arrow
            schema = _same_schema(schema, file_schema, file)
            if id_column is not None:
                _require_id_column(id_column, file_schema.names, file)
            # A full run decodes every column once here (batch by batch) so that a damaged page is
            # exit 2 before the first request, not an error after some rows were sent and paid for.
            columns = None if first_rows is None else ([id_column] if id_column is not None else [])
            if columns != []:
                batches = _guard(file, functools.partial(_parquet_batches, file, pf, 8192, columns))
                for batch in batches:
                    if id_column is not None:
                        ids.append(batch.column(id_column))
            num_rows += pf.metadata.num_rows if file.part is None else file.part[1] - file.part[0]
        elif file.format == "csv":
            file_rows = 0
            for batch in _csv_batches(file):
                schema = _same_schema(schema, batch.schema, file)
                if id_column is not None:
                    _require_id_column(id_column, batch.schema.names, file)
                    ids.append(batch.column(id_column).cast(pa.string()))
                file_rows += batch.num_rows
                if first_rows is not None and num_rows + file_rows >= first_rows:
                    break
            if schema is None:
                raise InputError(f"{file.path}: the CSV file has no header row")
            num_rows += file_rows
        else:
            buf: list[Any] = []
            for lineno, line in _jsonl_rows(file):
                row = _parse_jsonl_line(file, lineno, line)
                jsonl.add(row)
                if id_column is not None:
                    if id_column not in row:
                        raise InputError(
                            f"{file.path}: line {lineno}: id_column '{id_column}' is missing "
                            f"(keys: {', '.join(list(row)[:10])})"
                        )
                    buf.append(_id_value(row[id_column]))
                    if len(buf) >= 65536:
                        ids.append(pa.array(buf, type=pa.string()))
                        buf = []
                num_rows += 1
                if first_rows is not None and num_rows >= first_rows:
                    break
            if buf:
                ids.append(pa.array(buf, type=pa.string()))
    jsonl_files = [f for f in files if f.format == "jsonl"]
    if jsonl_files:
        if len(jsonl_files) != len(files):
            raise InputError("input.path: a glob must match files of one format, not a mix of JSONL and others")
        schema, json_cols = jsonl.schema()
        if num_rows == 0:  # no line to learn the columns from; say so rather than "column not found"
            shown = files[0].path if len(files) == 1 else f"{files[0].path} (+{len(files) - 1} more files)"
            raise InputError(f"{shown}: the input has no rows")
    if schema is None:
        raise InputError(f"{files[0].path}: the input has no rows")
    if id_column is not None:
        check_unique_ids(ids, id_column, files)
    return InputInfo(files=files, schema=schema, num_rows=num_rows, json_columns=json_cols)


def _id_value(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return orjson.dumps(value).decode()


def _require_id_column(id_column: str, names: list[str], file: InputFile) -> None:
    if id_column not in names:
        import difflib

        near = difflib.get_close_matches(id_column, names, n=1, cutoff=0.6)
        hint = f" — did you mean '{near[0]}'?" if near else ""
        raise InputError(f"input.id_column: '{id_column}' is not a column of {file.path} "
                         f"(columns: {', '.join(names[:12])}){hint}")


def _same_schema(known: pa.Schema | None, new: pa.Schema, file: InputFile) -> pa.Schema:
    if known is None:
        return new
    if known.names != new.names:
        raise InputError(f"{file.path}: columns {new.names} differ from the first input file's {known.names}")
    if not known.equals(new):
        try:
            return pa.unify_schemas([known, new], promote_options="permissive")
        except pa.ArrowException as exc:
            raise InputError(
                f"{file.path}: column types differ from the first input file's ({_first_line(exc)})") from exc
    return known


def check_unique_ids(ids: list[pa.Array], id_column: str, files: list[InputFile]) -> None:
    """InputError naming the first empty or repeated id; `ids` are the column's pieces in input order."""
    if not ids:
        return
    column = pa.chunked_array([a.cast(pa.string()) if a.type != pa.string() else a for a in ids], type=pa.string())
    nulls = column.null_count
    if nulls:
        first = pc.index(pc.is_null(column), True).as_py()
        raise InputError(
            f"input.id_column: '{id_column}' is empty at row {first + 1} of the input; every row needs an id")
    if len(pc.unique(column)) == len(column):
        return
    counts = pc.value_counts(column)
    dup_mask = pc.greater(counts.field("counts"), 1)
    dup_values = pc.filter(counts.field("values"), dup_mask)
    value = dup_values[0].as_py()
    positions = pc.indices_nonzero(pc.equal(column, value)).to_pylist()[:3]
    where = ", ".join(str(p + 1) for p in positions)
    raise InputError(
        f"input.id_column: '{id_column}' must be unique; {value!r} appears at rows {where} of the input "
        f"({len(dup_values)} duplicated id{'s' if len(dup_values) > 1 else ''} in all)"
    )


def _guard(file: InputFile, make: Callable[[], Iterator[pa.RecordBatch]]) -> Iterator[pa.RecordBatch]:
    """Iterate batches, turning pyarrow's errors into one-line InputErrors naming the file."""
    try:
        yield from make()
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"{file.path}: cannot read ({_first_line(exc)})") from exc


def _csv_batches(file: InputFile) -> Iterator[pa.RecordBatch]:
    if file.part is not None and file.part[0] >= file.part[1]:
        return

    def make() -> Iterator[pa.RecordBatch]:
        source: Any = file.path if file.part is None else io.BufferedReader(_CsvSlice(file.path, *file.part))
        reader = pacsv.open_csv(source, read_options=pacsv.ReadOptions(block_size=1 << 20))
        yield from reader

    yield from _guard(file, make)


# ---------------------------------------------------------------- streaming rows


def _batch_from_dicts(rows: list[dict[str, Any]], info: InputInfo) -> pa.RecordBatch:
    if info.json_columns:
        rows = [
            {k: (orjson.dumps(v).decode() if k in info.json_columns and v is not None and not isinstance(v, str) else v)
             for k, v in r.items()}
            for r in rows
        ]
    try:
        return pa.RecordBatch.from_pylist(rows, schema=info.schema)
    except (pa.ArrowException, TypeError, ValueError, OverflowError) as exc:
        raise InputError(f"{info.display}: a value does not fit its column's type ({_first_line(exc)})") from exc


def iter_chunks(
    info: InputInfo,
    chunk_size: int,
    *,
    want: Callable[[int, int], bool] | None = None,
    stop: int | None = None,
) -> Iterator[Chunk]:
    """Yield rows [0, stop) in input order as chunks of at most `chunk_size` rows.

    `want(start, length)` False skips a chunk; the formats that allow it skip without decoding.
    """
    stop = info.num_rows if stop is None else min(stop, info.num_rows)
    position = 0
    for file in info.files:
        if position >= stop:
            return
        if file.format == "parquet":
            pf = _open_parquet(file)
            for rg, lo, hi in _row_group_spans(file, pf):
                rg_rows = hi - lo
                if position >= stop:
                    return
                if want is not None and not want(position, min(rg_rows, stop - position)):
                    position += rg_rows
                    continue
                for batch in _guard(file, functools.partial(_row_group_slice, pf, rg, lo, hi, chunk_size)):
                    batch = _conform(batch, info)
                    if position >= stop:
                        return
                    if position + batch.num_rows > stop:
                        batch = batch.slice(0, stop - position)
                    if want is None or want(position, batch.num_rows):
                        yield Chunk(start=position, length=batch.num_rows, _batch=batch)
                    position += batch.num_rows
        elif file.format == "csv":
            pending: list[pa.RecordBatch] = []
            pending_rows = 0
            for batch in _csv_batches(file):
                pending.append(_conform(batch, info))
                pending_rows += batch.num_rows
                while pending_rows >= chunk_size:
                    table = pa.Table.from_batches(pending)
                    head = table.slice(0, chunk_size).combine_chunks().to_batches()[0]
                    rest = table.slice(chunk_size)
                    pending = rest.combine_chunks().to_batches() if rest.num_rows else []
                    pending_rows -= chunk_size
                    if position >= stop:
                        return
                    head = head.slice(0, min(head.num_rows, stop - position))
                    if want is None or want(position, head.num_rows):
                        yield Chunk(start=position, length=head.num_rows, _batch=head)
                    position += head.num_rows
            if pending_rows and position < stop:
                tail = pa.Table.from_batches(pending).combine_chunks().to_batches()[0]
                tail = tail.slice(0, min(tail.num_rows, stop - position))
                if want is None or want(position, tail.num_rows):
                    yield Chunk(start=position, length=tail.num_rows, _batch=tail)
                position += tail.num_rows
        else:
            lines: list[tuple[int, bytes]] = []
            for item in _jsonl_rows(file):
                if position + len(lines) >= stop:
                    break
                lines.append(item)
                if len(lines) >= chunk_size:
                    chunk = _jsonl_chunk(file, lines, position, info, want)
                    if chunk is not None:
                        yield chunk
                    position += len(lines)
                    lines = []
            if lines:
                chunk = _jsonl_chunk(file, lines, position, info, want)
                if chunk is not None:
                    yield chunk
                position += len(lines)


def _jsonl_chunk(
    file: InputFile, lines: list[tuple[int, bytes]], start: int, info: InputInfo,
    want: Callable[[int, int], bool] | None,
) -> Chunk | None:
    if want is not None and not want(start, len(lines)):
        return None
    rows = [_parse_jsonl_line(file, lineno, line) for lineno, line in lines]
    return Chunk(start=start, length=len(rows), _rows=rows, _info=info)


def _conform(batch: pa.RecordBatch, info: InputInfo) -> pa.RecordBatch:
    if batch.schema.equals(info.schema):
        return batch
    try:
        return batch.cast(info.schema)
    except (pa.ArrowException, ValueError) as exc:
        raise InputError(f"{info.display}: a value does not fit its column's type ({_first_line(exc)})") from exc


def schema_to_json(info: InputInfo) -> dict[str, Any]:
    """Serialise what a resume needs to skip the scan (stored in the run manifest)."""
    return {
        "files": [[str(f.path), f.format, f.size, f.mtime_ns, *([list(f.part)] if f.part else [])]
                  for f in info.files],
        "schema": info.schema.serialize().to_pybytes().hex(),
        "num_rows": info.num_rows,
        "json_columns": sorted(info.json_columns),
    }


def schema_from_json(data: dict[str, Any]) -> InputInfo:
    files = [InputFile(path=Path(p), format=fmt, size=size, mtime_ns=mt,
                       part=(part[0][0], part[0][1]) if part else None)
             for p, fmt, size, mt, *part in data["files"]]
    schema = pa.ipc.read_schema(pa.py_buffer(bytes.fromhex(data["schema"])))
    return InputInfo(files=files, schema=schema, num_rows=int(data["num_rows"]),
                     json_columns=frozenset(data.get("json_columns", [])))
