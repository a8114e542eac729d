"""The end-to-end path in one test: spec -> requests -> Parquet with usage."""

from __future__ import annotations

from pathlib import Path

from conftest import make_job, reviews, run_cli


def test_run_writes_output_with_usage(tmp_path: Path, server) -> None:
    job = make_job(tmp_path, server.base_url, reviews(30))
    result = run_cli("run", str(job.spec))
    assert result.exit_code == 0, result.stderr
    table = job.read_output()
    assert table.column("id").to_pylist() == [r["id"] for r in reviews(30)]
    assert set(table.column("sentiment").to_pylist()) <= {"positive", "negative", "neutral"}
    assert server.stats()["requests"] == 30
