"""Child process that hosts the llama.cpp server for the `local` endpoint.

Run as `python -m batchrunner._local_child ...` by `batchrunner.local.LocalServer`,
never by hand. It must not outlive its parent, so it watches two things:

- `PR_SET_PDEATHSIG` (Linux): the kernel sends SIGKILL when the thread that spawned
  us exits;
- a lifeline pipe: the parent holds the write end, we block reading the other; EOF
  means the parent is gone (any platform, also when it closes the pipe on purpose).

Once the server listens, its address is written as JSON to `--status-file`
(atomically): that is how the parent learns the port the server picked.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import signal
import sys
import threading
from pathlib import Path

_PR_SET_PDEATHSIG = 1


def _set_pdeathsig(parent_pid: int) -> None:
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        return  # the lifeline pipe still covers us
    # The parent may have died between fork and prctl: then we were already re-parented.
    if os.getppid() != parent_pid:
        os._exit(1)


def _watch_lifeline(fd: int) -> None:
    try:
        while os.read(fd, 4096):
            pass
    except OSError:
        pass
    # EOF: every write end is closed, so the parent is gone or wants us gone.
    os._exit(0)


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="batchrunner._local_child")
    ap.add_argument("--model", required=True)
    ap.add_argument("--alias", required=True)
    ap.add_argument("--parallel", type=int, required=True)
    ap.add_argument("--ctx", type=int, required=True)
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--status-file", required=True)
    ap.add_argument("--lifeline-fd", type=int, required=True)
    ap.add_argument("--parent-pid", type=int, required=True)
    ap.add_argument("--pdeathsig", action="store_true")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    # Ctrl-C hits the whole foreground process group; the parent decides when we stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if args.pdeathsig:
        _set_pdeathsig(args.parent_pid)
    threading.Thread(
        target=_watch_lifeline, args=(args.lifeline_fd,), name="lifeline", daemon=True
    ).start()

    # Imported late: the watchdogs above must be armed while it loads.
    import xllamacpp  # type: ignore[import-untyped]

    p = xllamacpp.CommonParams()
    p.model.path = args.model
    p.model_alias = {args.alias}
    p.port = 0  # the server binds a free port itself: no race with other processes
    p.hostnames = ["127.0.0.1"]
    p.n_parallel = args.parallel
    p.n_ctx = args.ctx
    p.cpuparams.n_threads = args.threads
    p.cpuparams_batch.n_threads = args.threads
    try:
        server = xllamacpp.Server(
            p
        )  # returns once the model is loaded and the port is bound
    except Exception as exc:
        # One line, not a traceback: the llama.cpp lines above it say what went wrong.
        sys.stderr.write(f"batchrunner._local_child: {type(exc).__name__}: {exc}\n")
        return 1

    status = Path(args.status_file)
    tmp = status.with_suffix(".tmp")
    tmp.write_text(
        json.dumps({"address": server.listening_address, "pid": os.getpid()})
    )
    os.replace(tmp, status)

    # The server runs on its own threads; keep it referenced until SIGTERM/SIGKILL/EOF.
    threading.Event().wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
