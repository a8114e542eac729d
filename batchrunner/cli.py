"""The `batchrunner` command: parses options, calls the library, maps errors to exit codes."""

from __future__ import annotations

import datetime as dt
import sys
import traceback
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click
import orjson

from . import api
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
        click.option("--state-dir", envvar="BATCHRUNNER_STATE_DIR", help="Run state folder (default .batchrunner/ next to the spec)."),
        click.option("--progress/--no-progress", default=None, help="Show the progress bar (default: on a terminal)."),
    ]):
        func = decorator(func)
    return func


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="batchrunner")
def main() -> None:
    """Run an LLM over a table: YAML job spec in, Parquet with per-row usage and cost out."""


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
        line += f" · ${summary.cost_usd:.4f}"
        if summary.resumed and summary.session_cost_usd is not None:
            line += f" (this session ${summary.session_cost_usd:.4f})"
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
            state_dir: str | None, progress: bool | None) -> None:
    job_options = _job_options(endpoint, model, concurrency, var, output)
    if dry_run:
        est = api.dry_run(spec, job_options, limit=limit)
        if as_json:
            click.echo(orjson.dumps(est.__dict__).decode())
            return
        out = f"max_tokens {est.max_output_tokens:,}" if est.max_output_tokens else "max_tokens not set (assumed 4,096)"
        click.echo(f"dry run: {est.rows:,} rows, ~{est.prompt_tokens:,} prompt tokens ({est.tokenizer}), {out}")
        if est.cost_usd is not None:
            click.echo(f"estimated cost at most ${est.cost_usd:.4f} (prompt estimate + max_tokens for every row)")
        click.echo("nothing was sent")
        return
    if fresh and (retry_failed or resume_only):
        raise UsageError("--fresh cannot be combined with --retry-failed or resume")
    options = api.RunOptions(fresh=fresh, retry_failed=retry_failed, resume_only=resume_only, limit=limit,
                             use_cache=not no_cache, state_dir=state_dir, progress=progress)
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
    c = ResponseCache()
    try:
        n = c.clear(age)
    finally:
        c.close()
    click.echo(f"removed {n:,} cached replies")


if __name__ == "__main__":
    main()
