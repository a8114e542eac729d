"""Shared fixtures: an isolated environment, the loopback fake server, job files, the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from click.testing import CliRunner

from batchrunner.cli import main as cli_main
from batchrunner.testing import FakeServer

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own cache and no inherited state dir or keys."""
    monkeypatch.setenv("BATCHRUNNER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("BATCHRUNNER_STATE_DIR", raising=False)
    for key in ("SKILLBOSS_WHOLESALE_KEY", "OPENAI_API_KEY"):
        monkeypatch.delenv(key, raising=False)


@pytest.fixture
def server() -> Iterator[FakeServer]:
    """An in-process fake OpenAI server on 127.0.0.1 (label replies, zero latency)."""
    with FakeServer(keep_bodies=100000) as s:
        yield s


def repo_state_files() -> dict[str, int]:
    """What a user's own runs leave in the checkout (README command 1 writes outputs/ and
    jobs/.batchrunner/): path -> mtime. Tests compare it before and after, so they prove they
    wrote nothing there without requiring a checkout nobody has run the job in."""
    found: dict[str, int] = {}
    for folder in (REPO / "outputs", REPO / "jobs" / ".batchrunner"):
        if folder.exists():
            for path in folder.rglob("*"):
                found[str(path)] = path.stat().st_mtime_ns
    return found


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    return path


def write_parquet(path: Path, rows: list[dict[str, Any]], row_group_size: int | None = None) -> Path:
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=row_group_size)
    return path


def reviews(n: int, prefix: str = "r") -> list[dict[str, Any]]:
    words = ["great", "awful", "fine", "loved it", "broke fast", "as described"]
    return [{"id": f"{prefix}{i:05d}", "text": f"review {i}: {words[i % len(words)]}", "stars": i % 5 + 1}
            for i in range(n)]


@dataclass
class Job:
    """A job folder: spec.yaml plus its input, pointed at a server."""

    dir: Path
    spec: Path

    @property
    def output(self) -> Path:
        return self.dir / "out.parquet"

    def read_output(self) -> pa.Table:
        return pq.read_table(self.output)

    def rewrite(self, **changes: Any) -> None:
        data = yaml.safe_load(self.spec.read_text())
        data.update(changes)
        self.spec.write_text(yaml.safe_dump(data, sort_keys=False))


def make_job(
    tmp_path: Path,
    base_url: str | None,
    rows: list[dict[str, Any]] | None = None,
    *,
    input_name: str = "data.jsonl",
    spec: dict[str, Any] | None = None,
    extra_yaml: str = "",
) -> Job:
    """Write data + spec.yaml into tmp_path. `spec` entries replace the defaults."""
    rows = reviews(20) if rows is None else rows
    data = tmp_path / input_name
    if input_name.endswith(".parquet"):
        write_parquet(data, rows)
    elif input_name.endswith(".jsonl"):
        write_jsonl(data, rows)
    doc: dict[str, Any] = {
        "name": "test-job",
        "model": "test-model",
        "endpoint": {"base_url": base_url or "http://127.0.0.1:9/v1"},
        "input": {"path": input_name, "id_column": "id"},
        "prompt": {"user": "Review: {{ text }}"},
        "params": {"temperature": 0, "max_tokens": 5},
        "parse": {"labels": ["positive", "negative", "neutral"]},
        "output": {"path": "out.parquet", "column": "sentiment"},
        "run": {"concurrency": 4, "max_retries": 2, "timeout_s": 10},
        "pricing": {"input_per_million": 0.75, "output_per_million": 4.5, "discount": 0.8},
    }
    doc.update(spec or {})
    doc = {k: v for k, v in doc.items() if v is not None}
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False) + textwrap.dedent(extra_yaml))
    return Job(dir=tmp_path, spec=path)


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


def run_cli(*args: str, env: dict[str, str] | None = None) -> CliResult:
    """Invoke the CLI in-process with click's CliRunner (stdout and stderr kept apart)."""
    runner = CliRunner()
    result = runner.invoke(cli_main, list(args), env=env, catch_exceptions=False)
    return CliResult(result.exit_code, result.stdout, result.stderr)


def spawn_cli(*args: str, env: dict[str, str] | None = None, **popen: Any) -> subprocess.Popen[bytes]:
    """The CLI as a real subprocess (for kill and signal tests)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.Popen([sys.executable, "-m", "batchrunner", *args], env=full_env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen)
