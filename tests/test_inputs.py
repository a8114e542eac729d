"""Input readers: Parquet row groups, JSONL lines, CSV, globs; id checks before any request."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import make_job, reviews, run_cli, write_jsonl, write_parquet

from batchrunner.errors import InputError
from batchrunner.inputs import InputInfo, discover, iter_chunks, scan_input


def scan(tmp_path: Path, pattern: str, id_column: str | None = "id") -> InputInfo:
    return scan_input(discover(pattern, tmp_path), id_column)


def all_rows(info: InputInfo, chunk_size: int, **kw: Any) -> list[dict[str, Any]]:
    return [row for chunk in iter_chunks(info, chunk_size, **kw) for row in chunk.rows()]


def needing(rows: set[int], seen: list[tuple[int, int]]) -> Any:
    """A `want` as the runner uses it: does any row of [start, start + length) still need work?"""

    def want(start: int, length: int) -> bool:
        seen.append((start, length))
        return any(i in rows for i in range(start, start + length))

    return want


def input_error(tmp_path: Path, pattern: str, id_column: str | None = "id") -> str:
    with pytest.raises(InputError) as info:
        scan(tmp_path, pattern, id_column)
    message = str(info.value)
    assert "\n" not in message
    return message


# ---------------------------------------------------------------- Parquet


def test_parquet_several_row_groups_with_uneven_chunks(tmp_path: Path) -> None:
    rows = reviews(1000)
    write_parquet(tmp_path / "d.parquet", rows, row_group_size=300)
    assert pq.ParquetFile(tmp_path / "d.parquet").metadata.num_row_groups == 4
    info = scan(tmp_path, "d.parquet")
    assert info.num_rows == 1000
    assert info.columns == ["id", "text", "stars"]
    chunks = list(iter_chunks(info, 128))  # 128 divides neither 300 nor 1000
    assert all(0 < c.length <= 128 for c in chunks)
    starts = [c.start for c in chunks]
    assert starts == sorted(starts) and starts[0] == 0
    assert all(a.start + a.length == b.start for a, b in zip(chunks, chunks[1:], strict=False))
    assert [r["id"] for c in chunks for r in c.rows()] == [r["id"] for r in rows]
    assert chunks[0].batch().schema == info.schema


def test_parquet_stop_and_want_skip_chunks(tmp_path: Path) -> None:
    rows = reviews(1000)
    write_parquet(tmp_path / "d.parquet", rows, row_group_size=300)
    info = scan(tmp_path, "d.parquet")
    assert [r["id"] for r in all_rows(info, 128, stop=450)] == [r["id"] for r in rows[:450]]
    seen: list[tuple[int, int]] = []
    need = set(range(610, 700)) | {999}
    got = all_rows(info, 128, want=needing(need, seen))
    ids = [int(r["id"][1:]) for r in got]
    assert need <= set(ids) and ids == sorted(ids)
    assert max(ids) == 999 and min(ids) >= 600  # the row groups before 600 were not read
    # Whole row groups without a needed row are refused in one call each, without decoding them.
    assert (0, 300) in seen and (300, 300) in seen


def test_corrupt_parquet_is_one_line_input_error(tmp_path: Path) -> None:
    (tmp_path / "bad.parquet").write_bytes(b"this is not parquet at all" * 40)
    message = input_error(tmp_path, "bad.parquet")
    assert "bad.parquet" in message and "not a readable Parquet file" in message
    good = tmp_path / "good.parquet"
    write_parquet(good, reviews(100))
    (tmp_path / "cut.parquet").write_bytes(good.read_bytes()[:300])
    assert "cut.parquet" in input_error(tmp_path, "cut.parquet")


def corrupt_pages(path: Path) -> None:
    """Overwrite bytes in the middle of a Parquet file: the footer still reads, the data does not."""
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 3000] = b"A" * 3000
    path.write_bytes(bytes(data))


def test_parquet_with_damaged_pages_fails_at_scan(tmp_path: Path) -> None:
    write_parquet(tmp_path / "d.parquet", reviews(3000), row_group_size=500)
    corrupt_pages(tmp_path / "d.parquet")
    pq.ParquetFile(tmp_path / "d.parquet")  # the footer is fine
    assert "d.parquet: cannot read" in input_error(tmp_path, "d.parquet", None)


def test_parquet_with_damaged_pages_sends_nothing(tmp_path: Path, server) -> None:
    # No id_column: only a full decode at scan time can find the damage before requests go out.
    job = make_job(tmp_path, server.base_url, reviews(3000), input_name="data.parquet",
                   spec={"input": {"path": "data.parquet"}})
    write_parquet(tmp_path / "data.parquet", reviews(3000), row_group_size=500)
    corrupt_pages(tmp_path / "data.parquet")
    result = run_cli("run", str(job.spec))
    assert result.exit_code == 2, result.stderr
    assert "data.parquet: cannot read" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert server.stats()["requests"] == 0


def test_parquet_id_column_missing_suggests_nearest(tmp_path: Path) -> None:
    write_parquet(tmp_path / "d.parquet", reviews(5))
    message = input_error(tmp_path, "d.parquet", "idd")
    assert "input.id_column: 'idd' is not a column" in message and "did you mean 'id'?" in message


def test_parquet_duplicate_id_in_last_row_and_null_id(tmp_path: Path) -> None:
    rows = reviews(500)
    rows[-1]["id"] = rows[0]["id"]
    write_parquet(tmp_path / "d.parquet", rows, row_group_size=128)
    message = input_error(tmp_path, "d.parquet")
    assert "must be unique" in message and "'r00000' appears at rows 1, 500" in message
    rows = reviews(10)
    rows[7]["id"] = None
    write_parquet(tmp_path / "n.parquet", rows)
    assert "'id' is empty at row 8" in input_error(tmp_path, "n.parquet")


def test_integer_ids_work(tmp_path: Path) -> None:
    rows = [{"n": i, "text": str(i)} for i in range(50)]
    write_parquet(tmp_path / "d.parquet", rows)
    assert scan(tmp_path, "d.parquet", "n").num_rows == 50
    rows[49]["n"] = 3
    write_parquet(tmp_path / "d.parquet", rows)
    assert "'3' appears at rows 4, 50" in input_error(tmp_path, "d.parquet", "n")


# ---------------------------------------------------------------- JSONL


def test_jsonl_bad_line_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text('{"id": "a", "text": "x"}\n\n{"id": "b", "text": "y"}\n{"id": "c", "text": \n')
    message = input_error(tmp_path, "d.jsonl")
    assert f"{path}: line 4: not valid JSON" in message
    path.write_text('{"id": "a"}\n["not", "an", "object"]\n')
    assert f"{path}: line 2: expected a JSON object" in input_error(tmp_path, "d.jsonl")


def test_jsonl_blank_lines_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "d.jsonl").write_text('\n{"id": "a", "text": "x"}\n   \n\n{"id": "b", "text": "y"}\n\n')
    info = scan(tmp_path, "d.jsonl")
    assert info.num_rows == 2
    assert all_rows(info, 1) == [{"id": "a", "text": "x"}, {"id": "b", "text": "y"}]


def test_jsonl_schema_is_inferred_over_all_rows(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "d.jsonl", [{"id": "a", "n": 1, "x": 1, "obj": {"k": 1}},
                                       {"id": "b", "n": 2.5, "x": "one", "extra": True}])
    info = scan(tmp_path, "d.jsonl")
    assert info.schema.field("n").type == pa.float64()
    assert info.schema.field("extra").type == pa.bool_()
    assert info.columns == ["id", "n", "x", "obj", "extra"]
    batch = next(iter(iter_chunks(info, 10))).batch()
    assert batch.to_pylist()[0]["obj"] == '{"k":1}'  # objects are kept as JSON text
    assert batch.to_pylist()[1]["x"] == "one"


def test_jsonl_integers_beyond_int64_are_kept_as_text(tmp_path: Path, server) -> None:
    rows = reviews(300)
    for row in rows:
        row["n"] = 1
    rows[-1]["n"] = 18446744073709551615  # a u64 id from some other system
    job = make_job(tmp_path, server.base_url, rows)
    info = scan(tmp_path, "data.jsonl")
    assert info.schema.field("n").type == pa.string()
    result = run_cli("run", str(job.spec))
    assert result.exit_code == 0, result.stderr
    assert job.read_output().column("n").to_pylist()[-2:] == ["1", "18446744073709551615"]


def test_jsonl_id_missing_on_a_line(tmp_path: Path) -> None:
    (tmp_path / "d.jsonl").write_text('{"id": "a"}\n{"ID": "b"}\n')
    message = input_error(tmp_path, "d.jsonl")
    assert "d.jsonl: line 2: id_column 'id' is missing" in message


def test_jsonl_duplicate_id_on_the_last_line(tmp_path: Path) -> None:
    rows = reviews(300)
    write_jsonl(tmp_path / "d.jsonl", [*rows, {**rows[123], "text": "again"}])
    assert "'r00123' appears at rows 124, 301" in input_error(tmp_path, "d.jsonl")


def test_jsonl_null_id(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "d.jsonl", [{"id": "a"}, {"id": None}])
    assert "'id' is empty at row 2" in input_error(tmp_path, "d.jsonl")


# ---------------------------------------------------------------- CSV


def test_csv_reads_in_order_with_types(tmp_path: Path) -> None:
    lines = ["id,text,stars"] + [f'c{i},"hello, {i}",{i % 5}' for i in range(250)]
    (tmp_path / "d.csv").write_text("\n".join(lines) + "\n")
    info = scan(tmp_path, "d.csv")
    assert info.num_rows == 250
    assert info.schema.field("stars").type == pa.int64()
    rows = all_rows(info, 64)
    assert [r["id"] for r in rows] == [f"c{i}" for i in range(250)]
    assert rows[3] == {"id": "c3", "text": "hello, 3", "stars": 3}
    assert [r["id"] for r in all_rows(info, 64, stop=70)] == [f"c{i}" for i in range(70)]
    got = all_rows(info, 64, want=lambda start, length: start >= 128)
    assert [r["id"] for r in got] == [f"c{i}" for i in range(128, 250)]


def test_csv_duplicate_id(tmp_path: Path) -> None:
    (tmp_path / "d.csv").write_text("id,text\n1,a\n2,b\n1,c\n")
    assert "'1' appears at rows 1, 3" in input_error(tmp_path, "d.csv")


# ---------------------------------------------------------------- globs and files


def test_glob_reads_files_in_sorted_order_keeping_global_order(tmp_path: Path) -> None:
    (tmp_path / "parts").mkdir()
    rows = reviews(90)
    # Written out of order on purpose: sorted names decide the order, not creation time.
    for name, part in (("p2.parquet", rows[60:]), ("p0.parquet", rows[:25]), ("p1.parquet", rows[25:60])):
        write_parquet(tmp_path / "parts" / name, part, row_group_size=10)
    info = scan(tmp_path, "parts/*.parquet")
    assert [f.path.name for f in info.files] == ["p0.parquet", "p1.parquet", "p2.parquet"]
    assert info.num_rows == 90
    chunks = list(iter_chunks(info, 7))
    assert [r["id"] for c in chunks for r in c.rows()] == [r["id"] for r in rows]
    assert [c.start for c in chunks] == sorted(c.start for c in chunks)
    assert [r["id"] for r in all_rows(info, 7, stop=40)] == [r["id"] for r in rows[:40]]
    need = {3, 24, 25, 52, 53, 89}  # across row group and file boundaries
    got = all_rows(info, 7, want=needing(need, []))
    ids = [int(r["id"][1:]) for r in got]
    assert need <= set(ids) and ids == sorted(ids) and len(ids) < 60
    by_id = {r["id"]: r for r in rows}
    assert all(r == by_id[r["id"]] for r in got)


def test_jsonl_glob_global_order_and_cross_file_duplicate(tmp_path: Path) -> None:
    rows = reviews(30)
    write_jsonl(tmp_path / "b.jsonl", rows[10:])
    write_jsonl(tmp_path / "a.jsonl", rows[:10])
    info = scan(tmp_path, "*.jsonl")
    assert [r["id"] for r in all_rows(info, 4)] == [r["id"] for r in rows]
    assert [c.start for c in iter_chunks(info, 4)][:4] == [0, 4, 8, 10]
    write_jsonl(tmp_path / "c.jsonl", [rows[0]])
    assert "'r00000' appears at rows 1, 31" in input_error(tmp_path, "*.jsonl")


def test_glob_of_mixed_formats_is_refused(tmp_path: Path) -> None:
    write_parquet(tmp_path / "a.parquet", reviews(3))
    write_jsonl(tmp_path / "b.jsonl", reviews(3, prefix="b"))
    assert "one format" in input_error(tmp_path, "*")


def test_glob_with_differing_columns_is_refused(tmp_path: Path) -> None:
    write_parquet(tmp_path / "a.parquet", reviews(3))
    write_parquet(tmp_path / "b.parquet", [{"id": "x", "body": "y"}])
    message = input_error(tmp_path, "*.parquet")
    assert "b.parquet" in message and "differ" in message


def test_missing_file_unmatched_glob_unsupported_extension(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="input.path: no such file: .*nope.jsonl"):
        discover("nope.jsonl", tmp_path)
    with pytest.raises(InputError, match=r"input.path: no file matches .*\*.parquet"):
        discover("*.parquet", tmp_path)
    (tmp_path / "d.txt").write_text("hi")
    with pytest.raises(InputError, match=r"d.txt: unsupported file type '.txt'"):
        discover("d.txt", tmp_path)
    (tmp_path / "folder").mkdir()
    with pytest.raises(InputError, match="is a folder"):
        discover("folder", tmp_path)


def test_empty_input_is_refused(tmp_path: Path, server) -> None:
    job = make_job(tmp_path, server.base_url, [])
    (tmp_path / "data.jsonl").write_text("\n\n")
    result = run_cli("run", str(job.spec))
    assert result.exit_code == 2
    assert "data.jsonl" in result.stderr and "no rows" in result.stderr
    assert server.stats()["requests"] == 0


# ---------------------------------------------------------------- through the CLI: exit 2, nothing sent


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_duplicate_id_at_the_last_line_sends_nothing(tmp_path: Path, server, fmt: str) -> None:
    rows = reviews(2000)
    rows.append({**rows[1500], "text": "same id again"})
    job = make_job(tmp_path, server.base_url, rows, input_name=f"data.{fmt}")
    result = run_cli("run", str(job.spec))
    assert result.exit_code == 2, result.stderr
    assert "'r01500' appears at rows 1501, 2001" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert server.stats()["requests"] == 0
    assert not job.output.exists()


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("corrupt", "not a readable Parquet file"),
        ("missing", "no such file"),
        ("badline", "line 3: not valid JSON"),
        ("no_id", "'id' is not a column"),
        ("null_id", "'id' is empty at row 2"),
        ("extension", "unsupported file type '.xlsx'"),
    ],
)
def test_broken_inputs_exit_2_with_one_line_and_no_request(tmp_path: Path, server, setup: str,
                                                            expected: str) -> None:
    name = {"corrupt": "data.parquet", "extension": "data.xlsx", "no_id": "data.parquet"}.get(setup, "data.jsonl")
    job = make_job(tmp_path, server.base_url, reviews(10), input_name=name)
    data = tmp_path / name
    if setup == "corrupt":
        data.write_bytes(b"\x00garbage bytes, not a parquet file\xff" * 100)
    elif setup == "missing":
        data.unlink()
    elif setup == "badline":
        data.write_text('{"id": "a", "text": "x"}\n{"id": "b", "text": "y"}\n{"id": "c", "text": "z"\n')
    elif setup == "no_id":
        write_parquet(data, [{"key": "a", "text": "x"}])
    elif setup == "null_id":
        data.write_bytes(orjson.dumps({"id": "a", "text": "x"}) + b"\n" + orjson.dumps({"id": None, "text": "y"}))
    elif setup == "extension":
        data.write_text("x")
    result = run_cli("run", str(job.spec))
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    assert expected in result.stderr
    assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert server.stats()["requests"] == 0
