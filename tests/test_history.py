"""`batchrunner history`: past runs from their manifests and journals, text and JSON."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from conftest import Job, make_job, reviews, run_cli

from batchrunner import api
from batchrunner import checkpoint as cp
from batchrunner.history import job_history
from batchrunner.job import JobOptions


def job_dir(job: Job) -> Path:
    return job.dir / ".batchrunner" / "runs" / "test-job"


@pytest.fixture
def three_runs(tmp_path: Path, server) -> Job:
    """Run 1: one row fails (exit 3). Run 1 again with --retry-failed: fixed (exit 0). Run 2: all from cache."""
    rows = reviews(10)
    rows[3]["text"] += " [[fail_first:1:400]]"  # a 400 is a row error, not retried; the next attempt succeeds
    job = make_job(tmp_path, server.base_url, rows)
    quiet = api.RunOptions(progress=False)
    assert api.run_job(job.spec, JobOptions(), quiet).exit_code == 3
    assert api.run_job(job.spec, JobOptions(), api.RunOptions(progress=False, retry_failed=True)).exit_code == 0
    assert api.run_job(job.spec, JobOptions(), api.RunOptions(progress=False, fresh=True)).exit_code == 0
    assert server.stats()["requests"] == 11
    return job


def test_history_json_lists_each_run_with_counts_oldest_first(three_runs: Job) -> None:
    result = run_cli("history", str(three_runs.spec), "--json")
    assert result.exit_code == 0, result.stderr
    runs = orjson.loads(result.stdout)
    assert len(runs) == 2
    first, second = runs
    # The retried row is counted once, as ok (summing the sessions would say 10 ok and 1 error).
    assert (first["rows"], first["ok"], first["error"], first["cached"]) == (10, 10, 0, 0)
    assert (first["sessions"], first["requests"], first["exit_code"], first["status"]) == (2, 11, 0, "finished")
    assert (second["ok"], second["cached"], second["requests"], second["total_tokens"]) == (10, 10, 0, 0)
    assert second["cost_usd"] == 0
    assert first["total_tokens"] == first["prompt_tokens"] + first["completion_tokens"] > 0
    assert first["cost_usd"] > 0
    manifests = [m for _, m in cp.list_runs(job_dir(three_runs))]
    assert [r["run_id"] for r in runs] == [m.run_id for m in manifests]
    assert first["duration_s"] == pytest.approx(sum(s["duration_s"] for s in manifests[0].sessions), abs=1e-3)
    assert first["start"].startswith(first["run_id"][:4])
    assert first["started_at"] == manifests[0].created_at


def test_history_text_is_a_table_newest_last(three_runs: Job) -> None:
    result = run_cli("history", str(three_runs.spec))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("test-job: 2 run(s) in ")
    assert lines[1].split() == ["run", "id", "start", "duration", "rows", "ok", "error", "cached", "tokens", "cost",
                                "exit", "status"]
    ids = [m.run_id for _, m in cp.list_runs(job_dir(three_runs))]
    first, second = (line.split() for line in lines[2:])
    assert first[0] == ids[0] and second[0] == ids[1]
    assert first[-2:] == ["0", "finished"] and second[-2:] == ["0", "finished"]
    assert second[5:9] == ["10", "10", "0", "10"]  # rows, ok, error, cached


def test_history_marks_a_dead_running_run_as_crashed_and_a_live_one_as_running(three_runs: Job) -> None:
    run_dir, manifest = cp.list_runs(job_dir(three_runs))[-1]
    manifest.status = cp.RUNNING
    manifest.exit_code = None
    manifest.save(run_dir)
    _, _, records = job_history(three_runs.spec)
    assert (records[-1].status, records[-1].exit_code) == ("crashed", None)
    with cp.JobLock(job_dir(three_runs) / "lock", "test-job"):
        _, _, records = job_history(three_runs.spec)
        text = run_cli("history", str(three_runs.spec)).stdout
    assert records[-1].status == "running"
    assert text.splitlines()[-1].split()[-2:] == ["-", "running"]


def test_history_needs_no_input_and_falls_back_to_sessions_without_a_journal(three_runs: Job) -> None:
    (three_runs.dir / "data.jsonl").unlink()  # tonight's input may not exist yet
    run_dir, _ = cp.list_runs(job_dir(three_runs))[0]
    (run_dir / "journal.sqlite").unlink()
    _, _, records = job_history(three_runs.spec)
    assert (records[0].ok, records[0].error) == (10, 1)  # the sessions' own counts
    assert records[1].ok == 10


def test_history_of_a_job_that_never_ran(tmp_path: Path) -> None:
    job = make_job(tmp_path, None)
    result = run_cli("history", str(job.spec))
    assert result.exit_code == 0
    assert result.stdout.startswith("test-job: no runs yet")
    assert orjson.loads(run_cli("history", str(job.spec), "--json").stdout) == []


def test_history_with_a_bad_spec_is_exit_2(tmp_path: Path) -> None:
    result = run_cli("history", str(tmp_path / "missing.yaml"))
    assert result.exit_code == 2
    assert "missing.yaml: no such file" in result.stderr


def test_history_honours_state_dir(tmp_path: Path, server) -> None:
    job = make_job(tmp_path, server.base_url, reviews(4))
    state = tmp_path / "elsewhere"
    assert api.run_job(job.spec, None, api.RunOptions(progress=False, state_dir=str(state))).exit_code == 0
    assert orjson.loads(run_cli("history", str(job.spec), "--json").stdout) == []
    runs = orjson.loads(run_cli("history", str(job.spec), "--json", "--state-dir", str(state)).stdout)
    assert [(r["ok"], r["requests"]) for r in runs] == [(4, 4)]


def test_history_lists_each_shards_runs_too(tmp_path: Path, server) -> None:
    job = make_job(tmp_path, server.base_url, reviews(12))
    for shard in ("0/2", "1/2"):
        assert run_cli("run", str(job.spec), "--shard", shard).exit_code == 0
    runs = orjson.loads(run_cli("history", str(job.spec), "--json").stdout)
    assert [r["shard"] for r in runs] == ["0/2", "1/2"]
    assert sum(r["ok"] for r in runs) == 12 and sum(r["requests"] for r in runs) == 12
    text = run_cli("history", str(job.spec)).stdout
    assert "[0/2]" in text and "[1/2]" in text
