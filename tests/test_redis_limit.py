"""The shared rate budget in Redis: one schedule for every shard, a shared 429 pause, no key in Redis."""

from __future__ import annotations

import asyncio
import shutil
import socket
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pytest
from conftest import make_job, run_cli, spawn_cli

from batchrunner import checkpoint as cp
from batchrunner.errors import EndpointError
from batchrunner.redis_limit import SharedRateLimiter, budget_key, redact_url
from batchrunner.testing import spawn_fakeserver

URL = "http://127.0.0.1:9/v1"


def test_budget_key_is_a_hash_of_endpoint_and_key() -> None:
    a = budget_key(URL, "sk-secret-1")
    assert "sk-secret" not in a and a.startswith("batchrunner:rate:")
    assert a == budget_key(URL + "/", "sk-secret-1")
    assert len({a, budget_key(URL, "sk-secret-2"), budget_key("http://other/v1", "sk-secret-1"),
                budget_key(URL, None)}) == 4


def test_redact_url_hides_the_password() -> None:
    assert redact_url("redis://:hunter2@db:6379/0") == "redis://:***@db:6379/0"
    assert redact_url("rediss://me:hunter2@db/1") == "rediss://me:***@db/1"
    assert redact_url("redis://db:6379/0") == "redis://db:6379/0"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_redis() -> tuple[subprocess.Popen[bytes], str]:
    """A throwaway redis-server on a free loopback port, no persistence; skips if there is none."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server; .ci/run installs it)")
    redis = pytest.importorskip("redis", reason="the redis client is not installed: pip install -e '.[redis]'")
    port = _free_port()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 15
    while True:
        try:
            client = redis.Redis.from_url(url)
            client.ping()
            client.close()
            return proc, url
        except redis.ConnectionError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                proc.wait()
                raise RuntimeError("redis-server did not start") from None
            time.sleep(0.05)


@pytest.fixture(scope="module")
def redis_server() -> Iterator[str]:
    proc, url = _start_redis()
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def redis_url(redis_server: str) -> str:
    import redis

    client = redis.Redis.from_url(redis_server)
    client.flushdb()
    client.close()
    return redis_server


def _keys(url: str) -> list[str]:
    import redis

    client = redis.Redis.from_url(url)
    try:
        return sorted(k.decode() for k in client.keys("*"))
    finally:
        client.close()


def test_two_limiters_share_one_schedule(redis_url: str) -> None:
    async def main() -> tuple[list[float], float]:
        a = SharedRateLimiter(redis_url, URL, "sk-secret", requests_per_minute=600)
        b = SharedRateLimiter(redis_url, URL, "sk-secret", requests_per_minute=600)
        other = SharedRateLimiter(redis_url, URL, "sk-other-key", requests_per_minute=600)
        started = time.monotonic()
        delays = []
        for i in range(10):
            delays.append(await (a if i % 2 else b)._schedule(0))
        elapsed = time.monotonic() - started
        assert await other._schedule(0) == 0.0  # another key has a budget of its own
        for limiter in (a, b, other):
            await limiter.aclose()
        return delays, elapsed

    delays, elapsed = asyncio.run(main())
    interval = 60 / (0.97 * 600)
    for k, delay in enumerate(delays):  # slot k starts k intervals after the first, whoever asks
        assert k * interval - elapsed - 0.001 <= delay <= k * interval + 0.001
    keys = _keys(redis_url)
    assert keys and not any("sk-" in k for k in keys)


def test_a_429_in_one_shard_pauses_the_others(redis_url: str) -> None:
    async def main() -> float:
        a = SharedRateLimiter(redis_url, URL, "k", requests_per_minute=6000)
        b = SharedRateLimiter(redis_url, URL, "k", requests_per_minute=6000)
        assert await b._schedule(0) == 0.0
        a.on_rate_limited(3.0)
        await asyncio.sleep(0)  # the pause is set in the background
        await a.aclose()
        delay = await b._schedule(0)
        await b.aclose()
        return delay

    assert 2.5 <= asyncio.run(main()) <= 3.0


def test_tokens_are_reserved_then_refunded(redis_url: str) -> None:
    async def main() -> tuple[float, float]:
        lim = SharedRateLimiter(redis_url, URL, "k", tokens_per_minute=60_000 / 0.97)  # 1 ms a token
        first = await lim._schedule(500)  # now: 500 ms of tokens reserved
        reservation = await lim.acquire(1000)  # waits ~500 ms, reserves 1000 more
        lim.settle(reservation, 100)  # used 100: 900 come back with the next call
        after_refund = await lim._schedule(10)
        await lim.aclose()
        return first, after_refund

    first, after_refund = asyncio.run(main())
    assert first == 0.0
    assert after_refund <= 0.2  # without the refund it would wait ~1 s


def test_unreachable_redis_is_exit_2_before_anything_is_sent(tmp_path: Path) -> None:
    pytest.importorskip("redis", reason="the redis client is not installed")
    with pytest.raises(EndpointError, match="cannot reach Redis at redis://:\\*\\*\\*@127.0.0.1"):
        SharedRateLimiter(f"redis://:pw@127.0.0.1:{_free_port()}/0", URL, None, requests_per_minute=60)
    job = make_job(tmp_path, URL, spec={"run": {"rate_limit": {"backend": "redis",
                                                               "url": f"redis://127.0.0.1:{_free_port()}/0"}}})
    r = run_cli("run", str(job.spec), "--shard", "0/2")
    assert r.exit_code == 2 and "cannot reach Redis" in r.stderr


def test_redis_going_away_falls_back_to_the_local_share() -> None:
    proc, url = _start_redis()
    logged: list[str] = []

    async def main() -> float | None:
        lim = SharedRateLimiter(url, URL, "k", requests_per_minute=600, share=2, log=logged.append)
        await lim.acquire(0)
        proc.terminate()
        proc.wait(timeout=10)
        await lim.acquire(0)  # Redis is gone: the local limiter answers
        await lim.aclose()
        return lim._fallback.effective_rpm

    try:
        rpm = asyncio.run(main())
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert any("goes on with its own share" in m for m in logged)
    assert rpm == pytest.approx(0.97 * 300)  # its share: 600 / 2


def test_uneven_shards_share_the_budget(tmp_path: Path, redis_url: str) -> None:
    """Two shards, one with 9x the rows of the other, against a server enforcing 50 req/s."""
    rpm, window = 3000, 2.0  # the server allows 100 requests in any 2 s
    proc, base_url = spawn_fakeserver({"latency_ms": 10, "rpm": rpm, "limit_window_s": window})
    try:
        # Long rows first: the byte-balanced shard 0 gets few rows, shard 1 most of them.
        rows = [{"id": f"r{i:04d}", "text": f"review {i}", "pad": "x" * (3000 if i < 60 else 0)} for i in range(500)]
        job = make_job(tmp_path, base_url, rows, spec={"run": {
            "concurrency": 4, "max_retries": 6, "timeout_s": 10, "requests_per_minute": rpm,
            "rate_limit": {"backend": "redis", "url": redis_url}}})
        procs = [spawn_cli("run", str(job.spec), "--shard", f"{i}/2", "--no-progress", "--json") for i in range(2)]
        summaries = []
        for p in procs:
            out, err = p.communicate(timeout=120)
            assert p.returncode == 0, err.decode()
            summaries.append(orjson.loads(out))
    finally:
        for p in procs:
            if p.returncode is None:
                p.kill()
                p.communicate()
        stats = httpx.get(base_url.rsplit("/v1", 1)[0] + "/_stats", timeout=10).json()
        proc.terminate()
        proc.wait(timeout=10)
    sizes = [s["rows"] for s in summaries]
    assert sizes[1] >= 5 * sizes[0] and sum(sizes) == 500
    # Rows finished from the first to the last (both journals): the rate the shards drew together.
    finished = []
    sessions = 0.0
    for i in range(2):
        run_dir, manifest = cp.list_runs(tmp_path / f".batchrunner/runs/test-job/shard-{i}-of-2")[-1]
        sessions = max(sessions, manifest.sessions[-1]["duration_s"])
        db = sqlite3.connect(run_dir / "journal.sqlite")
        finished += [t for (t,) in db.execute("SELECT finished_at FROM rows")]
        db.close()
    span = max(finished) - min(finished)
    ok, limited = stats["ok"], stats["by_status"].get("429", 0)
    used = (ok - 1) / (rpm / 60 * span)
    print(f"\nshards {sizes}: {ok} ok, first to last row {span:.2f} s = {(ok - 1) / span:.1f} req/s of "
          f"{rpm / 60:.0f} ({used:.1%} of the budget; {ok / (rpm / 60 * sessions):.1%} counting the longer shard's "
          f"whole session, start-up included); 429s: {limited} ({limited / (ok + limited):.2%})")
    assert ok == 500
    assert used >= 0.90
    assert limited <= 0.02 * (ok + limited)

