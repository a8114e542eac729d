"""Run state: fingerprint, manifest, lock, journal, output assembly, and the run-choosing rules.

The crash tests with real killed subprocesses are in test_crash.py; these run in-process
(the CLI through CliRunner against the in-process fake server) or on the files directly.
"""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pytest
from conftest import Job, make_job, reviews, run_cli, write_jsonl

from batchrunner import api
from batchrunner import checkpoint as cp
from batchrunner.client import Usage
from batchrunner.errors import BatchRunnerError, CheckpointError
from batchrunner.job import prepare, scan
from batchrunner.output import write_output
from batchrunner.results import RowResult

ID_TEMPLATE = {"user": "Review: {{ text }} [[id:{{ id }}]]"}  # the server counts requests per row id


def run_dirs(job: Job) -> list[Path]:
    root = job.dir / ".batchrunner" / "runs" / "test-job"
    return sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []


def journal_rows(run_dir: Path) -> dict[int, dict[str, Any]]:
    db = sqlite3.connect(run_dir / "journal.sqlite")
    try:
        db.row_factory = sqlite3.Row
        return {r["idx"]: dict(r) for r in db.execute("SELECT * FROM rows")}
    finally:
        db.close()


def set_status(run_dir: Path, status: str) -> None:
    """What a Ctrl-C (or a kill -9 before the output) leaves in the manifest."""
    m = cp.Manifest.load(run_dir / "manifest.json")
    m.status = status
    m.save(run_dir)


def manifest(**kw: Any) -> cp.Manifest:
    base: dict[str, Any] = dict(run_id="r", job_name="test-job", fingerprint="fp", fingerprint_parts={},
                                status=cp.FINISHED, total_rows=10, input={}, created_at=0.0, updated_at=0.0)
    base.update(kw)
    return cp.Manifest(**base)


def ok_row(index: int, **kw: Any) -> RowResult:
    base: dict[str, Any] = dict(status="ok", value=f"v{index}", response_text=f"text {index}",
                                usage=Usage(10, 2, 12), cost_usd=0.001, latency_ms=5.0, attempts=1)
    base.update(kw)
    return RowResult(index, **base)


# ---------------------------------------------------------------- fingerprint


def test_fingerprint_parts_say_which_component_changed() -> None:
    a = cp.fingerprint_parts({"model": "m", "params": {"temperature": 0, "max_tokens": 5}})
    b = cp.fingerprint_parts({"params": {"max_tokens": 5, "temperature": 0}, "model": "m"})
    c = cp.fingerprint_parts({"model": "m", "params": {"temperature": 1, "max_tokens": 5}})
    assert a == b and cp.fingerprint_of(a) == cp.fingerprint_of(b)  # key order does not matter
    assert [k for k in a if a[k] != c[k]] == ["params"]
    assert cp.fingerprint_of(a) != cp.fingerprint_of(c)


@pytest.mark.parametrize(("change", "part"), [
    ({"prompt": {"user": "Rate: {{ text }}"}}, "templates"),
    ({"prompt": {"user": "Review: {{ text }}", "system": "Be terse."}}, "templates"),
    ({"model": "other-model"}, "model"),
    ({"params": {"temperature": 0.5, "max_tokens": 5}}, "params"),
    ({"parse": {"labels": ["good", "bad"]}}, "parse"),
    ({"endpoint": {"base_url": "http://127.0.0.1:10/v1"}}, "endpoint"),
])
def test_fingerprint_covers_what_decides_the_requests(tmp_path: Path, change: dict[str, Any], part: str) -> None:
    job = make_job(tmp_path, None)
    before = prepare(job.spec)
    job.rewrite(**change)
    after = prepare(job.spec)
    assert after.fingerprint != before.fingerprint
    assert [k for k, v in after.fingerprint_parts.items() if before.fingerprint_parts[k] != v] == [part]


def test_fingerprint_covers_the_input_identity(tmp_path: Path) -> None:
    job = make_job(tmp_path, None, reviews(5))
    before = prepare(job.spec)
    write_jsonl(tmp_path / "data.jsonl", reviews(6))
    after = prepare(job.spec)
    assert [k for k, v in after.fingerprint_parts.items() if before.fingerprint_parts[k] != v] == ["input"]


def test_fingerprint_ignores_runner_knobs_and_output(tmp_path: Path) -> None:
    job = make_job(tmp_path, None)
    before = prepare(job.spec)
    job.rewrite(run={"concurrency": 1, "max_retries": 0, "timeout_s": 99, "requests_per_minute": 5},
                output={"path": "elsewhere.parquet", "column": "sentiment"})
    assert prepare(job.spec).fingerprint == before.fingerprint


# ---------------------------------------------------------------- manifest


def test_manifest_round_trips_and_carries_its_format_version(tmp_path: Path) -> None:
    m = manifest(run_id="abc", sessions=[{"ok": 3}], limit=7)
    m.save(tmp_path)
    data = orjson.loads((tmp_path / "manifest.json").read_bytes())
    assert data["format_version"] == cp.FORMAT_VERSION
    loaded = cp.Manifest.load(tmp_path / "manifest.json")
    assert (loaded.run_id, loaded.limit, loaded.sessions, loaded.status) == ("abc", 7, [{"ok": 3}], cp.FINISHED)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # atomic write leaves no temp file


@pytest.mark.parametrize("content", [b'{"format_version": 999, "run_id": "x"}', b'{"format_ver', b""])
def test_unreadable_manifest_is_a_checkpoint_error_that_offers_fresh(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "manifest.json").write_bytes(content)
    with pytest.raises(CheckpointError, match="--fresh") as info:
        cp.Manifest.load(tmp_path / "manifest.json")
    assert "manifest.json" in str(info.value)


def test_list_runs_is_oldest_first_and_skips_broken_folders(tmp_path: Path) -> None:
    for name, created in (("b", 2.0), ("a", 3.0), ("c", 1.0)):
        (tmp_path / name).mkdir()
        manifest(run_id=name, created_at=created).save(tmp_path / name)
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "manifest.json").write_bytes(b"{")
    (tmp_path / "empty").mkdir()
    assert [m.run_id for _, m in cp.list_runs(tmp_path)] == ["c", "b", "a"]
    assert cp.list_runs(tmp_path / "missing") == []


# ---------------------------------------------------------------- lock


def test_lock_is_exclusive_and_names_the_holder(tmp_path: Path) -> None:
    path = tmp_path / "runs" / "job" / "lock"
    first = cp.JobLock(path, "job")
    first.acquire()
    assert path.read_text().strip() == str(os.getpid())
    with pytest.raises(CheckpointError, match=rf"'job' is already running \(pid {os.getpid()}\b"):
        cp.JobLock(path, "job").acquire()
    first.release()
    with cp.JobLock(path, "job"):  # free again once released
        pass


def test_lock_held_by_another_process_names_its_pid(tmp_path: Path) -> None:
    path = tmp_path / "lock"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time\nfrom pathlib import Path\nfrom batchrunner.checkpoint import JobLock\n"
         f"JobLock(Path({str(path)!r}), 'job').acquire()\nprint('held', flush=True)\ntime.sleep(60)"],
        stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"held"
        with pytest.raises(CheckpointError, match=rf"pid {holder.pid}\b"):
            cp.JobLock(path, "job").acquire()
    finally:
        holder.kill()
        holder.wait()
        assert holder.stdout is not None
        holder.stdout.close()
    with cp.JobLock(path, "job"):  # the kernel dropped the dead holder's flock
        assert path.read_text().strip() == str(os.getpid())


def test_a_status_probe_of_the_lock_does_not_fail_a_starting_run(tmp_path: Path) -> None:
    import fcntl
    import threading

    path = tmp_path / "lock"
    path.touch()
    probe = os.open(path, os.O_RDONLY)
    fcntl.flock(probe, fcntl.LOCK_SH | fcntl.LOCK_NB)  # what `status` does to see whether a run is alive
    timer = threading.Timer(0.1, os.close, (probe,))
    timer.start()
    try:
        with cp.JobLock(path, "job"):
            assert path.read_text().strip() == str(os.getpid())
    finally:
        timer.join()


def dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_stale_lock_with_dead_pid_is_taken_over(tmp_path: Path, server) -> None:
    job = make_job(tmp_path, server.base_url, reviews(10))
    lock = tmp_path / ".batchrunner" / "runs" / "test-job" / "lock"
    lock.parent.mkdir(parents=True)
    lock.write_text(f"{dead_pid()}\n")  # a holder that died without releasing: no flock, pid left behind
    result = run_cli("run", str(job.spec))
    assert result.exit_code == 0, result.stderr
    assert job.read_output().num_rows == 10


# ---------------------------------------------------------------- journal


def test_journal_keeps_finished_rows_in_input_order(tmp_path: Path) -> None:
    j = cp.Journal(tmp_path / "journal.sqlite")
    order = list(range(50))
    random.Random(3).shuffle(order)
    for n, i in enumerate(order):
        if i % 7 == 0:
            j.add(RowResult(i, "error", error_kind="http_4xx" if i % 2 else "timeout", error_message="no",
                            attempts=i % 3 + 1))
        else:
            j.add(ok_row(i))
        if n % 9 == 0:
            j.flush()
    assert j.has_pending
    j.close()

    j = cp.Journal(tmp_path / "journal.sqlite")
    try:
        states = j.states(60)
        assert [i for i in range(60) if states[i] == cp.PENDING] == list(range(50, 60))
        assert {i for i in range(50) if states[i] == cp.ERROR} == {0, 7, 14, 21, 28, 35, 42, 49}
        assert j.attempts_of_errors() == {i: i % 3 + 1 for i in (0, 7, 14, 21, 28, 35, 42, 49)}
        assert [r[0] for r in j.range(10, 20)] == list(range(10, 20))
        t = j.totals()
        assert (t.ok, t.error, t.prompt_tokens, t.total_tokens) == (42, 8, 420, 504)
        assert t.cost_usd == pytest.approx(0.042)
        assert t.error_kinds == {"timeout": 4, "http_4xx": 4}
        assert t.last_activity is not None
        assert j.totals(stop=20).ok == 17
    finally:
        j.close()


def test_journal_rewrites_a_retried_row_instead_of_duplicating_it(tmp_path: Path) -> None:
    j = cp.Journal(tmp_path / "journal.sqlite")
    j.add(RowResult(3, "error", error_kind="http_4xx", error_message="bad", attempts=1))
    j.flush()
    j.add(ok_row(3, attempts=2))
    j.close()
    rows = journal_rows(tmp_path)
    assert list(rows) == [3] and rows[3]["status"] == "ok" and rows[3]["attempts"] == 2


def test_journal_parts_round_trip(tmp_path: Path) -> None:
    j = cp.Journal(tmp_path / "journal.sqlite")
    j.add_part(cp.PartResult(4, 1, "second", Usage(5, 1, 6), 0.5, 2, "stop"))
    j.add_part(cp.PartResult(4, 0, "first", Usage(7, 1, 8), 0.25, 1, "stop"))
    j.close()
    j = cp.Journal(tmp_path / "journal.sqlite")
    try:
        parts = j.parts_of(4)
        assert sorted(parts) == [0, 1] and parts[0].text == "first" and parts[1].attempts == 2
        assert parts[1].usage.total_tokens == 6 and j.parts_of(5) == {}
    finally:
        j.close()


_CRASHING_WRITER = """
import os, sys
from pathlib import Path
from batchrunner import checkpoint as cp
from batchrunner.client import Usage
from batchrunner.results import RowResult
j = cp.Journal(Path(sys.argv[1]))
for i in range(100):
    j.add(RowResult(i, "ok", value="x" * 50, response_text="y" * 50, usage=Usage(1, 1, 2), attempts=1))
    if i % 10 == 9:
        j.flush()  # ten commits of ten rows
os._exit(0)  # die without closing: the rows live only in the WAL
"""


def crashed_journal(tmp_path: Path) -> Path:
    path = tmp_path / "journal.sqlite"
    subprocess.run([sys.executable, "-c", _CRASHING_WRITER, str(path)], check=True)
    wal = path.with_name(path.name + "-wal")
    assert wal.stat().st_size > 32, "the test needs the rows to be in the WAL"
    return wal


def test_garbage_after_the_last_wal_frame_is_ignored(tmp_path: Path) -> None:
    wal = crashed_journal(tmp_path)
    with open(wal, "ab") as fh:
        fh.write(os.urandom(3000))  # a torn, half-written frame
    j = cp.Journal(tmp_path / "journal.sqlite")
    try:
        assert j.states(100).count(cp.OK) == 100
    finally:
        j.close()


def test_wal_cut_mid_frame_loses_only_the_last_commit(tmp_path: Path) -> None:
    wal = crashed_journal(tmp_path)
    os.truncate(wal, wal.stat().st_size - 1000)  # the last commit's last frame is cut in the middle
    j = cp.Journal(tmp_path / "journal.sqlite")
    try:
        states = j.states(100)
        # Commits are all-or-nothing: the first nine are intact, the torn tenth is gone.
        assert [i for i in range(100) if states[i] == cp.OK] == list(range(90))
        j.add(ok_row(95))  # and the journal takes writes again
        j.flush()
        assert j.states(100)[95] == cp.OK
    finally:
        j.close()


@pytest.mark.parametrize("readonly", [False, True], ids=["run", "status"])
def test_a_damaged_journal_is_a_one_line_error_that_offers_fresh(tmp_path: Path, readonly: bool) -> None:
    path = tmp_path / "journal.sqlite"
    j = cp.Journal(path)
    for i in range(3000):
        j.add(ok_row(i))
    j.close()
    data = bytearray(path.read_bytes())
    rng = random.Random(1)
    for offset in range(8192, len(data), 4096):  # scribble over every page after the schema
        data[offset:offset + 100] = rng.randbytes(100)
    path.write_bytes(bytes(data))
    with pytest.raises(CheckpointError, match=r"journal.sqlite: the journal is damaged .*--fresh"):
        journal = cp.Journal(path, readonly=readonly)
        try:
            journal.totals() if readonly else journal.states(3000)
        finally:
            journal._db.close()


# ---------------------------------------------------------------- output assembly


def test_output_is_assembled_in_input_order_from_a_journal_written_out_of_order(tmp_path: Path) -> None:
    rows = reviews(300)
    job = make_job(tmp_path, None, rows)
    prepared = prepare(job.spec)
    info = scan(prepared)
    j = cp.Journal(tmp_path / "journal.sqlite")
    order = list(range(300))
    random.Random(7).shuffle(order)
    for n, i in enumerate(order):
        j.add(ok_row(i, value=f"label-{rows[i]['id']}") if i % 11 else
              RowResult(i, "error", error_kind="invalid_label", error_message="got 'maybe'", attempts=2))
        if n % 37 == 0:
            j.flush()
    j.flush()
    try:
        out = tmp_path / "out.parquet"
        written = write_output(out, info, j, value_column="sentiment", value_type=pa.string(), mode="labels",
                               chunk_size=64)
        assert written == 300
        table = pa.parquet.read_table(out)
        ids = table.column("id").to_pylist()
        assert ids == [r["id"] for r in rows]
        values = table.column("sentiment").to_pylist()
        assert values == [None if i % 11 == 0 else f"label-{rows[i]['id']}" for i in range(300)]
        assert table.column("error").to_pylist()[0] == "invalid_label: got 'maybe'"
        assert table.column("attempts").to_pylist()[:2] == [2, 1]
        assert table.column("text").to_pylist() == [r["text"] for r in rows]
        # A hole in the journal is refused rather than written as a half output.
        j._db.execute("DELETE FROM rows WHERE idx = 250")
        with pytest.raises(BatchRunnerError, match="row 251 has no result"):
            write_output(tmp_path / "other.parquet", info, j, value_column="sentiment", value_type=pa.string(),
                         mode="labels", chunk_size=64)
        assert not (tmp_path / "other.parquet").exists()
        assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    finally:
        j.close()


# ---------------------------------------------------------------- choosing the run


def test_choose_run(tmp_path: Path) -> None:
    job = prepare(make_job(tmp_path, None).spec)
    fp, parts = job.fingerprint, job.fingerprint_parts
    other_parts = {**parts, "templates": "0" * 16}

    def runs(*specs: tuple[str, str, bool]) -> list[tuple[Path, cp.Manifest]]:
        return [(tmp_path / rid, manifest(run_id=rid, status=st, fingerprint=fp if same else "other",
                                          fingerprint_parts=parts if same else other_parts, created_at=n))
                for n, (rid, st, same) in enumerate(specs)]

    choose = api._choose_run
    opts = api.RunOptions
    assert choose(job, [], opts()) is None
    assert choose(job, runs(("a", cp.FINISHED, True)), opts()) is None  # a finished run: start a new one
    for status in cp.UNFINISHED_STATES:
        chosen = choose(job, runs(("a", cp.FINISHED, True), ("b", status, True)), opts())
        assert chosen is not None and chosen[1].run_id == "b"
    assert choose(job, runs(("a", cp.INTERRUPTED, True)), opts(fresh=True)) is None
    with pytest.raises(CheckpointError, match=r"different templates.*--fresh"):
        choose(job, runs(("a", cp.INTERRUPTED, False)), opts())
    # --retry-failed goes back to the latest finished run with this fingerprint.
    chosen = choose(job, runs(("a", cp.FINISHED, True), ("b", cp.FINISHED, False)), opts(retry_failed=True))
    assert chosen is not None and chosen[1].run_id == "a"
    # An unfinished run that a later run finished past (`run --fresh`) is abandoned, not resumed.
    assert choose(job, runs(("a", cp.INTERRUPTED, True), ("b", cp.FINISHED, True)), opts()) is None
    # Among unfinished runs, the one with the same fingerprint is found.
    chosen = choose(job, runs(("a", cp.INTERRUPTED, True), ("b", cp.INTERRUPTED, False)), opts())
    assert chosen is not None and chosen[1].run_id == "a"


# ---------------------------------------------------------------- commands


def test_resume_with_nothing_to_resume_is_exit_2(tmp_path: Path, server) -> None:
    job = make_job(tmp_path, server.base_url, reviews(5))
    result = run_cli("resume", str(job.spec))
    assert result.exit_code == 2
    assert "nothing to resume" in result.stderr and "Traceback" not in result.stderr
    assert run_cli("run", str(job.spec)).exit_code == 0
    result = run_cli("resume", str(job.spec))  # the only run finished: still nothing to resume
    assert result.exit_code == 2 and "nothing to resume" in result.stderr
    assert server.stats()["requests"] == 5


def test_rejected_rows_are_errors_then_retry_failed_reasks_only_them(tmp_path: Path, server) -> None:
    rows = reviews(40)
    bad = {3, 17, 18, 39}
    for i in bad:
        rows[i]["text"] += " [[fail_first:1:400]]"  # the first request is a 400, later ones succeed
    job = make_job(tmp_path, server.base_url, rows, spec={"prompt": ID_TEMPLATE})
    bad_ids = {rows[i]["id"] for i in bad}

    first = run_cli("run", str(job.spec))
    assert first.exit_code == 3, first.stderr
    assert "--retry-failed" in first.stderr
    per_key = server.stats()["per_key"]
    assert {k for k, v in per_key.items() if v["ok"] == 0} == bad_ids
    assert all(v["requests"] == 1 for v in per_key.values())  # a 400 is not retried
    table = job.read_output().to_pylist()
    assert {r["id"] for r in table if r["status"] == "error"} == bad_ids
    assert all(r["error"].startswith("http_4xx") for r in table if r["status"] == "error")
    before = {r["id"]: r for r in table}

    status = orjson.loads(run_cli("status", str(job.spec), "--json").stdout)
    assert (status["ok"], status["error"], status["pending"]) == (36, 4, 0)
    assert status["error_kinds"] == {"http_4xx": 4}

    second = run_cli("run", str(job.spec), "--retry-failed")
    assert second.exit_code == 0, second.stderr
    assert "retrying 4 failed rows of run" in second.stderr and "36 of 40 rows done" in second.stderr
    per_key = server.stats()["per_key"]
    assert {k for k, v in per_key.items() if v["requests"] == 2} == bad_ids
    assert all(v["requests"] == 1 for k, v in per_key.items() if k not in bad_ids)
    after = {r["id"]: r for r in job.read_output().to_pylist()}
    assert all(r["status"] == "ok" for r in after.values())
    assert {i: after[i]["attempts"] for i in bad_ids} == {i: 2 for i in bad_ids}
    for i, row in after.items():  # ok rows untouched: same reply, same request id, one attempt
        if i not in bad_ids:
            assert row == before[i] and row["attempts"] == 1
    assert len(run_dirs(job)) == 1  # the retry went into the same run


def test_fingerprint_change_is_refused_knobs_are_not(tmp_path: Path, server) -> None:
    job = make_job(tmp_path, server.base_url, reviews(30))
    assert run_cli("run", str(job.spec), "--limit", "10").exit_code == 0
    (run_dir,) = run_dirs(job)
    set_status(run_dir, cp.INTERRUPTED)

    # Runner knobs may change between resumes.
    job.rewrite(run={"concurrency": 1, "max_retries": 0, "timeout_s": 5})
    result = run_cli("run", str(job.spec), "--limit", "20", "--concurrency", "3")
    assert result.exit_code == 0, result.stderr
    assert f"resuming run {run_dir.name}: 10 of 20 rows done" in result.stderr
    assert server.stats()["requests"] == 20
    set_status(run_dir, cp.INTERRUPTED)

    job.rewrite(prompt={"user": "Product review: {{ text }}"})
    refused = run_cli("run", str(job.spec))
    assert refused.exit_code == 2
    assert "different templates" in refused.stderr and "--fresh" in refused.stderr
    assert run_dir.name in refused.stderr and "Traceback" not in refused.stderr
    assert server.stats()["requests"] == 20  # nothing was sent
    assert run_cli("resume", str(job.spec)).exit_code == 2

    fresh = run_cli("run", str(job.spec), "--fresh")
    assert fresh.exit_code == 0, fresh.stderr
    assert "resuming" not in fresh.stderr
    assert server.stats()["requests"] == 50
    assert len(run_dirs(job)) == 2
    assert job.read_output().num_rows == 30
    # Going back to the old template later does not resurrect the run the fresh one replaced.
    job.rewrite(prompt={"user": "Review: {{ text }}"})
    again = run_cli("run", str(job.spec))
    assert again.exit_code == 0 and "resuming" not in again.stderr, again.stderr


def test_resumed_run_with_every_row_done_sends_nothing_and_writes_the_output(tmp_path: Path, server) -> None:
    job = make_job(tmp_path, server.base_url, reviews(25))
    assert run_cli("run", str(job.spec)).exit_code == 0
    expected = job.read_output()
    # A kill -9 after the last row was journaled but before the output was written.
    job.output.unlink()
    (run_dir,) = run_dirs(job)
    set_status(run_dir, cp.RUNNING)
    result = run_cli("run", str(job.spec), "--no-cache")
    assert result.exit_code == 0, result.stderr
    assert f"resuming run {run_dir.name}: 25 of 25 rows done" in result.stderr
    assert server.stats()["requests"] == 25
    assert job.read_output().equals(expected)
    assert cp.Manifest.load(run_dir / "manifest.json").status == cp.FINISHED


def test_status_json_matches_the_journal(tmp_path: Path, server) -> None:
    rows = reviews(30)
    for i in (2, 5, 9):
        rows[i]["text"] += " [[status:400]]"
    rows[11]["text"] += " [[reply:perhaps]]"  # not a label: invalid_label
    job = make_job(tmp_path, server.base_url, rows)
    assert run_cli("run", str(job.spec), "--limit", "20").exit_code == 3
    (run_dir,) = run_dirs(job)
    set_status(run_dir, cp.INTERRUPTED)
    info = orjson.loads(run_cli("status", str(job.spec), "--json").stdout)
    journal = journal_rows(run_dir)
    assert info["run_id"] == run_dir.name and info["status"] == cp.INTERRUPTED and info["fingerprint_matches"]
    assert info["ok"] == sum(r["status"] == "ok" for r in journal.values()) == 16
    assert info["error"] == 4 and info["pending"] == 10 and info["pending_in_limit"] == 0
    assert info["error_kinds"] == {"http_4xx": 3, "invalid_label": 1}
    assert info["prompt_tokens"] == sum(r["prompt_tokens"] or 0 for r in journal.values())
    assert info["total_tokens"] == sum(r["total_tokens"] or 0 for r in journal.values()) > 0
    assert info["cost_usd"] == pytest.approx(sum(r["cost_usd"] or 0 for r in journal.values()), abs=1e-6)
    assert info["last_activity"] == pytest.approx(max(r["finished_at"] for r in journal.values()))
    assert time.time() - info["last_activity"] < 600
    text = run_cli("status", str(job.spec))
    assert text.exit_code == 0 and "16 ok, 4 error, 10 pending" in text.stdout


# ---------------------------------------------------------------- the "never pay twice" invariant


@pytest.mark.parametrize("split", [False, True], ids=["rows", "parts"])
def test_every_answer_is_journaled_before_another_request_goes_out(tmp_path: Path, split: bool) -> None:
    """What a kill -9 would repeat is the set of requests sent but not journaled; it must never
    exceed the concurrency. Checked at every request, against the journal as another connection sees it."""
    import asyncio

    import httpx

    concurrency = 4
    rows = reviews(120)
    spec: dict[str, Any] = {"run": {"concurrency": concurrency, "max_retries": 0, "timeout_s": 10},
                            "parse": None, "output": {"path": "out.parquet", "column": "summary"}}
    if split:  # several parts per row, replies joined (no reduce)
        for r in rows:
            r["text"] = " ".join(f"word{n}" for n in range(60))  # four parts of <= 50 tokens
        spec["prompt"] = {"user": "Summarize: {{ part }}", "split": {"column": "text", "max_tokens": 50, "overlap": 0}}
    job = make_job(tmp_path, "http://127.0.0.1:9/v1", rows, spec=spec)
    sent = 0
    worst = 0
    rng = random.Random(5)
    db: list[sqlite3.Connection] = []

    def committed() -> int:
        if not db:
            (journal,) = (job.dir / ".batchrunner").rglob("journal.sqlite")
            db.append(sqlite3.connect(journal))
        table = "parts" if split else "rows"
        return db[0].execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal sent, worst
        sent += 1
        worst = max(worst, sent - committed())
        await asyncio.sleep(rng.uniform(0, 0.004))
        return httpx.Response(200, json={
            "id": f"c{sent}", "model": "m", "object": "chat.completion",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": "fine"}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 5, "completion_tokens": 1, "total_tokens": 6}})

    try:
        summary = api.run_job(job.spec, options=api.RunOptions(transport=httpx.MockTransport(handler),
                                                               use_cache=False, log=lambda s: None))
    finally:
        for c in db:
            c.close()
    assert summary.exit_code == 0, summary.message
    assert sent == (480 if split else 120)
    assert worst <= concurrency, f"{worst} requests sent but not journaled at once (concurrency {concurrency})"
