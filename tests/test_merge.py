"""`batchrunner merge`: shards killed and rerun merge to exactly what one process writes."""

from __future__ import annotations

import glob
import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import make_job, reviews, run_cli, spawn_cli, write_jsonl

from batchrunner.testing import FakeServer, spawn_fakeserver

# Columns that differ between two correct runs: when and by which request an answer came.
VOLATILE = ("latency_ms", "request_id")


@pytest.fixture
def slow_server() -> Iterator[str]:
    """The fake server as its own process, 40 ms per request: shards are slow enough to kill."""
    proc, url = spawn_fakeserver({"latency_ms": 40})
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _stats(base_url: str) -> dict:
    return httpx.get(base_url.rsplit("/v1", 1)[0] + "/_stats", timeout=10).json()


def _journal_rows(state: Path, shard: str) -> int:
    paths = glob.glob(str(state / "runs/test-job" / shard / "*/journal.sqlite"))
    if not paths:
        return 0
    try:
        db = sqlite3.connect(f"file:{paths[0]}?mode=ro", uri=True, timeout=1)
        try:
            return int(db.execute("SELECT COUNT(*) FROM rows").fetchone()[0])
        finally:
            db.close()
    except sqlite3.DatabaseError:
        return 0


def _comparable(table: pa.Table) -> pa.Table:
    return table.drop_columns(list(VOLATILE))


def _wait(proc: subprocess.Popen[bytes], timeout: float = 60) -> tuple[int, str]:
    _, err = proc.communicate(timeout=timeout)
    return proc.returncode, err.decode()


def _kill(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=10)  # reaps it and closes its pipes


def test_killed_shard_reruns_and_merge_equals_one_process(tmp_path: Path, slow_server: str) -> None:
    concurrency = 4
    job = make_job(tmp_path, slow_server, reviews(600),
                   spec={"run": {"concurrency": concurrency, "max_retries": 2, "timeout_s": 10}})
    state = tmp_path / ".batchrunner"
    procs = [spawn_cli("run", str(job.spec), "--shard", f"{i}/3", "--no-progress") for i in range(3)]
    try:
        deadline = time.monotonic() + 60
        while _journal_rows(state, "shard-1-of-3") < 25:
            assert time.monotonic() < deadline, "shard 1 journaled nothing in 60 s"
            assert procs[1].poll() is None, "shard 1 finished before it could be killed"
            time.sleep(0.02)
        _kill(procs[1])
        done_at_kill = _journal_rows(state, "shard-1-of-3")
        assert 25 <= done_at_kill < 200
        for i in (0, 2):
            code, err = _wait(procs[i])
            assert code == 0, err
        # Before shard 1 is rerun, merge refuses and names it.
        r = run_cli("merge", str(job.spec))
        assert r.exit_code == 3 and "shard 1/3 crashed" in r.stderr and not job.output.exists()
        code, err = _wait(spawn_cli("run", str(job.spec), "--shard", "1/3", "--no-progress"))
        assert code == 0, err
        assert "resuming run" in err and f"{done_at_kill:,} of" in err
    finally:
        for p in procs:
            if p.returncode is None:
                _kill(p)
    r = run_cli("merge", str(job.spec), "--json")
    assert r.exit_code == 0, r.stderr
    summary = orjson.loads(r.stdout)
    assert (summary["rows"], summary["ok"], summary["layout"]) == (600, 600, "file")

    stats = _stats(slow_server)
    repeats = sum(k["requests"] - 1 for k in stats["per_key"].values())
    assert len(stats["per_key"]) == 600
    print(f"\nshard 1 killed at {done_at_kill} rows; {stats['requests']} requests for 600 rows, {repeats} repeated")
    assert repeats <= concurrency, f"{repeats} rows sent twice; at most the {concurrency} in flight may be"

    # The same job in one process, with its own state and cache.
    ref = tmp_path / "single.parquet"
    r = run_cli("run", str(job.spec), "--output", str(ref), "--state-dir", str(tmp_path / "single-state"),
                "--concurrency", "32", env={"BATCHRUNNER_CACHE_DIR": str(tmp_path / "single-cache")})
    assert r.exit_code == 0, r.stderr
    merged, single = pq.read_table(job.output), pq.read_table(ref)
    assert merged.schema.equals(single.schema)
    assert _comparable(merged).equals(_comparable(single))


def test_merge_names_missing_and_unfinished_shards(tmp_path: Path, server: FakeServer) -> None:
    job = make_job(tmp_path, server.base_url, reviews(30))
    assert run_cli("run", str(job.spec), "--shard", "0/4").exit_code == 0
    assert run_cli("run", str(job.spec), "--shard", "2/4", "--limit", "2").exit_code == 0
    r = run_cli("merge", str(job.spec))
    assert r.exit_code == 3
    assert "3 of 4 shards not finished" in r.stderr
    assert "shard 1/4 missing" in r.stderr and "shard 2/4 incomplete" in r.stderr and "shard 3/4 missing" in r.stderr
    assert "shard 0/4" not in r.stderr and not job.output.exists()
    r = run_cli("merge", str(tmp_path / "spec.yaml"), "--state-dir", str(tmp_path / "elsewhere"))
    assert r.exit_code == 2 and "no shards of job" in r.stderr


def test_merge_refuses_an_id_repeated_in_two_shards(tmp_path: Path, server: FakeServer) -> None:
    rows = reviews(12)
    rows[9]["id"] = rows[2]["id"]  # rows 3 and 10: each shard of two sees it once
    job = make_job(tmp_path, server.base_url, rows)
    for shard in ("0/2", "1/2"):
        assert run_cli("run", str(job.spec), "--shard", shard).exit_code == 0
    r = run_cli("merge", str(job.spec))
    assert r.exit_code == 2, r.stderr
    assert f"{rows[2]['id']!r} appears at rows 3, 10" in r.stderr
    assert not job.output.exists() and not list(job.output.parent.glob(f".{job.output.name}*"))
    # In one process the same input is refused before any request.
    before = server.stats()["requests"]
    assert run_cli("run", str(job.spec)).exit_code == 2 and server.stats()["requests"] == before


def test_merge_refuses_a_shard_run_with_other_settings(tmp_path: Path, server: FakeServer) -> None:
    job = make_job(tmp_path, server.base_url, reviews(20))
    for i in range(2):
        assert run_cli("run", str(job.spec), "--shard", f"{i}/2").exit_code == 0
    job.rewrite(prompt={"user": "Classify: {{ text }}"})
    assert run_cli("run", str(job.spec), "--shard", "0/2").exit_code == 0
    r = run_cli("merge", str(job.spec))
    assert r.exit_code == 3 and "shard 1/2 stale (run with a different templates)" in r.stderr


def test_parts_layout_and_cache_folding(tmp_path: Path, server: FakeServer) -> None:
    job = make_job(tmp_path, server.base_url, reviews(50))
    for i in range(3):
        assert run_cli("run", str(job.spec), "--shard", f"{i}/3").exit_code == 0
    assert server.stats()["requests"] == 50
    r = run_cli("merge", str(job.spec), "--parts", "--json")
    assert r.exit_code == 0, r.stderr
    summary = orjson.loads(r.stdout)
    assert summary["layout"] == "parts" and summary["cache_entries_folded"] == 50
    folder = tmp_path / "out"  # out.parquet's stem
    assert summary["output"] == str(folder) and (folder / "_SUCCESS").exists() and not job.output.exists()
    parts = sorted(p.name for p in folder.glob("part-*.parquet"))
    assert parts == ["part-00000-000.parquet", "part-00001-000.parquet", "part-00002-000.parquet"]
    table = pq.read_table(folder)  # readers take the folder as one dataset, in order
    assert table.column("id").to_pylist() == [r["id"] for r in reviews(50)]
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    assert run_cli("merge", str(job.spec), "--parts").exit_code == 0  # again: swapped in whole
    assert sorted(p.name for p in folder.iterdir()) == sorted(before)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]  # no temp left behind

    # A single-file merge; a later plain run is answered from the folded cache.
    assert run_cli("merge", str(job.spec)).exit_code == 0 and job.output.is_file()
    r = run_cli("run", str(job.spec), "--output", str(tmp_path / "again.parquet"), "--json")
    assert r.exit_code == 0, r.stderr
    assert orjson.loads(r.stdout)["cached"] == 50 and server.stats()["requests"] == 50


def test_shards_read_the_main_cache(tmp_path: Path, server: FakeServer) -> None:
    job = make_job(tmp_path, server.base_url, reviews(24))
    assert run_cli("run", str(job.spec)).exit_code == 0  # fills the main cache
    for i in range(2):
        r = run_cli("run", str(job.spec), "--shard", f"{i}/2", "--json")
        assert r.exit_code == 0 and orjson.loads(r.stdout)["requests_sent"] == 0
    assert server.stats()["requests"] == 24


def test_row_errors_merge_with_exit_3_naming_the_shard(tmp_path: Path, server: FakeServer) -> None:
    rows = reviews(20)
    rows[15]["text"] = "[[status:400]] bad"
    job = make_job(tmp_path, server.base_url, rows, input_name="data.parquet")
    for i in range(2):
        run_cli("run", str(job.spec), "--shard", f"{i}/2")
    r = run_cli("merge", str(job.spec))
    assert r.exit_code == 3 and "shards 1/2" in r.stderr and "--retry-failed" in r.stderr
    table = job.read_output()
    assert table.num_rows == 20 and table.column("status").to_pylist()[15] == "error"


def test_jsonl_types_that_differ_between_shards_are_unified(tmp_path: Path, server: FakeServer) -> None:
    # The first half holds whole numbers, the second fractions: shard 0 infers int64, shard 1 double.
    rows = [{"id": f"a{i}", "text": f"t{i}", "score": i if i < 10 else i + 0.5} for i in range(20)]
    write_jsonl(tmp_path / "data.jsonl", rows)
    job = make_job(tmp_path, server.base_url, rows)
    for i in range(2):
        assert run_cli("run", str(job.spec), "--shard", f"{i}/2").exit_code == 0
    assert run_cli("merge", str(job.spec)).exit_code == 0
    table = job.read_output()
    assert table.schema.field("score").type == pa.float64()
    assert table.column("score").to_pylist() == [r["score"] for r in rows]
