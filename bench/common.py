"""Shared pieces of the benchmarks: the project's fake server, inputs, the CLI as a
measured subprocess, and the bare-aiohttp baseline that every ratio is taken against."""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from batchrunner.testing import spawn_fakeserver  # noqa: E402


def _precompile() -> None:
    """Byte-compile batchrunner once, as a regular `pip install` does: with an editable install
    and PYTHONDONTWRITEBYTECODE set (as on these machines) every CLI start would otherwise
    compile its 23 modules again (~35 ms)."""
    import compileall

    compileall.compile_dir(str(REPO / "batchrunner"), quiet=1)


_precompile()


@dataclass
class Measured:
    wall_s: float
    cpu_s: float  # user + system of the CLI process (os.wait4)
    peak_tree_rss_mb: float  # sampled sum of RSS over the process tree
    maxrss_mb: float  # the CLI's own peak RSS (VmHWM; wait4's ru_maxrss counts the forked parent)
    exit_code: int
    stdout: str
    stderr: str


def tree_rss_kb(root: int) -> int:
    """Sum of VmRSS over `root` and its descendants, read from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def _hwm_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class CliRun:
    """`python -m batchrunner ARGS` started now, its process tree's RSS sampled every 50 ms."""

    def __init__(self, args: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> None:
        self.start = time.perf_counter()
        self.proc = subprocess.Popen([sys.executable, "-m", "batchrunner", *args], env={**os.environ, **(env or {})},
                                     cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self._peak_kb = self._hwm_kb = 0
        self._stop = threading.Event()
        self._out: list[bytes] = []
        self._err: list[bytes] = []
        self._threads = [threading.Thread(target=self._sample, daemon=True)] + [
            threading.Thread(target=lambda s=s, b=b: b.append(s.read()), daemon=True)
            for s, b in ((self.proc.stdout, self._out), (self.proc.stderr, self._err))]
        for t in self._threads:
            t.start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            self._peak_kb = max(self._peak_kb, tree_rss_kb(self.proc.pid))
            self._hwm_kb = max(self._hwm_kb, _hwm_kb(self.proc.pid))
            self._stop.wait(0.05)

    def running(self) -> bool:
        """Without reaping it: wait() still gets its CPU time from os.wait4."""
        return os.waitid(os.P_PID, self.proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None

    def wait(self) -> Measured:
        _, status, usage = os.wait4(self.proc.pid, 0)
        wall = time.perf_counter() - self.start
        self._stop.set()
        for t in self._threads:
            t.join()
        self.proc.returncode = os.waitstatus_to_exitcode(status)
        return Measured(wall, usage.ru_utime + usage.ru_stime, self._peak_kb / 1024, self._hwm_kb / 1024,
                        self.proc.returncode, b"".join(self._out).decode(), b"".join(self._err).decode())


def run_measured(args: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> Measured:
    """Run `python -m batchrunner ARGS` to its end, measured."""
    return CliRun(args, env, cwd).wait()


class Server:
    """The project's fake OpenAI server as a subprocess (it must not share our GIL); with
    plain=True, bench/plainserver.py instead (a second implementation, no options)."""

    def __init__(self, plain: bool = False, **config: Any) -> None:
        if plain:
            self.proc = subprocess.Popen([sys.executable, str(REPO / "bench" / "plainserver.py")],
                                         stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
            assert self.proc.stdout is not None
            self.base_url = self.proc.stdout.readline().decode().strip()
            if not self.base_url.startswith("http"):
                raise RuntimeError(f"bench/plainserver.py did not start (exit {self.proc.wait()})")
        else:
            self.proc, self.base_url = spawn_fakeserver({"track_keys": False, **config})

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def write_reviews_jsonl(path: Path, n: int, text_bytes: int = 200) -> Path:
    filler = ("The product arrived on time and works as described, though the manual is thin. " * 20)
    with open(path, "wb") as fh:
        for i in range(n):
            fh.write(orjson.dumps({"id": f"r{i:08d}", "text": f"{i}: " + filler[:text_bytes]}) + b"\n")
    return path


def write_reviews_parquet(path: Path, n: int, text_bytes: int = 1000, batch: int = 50_000) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    filler = ("The product arrived on time and works as described, though the manual is thin. " * 20)
    schema = pa.schema([("id", pa.string()), ("text", pa.string())])
    with pq.ParquetWriter(path, schema) as writer:
        for start in range(0, n, batch):
            ids = [f"r{i:08d}" for i in range(start, min(n, start + batch))]
            texts = [f"{i}: " + filler[:text_bytes] for i in range(start, min(n, start + batch))]
            writer.write_table(pa.table({"id": ids, "text": texts}, schema=schema))
    return path


def write_labels_job(folder: Path, base_url: str, input_name: str, concurrency: int = 64,
                     extra: dict[str, Any] | None = None) -> Path:
    doc: dict[str, Any] = {
        "name": "bench",
        "model": "bench-model",
        "endpoint": {"base_url": base_url},
        "input": {"path": input_name, "id_column": "id"},
        "prompt": {"system": "You label reviews.", "user": "Review: {{ text }}\nAnswer with one word."},
        "params": {"temperature": 0, "max_tokens": 5},
        "parse": {"labels": ["positive", "negative", "neutral"]},
        "output": {"path": "out.parquet", "column": "sentiment"},
        "run": {"concurrency": concurrency},
        "pricing": {"input_per_million": 0.75, "output_per_million": 4.5, "discount": 0.8},
    }
    doc.update(extra or {})
    spec = folder / "job.yaml"
    spec.write_text(yaml.safe_dump(doc, sort_keys=False))
    return spec


async def _bare_loop(url: str, texts: list[str], concurrency: int) -> float:
    import aiohttp

    todo = list(reversed(texts))
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        async def worker() -> None:
            while todo:
                text = todo.pop()
                body = orjson.dumps({"model": "bench-model", "max_tokens": 5, "temperature": 0, "messages": [
                    {"role": "system", "content": "You label reviews."},
                    {"role": "user", "content": f"Review: {text}\nAnswer with one word."}]})
                async with session.post(url, data=body, headers={"Content-Type": "application/json"}) as resp:
                    orjson.loads(await resp.read())

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return time.perf_counter() - start


def bare_aiohttp_rows_per_s(base_url: str, texts: list[str], concurrency: int, use_uvloop: bool = True) -> float:
    """The baseline: a bare aiohttp loop sending the same requests, nothing else (on uvloop,
    the stricter baseline, unless use_uvloop is False)."""
    runner: Any = asyncio.run
    if use_uvloop:
        try:
            import uvloop

            runner = uvloop.run
        except ImportError:
            pass
    elapsed = runner(_bare_loop(base_url + "/chat/completions", texts, concurrency))
    return len(texts) / elapsed


def median_spread(values: list[float]) -> str:
    return f"{statistics.median(values):,.0f} ({min(values):,.0f}–{max(values):,.0f})"


def machine() -> str:
    import platform

    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
