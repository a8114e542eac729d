"""The `batchrunner` command: parses options, calls the library, maps errors to exit codes."""

from __future__ import annotations

import datetime as dt
import os
import sys
import traceback
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click
import orjson

from . import api, interrupts
from .errors import BatchRunnerError, UsageError
from .job import JobOptions

F = TypeVar("F", bound=Callable[..., Any])


def _echo_err(message: str) -> None:
    click.echo(message, err=True)


def _handle_errors(func: F) -> F:
    """User mistakes become one plain line on stderr and exit 2; --debug shows the traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = bool(kwargs.get("debug"))
        try:
            interrupts.release()  # a Ctrl-C during start-up stops here, before the command does anything
            return func(*args, **kwargs)
        except BatchRunnerError as exc:
            if debug:
                traceback.print_exc()
            _echo_err(f"error: {exc}")
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            _echo_err("interrupted")
            sys.exit(api.EXIT_INTERRUPTED)

    return wrapper  # type: ignore[return-value]


def _parse_vars(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for item in values:
        if "=" not in item:
            raise UsageError(f"--var {item!r}: expected KEY=VALUE")
        key, value = item.split("=", 1)
        if not key.isidentifier():
            raise UsageError(f"--var {item!r}: '{key}' is not a valid template variable name")
        out[key] = value
    return out


def _job_options(endpoint: str | None, model: str | None, concurrency: int | None, var: tuple[str, ...],
                 output: str | None) -> JobOptions:
    variables = _parse_vars(var)
    scheduled = None
    if "run_date" in variables:  # re-running a past day: run_date and run_time follow it
        try:
            day = dt.date.fromisoformat(variables["run_date"])
        except ValueError:
            raise UsageError(f"--var run_date={variables['run_date']}: expected YYYY-MM-DD") from None
        scheduled = dt.datetime.combine(day, dt.time()).astimezone()
        variables.pop("run_date")
    return JobOptions(endpoint=endpoint, model=model, concurrency=concurrency, variables=variables,
                      output=output, scheduled_for=scheduled)


def _job_flags(func: F) -> F:
    for decorator in reversed([
        click.option("--endpoint", help="Endpoint profile (skillboss, openai, local) or a base URL."),
        click.option("--model", help="Override the spec's model."),
        click.option("--var", multiple=True, metavar="KEY=VALUE", help="Template variable (repeatable)."),
        click.option("--debug", is_flag=True, help="Show tracebacks."),
    ]):
        func = decorator(func)
    return func


def _run_flags(func: F) -> F:
    for decorator in reversed([
        click.option("--limit", type=click.IntRange(min=1), help="Only the first N rows."),
        click.option("--concurrency", type=click.IntRange(min=1), help="Requests in flight."),
        click.option("--output", help="Write the output here instead of output.path."),
        click.option("--json", "as_json", is_flag=True, help="One JSON summary on stdout."),
        click.option("--no-cache", is_flag=True, help="Do not answer from the response cache this run."),
        click.option("--state-dir", envvar="BATCHRUNNER_STATE_DIR",
                     help="Run state folder (default .batchrunner/ next to the spec)."),
        click.option("--progress/--no-progress", default=None, help="Show the progress bar (default: on a terminal)."),
        click.option("--shard", metavar="i/N", help="Run slice i of N (0-based) with its own journal; see merge."),
    ]):
        func = decorator(func)
    return func


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="batchrunner")
def main() -> None:
    """Run an LLM over a table: YAML job spec in, Parquet with per-row usage and cost out."""


def _usd(amount: float) -> str:
    """Four decimals, or six for the fractions of a cent a small job costs."""
    return f"${amount:.4f}" if amount >= 0.01 or amount == 0 else f"${amount:.6f}"


def _print_summary(summary: api.RunSummary, as_json: bool) -> None:
    if as_json:
        click.echo(orjson.dumps(summary.as_json()).decode())
        return
    if summary.message:
        _echo_err(summary.message if summary.exit_code in (0, 3) else f"stopped: {summary.message}")
    parts = [f"{summary.ok:,} ok", f"{summary.error:,} error"]
    reused = summary.cached
    line = f"{summary.status}: {summary.rows:,} rows ({', '.join(parts)})"
    line += f" · {summary.new_rows:,} new, {reused:,} from cache, {summary.requests_sent:,} requests"
    line += f" · {summary.total_tokens:,} tokens"
    if summary.cost_usd is not None:
        line += f" · {_usd(summary.cost_usd)}"
        if summary.resumed and summary.session_cost_usd is not None:
            line += f" (this session {_usd(summary.session_cost_usd)})"
    line += f" · {summary.wall_s:.1f} s · {summary.rows_per_s:,.1f} rows/s"
    _echo_err(line)
    if summary.labels:
        _echo_err("labels: " + ", ".join(f"{k} {v:,}" for k, v in summary.labels.items()))
    if summary.error_kinds:
        _echo_err("errors: " + ", ".join(f"{k} {v:,}" for k, v in summary.error_kinds.items()))
    if summary.output:
        _echo_err(f"output: {summary.output}")


def _do_run(spec: str, *, resume_only: bool, fresh: bool, retry_failed: bool, dry_run: bool,
            limit: int | None, concurrency: int | None, endpoint: str | None, model: str | None,
            var: tuple[str, ...], output: str | None, as_json: bool, no_cache: bool,
            state_dir: str | None, progress: bool | None, shard: str | None = None) -> None:
    job_options = _job_options(endpoint, model, concurrency, var, output)
    if dry_run:
        est = api.dry_run(spec, job_options, limit=limit)
        if as_json:
            click.echo(orjson.dumps(est.__dict__).decode())
            return
        out = f"max_tokens {est.max_output_tokens:,}" if est.max_output_tokens else "max_tokens not set (assumed 4,096)"
        click.echo(f"dry run: {est.rows:,} rows, ~{est.prompt_tokens:,} prompt tokens ({est.tokenizer}), {out}")
        if est.cost_usd is not None:
            click.echo(f"estimated cost at most ${est.cost_usd:.4f} (prompt estimate + max_tokens for every request)")
        click.echo("nothing was sent")
        return
    if fresh and (retry_failed or resume_only):
        raise UsageError("--fresh cannot be combined with --retry-failed or resume")
    options = api.RunOptions(fresh=fresh, retry_failed=retry_failed, resume_only=resume_only, limit=limit,
                             use_cache=not no_cache, state_dir=state_dir, progress=progress)
    if shard is not None:
        from .shards import parse_shard

        options.shard = parse_shard(shard)
    summary = api.run_job(spec, job_options, options)
    _print_summary(summary, as_json)
    sys.exit(summary.exit_code)


@main.command()
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--fresh", is_flag=True, help="Ignore any checkpoint and start a new run.")
@click.option("--retry-failed", is_flag=True, help="Resume and re-attempt the rows that ended in error.")
@click.option("--dry-run", is_flag=True, help="Render every request and estimate tokens and cost; send nothing.")
@_run_flags
@_job_flags
@_handle_errors
def run(spec: str, fresh: bool, retry_failed: bool, dry_run: bool, **kw: Any) -> None:
    """Run a job; resumes an unfinished run of the same job."""
    kw.pop("debug", None)
    _do_run(spec, resume_only=False, fresh=fresh, retry_failed=retry_failed, dry_run=dry_run, **kw)


@main.command()
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--retry-failed", is_flag=True, help="Also re-attempt the rows that ended in error.")
@_run_flags
@_job_flags
@_handle_errors
def resume(spec: str, retry_failed: bool, **kw: Any) -> None:
    """Like run, but an error if there is nothing to resume."""
    kw.pop("debug", None)
    _do_run(spec, resume_only=True, fresh=False, retry_failed=retry_failed, dry_run=False, **kw)


@main.command()
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--state-dir", envvar="BATCHRUNNER_STATE_DIR")
@_job_flags
@_handle_errors
def status(spec: str, as_json: bool, state_dir: str | None, endpoint: str | None, model: str | None,
           var: tuple[str, ...], debug: bool) -> None:
    """Done / failed / pending counts, tokens, cost and error kinds of the latest run."""
    info = api.job_status(spec, state_dir, _job_options(endpoint, model, None, var, None))
    if as_json:
        click.echo(orjson.dumps(info).decode())
        return
    if info["run_id"] is None:
        click.echo(f"{info['job']}: no runs yet (state in {info['state_dir']})")
        return
    if "shards" in info:  # a sharded job: the sum and one line per shard
        from .shards import format_status

        click.echo(format_status(info))
        return
    when = dt.datetime.fromtimestamp(info["last_activity"]).strftime("%Y-%m-%d %H:%M:%S")
    click.echo(f"{info['job']} run {info['run_id']}: {info['status']}")
    click.echo(f"  rows {info['rows']:,}: {info['ok']:,} ok, {info['error']:,} error, {info['pending']:,} pending"
               f" ({info['cached']:,} from cache)")
    click.echo(f"  tokens {info['total_tokens']:,} (prompt {info['prompt_tokens']:,}, "
               f"completion {info['completion_tokens']:,}) · cost ${info['cost_usd']:.4f}")
    if info["error_kinds"]:
        click.echo("  errors: " + ", ".join(f"{k} {v:,}" for k, v in info["error_kinds"].items()))
    click.echo(f"  last activity {when}")
    if not info["fingerprint_matches"]:
        click.echo("  note: the spec or input changed since this run; `run` will not resume it without --fresh")


@main.command()
@click.argument("spec", type=click.Path(dir_okay=False))
@_job_flags
@_handle_errors
def validate(spec: str, endpoint: str | None, model: str | None, var: tuple[str, ...], debug: bool) -> None:
    """Check spec, input and templates on the first rows; print one rendered request; send nothing."""
    job, body, warnings = api.validate_job(spec, _job_options(endpoint, model, None, var, None))
    assert job.info is not None
    click.echo(f"ok: {job.spec.spec_path.name}: {len(job.info.columns)} columns "
               f"({', '.join(job.info.columns[:10])}), endpoint {job.endpoint.name} "
               f"{job.endpoint.base_url or '(started locally)'}, model {job.model}")
    click.echo(f"output: {job.output_path} (column '{job.spec.output.column}')")
    click.echo("first request:")
    click.echo(orjson.dumps(body, option=orjson.OPT_INDENT_2).decode())
    for w in warnings:
        _echo_err(f"warning: {w}")


@main.group()
def cache() -> None:
    """The response cache."""


@cache.command("stats")
@click.option("--json", "as_json", is_flag=True)
@_handle_errors
def cache_stats(as_json: bool) -> None:
    """Entries and size of the response cache."""
    from .cache import ResponseCache

    c = ResponseCache()
    try:
        s = c.stats()
    finally:
        c.close()
    if as_json:
        click.echo(orjson.dumps({"path": str(s.path), "entries": s.entries, "size_bytes": s.size_bytes,
                                 "oldest": s.oldest, "newest": s.newest}).decode())
        return
    click.echo(f"{s.path}: {s.entries:,} replies, {s.size_bytes / 1e6:.1f} MB")


def _parse_age(text: str) -> float:
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
    try:
        if text[-1] in units:
            return float(text[:-1]) * units[text[-1]]
        return float(text) * 86400
    except (ValueError, IndexError):
        raise UsageError(f"--older-than {text!r}: expected a duration such as 30d, 12h or 90m") from None


@cache.command("clear")
@click.option("--older-than", help="Only entries older than this (30d, 12h, 90m).")
@_handle_errors
def cache_clear(older_than: str | None) -> None:
    """Empty the response cache (or drop old entries)."""
    from .cache import ResponseCache

    age = _parse_age(older_than) if older_than else None
    c = ResponseCache(reset_if_damaged=True)
    try:
        n = c.clear(age)
    finally:
        c.close()
    click.echo(f"removed {n:,} cached replies")


# Commands of other modules register themselves below (one import per feature).


@main.command()
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--shards", type=click.IntRange(min=1), help="Number of shards (default: as they were run).")
@click.option("--parts", "layout", flag_value="parts", help="Write a directory of part files plus _SUCCESS.")
@click.option("--single-file", "layout", flag_value="file", help="Write one Parquet file, however large.")
@click.option("--output", help="Write the output here instead of output.path.")
@click.option("--json", "as_json", is_flag=True, help="One JSON summary on stdout.")
@click.option("--state-dir", envvar="BATCHRUNNER_STATE_DIR", help="Run state folder (default .batchrunner/).")
@_job_flags
@_handle_errors
def merge(spec: str, shards: int | None, layout: str | None, output: str | None, as_json: bool, state_dir: str | None,
          endpoint: str | None, model: str | None, var: tuple[str, ...], debug: bool) -> None:
    """Check that every shard finished and write the output from all of them."""
    from .merge import merge_job

    summary = merge_job(spec, _job_options(endpoint, model, None, var, output), state_dir=state_dir, shards=shards,
                        layout=layout or "auto")
    if as_json:
        click.echo(orjson.dumps(summary.as_json()).decode())
    elif summary.message:
        _echo_err(summary.message)
    sys.exit(summary.exit_code)


@main.command()
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--shards", type=click.IntRange(min=1), required=True, help="Number of shards.")
@click.option("--print", "target", type=click.Choice(["k8s", "slurm", "ray"]), required=True,
              help="What to print: a Kubernetes Indexed Job, a Slurm array script or a Ray script.")
@click.option("--parallel", type=click.IntRange(min=1), help="Shards at once (default run.parallel_shards, else N).")
@click.option("--image", default="batchrunner:latest", show_default=True, help="k8s: container image.")
@click.option("--claim", default="batchrunner-data", show_default=True, help="k8s: volume claim with the job folder.")
@click.option("--state-dir", envvar="BATCHRUNNER_STATE_DIR", help="slurm/ray: shared run state folder.")
@_job_flags
@_handle_errors
def launch(spec: str, shards: int, target: str, parallel: int | None, image: str, claim: str, state_dir: str | None,
           endpoint: str | None, model: str | None, var: tuple[str, ...], debug: bool) -> None:
    """Print what runs the shards on Kubernetes, Slurm or Ray (applies nothing)."""
    from .job import prepare
    from .launch import render

    job = prepare(spec, _job_options(endpoint, model, None, var, None))
    click.echo(render(job, spec, target=target, shards=shards, parallel=parallel, image=image, claim=claim,
                      state_dir=state_dir), nl=False)


@main.command()
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--max-runs", type=click.IntRange(min=1), help="Stop after N runs.")
@click.option("--catch-up", is_flag=True, help="On start, run the latest due time missed while the scheduler was down.")
@click.option("--print-cron", is_flag=True, help="Print a crontab line for the schedule instead of running it.")
@click.option("--print-systemd", is_flag=True, help="Print a systemd service and timer instead of running it.")
@click.option("--json", "as_json", is_flag=True, help="One JSON line per due time on stdout.")
@click.option("--state-dir", envvar="BATCHRUNNER_STATE_DIR", help="Run state folder (default: .batchrunner/).")
@_job_flags
@_handle_errors
def schedule(spec: str, max_runs: int | None, catch_up: bool, print_cron: bool, print_systemd: bool, as_json: bool,
             state_dir: str | None, endpoint: str | None, model: str | None, var: tuple[str, ...], debug: bool) -> None:
    """Run the job on its `schedule:` cron expression, in the foreground, one run at a time."""
    from . import schedule as scheduling

    job_options = _job_options(endpoint, model, None, var, None)
    if print_cron or print_systemd:
        run_args = [a for v in var for a in ("--var", v)] + (["--model", model] if model else [])
        texts = []
        if print_cron:
            texts.append(scheduling.cron_entry(spec, state_dir=state_dir, endpoint=endpoint, run_args=run_args))
        if print_systemd:
            texts.append(scheduling.systemd_units(spec, state_dir=state_dir, endpoint=endpoint, run_args=run_args))
        click.echo("\n\n".join(texts))
        return

    def on_run(item: scheduling.ScheduledRun) -> None:
        if as_json:
            click.echo(orjson.dumps(item.as_json()).decode())

    options = scheduling.ScheduleOptions(max_runs=max_runs, catch_up=catch_up, state_dir=state_dir,
                                         job_options=job_options)
    scheduling.Scheduler(spec, options, on_run=on_run).run()


@main.command()
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="A JSON list of runs, oldest first.")
@click.option("--state-dir", envvar="BATCHRUNNER_STATE_DIR", help="Run state folder (default: .batchrunner/).")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@_handle_errors
def history(spec: str, as_json: bool, state_dir: str | None, debug: bool) -> None:
    """Past runs: start, duration, rows ok / error / cached, tokens, cost, exit code (newest last)."""
    from . import history as run_history

    name, job_dir, records = run_history.job_history(spec, state_dir)
    if as_json:
        click.echo(orjson.dumps([r.as_json() for r in records]).decode())
        return
    if not records:
        click.echo(f"{name}: no runs yet (state in {job_dir})")
        return
    click.echo(f"{name}: {len(records)} run(s) in {job_dir}")
    for line in run_history.format_table(records):
        click.echo(line)


def entry() -> None:
    """The `batchrunner` command: the CLI, then an exit that skips the interpreter's teardown.

    Tearing down pyarrow, jinja2 and the rest takes 30-45 ms, ~2% of a 20,000-row run; by the
    time a command returns, every file it wrote is closed and fsynced and any local model
    server is stopped, so there is nothing left for the teardown to do.
    """
    try:
        main()
        code: int = 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:
            sys.stderr.write(f"{exc.code}\n")
            code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (| head): nothing more can be said there
            pass
    os._exit(code)


if __name__ == "__main__":
    entry()
