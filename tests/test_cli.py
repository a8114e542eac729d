"""The CLI end to end against the loopback server: columns, types, order, usage, cost, exit codes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from conftest import REPO, make_job, repo_state_files, reviews, run_cli, spawn_cli, write_jsonl, write_parquet

RESULT_TYPES = [
    ("response_text", pa.string()),
    ("status", pa.string()),
    ("error", pa.string()),
    ("prompt_tokens", pa.int64()),
    ("completion_tokens", pa.int64()),
    ("total_tokens", pa.int64()),
    ("cached_tokens", pa.int64()),
    ("reasoning_tokens", pa.int64()),
    ("cost_usd", pa.float64()),
    ("latency_ms", pa.float64()),
    ("attempts", pa.int32()),
    ("finish_reason", pa.string()),
    ("model", pa.string()),
    ("request_id", pa.string()),
    ("cached", pa.bool_()),
]
LABELS = ["positive", "negative", "neutral"]
PRICE_IN, PRICE_OUT, DISCOUNT = 0.75, 4.5, 0.8


def words(text: str) -> int:
    return len(text.split())


def fake_usage(body: dict[str, Any], reply: str) -> tuple[int, int]:
    """The fake server's deterministic usage: words + 4 per message; words of the reply (at least 1)."""
    return sum(words(m["content"]) + 4 for m in body["messages"]), max(1, words(reply))


def varied_reviews(n: int) -> list[dict[str, Any]]:
    rows = reviews(n)
    for i, row in enumerate(rows):
        row["text"] = row["text"] + " extra" * (i % 7)  # prompt token counts that differ by row
    return rows


def check_output(table: pa.Table, rows: list[dict[str, Any]], server_stats: dict[str, Any],
                 input_schema: pa.Schema) -> None:
    """Columns, types, order, labels, usage and cost of a finished all-ok run."""
    n = len(rows)
    assert table.num_rows == n
    expected_names = input_schema.names + ["sentiment"] + [name for name, _ in RESULT_TYPES]
    assert table.schema.names == expected_names
    for f in input_schema:
        assert table.schema.field(f.name).type == f.type
    assert table.schema.field("sentiment").type == pa.string()
    for name, typ in RESULT_TYPES:
        assert table.schema.field(name).type == typ, name
    out = table.to_pylist()
    assert [r["id"] for r in out] == [r["id"] for r in rows]  # ids and input order kept
    assert [r["text"] for r in out] == [r["text"] for r in rows]
    assert all(r["status"] == "ok" and r["error"] is None for r in out)
    assert {r["sentiment"] for r in out} <= set(LABELS)
    noisy = [r for r in out if r["response_text"] != r["sentiment"]]
    assert len(noisy) > n // 3  # the server's noise really happened and was normalised away
    for r in noisy:
        assert r["sentiment"] in r["response_text"].lower()

    # Each row requested exactly once; usage equals what the server reported for that request.
    per_key = server_stats["per_key"]
    assert len(per_key) == n and all(v["requests"] == 1 for v in per_key.values())
    bodies = {b["messages"][-1]["content"]: b for b in server_stats["bodies"]}
    assert len(bodies) == n
    for r in out:
        body = bodies[f"Review: {r['text']}"]
        prompt, completion = fake_usage(body, r["response_text"])
        assert (r["prompt_tokens"], r["completion_tokens"], r["total_tokens"]) == (
            prompt, completion, prompt + completion), r["id"]
        assert (r["cached_tokens"], r["reasoning_tokens"]) == (0, 0)
        # PRODUCT.md: discount × ((prompt − cached) × input + cached × cached_input + completion × output) / 1e6
        assert r["cost_usd"] == pytest.approx(DISCOUNT * (prompt * PRICE_IN + completion * PRICE_OUT) / 1e6)
        assert r["attempts"] == 1 and r["cached"] is False
        assert r["finish_reason"] == "stop" and r["model"] == "test-model"
        assert r["request_id"] and r["request_id"].startswith("req_")
        assert r["latency_ms"] is not None and r["latency_ms"] >= 0
    assert len({r["request_id"] for r in out}) == n
    assert len({r["prompt_tokens"] for r in out}) > 3


def no_traceback(*texts: str) -> None:
    for text in texts:
        assert "Traceback" not in text


# ---------------------------------------------------------------- the big runs


def test_2000_row_jsonl_end_to_end(tmp_path: Path, server) -> None:
    rows = varied_reviews(2000)
    server.configure(label_noise=True)
    job = make_job(tmp_path, server.base_url, rows, spec={"run": {"concurrency": 16, "chunk_size": 97}})
    result = run_cli("run", str(job.spec), "--json")
    assert result.exit_code == 0, result.stderr
    no_traceback(result.stderr)
    summary = orjson.loads(result.stdout)  # exactly one JSON object, nothing else
    assert result.stdout.count("\n") == 1
    assert (summary["exit_code"], summary["rows"], summary["ok"], summary["error"]) == (0, 2000, 2000, 0)
    assert summary["requests_sent"] == 2000
    assert sum(summary["labels"].values()) == 2000
    table = job.read_output()
    schema = pa.schema([("id", pa.string()), ("text", pa.string()), ("stars", pa.int64())])
    stats = server.stats()
    check_output(table, rows, stats, schema)
    assert summary["prompt_tokens"] == pc_sum(table, "prompt_tokens")
    assert summary["total_tokens"] == pc_sum(table, "total_tokens")
    assert summary["cost_usd"] == pytest.approx(sum(table.column("cost_usd").to_pylist()))
    assert stats["max_in_flight"] <= 16


def pc_sum(table: pa.Table, column: str) -> int:
    return sum(table.column(column).to_pylist())


def test_2000_row_parquet_several_row_groups_in_a_subprocess(tmp_path: Path, server) -> None:
    rows = varied_reviews(2000)
    for i, row in enumerate(rows):
        row["id"] = f"k{(i * 7919) % 2000:05d}"  # unique ids, not sorted: order must follow the input
        row["price"] = i / 10
    server.configure(label_noise=True)
    job = make_job(tmp_path, server.base_url, rows, input_name="data.parquet",
                   spec={"run": {"concurrency": 8, "chunk_size": 256}})
    write_parquet(tmp_path / "data.parquet", rows, row_group_size=300)
    assert pq.ParquetFile(tmp_path / "data.parquet").metadata.num_row_groups == 7
    proc = spawn_cli("run", str(job.spec), "--json", "--state-dir", str(tmp_path / "state"))
    try:
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, stderr.decode()
    no_traceback(stderr.decode())
    lines = stdout.decode().splitlines()
    assert len(lines) == 1
    assert orjson.loads(lines[0])["ok"] == 2000
    assert (tmp_path / "state" / "runs" / "test-job").is_dir()
    assert not (tmp_path / ".batchrunner").exists()
    table = job.read_output()
    schema = pq.read_schema(tmp_path / "data.parquet")
    check_output(table, rows, server.stats(), schema)
    assert table.column("price").to_pylist() == [r["price"] for r in rows]


def test_second_run_sends_nothing_and_keeps_output(tmp_path: Path, server) -> None:
    job = make_job(tmp_path, server.base_url, reviews(30))
    assert run_cli("run", str(job.spec)).exit_code == 0
    first = job.read_output()
    result = run_cli("run", str(job.spec), "--fresh", "--json")
    assert result.exit_code == 0
    assert server.stats()["requests"] == 30  # the fresh run was answered from the response cache
    second = job.read_output()
    assert second.column("cached").to_pylist() == [True] * 30
    assert second.column("sentiment").to_pylist() == first.column("sentiment").to_pylist()


# ---------------------------------------------------------------- options


def test_limit_concurrency_output(tmp_path: Path, server) -> None:
    server.configure(latency_ms=30)
    job = make_job(tmp_path, server.base_url, reviews(40))
    out = tmp_path / "elsewhere" / "x.parquet"
    result = run_cli("run", str(job.spec), "--limit", "12", "--concurrency", "3", "--output", str(out))
    assert result.exit_code == 0, result.stderr
    stats = server.stats()
    assert stats["requests"] == 12
    assert 1 <= stats["max_in_flight"] <= 3
    table = pq.read_table(out)
    assert table.column("id").to_pylist() == [r["id"] for r in reviews(12)]
    assert not job.output.exists()
    assert "12 rows" in result.stderr and "output:" in result.stderr


def test_summary_goes_to_stderr_and_json_to_stdout(tmp_path: Path, server) -> None:
    job = make_job(tmp_path, server.base_url, reviews(5))
    result = run_cli("run", str(job.spec))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "5 ok" in result.stderr and "tokens" in result.stderr and "rows/s" in result.stderr
    assert "$" in result.stderr


def test_dry_run_sends_nothing_and_estimates(tmp_path: Path, server) -> None:
    job = make_job(tmp_path, server.base_url, reviews(57))
    result = run_cli("run", str(job.spec), "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "57 rows" in result.stdout
    assert "prompt tokens" in result.stdout and "nothing was sent" in result.stdout
    tokens = int(result.stdout.split("~", 1)[1].split(" ", 1)[0].replace(",", ""))
    assert 57 * 5 <= tokens <= 57 * 40
    result = run_cli("run", str(job.spec), "--dry-run", "--json", "--limit", "10")
    assert result.exit_code == 0
    est = orjson.loads(result.stdout)
    assert est["rows"] == 10 and 0 < est["prompt_tokens"] < tokens
    assert est["cost_usd"] is not None and est["max_output_tokens"] == 5
    assert server.stats()["requests"] == 0
    assert not job.output.exists() and not (tmp_path / ".batchrunner").exists()


def test_validate_prints_a_request_and_sends_nothing(tmp_path: Path, server) -> None:
    job = make_job(tmp_path, server.base_url, reviews(20),
                   spec={"prompt": {"system": "Be brief.", "user": "Review: {{ text }}"}})
    result = run_cli("validate", str(job.spec))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("ok: spec.yaml")
    body = orjson.loads(result.stdout.split("first request:\n", 1)[1])
    assert body == {"model": "test-model",
                    "messages": [{"role": "system", "content": "Be brief."},
                                 {"role": "user", "content": "Review: review 0: great"}],
                    "temperature": 0, "max_tokens": 5}
    assert server.stats()["requests"] == 0
    assert not job.output.exists()


def test_validate_warns_about_unset_key(tmp_path: Path, server) -> None:
    job = make_job(tmp_path, server.base_url, reviews(2),
                   spec={"endpoint": {"base_url": server.base_url, "api_key_env": "SOME_UNSET_KEY"}})
    result = run_cli("validate", str(job.spec))
    assert result.exit_code == 0
    assert "SOME_UNSET_KEY" in result.stderr


# ---------------------------------------------------------------- exit codes


@pytest.mark.parametrize("column", ["status", "sentiment", "cost_usd", "response_text"])
def test_output_column_clash_is_exit_2(tmp_path: Path, server, column: str) -> None:
    rows = [{**r, column: "x"} for r in reviews(5)]
    job = make_job(tmp_path, server.base_url, rows)
    for args in (("run",), ("validate",), ("run", "--dry-run")):
        result = run_cli(*args, str(job.spec))
        assert result.exit_code == 2, (args, result.stderr)
        assert f"input column '{column}' clashes" in result.stderr
        no_traceback(result.stderr)
    assert server.stats()["requests"] == 0


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--concurrency", "0"), "--concurrency"),
        (("--limit", "0"), "--limit"),
        (("--limit", "ten"), "--limit"),
        (("--no-such-option",), "No such option"),
        (("--output", "out.csv"), "must end in .parquet"),
    ],
)
def test_bad_flags_exit_2(tmp_path: Path, server, args: tuple[str, ...], expected: str) -> None:
    job = make_job(tmp_path, server.base_url, reviews(3))
    result = run_cli("run", str(job.spec), *args)
    assert result.exit_code == 2, result.stderr
    assert expected in result.stderr
    no_traceback(result.stderr)
    assert server.stats()["requests"] == 0


def test_missing_spec_file_exit_2(tmp_path: Path) -> None:
    result = run_cli("run", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2 and "nope.yaml" in result.stderr
    no_traceback(result.stderr)


def test_bad_yaml_and_misspelled_key_exit_2(tmp_path: Path, server) -> None:
    job = make_job(tmp_path, server.base_url, reviews(3))
    job.spec.write_text(job.spec.read_text() + "prompt: {user: 'x'\n")
    result = run_cli("run", str(job.spec))
    assert result.exit_code == 2 and "invalid YAML" in result.stderr and "line " in result.stderr
    job = make_job(tmp_path, server.base_url, reviews(3), spec={"promt": {"user": "x"}})
    result = run_cli("run", str(job.spec))
    assert result.exit_code == 2 and "did you mean 'prompt'?" in result.stderr
    assert server.stats()["requests"] == 0


def test_row_errors_exit_3(tmp_path: Path, server) -> None:
    rows = reviews(10)
    rows[2]["text"] += " [[status:400]]"
    rows[7]["text"] += " [[status:404]]"
    job = make_job(tmp_path, server.base_url, rows)
    result = run_cli("run", str(job.spec), "--json")
    assert result.exit_code == 3, result.stderr
    no_traceback(result.stderr)
    summary = orjson.loads(result.stdout)
    assert (summary["ok"], summary["error"], summary["exit_code"]) == (8, 2, 3)
    out = job.read_output().to_pylist()
    assert [r["status"] for r in out] == ["ok", "ok", "error"] + ["ok"] * 4 + ["error", "ok", "ok"]
    bad = out[2]
    assert bad["error"].startswith("http_4xx: ") and bad["sentiment"] is None and bad["response_text"] is None
    assert bad["prompt_tokens"] is None and bad["cost_usd"] is None and bad["attempts"] == 1
    assert out[7]["error"].startswith("http_4xx: ")
    # 400s are not retried: one request each.
    assert server.stats()["by_status"] == {"200": 8, "400": 1, "404": 1}


def test_invalid_label_is_a_row_error(tmp_path: Path, server) -> None:
    rows = reviews(4)
    rows[1]["text"] += " [[reply:I cannot tell]]"
    job = make_job(tmp_path, server.base_url, rows)
    result = run_cli("run", str(job.spec))
    assert result.exit_code == 3
    out = job.read_output().to_pylist()[1]
    assert out["status"] == "error" and out["error"].startswith("invalid_label")
    assert out["response_text"] == "I cannot tell"
    assert out["prompt_tokens"] is not None  # the request was paid for
    assert out["cost_usd"] is not None and out["cost_usd"] > 0


def test_json_parse_and_no_pricing(tmp_path: Path, server) -> None:
    rows = reviews(3)
    rows[0]["text"] += ' [[reply:{"a": 1, "b": [true, null]}]]'
    rows[1]["text"] += " [[reply:not json]]"
    rows[2]["text"] += ' [[reply:```json\n{"a": 2}\n```]]'
    job = make_job(tmp_path, server.base_url, rows,
                   spec={"parse": {"json": True}, "pricing": None, "params": {"max_tokens": 50}})
    result = run_cli("run", str(job.spec))
    assert result.exit_code == 3, result.stderr
    out = job.read_output().to_pylist()
    assert orjson.loads(out[0]["sentiment"]) == {"a": 1, "b": [True, None]}
    assert out[1]["status"] == "error" and out[1]["error"].startswith("invalid_json")
    assert orjson.loads(out[2]["sentiment"]) == {"a": 2}
    assert all(r["cost_usd"] is None for r in out)
    assert "$" not in result.stderr


def test_response_text_is_exactly_as_received(tmp_path: Path, server) -> None:
    rows = reviews(1)
    rows[0]["text"] += " [[reply:  Positive!!\n]]"
    job = make_job(tmp_path, server.base_url, rows)
    assert run_cli("run", str(job.spec)).exit_code == 0
    out = job.read_output().to_pylist()[0]
    assert out["response_text"] == "  Positive!!\n" and out["sentiment"] == "positive"


def test_connection_refused_is_row_error_not_traceback(tmp_path: Path) -> None:
    job = make_job(tmp_path, "http://127.0.0.1:9/v1", reviews(3), spec={"run": {"max_retries": 0}})
    result = run_cli("run", str(job.spec))
    assert result.exit_code in (3, 4), result.stderr
    no_traceback(result.stderr)


def test_debug_shows_traceback(tmp_path: Path, server) -> None:
    job = make_job(tmp_path, server.base_url, reviews(3), spec={"promt": {"user": "x"}})
    result = run_cli("run", str(job.spec), "--debug")
    assert result.exit_code == 2
    assert "Traceback" in result.stderr and "did you mean 'prompt'?" in result.stderr


def test_real_subprocess_usage_error(tmp_path: Path, server) -> None:
    job = make_job(tmp_path, server.base_url, reviews(3))
    proc = spawn_cli("run", str(job.spec), "--concurrency", "0")
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert b"--concurrency" in stderr and b"Traceback" not in stderr and stdout == b""
    assert server.stats()["requests"] == 0


# ---------------------------------------------------------------- the sample jobs


def sample_job(tmp_path: Path, name: str) -> Path:
    """A copy of jobs/NAME.yaml whose relative paths still point at the repo's sample_data."""
    jobs = tmp_path / "jobs"
    shutil.copytree(REPO / "jobs", jobs)
    data = tmp_path / "sample_data"
    data.mkdir()
    for f in (REPO / "sample_data").iterdir():
        if f.is_file():
            os.symlink(f, data / f.name)
    return jobs / f"{name}.yaml"


@pytest.mark.parametrize("name", ["classify", "summarize", "extract"])
def test_sample_jobs_run_against_loopback(tmp_path: Path, server, name: str) -> None:
    spec_path = REPO / "jobs" / f"{name}.yaml"
    doc = yaml.safe_load(spec_path.read_text())
    data = (spec_path.parent / doc["input"]["path"]).resolve()
    if not data.exists():
        pytest.skip(f"{data.relative_to(REPO)} is not generated yet (sample_data/make_articles.py makes it)")
    spec = sample_job(tmp_path, name)
    out = tmp_path / "out" / f"{name}.parquet"
    before = repo_state_files()
    server.configure(label_noise=True, reply_mode="label")
    result = run_cli("run", str(spec), "--endpoint", server.base_url, "--limit", "12", "--json",
                     "--state-dir", str(tmp_path / "state"), "--output", str(out))
    assert result.exit_code in (0, 3), result.stderr
    no_traceback(result.stderr)
    summary = orjson.loads(result.stdout)
    assert summary["rows"] == 12 and summary["ok"] + summary["error"] == 12
    assert summary["ok"] >= 10, summary
    table = pq.read_table(out)
    assert table.num_rows == 12
    column = doc["output"]["column"]
    input_cols = [c for c in table.schema.names if c != column and c not in dict(RESULT_TYPES)]
    assert table.schema.names == input_cols + [column] + [n for n, _ in RESULT_TYPES]
    id_col = doc["input"]["id_column"]
    assert table.column(id_col).null_count == 0
    ok = [r for r in table.to_pylist() if r["status"] == "ok"]
    assert all(r[column] is not None and r["prompt_tokens"] > 0 and r["cost_usd"] > 0 for r in ok)
    if name == "classify":
        assert {r[column] for r in ok} <= set(doc["parse"]["labels"])
    if name == "extract":
        assert pa.types.is_struct(table.schema.field(column).type)
        assert all(set(r[column]) == set(doc["parse"]["json_schema"]["properties"]) for r in ok)
    assert server.stats()["requests"] >= 12
    assert repo_state_files() == before  # everything went to tmp_path


def test_sample_jobs_validate(tmp_path: Path, server) -> None:
    for name in ("classify", "extract", "summarize"):
        spec = sample_job(tmp_path / name, name)
        result = run_cli("validate", str(spec), "--endpoint", server.base_url)
        doc = yaml.safe_load(spec.read_text())
        if not (spec.parent / doc["input"]["path"]).exists():
            assert result.exit_code == 2 and "no such file" in result.stderr
            continue
        assert result.exit_code == 0, (name, result.stderr)
    assert server.stats()["requests"] == 0



def test_input_error_mid_run_leaves_no_stray_tasks(tmp_path: Path, server, monkeypatch: pytest.MonkeyPatch,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    """If reading the input fails after requests began, the workers stop cleanly (no 'Session is closed')."""
    import gc

    from batchrunner import api, inputs
    from batchrunner.errors import InputError

    real = inputs.iter_chunks

    def failing(info: Any, chunk_size: int, **kw: Any) -> Any:
        for n, chunk in enumerate(real(info, chunk_size, **kw)):
            if n == 10 and kw.get("want") is not None:  # only the runner's pass passes `want`
                raise InputError("data.jsonl: cannot read (simulated damage)")
            yield chunk

    monkeypatch.setattr(inputs, "iter_chunks", failing)
    job = make_job(tmp_path, server.base_url, reviews(3000), spec={"run": {"concurrency": 8, "chunk_size": 50}})
    with pytest.raises(InputError, match="simulated damage"):
        api.run_job(job.spec, options=api.RunOptions(progress=False, log=lambda m: None))
    gc.collect()
    assert not [r for r in caplog.records if "never retrieved" in r.getMessage()]
    assert 0 < server.stats()["requests"] < 3000
    # The requests in flight when the input broke were paid for: they finished and were journaled.
    status = api.job_status(job.spec)
    assert status["ok"] == server.stats()["requests"] and status["error"] == 0


def test_csv_and_glob_inputs_end_to_end(tmp_path: Path, server) -> None:
    rows = reviews(150)
    lines = ["id,text,stars"] + [f'{r["id"]},"{r["text"]}, really",{r["stars"]}' for r in rows]
    (tmp_path / "data.csv").write_text("\n".join(lines) + "\n")
    job = make_job(tmp_path, server.base_url, rows, input_name="data.csv", spec={"run": {"chunk_size": 64}})
    result = run_cli("run", str(job.spec))
    assert result.exit_code == 0, result.stderr
    table = job.read_output()
    assert table.schema.names[:3] == ["id", "text", "stars"] and table.schema.field("stars").type == pa.int64()
    assert table.column("id").to_pylist() == [r["id"] for r in rows]
    assert table.column("text").to_pylist()[1] == "review 1: awful, really"

    parts = tmp_path / "parts"
    parts.mkdir()
    write_jsonl(parts / "2.jsonl", rows[100:])
    write_jsonl(parts / "1.jsonl", rows[:100])
    server.reset()
    out = tmp_path / "glob.parquet"
    job.rewrite(input={"path": "parts/*.jsonl", "id_column": "id"})
    result = run_cli("run", str(job.spec), "--output", str(out))
    assert result.exit_code == 0, result.stderr
    assert pq.read_table(out).column("id").to_pylist() == [r["id"] for r in rows]
    assert server.stats()["requests"] == 150  # the prompt text changed (no ", really"): all sent again


@pytest.mark.parametrize("where", ["spec", "flag"])
def test_unwritable_output_path_is_exit_2_before_any_request(tmp_path: Path, server, where: str) -> None:
    job = make_job(tmp_path, server.base_url, reviews(5))
    bad = "data.jsonl/out.parquet"  # the parent is a file
    if where == "spec":
        job.rewrite(output={"path": bad, "column": "sentiment"})
        result = run_cli("run", str(job.spec))
    else:
        result = run_cli("run", str(job.spec), "--output", str(tmp_path / bad))
    assert result.exit_code == 2, result.stderr
    assert "is a file, not a folder" in result.stderr and ("--output" in result.stderr) == (where == "flag")
    (tmp_path / "folder.parquet").mkdir()
    result = run_cli("run", str(job.spec), "--output", str(tmp_path / "folder.parquet"))
    assert result.exit_code == 2 and "is a folder" in result.stderr
    assert server.stats()["requests"] == 0


def test_output_write_failure_keeps_results_and_rerun_writes(tmp_path: Path, server,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from batchrunner import output

    job = make_job(tmp_path, server.base_url, reviews(20))

    class DiskFull:
        """os as output.py sees it, with a full disk at the final rename."""

        def __getattr__(self, name: str) -> Any:
            return getattr(os, name)

        def replace(self, src: Any, dst: Any) -> None:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(output, "os", DiskFull())
    result = run_cli("run", str(job.spec))
    assert result.exit_code == 4, result.stderr
    assert "No space left on device" in result.stderr and "run again" in result.stderr
    no_traceback(result.stderr)
    assert not job.output.exists() and not list(tmp_path.glob(".out.parquet.*"))
    monkeypatch.undo()
    result = run_cli("run", str(job.spec))
    assert result.exit_code == 0, result.stderr
    assert job.read_output().num_rows == 20
    assert server.stats()["requests"] == 20  # nothing was asked twice


def test_the_real_command_exits_with_its_code_and_all_its_output(tmp_path: Path, server) -> None:
    """`batchrunner` skips the interpreter's teardown (cli.entry): exit codes and every byte of
    output must still come through, from a real process."""
    rows = reviews(300)
    rows[7]["text"] += " [[status:400]]"  # one row fails: exit 3
    job = make_job(tmp_path, server.base_url, rows)
    proc = spawn_cli("run", str(job.spec), "--json", "--no-progress")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 3, err
    summary = orjson.loads(out)
    assert (summary["ok"], summary["error"]) == (299, 1)
    assert job.read_output().num_rows == 300
    proc = spawn_cli("validate", str(tmp_path / "missing.yaml"))
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2 and b"no such file" in err
    # A reader that stops early (| head) gets no traceback.
    proc = spawn_cli("history", str(job.spec), "--json")
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(5)
    proc.stdout.close()
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(60) in (0, 1, -13) and b"Traceback" not in err
