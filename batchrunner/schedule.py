"""Running a job on its `schedule:` cron expression, or handing the schedule to cron or systemd.

`Scheduler` is the foreground loop behind `batchrunner schedule`: wait for the next due time,
run the job as a new run (`run_date`/`run_time` are the due time), log the outcome, wait again.
One run at a time: the job's lock (held by `run_job`) decides, so a run started by hand or by
another scheduler makes a due time be skipped, not queued. The loop's clock, sleep and run
function are injectable so tests can drive days of schedule in microseconds.

Due times are local wall-clock times, as cron's are: the default clock is naive local time, so a
wait that spans a DST change still ends at 02:00 on the wall (a fixed UTC offset would be an hour
off). A test clock may return aware datetimes instead; both work, as long as one kind is used.

`cron_entry` and `systemd_units` print the same schedule for cron or a systemd timer, whose
runs are plain `batchrunner run --fresh --json` invocations.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import shlex
import shutil
import signal
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import orjson
from croniter import croniter

from . import api
from . import checkpoint as cp
from .errors import BatchRunnerError, CheckpointError, SpecError, UsageError
from .job import JobOptions
from .spec import JobSpec, load_spec, override_endpoint

STATE_FILE = "schedule.json"  # in <state>/runs/<job>/: the last due time the scheduler handled
STATE_VERSION = 1
MAX_SLEEP_S = 30.0  # re-read the wall clock at least this often (suspend, clock changes)
MAX_COUNTED_OVERDUE = 1000  # when counting due times a long run overlapped, stop counting here
EXAMPLE = '"0 2 * * *" (minute hour day-of-month month day-of-week)'

Clock = Callable[[], dt.datetime]


def _now() -> dt.datetime:
    return dt.datetime.now()  # naive local wall time; see the module docstring


def _aware(when: dt.datetime) -> dt.datetime:
    return when if when.tzinfo is not None else when.astimezone()


def _like(when: dt.datetime, ref: dt.datetime) -> dt.datetime:
    """`when` as the same kind (naive local or aware) as `ref`, so the two compare."""
    if ref.tzinfo is None:
        return when.astimezone().replace(tzinfo=None) if when.tzinfo is not None else when
    return _aware(when)


def _log(message: str) -> None:
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    sys.stderr.write(f"[{stamp}] {message}\n")
    sys.stderr.flush()


# ---------------------------------------------------------------- the cron expression


@dataclass(frozen=True)
class Schedule:
    expr: str
    fields: tuple[str, ...]  # raw fields; a 6th is seconds (croniter's reading)
    expanded: tuple[tuple[Any, ...], ...]  # croniter's expansion: ints, or ('*',)

    @property
    def has_seconds(self) -> bool:
        return len(self.fields) == 6

    def next_after(self, when: dt.datetime) -> dt.datetime:
        """The first due time strictly after `when`."""
        return croniter(self.expr, when).get_next(dt.datetime)  # type: ignore[no-any-return]

    def latest_at(self, when: dt.datetime) -> dt.datetime:
        """The last due time at or before `when` (due times are whole seconds)."""
        start = when.replace(microsecond=0) + dt.timedelta(seconds=1)
        return croniter(self.expr, start).get_prev(dt.datetime)  # type: ignore[no-any-return]


def parse_schedule(expr: str | None, where: str | os.PathLike[str]) -> Schedule:
    """Check a cron expression; SpecError (exit 2) naming the spec file and `schedule` if it is wrong."""
    if expr is None or not str(expr).strip():
        raise SpecError(f"{where}: no schedule: key; add one such as schedule: {EXAMPLE}")
    expr = " ".join(str(expr).split())
    fields = tuple(expr.split(" "))
    if not expr.startswith("@") and len(fields) not in (5, 6):
        raise SpecError(f"{where}: schedule: {expr!r} has {len(fields)} fields; expected 5 {EXAMPLE}, "
                        "or 6 with seconds last")
    try:
        it = croniter(expr, _now())
    except (ValueError, KeyError) as exc:  # CroniterBadCronError is a ValueError
        raise SpecError(f"{where}: schedule: {expr!r} is not a valid cron expression ({exc}); "
                        f"expected e.g. {EXAMPLE}") from None
    expanded = tuple(tuple(f) for f in it.expanded)
    if expr.startswith("@"):
        fields = tuple(",".join(str(v) for v in f) for f in expanded)
    return Schedule(expr=expr, fields=fields, expanded=expanded)


def spec_schedule(spec: JobSpec) -> Schedule:
    return parse_schedule(spec.schedule, spec.spec_path)


# ---------------------------------------------------------------- the foreground loop


@dataclass
class ScheduleOptions:
    max_runs: int | None = None
    catch_up: bool = False
    state_dir: str | None = None
    job_options: JobOptions = field(default_factory=JobOptions)


@dataclass
class ScheduledRun:
    """What happened at one due time; `as_json` is the line `schedule --json` prints."""

    scheduled_for: dt.datetime
    outcome: str  # "ok", "failed", "skipped", "interrupted"
    summary: api.RunSummary | None = None
    error: str | None = None

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"scheduled_for": _fmt(self.scheduled_for),
                               "outcome": self.outcome, "error": self.error}
        if self.summary is not None:
            out["summary"] = self.summary.as_json()
        return out


class _StopWaiting(Exception):
    """Raised by the signal handler while the scheduler sleeps."""


class Scheduler:
    def __init__(
        self,
        spec_path: str | os.PathLike[str],
        options: ScheduleOptions | None = None,
        *,
        clock: Clock = _now,
        sleep: Callable[[float], None] = time.sleep,
        run: Callable[..., api.RunSummary] = api.run_job,
        log: Callable[[str], None] = _log,
        on_run: Callable[[ScheduledRun], None] | None = None,
        handle_signals: bool = True,
    ) -> None:
        self.spec_path = spec_path
        self.options = options or ScheduleOptions()
        self.clock, self.sleep, self._run, self.log = clock, sleep, run, log
        self.on_run = on_run
        self.handle_signals = handle_signals
        self.spec = load_spec(spec_path)
        self.schedule = spec_schedule(self.spec)
        if self.options.job_options.scheduled_for is not None:
            raise UsageError("--var run_date: the scheduler sets run_date to each due time; "
                             "use `batchrunner run --var run_date=...` to re-run a past day")
        self.job_dir = cp.state_root(self.spec.base_dir, self.options.state_dir) / "runs" / self.spec.name
        self.runs = 0
        self.history: list[ScheduledRun] = []
        self.stop_reason: str | None = None
        self._phase = "idle"  # "waiting" | "running" | "idle": what a signal interrupts

    # -- state file: the last due time handled, for --catch-up

    @property
    def state_path(self) -> Path:
        return self.job_dir / STATE_FILE

    def last_handled(self) -> dt.datetime | None:
        try:
            data = orjson.loads(self.state_path.read_bytes())
            return dt.datetime.fromisoformat(data["last_scheduled"])
        except (OSError, orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            return None  # never scheduled (or unreadable): nothing to catch up

    def _remember(self, due: dt.datetime) -> None:
        self.job_dir.mkdir(parents=True, exist_ok=True)
        cp.atomic_write(self.state_path, orjson.dumps({
            "format_version": STATE_VERSION, "schedule": self.schedule.expr,
            "last_scheduled": _aware(due).isoformat(), "updated_at": time.time(),
        }))

    # -- signals

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        first = self.stop_reason is None
        self.stop_reason = signal.Signals(signum).name
        if self._phase == "waiting":
            raise _StopWaiting
        if self._phase == "running" and first:
            raise KeyboardInterrupt  # outside run_job's own handlers: stop the run as Ctrl-C would

    # -- the loop

    def _install_signals(self) -> None:
        if self.handle_signals:
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, self._on_signal)

    def run(self) -> list[ScheduledRun]:
        """Wait, run, repeat until --max-runs or a signal; returns what happened at each due time."""
        signals = (signal.SIGINT, signal.SIGTERM) if self.handle_signals else ()
        previous = {sig: signal.getsignal(sig) for sig in signals}
        self._install_signals()
        try:
            self._loop()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler if handler is not None else signal.SIG_DFL)
        return self.history

    def _loop(self) -> None:
        name, sched = self.spec.name, self.schedule
        limit = f", at most {self.options.max_runs} runs" if self.options.max_runs else ""
        self.log(f"scheduling job '{name}' ({self.spec.spec_path}) on {sched.expr!r}{limit}; state in {self.job_dir}")
        now = self.clock()
        last = self.last_handled()
        if last is not None:
            last = _like(last, now)
            missed = sched.latest_at(now)
            if missed > last:
                if self.options.catch_up:
                    self.log(f"catching up: running the time missed while the scheduler was down ({_fmt(missed)})")
                    self._handle(missed)
                else:
                    self.log(f"not replaying {_fmt(missed)}, missed while the scheduler was down "
                             "(--catch-up runs the latest missed time)")
        cursor = now
        while not self._done():
            due = sched.next_after(cursor)
            self.log(f"next run at {_fmt(due)}")
            if not self._wait_until(due):
                break
            self._handle(due)
            now = self.clock()
            overlapped = self._count_between(due, now)
            if overlapped and not self._done():
                first = sched.next_after(due)
                self.log(f"skipped {overlapped}{'+' if overlapped >= MAX_COUNTED_OVERDUE else ''} due time(s) "
                         f"from {_fmt(first)}: the run for {_fmt(due)} was still going")
            cursor = max(due, now)
        if self.stop_reason == "interrupted":
            self.log(f"scheduler stopped after {self.runs} run(s); that run was interrupted "
                     "(`batchrunner schedule --catch-up` runs its time again, unchanged rows from the cache)")
        elif self.stop_reason:
            self.log(f"{self.stop_reason}: scheduler stopped after {self.runs} run(s)")
        else:
            self.log(f"scheduler done: {self.runs} run(s)")

    def _done(self) -> bool:
        return self.stop_reason is not None or (
            self.options.max_runs is not None and self.runs >= self.options.max_runs)

    def _count_between(self, after: dt.datetime, until: dt.datetime) -> int:
        n, t = 0, after
        while n < MAX_COUNTED_OVERDUE:
            t = self.schedule.next_after(t)
            if t > until:
                break
            n += 1
        return n

    def _wait_until(self, due: dt.datetime) -> bool:
        """Sleep until `due`; False if a signal asked us to stop meanwhile."""
        self._phase = "waiting"
        try:
            while self.stop_reason is None:
                left = (due - self.clock()).total_seconds()
                if left <= 0:
                    return True
                self.sleep(min(left, MAX_SLEEP_S))
            return False
        except _StopWaiting:
            return False
        finally:
            self._phase = "idle"

    def _record(self, item: ScheduledRun) -> None:
        self.history.append(item)
        if self.on_run is not None:
            self.on_run(item)

    def _handle(self, due: dt.datetime) -> None:
        """Run the job for one due time (or skip it if the job is running elsewhere)."""
        name = self.spec.name
        lock = cp.JobLock(self.job_dir / "lock", name)
        try:
            lock.acquire()  # a probe: run_job takes the lock itself a moment later
        except CheckpointError as exc:
            self.log(f"skipped the run due at {_fmt(due)}: {exc}")
            self._remember(due)
            self._record(ScheduledRun(due, "skipped", error=str(exc)))
            return
        lock.release()
        self.log(f"run for {_fmt(due)} starting (job '{name}')")
        job_options = dataclasses.replace(self.options.job_options, scheduled_for=_aware(due))
        run_options = api.RunOptions(fresh=True, progress=False, state_dir=self.options.state_dir)
        self._phase = "running"
        try:
            summary = self._run(self.spec_path, job_options, run_options)
        except KeyboardInterrupt:
            self.stop_reason = self.stop_reason or "SIGINT"
            self.log(f"run for {_fmt(due)} interrupted before it got going")
            self._record(ScheduledRun(due, "interrupted", error="interrupted"))
            return
        except (BatchRunnerError, OSError) as exc:
            self.runs += 1
            self.log(f"run for {_fmt(due)} failed: {exc}; the scheduler goes on")
            self._remember(due)
            self._record(ScheduledRun(due, "failed", error=str(exc)))
            return
        finally:
            self._phase = "idle"
            self._install_signals()  # in case the run's event loop left the defaults behind
        self.runs += 1
        self.log(end_line(summary, due, self._tokens_sent(summary.run_id)))
        if summary.exit_code == api.EXIT_INTERRUPTED:
            # The run saw the signal itself (its own handlers); it resumes with `batchrunner run`.
            self.stop_reason = self.stop_reason or "interrupted"
            self._record(ScheduledRun(due, "interrupted", summary, summary.message))
            return
        self._remember(due)
        outcome = "ok" if summary.exit_code == api.EXIT_OK else "failed"
        self._record(ScheduledRun(due, outcome, summary, summary.message))


    def _tokens_sent(self, run_id: str) -> int | None:
        """Tokens this run paid for (the summary's totals also count rows answered from the cache)."""
        try:
            session = cp.Manifest.load(self.job_dir / run_id / "manifest.json").sessions[-1]
            return int(session.get("prompt_tokens") or 0) + int(session.get("completion_tokens") or 0)
        except (CheckpointError, IndexError, TypeError, ValueError):
            return None


def _fmt(when: dt.datetime) -> str:
    return _aware(when).isoformat(timespec="seconds")


def _money(usd: float) -> str:
    return f"${usd:,.2f}" if usd >= 0.1 else f"${usd:.4f}"


def end_line(summary: api.RunSummary, due: dt.datetime, tokens_sent: int | None = None) -> str:
    """'412 new rows summarized, 9,588 reused from cache, $0.41' plus counts, tokens and time."""
    s = summary
    tokens = f"{tokens_sent:,} tokens sent" if tokens_sent is not None else f"{s.total_tokens:,} tokens"
    what = "done" if s.exit_code == api.EXIT_OK else f"{s.status}, exit {s.exit_code}"
    line = (f"run {s.run_id} for {_fmt(due)} {what}: {s.rows:,} rows ({s.ok:,} ok, {s.error:,} error) · "
            f"{s.new_rows:,} new rows summarized, {s.cached:,} reused from cache")
    if s.session_cost_usd is not None:
        line += f", {_money(s.session_cost_usd)}"
    line += f" · {tokens} in {s.requests_sent:,} requests · {s.wall_s:.1f} s"
    if s.message:
        line += f" · {s.message}"
    return line


# ---------------------------------------------------------------- hand-off: cron and systemd


def batchrunner_command() -> list[str]:
    """An absolute command for this installation (cron and systemd have a bare PATH)."""
    beside = Path(sys.executable).parent / "batchrunner"
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("batchrunner")
    if found:
        return [os.path.abspath(found)]
    return [sys.executable, "-m", "batchrunner"]


@dataclass
class HandOff:
    """What cron or systemd runs for a job: absolute paths and the same run options."""

    spec: JobSpec
    schedule: Schedule
    spec_path: Path
    workdir: Path
    state_root: Path
    command: list[str]
    api_key_env: str | None


def hand_off(spec_path: str | os.PathLike[str], *, state_dir: str | None = None, endpoint: str | None = None,
             run_args: Sequence[str] = ()) -> HandOff:
    spec = load_spec(spec_path)
    sched = spec_schedule(spec)
    path = Path(spec_path).resolve()
    root = cp.state_root(path.parent, state_dir).resolve()
    # --fresh: each night is its own run (as under `batchrunner schedule`); the response cache makes
    # re-sending unchanged rows free, and an unfinished run from a night whose input differed cannot
    # block every later night.
    command = [*batchrunner_command(), "run", str(path), "--fresh", "--json"]
    if state_dir:
        command += ["--state-dir", str(root)]
    if endpoint:
        command += ["--endpoint", endpoint]
    command += list(run_args)
    ep = override_endpoint(spec, endpoint) if endpoint else spec.endpoint
    return HandOff(spec=spec, schedule=sched, spec_path=path, workdir=path.parent, state_root=root,
                   command=command, api_key_env=ep.api_key_env)


def cron_entry(spec_path: str | os.PathLike[str], *, state_dir: str | None = None, endpoint: str | None = None,
               run_args: Sequence[str] = ()) -> str:
    """A commented crontab line: flock keeps one run at a time, output goes to a log file."""
    h = hand_off(spec_path, state_dir=state_dir, endpoint=endpoint, run_args=run_args)
    if h.schedule.has_seconds:
        raise UsageError(f"{h.spec_path}: schedule: {h.schedule.expr!r} has a seconds field; cron has minute "
                         "resolution. Use `batchrunner schedule` (or --print-systemd) for it, or a 5-field schedule")
    name = h.spec.name
    folder = h.state_root / "cron"
    lock, logfile = folder / f"{name}.lock", folder / f"{name}.log"
    q = shlex.quote
    command = (f"cd {q(str(h.workdir))} && mkdir -p {q(str(folder))} && flock -n {q(str(lock))} "
               f"{' '.join(q(a) for a in h.command)} >> {q(str(logfile))} 2>&1")
    lines = [
        f"# batchrunner job '{name}' ({h.spec_path}) on {h.schedule.expr!r}; one JSON summary per run in {logfile}",
        "# exit codes: 0 ok, 2 spec/input wrong, 3 some rows failed, 4 stopped early (resumable), 130 interrupted",
    ]
    if h.api_key_env:
        lines.append(f"# cron's environment is bare: set {h.api_key_env}=... above this line "
                     "(or in a wrapper that sources a secrets file)")
    lines.append(f"{h.schedule.expr} {command.replace('%', chr(92) + '%')}")  # cron reads a bare % as newline
    return "\n".join(lines)


def systemd_units(spec_path: str | os.PathLike[str], *, state_dir: str | None = None, endpoint: str | None = None,
                  run_args: Sequence[str] = ()) -> str:
    """A oneshot service and a timer for the job's schedule, as two files in one text."""
    h = hand_off(spec_path, state_dir=state_dir, endpoint=endpoint, run_args=run_args)
    calendars = on_calendar(h.schedule, h.spec_path)
    unit = f"batchrunner-{_unit_name(h.spec.name)}"
    service = [
        f"# {unit}.service",
        "[Unit]",
        f"Description=batchrunner job {h.spec.name} ({h.spec_path})".replace("%", "%%"),
        "Wants=network-online.target",
        "After=network-online.target",
        "# OnFailure=notify-me@%n.service   # exit 3 (rows failed), 4 (stopped early) and 2 count as failures",
        "",
        "[Service]",
        "Type=oneshot",
        f"WorkingDirectory={_systemd_quote(str(h.workdir))}",
        f"ExecStart={' '.join(_systemd_quote(a) for a in h.command)}",
    ]
    if h.api_key_env:
        service.append(f"# EnvironmentFile=/etc/batchrunner/{h.spec.name}.env   # holds {h.api_key_env}=...")
    timer = [
        f"# {unit}.timer",
        "[Unit]",
        f"Description=Run batchrunner job {h.spec.name} on {h.schedule.expr!r}".replace("%", "%%"),
        "",
        "[Timer]",
        "# a oneshot service still running when the next time comes is not started twice",
        *(f"OnCalendar={c}" for c in calendars),
        "Persistent=true",
    ]
    if h.schedule.has_seconds:
        timer.append("AccuracySec=1s")
    timer += ["", "[Install]", "WantedBy=timers.target"]
    install = (f"# install: copy both into ~/.config/systemd/user/ (or /etc/systemd/system/), then\n"
               f"#   systemctl --user daemon-reload && systemctl --user enable --now {unit}.timer\n"
               f"# logs: journalctl --user -u {unit}.service")
    return "\n".join(service) + "\n\n" + "\n".join(timer) + "\n\n" + install


def _unit_name(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_.:" else "-" for c in name)


def _systemd_quote(arg: str) -> str:
    arg = arg.replace("%", "%%").replace("$", "$$")  # specifiers and variable expansion
    if arg and all(c.isalnum() or c in "-_./:=+,@" for c in arg):
        return arg
    return '"' + arg.replace("\\", "\\\\").replace('"', '\\"') + '"'


# cron field -> (name, lowest, highest); croniter has already expanded lists, ranges and steps
_FIELDS = (("minute", 0, 59), ("hour", 0, 23), ("day-of-month", 1, 31), ("month", 1, 12), ("day-of-week", 0, 6),
           ("second", 0, 59))
_WEEKDAYS = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")
_MONDAY_FIRST = (1, 2, 3, 4, 5, 6, 0)
_NAMES = re.compile(r"(?i)jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|sun|mon|tue|wed|thu|fri|sat")


def on_calendar(sched: Schedule, where: str | os.PathLike[str]) -> list[str]:
    """systemd OnCalendar= values that fire exactly when croniter would.

    Cron ORs day-of-month and day-of-week when both are restricted; systemd ANDs the parts of one
    expression, so that case becomes two OnCalendar= lines (a timer fires on either)."""
    for (fname, _, _), raw in zip(_FIELDS, sched.fields, strict=False):
        if any(c in _NAMES.sub("", raw).upper() for c in "LWH#"):  # last day, weekday, hash, nth weekday
            raise UsageError(f"{where}: schedule: {sched.expr!r}: '{raw}' in the {fname} field cannot be converted "
                             "to a systemd OnCalendar= value; write OnCalendar= by hand (man systemd.time) "
                             "or run `batchrunner schedule` instead")
    parts = []
    for (_, lo, hi), values in zip(_FIELDS, sched.expanded, strict=False):
        parts.append("*" if values == ("*",) else _compact(sorted({int(v) for v in values}), lo, hi))
    minute, hour, dom, month, dow = parts[:5]
    second = parts[5] if sched.has_seconds else "00"
    clock = f"{hour}:{minute}:{second}"
    weekdays = "" if dow == "*" else _weekdays(sorted({int(v) % 7 for v in sched.expanded[4]})) + " "
    if weekdays and dom != "*":
        return [f"{weekdays}*-{month}-* {clock}", f"*-{month}-{dom} {clock}"]
    return [f"{weekdays}*-{month}-{dom} {clock}"]


def _compact(values: list[int], lo: int, hi: int) -> str:
    if values == list(range(lo, hi + 1)):
        return "*"
    if len(values) >= 3:
        step = values[1] - values[0]
        if step > 1 and values == list(range(values[0], hi + 1, step)):
            return f"{values[0]:02d}/{step}"
    return _ranges([f"{v:02d}" for v in values], values)


def _weekdays(days: list[int]) -> str:
    order = [d for d in _MONDAY_FIRST if d in days]
    return _ranges([_WEEKDAYS[d] for d in order], [_MONDAY_FIRST.index(d) for d in order])


def _ranges(names: list[str], positions: list[int]) -> str:
    """systemd's list syntax: three or more consecutive positions as `first..last`, others listed."""
    out, i = [], 0
    while i < len(names):
        j = i
        while j + 1 < len(names) and positions[j + 1] == positions[j] + 1:
            j += 1
        if j - i >= 2:
            out.append(f"{names[i]}..{names[j]}")
        else:
            out.extend(names[i:j + 1])
        i = j + 1
    return ",".join(out)
