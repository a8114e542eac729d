"""The library's front door: run, validate, dry-run and status, without click.

`cli.py` maps these to commands and their errors to exit codes; tests call either.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import checkpoint as cp
from .cache import ResponseCache
from .errors import CheckpointError, EndpointError
from .inputs import iter_chunks, schema_from_json, schema_to_json
from .job import JobOptions, PreparedJob, prepare, require_api_key, scan
from .local import LocalModelConfig, LocalServer, preflight
from .output import write_output
from .progress import Progress
from .runner import Runner, stderr_log
from .tokens import estimate_prompt_tokens, tokenizer_name

if TYPE_CHECKING:
    import httpx

    from .shards import ShardContext

EXIT_OK, EXIT_USAGE, EXIT_ROW_ERRORS, EXIT_STOPPED, EXIT_INTERRUPTED = 0, 2, 3, 4, 130


@dataclass
class RunOptions:
    """How this invocation proceeds; none of it changes which requests the job makes."""

    fresh: bool = False
    retry_failed: bool = False
    resume_only: bool = False
    limit: int | None = None
    use_cache: bool = True  # False = --no-cache: do not answer from the cache this run
    state_dir: str | None = None
    progress: bool | None = None  # None: when stderr is a terminal
    transport: httpx.AsyncBaseTransport | None = None  # tests: httpx.MockTransport
    log: Callable[[str], None] = stderr_log
    shard: tuple[int, int] | None = None  # --shard i/N: run slice i of N (shards.py)


@dataclass
class RunSummary:
    job: str
    run_id: str
    status: str
    exit_code: int
    rows: int  # rows in this run's range (the input, or --limit)
    ok: int
    error: int
    cached: int  # rows answered from the response cache in this invocation
    new_rows: int  # rows finished by requests sent in this invocation
    requests_sent: int
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int
    cost_usd: float | None  # whole run, every session
    session_cost_usd: float | None  # this invocation
    wall_s: float
    rows_per_s: float
    output: str | None
    resumed: bool
    message: str | None = None
    labels: dict[str, int] = field(default_factory=dict)
    error_kinds: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def job_dir_for(job: PreparedJob, state_dir: str | None) -> Path:
    return cp.state_root(job.spec.base_dir, state_dir) / "runs" / job.spec.name


def _choose_run(job: PreparedJob, runs: list[tuple[Path, cp.Manifest]], options: RunOptions
                ) -> tuple[Path, cp.Manifest] | None:
    if options.fresh:
        return None
    # A run that finished after an unfinished one (say `run --fresh`) supersedes it: never resume behind it.
    last_finished = max((i for i, r in enumerate(runs) if r[1].status == cp.FINISHED), default=-1)
    unfinished = [r for r in runs[last_finished + 1:] if r[1].status in cp.UNFINISHED_STATES]
    if unfinished:
        same = [r for r in unfinished if r[1].fingerprint == job.fingerprint]
        run_dir, manifest = same[-1] if same else unfinished[-1]
        if manifest.fingerprint != job.fingerprint:
            changed = [k for k, v in job.fingerprint_parts.items() if manifest.fingerprint_parts.get(k) != v]
            raise CheckpointError(
                f"an unfinished run of '{job.spec.name}' ({manifest.run_id}, {manifest.status}) was made with a "
                f"different {', '.join(changed) or 'job'}; it cannot resume with these settings. "
                "Run with --fresh to start over, or restore the old settings to finish it"
            )
        return run_dir, manifest
    if options.retry_failed:
        same = [r for r in runs if r[1].fingerprint == job.fingerprint]
        if same:
            return same[-1]
    return None


@contextlib.contextmanager
def _endpoint_url(job: PreparedJob, log: Callable[[str], None]) -> Iterator[str]:
    local = job.endpoint.local
    if local is None:
        yield job.endpoint.base_url
        return
    config = _local_config(job)
    log(f"starting the local llama.cpp server ({os.path.basename(config.model_path or 'SmolLM2-135M-Instruct')}, "
        f"{config.parallel} slots) ...")
    with LocalServer(config) as server:
        log(f"local model {server.model_name} ready at {server.base_url} in {server.startup_s:.1f} s")
        yield server.base_url


def _local_config(job: PreparedJob) -> LocalModelConfig:
    local = job.endpoint.local
    assert local is not None
    return LocalModelConfig(model_path=local.model_path, parallel=local.parallel, ctx=local.ctx)


def run_job(spec_path: str | os.PathLike[str], job_options: JobOptions | None = None,
            options: RunOptions | None = None) -> RunSummary:
    options = options or RunOptions()
    started = time.time()
    job = prepare(spec_path, job_options)
    api_key = require_api_key(job)
    if job.endpoint.local is not None:
        preflight(_local_config(job))  # a missing extra or model file: exit 2 before any run state exists
    job_dir = job_dir_for(job, options.state_dir)
    from .shards import enter_shard

    shard = enter_shard(job, options.shard, job_dir, fresh=options.fresh)  # None unless sharded
    if shard is not None:
        job_dir = shard.dir
    lock = cp.JobLock(job_dir / "lock", job.spec.name)
    lock.acquire()
    try:
        run_dir, manifest, resumed = _open_run(job, job_dir, shard, options, started)
        journal = cp.Journal(run_dir / "journal.sqlite")
        try:
            assert job.info is not None
            states = journal.states(job.info.num_rows)
            session = _Session(job, shard, options, run_dir, manifest, journal, resumed, states)
            runner, session_start, wall = _execute(session, api_key)
            return _conclude(session, str(spec_path), runner, session_start, wall)
        finally:
            journal.close()
    finally:
        lock.release()


@dataclass
class _Session:
    """One invocation of `run` on one run folder (the job's lock is held)."""

    job: PreparedJob
    shard: ShardContext | None
    options: RunOptions
    run_dir: Path
    manifest: cp.Manifest
    journal: cp.Journal
    resumed: bool
    states: bytearray  # one byte per input row: pending, ok or error (checkpoint.py)

    @property
    def stop_at(self) -> int:
        assert self.job.info is not None
        limit = self.options.limit
        return self.job.info.num_rows if limit is None else min(limit, self.job.info.num_rows)


def _open_run(job: PreparedJob, job_dir: Path, shard: ShardContext | None, options: RunOptions, started: float
              ) -> tuple[Path, cp.Manifest, bool]:
    """The run to resume, or a new one; sets job.info (scanning the input only when it changed)."""
    chosen = _choose_run(job, cp.list_runs(job_dir), options)
    if options.resume_only and chosen is None:
        raise CheckpointError(f"nothing to resume for job '{job.spec.name}' in {job_dir}; use `batchrunner run`")
    if chosen is not None and chosen[1].input.get("files") == [
            [str(f.path), f.format, f.size, f.mtime_ns] for f in job.files]:
        info = schema_from_json(chosen[1].input)  # same files: skip the scan
        from .job import check_input

        check_input(job, info)
    else:
        info = scan(job) if shard is None else shard.scan(job)
    job.info = info
    if chosen is not None:
        return chosen[0], chosen[1], True
    run_id = base_id = cp.new_run_id(job.fingerprint)
    run_dir = job_dir / run_id
    while run_dir.exists():  # a second run of this job in the same second from this process
        run_id = f"{base_id}-{len(list(job_dir.glob(base_id + '*'))) + 1}"
        run_dir = job_dir / run_id
    run_dir.mkdir(parents=True, exist_ok=False)
    manifest = cp.Manifest(
        run_id=run_id, job_name=job.spec.name, fingerprint=job.fingerprint,
        fingerprint_parts=job.fingerprint_parts, status=cp.RUNNING, total_rows=info.num_rows,
        input=schema_to_json(info), created_at=started, updated_at=started,
        scheduled_for=job.variables.get("run_time"),
        shard=shard.label if shard is not None else None,
    )
    return run_dir, manifest, False


def _execute(session: _Session, api_key: str | None) -> tuple[Runner, float, float]:
    """Mark the run running and send its pending rows; returns the runner, start and wall time."""
    job, options, journal, manifest = session.job, session.options, session.journal, session.manifest
    assert job.info is not None
    log = options.log
    stop_at, states = session.stop_at, session.states
    done_before = stop_at - states[:stop_at].count(cp.PENDING)
    if session.resumed:
        if options.retry_failed:  # failed rows are about to be redone: they do not count as done
            failed = states[:stop_at].count(cp.ERROR)
            log(f"retrying {failed:,} failed rows of run {manifest.run_id}: "
                f"{done_before - failed:,} of {stop_at:,} rows done")
        else:
            log(f"resuming run {manifest.run_id}: {done_before:,} of {stop_at:,} rows done")
    manifest.status = cp.RUNNING
    manifest.limit = options.limit
    manifest.save(session.run_dir)
    spent_before = journal.totals().cost_usd
    cache = None
    if job.spec.cache:
        cache = ResponseCache() if session.shard is None else session.shard.open_cache()
    todo = stop_at - done_before + (states[:stop_at].count(cp.ERROR) if options.retry_failed else 0)
    progress = Progress(stop_at, stop_at - todo, enabled=options.progress, cost_known=job.spec.pricing is not None)
    session_start = time.time()
    try:
        with _endpoint_url(job, log) as base_url:
            runner = Runner(
                job, journal, states, stop_at=stop_at, base_url=base_url, api_key=api_key,
                cache=cache, read_cache=options.use_cache, retry_failed=options.retry_failed,
                progress=progress, transport=options.transport, spent_before=spent_before, log=log,
            )
            runner.run_in_new_loop()
    finally:
        progress.close()
        if cache is not None:
            cache.close()
    return runner, session_start, time.time() - session_start


def _conclude(session: _Session, spec_path: str, runner: Runner, session_start: float, wall: float) -> RunSummary:
    """Write the output if every row is done, record the session in the manifest, sum it up."""
    job, shard, options = session.job, session.shard, session.options
    journal, manifest = session.journal, session.manifest
    assert job.info is not None
    stop_at, states = session.stop_at, session.states
    pending = states[:stop_at].count(cp.PENDING)
    output = None
    message: str | None
    if runner.stop is not None and (pending or runner.stop.kind == "interrupted"):
        status = cp.INTERRUPTED if runner.stop.kind == "interrupted" else cp.STOPPED
        exit_code = EXIT_INTERRUPTED if status == cp.INTERRUPTED else EXIT_STOPPED
        message = runner.stop.message
    elif pending:
        status, exit_code = cp.INTERRUPTED, EXIT_STOPPED
        message = f"{pending} rows were left pending; run again to finish them"
    else:
        journal.flush()
        if shard is None:  # a shard's rows reach the output through `batchrunner merge`
            write_output(job.output_path, job.info, journal, value_column=job.spec.output.column,
                         value_type=job.value_type, mode=job.spec.parse.mode, stop=stop_at,
                         chunk_size=max(job.spec.run.chunk_size, 4096))
            output = str(job.output_path)
        status = cp.FINISHED if stop_at == job.info.num_rows else cp.INCOMPLETE
        errors = states[:stop_at].count(cp.ERROR)
        exit_code = EXIT_ROW_ERRORS if errors else EXIT_OK
        again = f"{spec_path}{shard.flag}" if shard is not None else spec_path
        message = (f"{errors:,} rows failed; `batchrunner run {again} --retry-failed` re-attempts them"
                   if errors else None)
        if shard is not None and not errors:
            message = f"shard {shard.label} finished; `batchrunner merge {spec_path}` writes the output"
    totals = journal.totals(stop_at)
    s = runner.stats
    summary = RunSummary(
        job=job.spec.name, run_id=manifest.run_id, status=status, exit_code=exit_code, rows=stop_at,
        ok=totals.ok, error=totals.error, cached=s.cached, new_rows=s.ok + s.error - s.cached,
        requests_sent=s.sent, prompt_tokens=totals.prompt_tokens,
        completion_tokens=totals.completion_tokens, total_tokens=totals.total_tokens,
        cost_usd=totals.cost_usd if job.spec.pricing else None,
        session_cost_usd=s.cost_usd if job.spec.pricing else None,
        wall_s=round(wall, 3), rows_per_s=round((s.ok + s.error) / wall, 2) if wall > 0 else 0.0,
        output=output, resumed=session.resumed, message=message,
        labels=journal.label_counts(stop_at) if job.spec.parse.mode == "labels" else {},
        error_kinds=totals.error_kinds,
    )
    manifest.status = status
    manifest.exit_code = exit_code
    manifest.sessions.append({
        "started_at": session_start, "duration_s": round(wall, 3), "ok": s.ok, "error": s.error,
        "cached": s.cached, "requests": s.sent, "prompt_tokens": s.prompt_tokens,
        "completion_tokens": s.completion_tokens, "cost_usd": s.cost_usd, "exit_code": exit_code,
        "retry_failed": options.retry_failed, "limit": options.limit,
    })
    manifest.save(session.run_dir)
    return summary


# ---------------------------------------------------------------- validate and dry-run


@dataclass
class Estimate:
    rows: int
    prompt_tokens: int
    max_output_tokens: int | None
    cost_usd: float | None
    tokenizer: str
    errors: int


def validate_job(spec_path: str | os.PathLike[str], job_options: JobOptions | None = None,
                 first_rows: int = 5) -> tuple[PreparedJob, dict[str, Any], list[str]]:
    """Check spec, input and templates on the first rows; return one rendered request and warnings."""
    job = prepare(spec_path, job_options)
    info = scan(job, first_rows=first_rows)
    job.info = info
    warnings = []
    env = job.endpoint.api_key_env
    if env and not os.environ.get(env):
        warnings.append(f"the API key variable {env} is not set; `run` will refuse to start until it is")
    if job.endpoint.local is not None:
        try:
            preflight(_local_config(job))
        except EndpointError as exc:
            warnings.append(f"{exc} (`run` will refuse to start)")
    body: dict[str, Any] = {}
    for chunk in iter_chunks(info, first_rows, stop=first_rows):
        for offset, row in enumerate(chunk.rows()):
            context = {**row, **job.variables, "row_index": chunk.start + offset}
            if job.spec.prompt.split is not None:
                from .split import split_text

                text = str(row.get(job.spec.prompt.split.column) or "")
                context["part"] = split_text(text, job.spec.prompt.split.max_tokens, job.spec.prompt.split.overlap)[0]
                context["part_index"], context["part_count"] = 0, 1
            messages = job.templates.messages(context, f"row {chunk.start + offset + 1}")
            if not body:
                body = job.request_body(messages)
    return job, body, warnings


def dry_run(spec_path: str | os.PathLike[str], job_options: JobOptions | None = None,
            limit: int | None = None) -> Estimate:
    """Render every request and estimate tokens and cost; sends nothing, writes nothing."""
    job = prepare(spec_path, job_options)
    info = scan(job)
    job.info = info
    stop = info.num_rows if limit is None else min(limit, info.num_rows)
    from .budget import DEFAULT_WORST_OUTPUT_TOKENS

    max_out = job.max_output_tokens()
    worst_out = max_out if max_out is not None else DEFAULT_WORST_OUTPUT_TOKENS
    prompt_tokens = 0
    rows = 0
    requests = 0  # a split row sends one request per part, plus the reduce
    split = job.spec.prompt.split
    for chunk in iter_chunks(info, max(job.spec.run.chunk_size, 1024), stop=stop):
        for offset, row in enumerate(chunk.rows()):
            context = {**row, **job.variables, "row_index": chunk.start + offset}
            where = f"row {chunk.start + offset + 1}"
            if split is not None:
                from .split import split_text

                parts = split_text(str(row.get(split.column) or ""), split.max_tokens, split.overlap)
                for number, part in enumerate(parts):
                    msgs = job.templates.messages({**context, "part": part, "part_index": number,
                                                   "part_count": len(parts)}, where)
                    prompt_tokens += estimate_prompt_tokens(msgs)
                requests += len(parts)
                if job.templates.reduce is not None and len(parts) > 1:  # one part is answered directly
                    # The reduce prompt holds every part's reply: at most max_tokens each.
                    prompt_tokens += estimate_prompt_tokens(job.templates.reduce_messages(
                        {**context, "parts": ["" for _ in parts]}, where)) + len(parts) * worst_out
                    requests += 1
            else:
                prompt_tokens += estimate_prompt_tokens(job.templates.messages(context, where))
                requests += 1
            rows += 1
    cost = None
    if job.spec.pricing is not None:
        cost = job.spec.pricing.cost(prompt_tokens, requests * worst_out, 0)
    return Estimate(rows=rows, prompt_tokens=prompt_tokens, max_output_tokens=max_out, cost_usd=cost,
                    tokenizer=tokenizer_name(), errors=0)


# ---------------------------------------------------------------- status


def job_status(spec_path: str | os.PathLike[str], state_dir: str | None = None,
               job_options: JobOptions | None = None) -> dict[str, Any]:
    job = prepare(spec_path, job_options)
    job_dir = job_dir_for(job, state_dir)
    from .shards import sharded_status

    sharded = sharded_status(job, job_dir)  # every shard summed, if the job was last run sharded
    if sharded is not None:
        return sharded
    runs = cp.list_runs(job_dir)
    if not runs:
        return {"job": job.spec.name, "run_id": None, "status": "none", "state_dir": str(job_dir)}
    run_dir, manifest = runs[-1]
    journal = cp.Journal(run_dir / "journal.sqlite", readonly=True)
    try:
        stop = manifest.total_rows if manifest.limit is None else min(manifest.limit, manifest.total_rows)
        totals = journal.totals()
    finally:
        journal._db.close()
    status = manifest.status
    if status == cp.RUNNING and not _lock_held(job_dir / "lock"):
        status = "crashed"  # a running status whose writer is gone: `run` resumes it
    return {
        "job": job.spec.name, "run_id": manifest.run_id, "status": status,
        "fingerprint_matches": manifest.fingerprint == job.fingerprint,
        "rows": manifest.total_rows, "limit": manifest.limit, "ok": totals.ok, "error": totals.error,
        "pending": max(0, manifest.total_rows - totals.ok - totals.error),
        "pending_in_limit": max(0, stop - totals.ok - totals.error),
        "cached": totals.cached, "prompt_tokens": totals.prompt_tokens,
        "completion_tokens": totals.completion_tokens, "total_tokens": totals.total_tokens,
        "cost_usd": round(totals.cost_usd, 6), "error_kinds": totals.error_kinds,
        "last_activity": totals.last_activity or manifest.updated_at, "run_dir": str(run_dir),
    }


def _lock_held(path: Path) -> bool:
    import fcntl

    if not path.exists():
        return False
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False
