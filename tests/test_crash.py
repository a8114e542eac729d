"""Crash tests: the real CLI in a subprocess, killed or signalled mid-run, against the fake server.

The server runs in its own process with latency so that kills land while requests are in
flight; its per-key stats (one key per row id, through an `[[id:...]]` directive in the
template) say how often each row was answered, which is what a provider would bill.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from conftest import Job, make_job, reviews, run_cli, spawn_cli

from batchrunner import api, interrupts
from batchrunner import checkpoint as cp
from batchrunner.testing import FakeServer, spawn_fakeserver

log = logging.getLogger(__name__)
ID_TEMPLATE = {"user": "Review: {{ text }} [[id:{{ id }}]]"}


@pytest.fixture
def fake() -> Iterator[Callable[..., str]]:
    """Start fake servers as subprocesses (config as keyword arguments); stopped at teardown."""
    procs: list[subprocess.Popen[bytes]] = []

    def start(**config: Any) -> str:
        proc, url = spawn_fakeserver(config)
        procs.append(proc)
        return url

    yield start
    for proc in procs:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def clis() -> Iterator[list[subprocess.Popen[bytes]]]:
    """CLI subprocesses a test started; killed at teardown if the test left them running."""
    procs: list[subprocess.Popen[bytes]] = []
    yield procs
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


def stats(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url.removesuffix("/v1") + "/_stats", timeout=10) as resp:
        return orjson.loads(resp.read())


def wait_for_requests(url: str, n: int, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    """Until the server has seen n requests in all; fails if the CLI exits first."""
    deadline = time.monotonic() + timeout
    while stats(url)["requests"] < n:
        if proc.poll() is not None:
            _, err = proc.communicate()
            pytest.fail(f"the CLI exited ({proc.returncode}) before request {n}: {err.decode()[-800:]}")
        if time.monotonic() > deadline:
            pytest.fail(f"no request {n} within {timeout} s")
        time.sleep(0.02)


def start(clis: list[subprocess.Popen[bytes]], *args: str) -> subprocess.Popen[bytes]:
    proc = spawn_cli(*args)
    clis.append(proc)
    return proc


def finish(proc: subprocess.Popen[bytes], timeout: float = 120) -> tuple[int, str]:
    _, err = proc.communicate(timeout=timeout)
    return proc.returncode, err.decode()


def the_run_dir(job: Job) -> Path:
    (run_dir,) = [p for p in (job.dir / ".batchrunner" / "runs" / "test-job").iterdir() if p.is_dir()]
    return run_dir


def journaled(run_dir: Path, rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Journal rows by row id (read with plain sqlite3, as another process would)."""
    db = sqlite3.connect(run_dir / "journal.sqlite")
    try:
        db.row_factory = sqlite3.Row
        return {rows[r["idx"]]["id"]: dict(r) for r in db.execute("SELECT * FROM rows")}
    finally:
        db.close()


def check_complete_output(job: Job, rows: list[dict[str, Any]], *, journal_damaged: bool = False) -> None:
    table = job.read_output()
    assert table.column("id").to_pylist() == [r["id"] for r in rows]  # every id once, in input order
    errors = [(i, e) for i, (st, e) in enumerate(zip(table.column("status").to_pylist(),
                                                    table.column("error").to_pylist(), strict=True)) if st != "ok"]
    assert not errors, f"{len(errors)} rows not ok, first: {errors[:3]}"
    attempts, cached = table.column("attempts").to_pylist(), table.column("cached").to_pylist()
    if journal_damaged:  # a row whose journal commit was cut off may come back from the response cache
        assert all(a >= 1 or c for a, c in zip(attempts, cached, strict=True))
    else:
        assert min(attempts) >= 1 and not any(cached)


def test_sigkill_three_times_then_finish(tmp_path: Path, fake: Callable[..., str],
                                        clis: list[subprocess.Popen[bytes]]) -> None:
    concurrency, kills = 24, 3
    url = fake(latency_ms=40, jitter_ms=30)
    rows = reviews(5000)
    job = make_job(tmp_path, url, rows, spec={
        "prompt": ID_TEMPLATE, "run": {"concurrency": concurrency, "max_retries": 2, "timeout_s": 10}})
    rng = random.Random()
    for _ in range(kills):
        proc = start(clis, "run", str(job.spec))
        wait_for_requests(url, stats(url)["requests"] + rng.randint(100, 900), proc)
        time.sleep(rng.uniform(0, 0.2))  # a random instant, not just after a poll
        proc.kill()
        assert finish(proc)[0] == -signal.SIGKILL
        assert not job.output.exists()
    done_before = len(journaled(the_run_dir(job), rows))

    code, err = finish(start(clis, "run", str(job.spec)))
    assert code == 0, err
    assert f"resuming run {the_run_dir(job).name}: {done_before:,} of 5,000 rows done" in err
    check_complete_output(job, rows)

    per_key = stats(url)["per_key"]
    assert set(per_key) == {r["id"] for r in rows}
    assert all(v["ok"] >= 1 for v in per_key.values())
    repeats = sum(v["ok"] - 1 for v in per_key.values())
    log.info("rows answered twice after %d kills at concurrency %d: %d (bound %d)",
             kills, concurrency, repeats, kills * concurrency)
    assert repeats <= kills * concurrency, f"{repeats} rows answered twice after {kills} kills"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_signal_stops_cleanly_and_the_rerun_finishes(tmp_path: Path, fake: Callable[..., str],
                                                    clis: list[subprocess.Popen[bytes]], sig: int) -> None:
    url = fake(latency_ms=60)
    rows = reviews(1000)
    job = make_job(tmp_path, url, rows, spec={
        "prompt": ID_TEMPLATE, "run": {"concurrency": 16, "max_retries": 2, "timeout_s": 10}})
    proc = start(clis, "run", str(job.spec))
    wait_for_requests(url, 200, proc)
    proc.send_signal(sig)
    code, err = finish(proc, timeout=30)
    assert code == 130, err
    assert "stopping" in err and "Traceback" not in err
    assert not job.output.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    run_dir = the_run_dir(job)
    assert cp.Manifest.load(run_dir / "manifest.json").status == cp.INTERRUPTED

    # The requests in flight were let finish and journaled: every row the server answered is in the journal.
    journal = journaled(run_dir, rows)
    answered = {k for k, v in stats(url)["per_key"].items() if v["ok"]}
    assert set(journal) == answered and 200 <= len(journal) < 1000

    status = orjson.loads(run_cli("status", str(job.spec), "--json").stdout)
    assert status["status"] == cp.INTERRUPTED and status["run_id"] == run_dir.name
    assert (status["ok"], status["error"], status["pending"]) == (len(journal), 0, 1000 - len(journal))
    assert status["total_tokens"] == sum(r["total_tokens"] for r in journal.values())
    assert status["cost_usd"] == pytest.approx(sum(r["cost_usd"] for r in journal.values()), abs=1e-6)

    code, err = finish(start(clis, "run", str(job.spec)))
    assert code == 0, err
    assert f"resuming run {run_dir.name}: {len(journal):,} of 1,000 rows done" in err
    check_complete_output(job, rows)
    per_key = stats(url)["per_key"]
    assert len(per_key) == 1000 and all(v["ok"] == 1 for v in per_key.values())  # no row answered twice


def test_ctrl_c_as_the_event_loop_starts_stops_like_any_other(tmp_path: Path, server: FakeServer,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # A Ctrl-C landing as the first SIGINT handler of the run is installed, before the pool
    # starts. CI once saw asyncio.run's own handler take it there and lose count of it: the CLI
    # died of a bare CancelledError, exit 1. It must stop the run as any Ctrl-C does.
    real_signal = signal.signal
    landed: list[object] = []

    def install_then_ctrl_c(sig: int, handler: Any) -> Any:
        previous = real_signal(sig, handler)
        if sig == signal.SIGINT and not landed and handler is not signal.default_int_handler:
            landed.append(handler)
            signal.raise_signal(signal.SIGINT)
        return previous

    monkeypatch.setattr(signal, "signal", install_then_ctrl_c)
    rows = reviews(30)
    job = make_job(tmp_path, server.base_url, rows)
    quiet = api.RunOptions(progress=False, log=lambda m: None)
    try:
        summary = api.run_job(job.spec, None, quiet)
    except (KeyboardInterrupt, asyncio.CancelledError) as exc:  # pytest would take a KeyboardInterrupt as ours
        pytest.fail(f"the Ctrl-C escaped the run as {type(exc).__name__}")
    assert landed, "no SIGINT handler was installed during the run"
    assert (summary.exit_code, summary.status) == (api.EXIT_INTERRUPTED, cp.INTERRUPTED), summary.message
    assert "Ctrl-C" in (summary.message or "")
    assert server.stats()["requests"] == 0
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # handed back

    monkeypatch.undo()
    assert api.run_job(job.spec, None, quiet).exit_code == 0
    assert server.stats()["requests"] == 30
    check_complete_output(job, rows)


def test_ctrl_c_while_the_command_starts_exits_130_quietly(tmp_path: Path) -> None:
    # A Ctrl-C during the imports used to print a traceback, or crash the interpreter when it
    # landed in orjson's initialisation (SIGSEGV). The command holds it until a command starts.
    script = tmp_path / "ctrl_c_at_start.py"
    script.write_text(textwrap.dedent("""
        import os, signal, sys
        from batchrunner import __main__ as command, interrupts

        hold = interrupts.hold

        def hold_then_press() -> bool:
            held = hold()
            os.kill(os.getpid(), signal.SIGINT)  # lands as the CLI's modules start to import
            return held

        interrupts.hold = hold_then_press
        sys.argv = ["batchrunner", "status", sys.argv[1]]
        command.main()
    """))
    job = make_job(tmp_path, None)
    proc = subprocess.run([sys.executable, str(script), str(job.spec)], capture_output=True, timeout=60)
    assert (proc.returncode, proc.stderr.decode()) == (130, "interrupted\n")


def test_interrupts_hold_remembers_ctrl_c_until_release() -> None:
    assert interrupts.hold()
    try:
        signal.raise_signal(signal.SIGINT)  # remembered, not raised
    finally:
        with pytest.raises(KeyboardInterrupt):
            interrupts.release()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    interrupts.release()  # nothing remembered now: a no-op

    assert interrupts.hold()
    signal.raise_signal(signal.SIGINT)
    assert interrupts.take() and not interrupts.take()  # taken once: whoever took it handles it
    interrupts.release()

    outcome: list[bool] = []
    thread = threading.Thread(target=lambda: outcome.append(interrupts.hold()))
    thread.start()
    thread.join()
    assert outcome == [False]  # only the main thread gets signals

    own = signal.signal(signal.SIGINT, lambda signum, frame: None)
    try:
        assert not interrupts.hold()  # a caller's own handler (the scheduler's) is kept
    finally:
        signal.signal(signal.SIGINT, own)


def test_second_ctrl_c_abandons_the_requests_in_flight(tmp_path: Path, fake: Callable[..., str],
                                                      clis: list[subprocess.Popen[bytes]]) -> None:
    url = fake(latency_ms=8000)  # replies that would arrive long after the process is gone
    rows = reviews(40)
    job = make_job(tmp_path, url, rows, spec={
        "prompt": ID_TEMPLATE, "run": {"concurrency": 8, "max_retries": 2, "timeout_s": 30}})
    proc = start(clis, "run", str(job.spec))
    wait_for_requests(url, 8, proc)
    proc.send_signal(signal.SIGINT)
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    code, err = finish(proc, timeout=30)
    assert code == 130, err
    assert "Traceback" not in err and not job.output.exists()
    assert stats(url)["in_flight"] == 8  # the process did not wait for them
    assert journaled(the_run_dir(job), rows) == {}  # nothing answered, nothing journaled: all pending

    req = urllib.request.Request(url.removesuffix("/v1") + "/_config", data=b'{"latency_ms": 0}', method="POST")
    urllib.request.urlopen(req, timeout=10).close()
    code, err = finish(start(clis, "run", str(job.spec)))
    assert code == 0, err
    assert "resuming run" in err and "0 of 40 rows done" in err
    check_complete_output(job, rows)


def test_second_run_of_a_running_job_exits_2_naming_the_holder(tmp_path: Path, fake: Callable[..., str],
                                                              clis: list[subprocess.Popen[bytes]]) -> None:
    url = fake(latency_ms=200)
    job = make_job(tmp_path, url, reviews(200), spec={"run": {"concurrency": 2, "max_retries": 2, "timeout_s": 10}})
    first = start(clis, "run", str(job.spec))
    wait_for_requests(url, 1, first)
    for command in ("run", "resume"):
        code, err = finish(start(clis, command, str(job.spec)), timeout=60)
        assert code == 2, err
        assert f"pid {first.pid}" in err and "already running" in err and "Traceback" not in err
    assert first.poll() is None  # the holder was not disturbed
    first.send_signal(signal.SIGTERM)
    assert finish(first, timeout=30)[0] == 130
    # Its lock went with it: the job resumes.
    code, err = finish(start(clis, "run", str(job.spec), "--concurrency", "32"))
    assert code == 0 and "resuming run" in err, err


@pytest.mark.parametrize("damage", ["garbage", "cut"])
def test_torn_journal_tail_after_sigkill_still_resumes(tmp_path: Path, fake: Callable[..., str],
                                                      clis: list[subprocess.Popen[bytes]], damage: str) -> None:
    url = fake(latency_ms=20)
    rows = reviews(1200)
    job = make_job(tmp_path, url, rows, spec={
        "prompt": ID_TEMPLATE, "run": {"concurrency": 16, "max_retries": 2, "timeout_s": 10}})
    proc = start(clis, "run", str(job.spec))
    wait_for_requests(url, 500, proc)
    proc.kill()
    assert finish(proc)[0] == -signal.SIGKILL
    run_dir = the_run_dir(job)
    wal = run_dir / "journal.sqlite-wal"
    size = wal.stat().st_size
    assert size > 4096 + 32, "the kill should leave committed frames in the WAL"
    if damage == "garbage":  # a half-written frame after the last good one
        with open(wal, "ab") as fh:
            fh.write(os.urandom(6000))
    else:  # the file ends in the middle of a frame
        os.truncate(wal, size - 2000)

    code, err = finish(start(clis, "run", str(job.spec)))
    assert code == 0, err
    assert "resuming run" in err
    check_complete_output(job, rows, journal_damaged=damage == "cut")
    log.info("WAL %s: %d rows came back from the response cache", damage, sum(job.read_output().column("cached")
                                                                             .to_pylist()))
    per_key = stats(url)["per_key"]
    assert len(per_key) == 1200 and all(v["ok"] >= 1 for v in per_key.values())
    if damage == "garbage":  # nothing committed was lost, so only the rows in flight repeat
        assert sum(v["ok"] - 1 for v in per_key.values()) <= 16
