"""The response cache: re-runs cost nothing, --no-cache / cache: false, shared by concurrent runs,
`batchrunner cache stats|clear`. End to end with the CLI against the loopback fake server."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Any

import orjson
import pytest
from conftest import make_job, reviews, run_cli, spawn_cli

from batchrunner.cache import ResponseCache, default_cache_path, endpoint_identity, request_key
from batchrunner.client import Completion, Usage
from batchrunner.spec import Endpoint, LocalEndpoint

VALUE_COLUMNS = ["id", "sentiment", "response_text", "status", "prompt_tokens", "completion_tokens", "total_tokens"]


def run_json(*args: str) -> dict[str, Any]:
    result = run_cli("run", *args, "--json")
    assert result.exit_code == 0, result.stderr
    return orjson.loads(result.stdout)


def cache_stats() -> dict[str, Any]:
    result = run_cli("cache", "stats", "--json")
    assert result.exit_code == 0, result.stderr
    return orjson.loads(result.stdout)


# ------------------------------------------------------------------ unit: keys and location


def test_key_covers_base_url_model_messages_params_but_not_streaming() -> None:
    body = {"model": "m", "messages": [{"role": "user", "content": "hi"}], "temperature": 0, "max_tokens": 5}
    key = request_key("http://a/v1", body)
    assert key == request_key("http://a/v1", dict(reversed(list(body.items()))))  # order does not matter
    assert key == request_key("http://a/v1", {**body, "stream": True, "stream_options": {"include_usage": True}})
    assert key != request_key("http://b/v1", body)
    assert key != request_key("http://a/v1", {**body, "model": "m2"})
    assert key != request_key("http://a/v1", {**body, "temperature": 0.5})
    assert key != request_key("http://a/v1", {**body, "messages": [{"role": "user", "content": "hi!"}]})


def test_local_endpoint_is_keyed_by_model_not_port() -> None:
    local = Endpoint("local", "", None, LocalEndpoint(model_path="/models/m.gguf"))
    assert endpoint_identity(local, "http://127.0.0.1:41234/v1") == "local:/models/m.gguf"
    assert endpoint_identity(local, "http://127.0.0.1:50000/v1") == "local:/models/m.gguf"
    bundled = Endpoint("local", "", None, LocalEndpoint())
    assert endpoint_identity(bundled, "http://127.0.0.1:1/v1") == "local:bundled"
    remote = Endpoint("custom", "http://10.0.0.1/v1", None)
    assert endpoint_identity(remote, "http://10.0.0.1/v1") == "http://10.0.0.1/v1"


def test_cache_location(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert default_cache_path() == tmp_path / "cache" / "cache.sqlite"  # conftest's BATCHRUNNER_CACHE_DIR
    monkeypatch.delenv("BATCHRUNNER_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_path() == tmp_path / "xdg" / "batchrunner" / "cache.sqlite"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_path() == tmp_path / "home" / ".cache" / "batchrunner" / "cache.sqlite"


def test_put_flush_get_round_trip(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path / "c.sqlite")
    done = Completion("positive", "stop", "m", "req_1", Usage(10, 1, 11, 2, None), latency_ms=12.0)
    cache.put("k", done)
    assert cache.get("k") is None  # batched until flush
    cache.flush()
    hit = cache.get("k")
    assert hit is not None
    assert (hit.text, hit.finish_reason, hit.model, hit.request_id) == ("positive", "stop", "m", "req_1")
    assert hit.usage == Usage(10, 1, 11, 2, None)
    assert cache.stats().entries == 1
    cache.close()
    assert sqlite3.connect(tmp_path / "c.sqlite").execute("PRAGMA journal_mode").fetchone()[0] == "wal"


# ------------------------------------------------------------------ end to end


def test_second_run_is_answered_from_the_cache(tmp_path: Path, server: Any) -> None:
    rows = reviews(20)
    job = make_job(tmp_path, server.base_url, rows)
    first = run_json(str(job.spec))
    assert first["requests_sent"] == 20 and first["cached"] == 0
    assert server.stats()["requests"] == 20
    before = job.read_output()
    assert before.column("cached").to_pylist() == [False] * 20
    assert all(c > 0 for c in before.column("cost_usd").to_pylist())

    server.reset()
    second = run_json(str(job.spec), "--fresh")
    assert server.stats()["requests"] == 0
    assert second["run_id"] != first["run_id"]
    assert (second["requests_sent"], second["cached"], second["new_rows"], second["ok"]) == (0, 20, 0, 20)
    assert second["cost_usd"] == 0 and second["session_cost_usd"] == 0
    assert second["labels"] == first["labels"]
    after = job.read_output()
    assert after.select(VALUE_COLUMNS).equals(before.select(VALUE_COLUMNS))
    assert after.column("cached").to_pylist() == [True] * 20
    assert after.column("cost_usd").to_pylist() == [0.0] * 20
    assert after.column("attempts").to_pylist() == [0] * 20  # nothing was sent for them

    # The human summary and `status` say so too.
    server.reset()
    text = run_cli("run", str(job.spec), "--fresh")
    assert text.exit_code == 0, text.stderr
    assert "0 new, 20 from cache, 0 requests" in text.stderr
    assert "$0.0000" in text.stderr
    status = orjson.loads(run_cli("status", str(job.spec), "--json").stdout)
    assert status["cached"] == 20 and status["cost_usd"] == 0

    # --no-cache sends every request again (and the replies are still the same rows).
    third = run_json(str(job.spec), "--fresh", "--no-cache")
    assert server.stats()["requests"] == 20
    assert (third["requests_sent"], third["cached"]) == (20, 0)
    again = job.read_output()
    assert again.column("cached").to_pylist() == [False] * 20
    assert again.column("sentiment").to_pylist() == before.column("sentiment").to_pylist()


def test_cache_is_shared_across_jobs_but_misses_on_a_changed_request(tmp_path: Path, server: Any) -> None:
    rows = reviews(10)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = make_job(tmp_path / "a", server.base_url, rows)
    b = make_job(tmp_path / "b", server.base_url, rows, spec={"name": "other-job"})
    run_json(str(a.spec))
    server.reset()
    other = run_json(str(b.spec))
    assert other["cached"] == 10 and server.stats()["requests"] == 0
    # A different parameter is a different request: nothing is answered from the cache.
    b.rewrite(params={"temperature": 0.3, "max_tokens": 5})
    changed = run_json(str(b.spec), "--fresh")
    assert changed["cached"] == 0 and server.stats()["requests"] == 10


def test_failed_requests_are_not_cached(tmp_path: Path, server: Any) -> None:
    rows = reviews(6)
    rows[2]["text"] += " [[status:400]]"
    job = make_job(tmp_path, server.base_url, rows)
    result = run_cli("run", str(job.spec), "--json")
    assert result.exit_code == 3
    server.reset()
    again = run_cli("run", str(job.spec), "--fresh", "--json")
    assert again.exit_code == 3
    summary = orjson.loads(again.stdout)
    assert summary["cached"] == 5 and summary["requests_sent"] == 1
    assert server.stats()["requests"] == 1
    table = job.read_output()
    assert table.column("cached").to_pylist() == [True, True, False, True, True, True]
    assert table.column("error").to_pylist()[2].startswith("http_4xx")


def test_cache_false_neither_reads_nor_writes(tmp_path: Path, server: Any) -> None:
    job = make_job(tmp_path, server.base_url, reviews(8), spec={"cache": False})
    run_json(str(job.spec))
    second = run_json(str(job.spec), "--fresh")
    assert second["cached"] == 0 and second["requests_sent"] == 8
    assert server.stats()["requests"] == 16
    assert not default_cache_path().exists() or cache_stats()["entries"] == 0
    # Turning it back on: the cache starts empty, then fills.
    job.rewrite(cache=True)
    assert run_json(str(job.spec), "--fresh")["cached"] == 0
    assert cache_stats()["entries"] == 8


def test_two_runs_share_the_cache_concurrently(tmp_path: Path, server: Any) -> None:
    server.configure(latency_ms=25)
    rows = reviews(120)
    jobs = []
    for name in ("left", "right"):
        (tmp_path / name).mkdir()
        jobs.append(make_job(tmp_path / name, server.base_url, rows, spec={"name": f"job-{name}"}))
    # The second starts while the first is writing: it reads what the first stored, both write.
    procs = [spawn_cli("run", str(jobs[0].spec), "--json", "--concurrency", "3")]
    try:
        deadline = time.monotonic() + 30
        while server.stats()["requests"] < 15 and time.monotonic() < deadline and procs[0].poll() is None:
            time.sleep(0.02)
        procs.append(spawn_cli("run", str(jobs[1].spec), "--json", "--concurrency", "3"))
        outs = [p.communicate(timeout=60) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    for p, (_, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err.decode()
        assert b"locked" not in err
    summaries = [orjson.loads(out) for out, _ in outs]
    assert all(s["ok"] == 120 for s in summaries)
    # Each row was sent at most twice (once per job) and served from the cache otherwise.
    assert server.stats()["requests"] == sum(s["requests_sent"] for s in summaries) < 240
    assert sum(s["cached"] for s in summaries) + server.stats()["requests"] == 240
    assert summaries[1]["cached"] >= 15
    left, right = (j.read_output() for j in jobs)
    assert left.column("sentiment").to_pylist() == right.column("sentiment").to_pylist()
    assert cache_stats()["entries"] == 120
    server.reset()
    server.configure(latency_ms=0)
    assert run_json(str(jobs[0].spec), "--fresh")["cached"] == 120
    assert server.stats()["requests"] == 0


def test_cache_stats_and_clear(tmp_path: Path, server: Any) -> None:
    job = make_job(tmp_path, server.base_url, reviews(12))
    run_json(str(job.spec))
    stats = cache_stats()
    assert stats["entries"] == 12 and stats["size_bytes"] > 0
    assert stats["path"] == str(default_cache_path())
    assert time.time() - 60 < stats["oldest"] <= stats["newest"] <= time.time()
    text = run_cli("cache", "stats")
    assert text.exit_code == 0 and "12 replies" in text.stdout

    # Nothing is older than 30 days yet.
    cleared = run_cli("cache", "clear", "--older-than", "30d")
    assert cleared.exit_code == 0 and "removed 0 cached replies" in cleared.stdout
    # Age five entries to 31 days.
    db = sqlite3.connect(default_cache_path())
    db.execute("UPDATE replies SET created_at = ? WHERE rowid IN (SELECT rowid FROM replies LIMIT 5)",
               (time.time() - 31 * 86400,))
    db.commit()
    db.close()
    cleared = run_cli("cache", "clear", "--older-than", "30d")
    assert "removed 5 cached replies" in cleared.stdout
    assert cache_stats()["entries"] == 7
    server.reset()
    assert run_json(str(job.spec), "--fresh")["cached"] == 7
    assert server.stats()["requests"] == 5

    cleared = run_cli("cache", "clear")
    assert "removed 12 cached replies" in cleared.stdout
    assert cache_stats()["entries"] == 0
    bad = run_cli("cache", "clear", "--older-than", "soon")
    assert bad.exit_code == 2
    assert "--older-than 'soon'" in bad.stderr and "30d" in bad.stderr


def test_damaged_cache_file(tmp_path: Path, server: Any) -> None:
    path = default_cache_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not a database" * 100)
    job = make_job(tmp_path, server.base_url, reviews(3))
    result = run_cli("run", str(job.spec))
    assert result.exit_code == 2
    assert str(path) in result.stderr and "Traceback" not in result.stderr
    assert server.stats()["requests"] == 0
    # The remedy the message names works.
    cleared = run_cli("cache", "clear")
    assert cleared.exit_code == 0, cleared.stderr
    assert run_cli("run", str(job.spec)).exit_code == 0
    assert os.path.getsize(path) > 0 and cache_stats()["entries"] == 3
