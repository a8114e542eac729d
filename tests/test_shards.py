"""Shard planning, the shard's run state, `status` over shards, and `launch` output."""

from __future__ import annotations

import ast
import random
from pathlib import Path

import orjson
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
import yaml
from conftest import make_job, reviews, run_cli, write_jsonl

from batchrunner.errors import UsageError
from batchrunner.inputs import discover, iter_chunks, scan_input
from batchrunner.job import prepare
from batchrunner.shards import parse_shard, plan_shard, resolve_shard, shard_run_spec
from batchrunner.testing import FakeServer


@pytest.mark.parametrize("text,expected", [("0/1", (0, 1)), ("3/4", (3, 4)), (" 2/10 ", (2, 10))])
def test_parse_shard_accepts(text: str, expected: tuple[int, int]) -> None:
    assert parse_shard(text) == expected


@pytest.mark.parametrize("text", ["4/4", "-1/4", "1/0", "1", "a/b", "1/2/3", "", "/3"])
def test_parse_shard_rejects(text: str) -> None:
    with pytest.raises(UsageError, match="expected i/N"):
        parse_shard(text)


def _rows_of(files: list, id_column: str | None = None) -> list[dict]:
    if not files:
        return []
    info = scan_input(files, id_column)
    return [row for chunk in iter_chunks(info, 7) for row in chunk.rows()]


def _messy_rows(n: int, seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    return [{"id": f"x{i}", "text": "w" * rng.choice([0, 1, 5, 40, 300, 2000]), "n": i} for i in range(n)]


@pytest.mark.parametrize("count", [1, 2, 3, 5, 7, 64])
def test_jsonl_shards_concatenate_to_the_input(tmp_path: Path, count: int) -> None:
    rows = _messy_rows(120)
    write_jsonl(tmp_path / "a.jsonl", rows[:50])
    # a second file with blank lines and no final newline
    text = b"\n".join(orjson.dumps(r) + (b"\n" if i % 9 == 0 else b"") for i, r in enumerate(rows[50:]))
    (tmp_path / "b.jsonl").write_bytes(text)
    files = discover(str(tmp_path / "*.jsonl"), tmp_path)
    got = []
    for i in range(count):
        parts = plan_shard(files, i, count)
        for f in parts:
            assert f.part is not None and f.part[0] < f.part[1]
            data = f.path.read_bytes()
            assert f.part[0] == 0 or data[f.part[0] - 1:f.part[0]] == b"\n"  # starts at a line start
        got += _rows_of(parts)
    assert got == rows


@pytest.mark.parametrize("count", [1, 2, 3, 6, 50])
def test_csv_shards_concatenate_to_the_input_and_keep_the_header(tmp_path: Path, count: int) -> None:
    rows = _messy_rows(90, seed=7)
    for name, chunk in (("a.csv", rows[:40]), ("b.csv", rows[40:])):
        pacsv.write_csv(pa.Table.from_pylist(chunk), tmp_path / name)
    files = discover(str(tmp_path / "*.csv"), tmp_path)
    got = []
    for i in range(count):
        got += _rows_of(plan_shard(files, i, count))
    assert [(r["id"], r["text"] or "", r["n"]) for r in got] == [(r["id"], r["text"], r["n"]) for r in rows]


def test_parquet_shards_are_contiguous_row_groups(tmp_path: Path) -> None:
    rows = reviews(1000)
    pq.write_table(pa.Table.from_pylist(rows[:600]), tmp_path / "a.parquet", row_group_size=100)
    pq.write_table(pa.Table.from_pylist(rows[600:]), tmp_path / "b.parquet", row_group_size=100)
    files = discover(str(tmp_path / "*.parquet"), tmp_path)
    got = []
    for i in range(4):
        parts = plan_shard(files, i, 4)
        assert parts, f"shard {i} got nothing"
        for f in parts:  # whole row groups only: no shard decodes another's rows
            assert f.part is not None and f.part[0] % 100 == 0 and f.part[1] % 100 == 0
        got += _rows_of(parts, "id")
    assert got == rows


def test_parquet_with_fewer_row_groups_than_shards_splits_rows(tmp_path: Path) -> None:
    rows = reviews(103)
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "one.parquet")  # one row group
    files = discover(str(tmp_path / "one.parquet"), tmp_path)
    sizes, got = [], []
    for i in range(5):
        part = _rows_of(plan_shard(files, i, 5))
        sizes.append(len(part))
        got += part
    assert got == rows
    assert max(sizes) - min(sizes) <= 1


def test_index_from_the_launchers_environment(tmp_path: Path) -> None:
    job = make_job(tmp_path, None, spec={"run": {"shards": 4}})
    spec = prepare(job.spec).spec
    assert resolve_shard(spec, None, {"JOB_COMPLETION_INDEX": "2"}) == (2, 4)
    assert resolve_shard(spec, None, {"SLURM_ARRAY_TASK_ID": "3"}) == (3, 4)
    assert resolve_shard(spec, (1, 4), {"JOB_COMPLETION_INDEX": "2"}) == (1, 4)
    with pytest.raises(UsageError, match="no shard index"):
        resolve_shard(spec, None, {})
    with pytest.raises(UsageError, match="out of range"):
        resolve_shard(spec, None, {"SLURM_ARRAY_TASK_ID": "4"})
    with pytest.raises(UsageError, match="run.shards: 4"):
        resolve_shard(spec, (0, 3), {})
    other = tmp_path / "plain"
    other.mkdir()
    plain = prepare(make_job(other, None).spec).spec
    assert resolve_shard(plain, None, {"JOB_COMPLETION_INDEX": "2"}) is None  # not a sharded job


def test_run_shards_uses_the_env_index_and_plain_run_is_refused(tmp_path: Path, server: FakeServer) -> None:
    job = make_job(tmp_path, server.base_url, reviews(30), spec={"run": {"shards": 3, "concurrency": 4}})
    r = run_cli("run", str(job.spec), env={"JOB_COMPLETION_INDEX": "1"})
    assert r.exit_code == 0, r.stderr
    assert (tmp_path / ".batchrunner/runs/test-job/shard-1-of-3").is_dir()
    assert not job.output.exists()  # a shard writes no output; merge does
    r = run_cli("run", str(job.spec))
    assert r.exit_code == 2 and "no shard index" in r.stderr


def test_limits_are_split_across_parallel_shards(tmp_path: Path) -> None:
    job = make_job(tmp_path, None, spec={"run": {"requests_per_minute": 600, "tokens_per_minute": 90000,
                                                 "max_cost_usd": 8, "parallel_shards": 3}})
    run = shard_run_spec(prepare(job.spec).spec, 4)
    assert (run.requests_per_minute, run.tokens_per_minute, run.max_cost_usd) == (200, 30000, 2)
    job.rewrite(run={"requests_per_minute": 600, "rate_limit": {"backend": "redis", "url": "redis://127.0.0.1:1/0"}})
    run = shard_run_spec(prepare(job.spec).spec, 4)
    assert run.requests_per_minute == 600  # one shared window holds the whole budget


def test_shard_resumes_and_a_different_count_is_refused(tmp_path: Path, server: FakeServer) -> None:
    job = make_job(tmp_path, server.base_url, reviews(40))
    assert run_cli("run", str(job.spec), "--shard", "0/2", "--limit", "5").exit_code == 0
    r = run_cli("run", str(job.spec), "--shard", "0/2")
    assert r.exit_code == 0 and "resuming run" in r.stderr
    stats = server.stats()
    shard_rows = orjson.loads(run_cli("status", str(job.spec), "--json").stdout)["shards"][0]["rows"]
    assert stats["requests"] == shard_rows > 5
    assert max(k["requests"] for k in stats["per_key"].values()) == 1  # no row was sent twice
    r = run_cli("run", str(job.spec), "--shard", "0/3")
    assert r.exit_code == 2 and "state for 2 shards" in r.stderr and "--fresh" in r.stderr
    r = run_cli("run", str(job.spec), "--shard", "0/3", "--fresh")
    assert r.exit_code == 0, r.stderr


def test_status_sums_every_shard(tmp_path: Path, server: FakeServer) -> None:
    job = make_job(tmp_path, server.base_url, reviews(45), input_name="data.parquet")  # 15 rows a shard
    assert run_cli("run", str(job.spec), "--shard", "0/3").exit_code == 0
    assert run_cli("run", str(job.spec), "--shard", "2/3", "--limit", "4").exit_code == 0
    r = run_cli("status", str(job.spec), "--json")
    info = orjson.loads(r.stdout)
    states = {s["shard"]: s["state"] for s in info["shards"]}
    assert states == {"0/3": "finished", "1/3": "missing", "2/3": "incomplete"}
    assert info["ok"] == 15 + 4 and info["rows"] == 30 and info["pending"] == 11
    assert info["status"] == "unfinished" and info["missing"] == ["1/3"]
    text = run_cli("status", str(job.spec)).stdout
    assert "shard 1/3: missing" in text and "19 ok" in text


def test_more_shards_than_rows_leaves_some_empty(tmp_path: Path, server: FakeServer) -> None:
    job = make_job(tmp_path, server.base_url, reviews(3))
    for i in range(5):
        r = run_cli("run", str(job.spec), "--shard", f"{i}/5")
        assert r.exit_code == 0, r.stderr
    r = run_cli("merge", str(job.spec))
    assert r.exit_code == 0, r.stderr
    assert job.read_output().column("id").to_pylist() == ["r00000", "r00001", "r00002"]


# ---------------------------------------------------------------- launch


def test_launch_k8s_is_an_indexed_job(tmp_path: Path) -> None:
    job = make_job(tmp_path, None, spec={"endpoint": "openai"})
    r = run_cli("launch", str(job.spec), "--shards", "8", "--print", "k8s", "--parallel", "3", "--image", "me/br:1")
    assert r.exit_code == 0, r.stderr
    doc = yaml.safe_load(r.stdout)
    assert doc["kind"] == "Job" and doc["apiVersion"] == "batch/v1"
    spec = doc["spec"]
    assert spec["completionMode"] == "Indexed" and spec["completions"] == 8 and spec["parallelism"] == 3
    assert spec["backoffLimitPerIndex"] >= 1
    pod = spec["template"]["spec"]
    assert pod["restartPolicy"] == "Never"
    container = pod["containers"][0]
    assert container["image"] == "me/br:1"
    assert '--shard "$JOB_COMPLETION_INDEX/8"' in container["command"][-1]
    env = {e["name"]: e for e in container["env"]}
    assert env["BATCHRUNNER_STATE_DIR"]["value"].startswith(container["volumeMounts"][0]["mountPath"])
    assert env["OPENAI_API_KEY"]["valueFrom"]["secretKeyRef"]["key"] == "OPENAI_API_KEY"  # a reference, no key
    assert "persistentVolumeClaim" in pod["volumes"][0]


def test_launch_slurm_and_ray(tmp_path: Path) -> None:
    job = make_job(tmp_path, None)
    r = run_cli("launch", str(job.spec), "--shards", "5", "--print", "slurm")
    assert r.exit_code == 0, r.stderr
    assert "#SBATCH --array=0-4\n" in r.stdout and '--shard "${SLURM_ARRAY_TASK_ID}/5"' in r.stdout
    assert r.stdout.startswith("#!/bin/bash\n")
    r = run_cli("launch", str(job.spec), "--shards", "5", "--print", "slurm", "--parallel", "2")
    assert "#SBATCH --array=0-4%2\n" in r.stdout
    r = run_cli("launch", str(job.spec), "--shards", "5", "--print", "ray")
    assert r.exit_code == 0, r.stderr
    tree = ast.parse(r.stdout)
    names = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
    assert {"run_shard", "main"} <= names and "SHARDS = 5" in r.stdout and "merge" in r.stdout
    r = run_cli("launch", str(job.spec), "--shards", "5", "--print", "nomad")
    assert r.exit_code == 2
