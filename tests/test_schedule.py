"""`batchrunner schedule`: cron expressions, the foreground loop (fake clock and real subprocess),
and the hand-off to cron and systemd."""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import queue
import re
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from conftest import Job, make_job, reviews, run_cli, spawn_cli, write_jsonl
from croniter import croniter

from batchrunner import api
from batchrunner import checkpoint as cp
from batchrunner.errors import CheckpointError, InputError, SpecError, UsageError
from batchrunner.job import JobOptions
from batchrunner.schedule import (
    STATE_FILE,
    ScheduleOptions,
    Scheduler,
    _now,
    cron_entry,
    on_calendar,
    parse_schedule,
    systemd_units,
)

UTC = dt.timezone.utc


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


# ---------------------------------------------------------------- cron expressions


@pytest.mark.parametrize("expr, fields", [
    ("0 2 * * *", 5),
    ("* * * * * */3", 6),
    ("*/15 1-5/2 1,15 jan-mar sun", 5),
    ("0  2 *   * *", 5),  # extra spaces
    ("@daily", 5),
])
def test_valid_schedules(expr: str, fields: int) -> None:
    assert len(parse_schedule(expr, "job.yaml").fields) == fields


@pytest.mark.parametrize("expr, words", [
    (None, "no schedule: key"),
    ("", "no schedule: key"),
    ("0 2 * *", "has 4 fields"),
    ("* * * * * * *", "has 7 fields"),
    ("61 * * * *", "not a valid cron expression"),
    ("0 2 * * funday", "not a valid cron expression"),
    ("every night", "has 2 fields"),
])
def test_invalid_schedules_name_file_and_key(expr: str | None, words: str) -> None:
    with pytest.raises(SpecError) as err:
        parse_schedule(expr, "jobs/nightly.yaml")
    assert str(err.value).startswith("jobs/nightly.yaml:")
    assert words in str(err.value)
    if expr:
        assert "schedule:" in str(err.value)


def test_next_and_latest_due_times() -> None:
    nightly = parse_schedule("0 2 * * *", "j.yaml")
    assert nightly.next_after(at("2026-01-01T02:00:00")) == at("2026-01-02T02:00:00")  # strictly after
    assert nightly.next_after(at("2026-01-01T01:59:59.9")) == at("2026-01-01T02:00:00")
    assert nightly.latest_at(at("2026-01-01T02:00:00")) == at("2026-01-01T02:00:00")  # at or before
    assert nightly.latest_at(at("2026-01-01T01:59:59")) == at("2025-12-31T02:00:00")
    every3 = parse_schedule("* * * * * */3", "j.yaml")
    assert every3.has_seconds
    assert every3.next_after(at("2026-01-01T00:00:01.5")) == at("2026-01-01T00:00:03")
    assert every3.latest_at(at("2026-01-01T00:00:05.9")) == at("2026-01-01T00:00:03")


# ---------------------------------------------------------------- systemd OnCalendar, checked by systemd itself

CALENDAR_CASES = [
    "0 2 * * *", "*/15 * * * *", "5 */4 * * *", "0 9-17 * * mon-fri", "30 4 1,15 * *", "0 0 1 */3 *",
    "0 6 * * sat,sun", "0 12 * * 0", "0 12 * * 7", "10,20,40 * * * *", "0 0 29 2 *", "@weekly",
    "15 3 10-20 * thu",  # day-of-month and day-of-week both set: cron fires on either
    "*/20 1-5/2 1,15 jan-mar sun",
    "* * * * * */3", "30 */2 * * * 0,30",
]
_ELAPSE = re.compile(r"(?:Next elapse|Iter\. #\d+): \w+ (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC")


def _systemd_times(calendar: str, base: str, n: int) -> list[str]:
    out = subprocess.run(["systemd-analyze", "calendar", f"--iterations={n}", f"--base-time={base} UTC", calendar],
                         capture_output=True, text=True, env={**os.environ, "TZ": "UTC"}, check=True).stdout
    return _ELAPSE.findall(out)


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
@pytest.mark.parametrize("expr", CALENDAR_CASES)
def test_on_calendar_fires_when_croniter_does(expr: str) -> None:
    base, n = "2026-01-01 00:00:00", 12
    sched = parse_schedule(expr, "j.yaml")
    times: set[str] = set()
    for calendar in on_calendar(sched, "j.yaml"):
        times.update(_systemd_times(calendar, base, n))
    it = croniter(expr, at(base.replace(" ", "T")))
    expected = [it.get_next(dt.datetime).strftime("%Y-%m-%d %H:%M:%S") for _ in range(n)]
    assert sorted(times)[:n] == expected


@pytest.mark.parametrize("expr, part", [("0 2 L * *", "'L' in the day-of-month"),
                                        ("0 2 * * 5#2", "'5#2' in the day-of-week"),
                                        ("0 2 15W * *", "'15W' in the day-of-month")])
def test_on_calendar_says_what_it_cannot_convert(expr: str, part: str) -> None:
    with pytest.raises(UsageError, match=re.escape(part)):
        on_calendar(parse_schedule(expr, "j.yaml"), "j.yaml")


def test_on_calendar_keeps_month_and_day_names_apart_from_special_letters() -> None:
    assert on_calendar(parse_schedule("0 3 * jul wed,thu", "j.yaml"), "j.yaml") == ["Wed,Thu *-07-* 03:00:00"]


# ---------------------------------------------------------------- the loop, with a fake clock


class FakeClock:
    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds > 0
        self.now += dt.timedelta(seconds=seconds)


def summary(exit_code: int = 0, **changes: Any) -> api.RunSummary:
    base: dict[str, Any] = dict(
        job="test-job", run_id="r", status="finished" if exit_code in (0, 3) else "interrupted", exit_code=exit_code,
        rows=10, ok=10, error=0, cached=4, new_rows=6, requests_sent=6, prompt_tokens=60, completion_tokens=6,
        total_tokens=66, cost_usd=0.5, session_cost_usd=0.41, wall_s=1.0, rows_per_s=10.0, output=None,
        resumed=False)
    base.update(changes)
    return api.RunSummary(**base)


class FakeRun:
    """Stands in for api.run_job: records the due times, takes `duration` of fake time, returns or raises."""

    def __init__(self, clock: FakeClock, results: list[Any] | None = None, duration: dt.timedelta | None = None,
                 ) -> None:
        self.clock, self.results, self.duration = clock, list(results or []), duration
        self.calls: list[tuple[JobOptions, api.RunOptions]] = []

    @property
    def due_times(self) -> list[dt.datetime | None]:
        return [j.scheduled_for for j, _ in self.calls]

    def __call__(self, spec_path: Any, job_options: JobOptions, options: api.RunOptions) -> api.RunSummary:
        self.calls.append((job_options, options))
        if self.duration:
            self.clock.now += self.duration
        result = self.results.pop(0) if self.results else summary()
        if isinstance(result, BaseException):
            raise result
        return result


@pytest.fixture
def nightly(tmp_path: Path) -> Job:
    return make_job(tmp_path, None, spec={"schedule": "0 2 * * *"})


def make_scheduler(job: Job, clock: FakeClock, run: FakeRun, logs: list[str], **options: Any) -> Scheduler:
    return Scheduler(job.spec, ScheduleOptions(**options), clock=clock, sleep=clock.sleep, run=run,
                     log=logs.append, handle_signals=False)


def state_file(job: Job) -> Path:
    return job.dir / ".batchrunner" / "runs" / "test-job" / STATE_FILE


def remember(job: Job, when: dt.datetime) -> None:
    state_file(job).parent.mkdir(parents=True, exist_ok=True)
    state_file(job).write_bytes(orjson.dumps({"format_version": 1, "last_scheduled": when.isoformat()}))


def test_waits_for_each_due_time_and_runs_a_new_run_for_it(nightly: Job) -> None:
    clock = FakeClock(at("2026-01-01T01:59:30"))
    run, logs = FakeRun(clock), []
    history = make_scheduler(nightly, clock, run, logs, max_runs=2, job_options=JobOptions(model="m2")).run()
    assert run.due_times == [at("2026-01-01T02:00:00"), at("2026-01-02T02:00:00")]
    assert all(o.fresh and o.progress is False for _, o in run.calls)
    assert all(j.model == "m2" for j, _ in run.calls)  # command-line overrides reach every run
    assert [h.outcome for h in history] == ["ok", "ok"]
    assert clock.now == at("2026-01-02T02:00:00")
    assert any("6 new rows summarized, 4 reused from cache, $0.41" in line for line in logs)
    saved = orjson.loads(state_file(nightly).read_bytes())
    assert dt.datetime.fromisoformat(saved["last_scheduled"]) == at("2026-01-02T02:00:00")


@pytest.fixture
def berlin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_due_times_are_wall_clock_times_across_a_dst_change(nightly: Job, berlin: None) -> None:
    nightly.rewrite(schedule="0 9 * * *")
    clock = FakeClock(dt.datetime(2026, 3, 28, 22, 0))  # naive local time, as the real clock; DST starts at 02:00
    run = FakeRun(clock)
    make_scheduler(nightly, clock, run, [], max_runs=1).run()
    (due,) = run.due_times
    assert due is not None and due.isoformat() == "2026-03-29T09:00:00+02:00"  # not 09:00+01:00 (10:00 on the wall)
    saved = orjson.loads(state_file(nightly).read_bytes())
    assert saved["last_scheduled"] == "2026-03-29T09:00:00+02:00"
    # The saved (aware) time compares with the naive clock: catch-up finds the 31st's run missed.
    clock.now = dt.datetime(2026, 3, 31, 12, 0)
    run = FakeRun(clock)
    make_scheduler(nightly, clock, run, [], max_runs=1, catch_up=True).run()
    assert [d.isoformat() for d in run.due_times if d] == ["2026-03-31T09:00:00+02:00"]
    assert _now().tzinfo is None  # the real clock is naive local time too


def test_missed_times_are_not_replayed_without_catch_up(nightly: Job) -> None:
    remember(nightly, at("2026-01-01T02:00:00"))
    clock = FakeClock(at("2026-01-04T10:00:00"))  # down for the nights of the 2nd, 3rd and 4th
    run, logs = FakeRun(clock), []
    make_scheduler(nightly, clock, run, logs, max_runs=1).run()
    assert run.due_times == [at("2026-01-05T02:00:00")]
    assert any("not replaying 2026-01-04T02:00:00" in line and "--catch-up" in line for line in logs)


def test_catch_up_runs_only_the_latest_missed_time(nightly: Job) -> None:
    remember(nightly, at("2026-01-01T02:00:00"))
    clock = FakeClock(at("2026-01-04T10:00:00"))
    run, logs = FakeRun(clock), []
    make_scheduler(nightly, clock, run, logs, max_runs=2, catch_up=True).run()
    assert run.due_times == [at("2026-01-04T02:00:00"), at("2026-01-05T02:00:00")]  # then back on schedule
    assert any(line.startswith("catching up") for line in logs)


def test_catch_up_with_nothing_missed_or_no_record_runs_nothing_early(nightly: Job) -> None:
    clock = FakeClock(at("2026-01-04T10:00:00"))
    run = FakeRun(clock)
    make_scheduler(nightly, clock, run, [], max_runs=1, catch_up=True).run()  # never scheduled before
    assert run.due_times == [at("2026-01-05T02:00:00")]
    run2 = FakeRun(clock)
    make_scheduler(nightly, clock, run2, [], max_runs=1, catch_up=True).run()  # last one handled is the latest
    assert run2.due_times == [at("2026-01-06T02:00:00")]


def test_failed_runs_are_logged_and_the_scheduler_goes_on(nightly: Job) -> None:
    clock = FakeClock(at("2026-01-01T00:00:00"))
    run = FakeRun(clock, [InputError("data-2026-01-01.jsonl: no such file"), summary(3, ok=8, error=2,
                          message="2 rows failed"), summary(0)])
    logs: list[str] = []
    history = make_scheduler(nightly, clock, run, logs, max_runs=3).run()
    assert [h.outcome for h in history] == ["failed", "failed", "ok"]
    assert len(run.calls) == 3
    assert any("failed: data-2026-01-01.jsonl: no such file; the scheduler goes on" in line for line in logs)
    assert any("exit 3" in line and "2 rows failed" in line for line in logs)


def test_a_run_that_overruns_skips_the_due_times_it_covered(nightly: Job) -> None:
    clock = FakeClock(at("2026-01-01T01:00:00"))
    run, logs = FakeRun(clock, duration=dt.timedelta(days=2, hours=3)), []
    make_scheduler(nightly, clock, run, logs, max_runs=2).run()
    assert run.due_times == [at("2026-01-01T02:00:00"), at("2026-01-04T02:00:00")]
    assert any("skipped 2 due time(s) from 2026-01-02T02:00:00" in line for line in logs)


def test_a_due_time_is_skipped_while_another_process_holds_the_job_lock(nightly: Job) -> None:
    clock = FakeClock(at("2026-01-01T01:00:00"))
    run, logs = FakeRun(clock), []
    lock = cp.JobLock(nightly.dir / ".batchrunner" / "runs" / "test-job" / "lock", "test-job")
    lock.acquire()
    real_sleep = clock.sleep

    def sleep(seconds: float) -> None:  # the other run ends some time after the first skipped night
        real_sleep(seconds)
        if clock.now >= at("2026-01-01T12:00:00"):
            lock.release()

    scheduler = Scheduler(nightly.spec, ScheduleOptions(max_runs=1), clock=clock, sleep=sleep, run=run,
                          log=logs.append, handle_signals=False)
    try:
        history = scheduler.run()
    finally:
        lock.release()
    assert [h.outcome for h in history] == ["skipped", "ok"]
    assert run.due_times == [at("2026-01-02T02:00:00")]
    assert any("skipped the run due at 2026-01-01T02:00:00" in line and "already running" in line for line in logs)


def test_an_interrupted_run_stops_the_scheduler_and_is_not_marked_handled(nightly: Job) -> None:
    clock = FakeClock(at("2026-01-01T01:00:00"))
    run = FakeRun(clock, [summary(130, message="SIGTERM: stopping")])
    history = make_scheduler(nightly, clock, run, [], max_runs=5).run()
    assert [h.outcome for h in history] == ["interrupted"]
    assert not state_file(nightly).exists()  # --catch-up would run that night again (cheaply, from the cache)


def test_run_date_cannot_be_fixed_for_a_scheduler(nightly: Job) -> None:
    result = run_cli("schedule", str(nightly.spec), "--var", "run_date=2026-01-01")
    assert result.exit_code == 2
    assert "--var run_date" in result.stderr


def test_schedule_command_refuses_a_spec_without_or_with_a_bad_schedule(tmp_path: Path) -> None:
    job = make_job(tmp_path, None)
    result = run_cli("schedule", str(job.spec), "--max-runs", "1")
    assert result.exit_code == 2
    assert f"{job.spec}: no schedule: key" in result.stderr
    job.rewrite(schedule="0 25 * * *")
    result = run_cli("schedule", str(job.spec))
    assert result.exit_code == 2
    assert f"{job.spec}: schedule: '0 25 * * *' is not a valid cron expression" in result.stderr
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------- cron and systemd hand-off


def test_print_cron_line_runs_the_job_under_flock(tmp_path: Path, server) -> None:
    job = make_job(tmp_path, server.base_url, reviews(5), spec={"name": "nightly-sum", "schedule": "30 2 * * 1-5"})
    result = run_cli("schedule", str(job.spec), "--print-cron", "--model", "test-model")
    assert result.exit_code == 0, result.stderr
    comments = [line for line in result.stdout.splitlines() if line.startswith("#")]
    entries = [line for line in result.stdout.splitlines() if line and not line.startswith("#")]
    assert any("nightly-sum" in c for c in comments)
    assert len(entries) == 1
    fields = entries[0].split(" ", 5)
    assert fields[:5] == ["30", "2", "*", "*", "1-5"]
    command = fields[5]
    assert f"cd {tmp_path} &&" in command and "flock -n " in command
    assert f" run {job.spec} --fresh --json --model test-model >> " in command and command.endswith(" 2>&1")
    log = tmp_path / ".batchrunner" / "cron" / "nightly-sum.log"
    lock = log.with_suffix(".lock")

    # What cron would run, from another folder: it works, and writes its JSON summary to the log.
    done = subprocess.run(["sh", "-c", command], cwd="/", env=dict(os.environ), timeout=60)
    assert done.returncode == 0
    assert orjson.loads(log.read_text().splitlines()[-1])["ok"] == 5
    assert server.stats()["requests"] == 5

    # While an earlier night still holds the lock, the new one exits at once and sends nothing.
    with open(lock, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        done = subprocess.run(["sh", "-c", command], cwd="/", env=dict(os.environ), timeout=60)
    assert done.returncode == 1
    assert server.stats()["requests"] == 5


def test_print_cron_refuses_a_seconds_schedule(tmp_path: Path) -> None:
    job = make_job(tmp_path, None, spec={"schedule": "* * * * * */3"})
    result = run_cli("schedule", str(job.spec), "--print-cron")
    assert result.exit_code == 2
    assert "cron has minute resolution" in result.stderr


def _split_units(text: str, job: str) -> dict[str, str]:
    service, rest = text.split(f"# batchrunner-{job}.timer\n")
    return {"service": service, "timer": rest.split("\n\n# install")[0]}


def test_print_systemd_units(tmp_path: Path) -> None:
    job = make_job(tmp_path, None, spec={"name": "nightly-sum", "schedule": "0 2 * * mon-fri"})
    result = run_cli("schedule", str(job.spec), "--print-systemd", "--state-dir", str(tmp_path / "state"))
    assert result.exit_code == 0, result.stderr
    units = _split_units(result.stdout, "nightly-sum")
    service, timer = units["service"], units["timer"]
    assert "# batchrunner-nightly-sum.service" in service
    assert "Type=oneshot" in service and f"WorkingDirectory={tmp_path}\n" in service
    exec_start = re.search(r"^ExecStart=(.*)$", service, re.M)
    assert exec_start is not None
    argv = exec_start.group(1).split(" ")
    assert os.path.isabs(argv[0]) and os.access(argv[0], os.X_OK)
    assert argv[1:] == ["run", str(job.spec), "--fresh", "--json", "--state-dir", str(tmp_path / "state")]
    assert "OnCalendar=Mon..Fri *-*-* 02:00:00\n" in timer and "Persistent=true" in timer
    if shutil.which("systemd-analyze"):
        folder = tmp_path / "units"
        folder.mkdir()
        (folder / "batchrunner-nightly-sum.service").write_text(service)
        (folder / "batchrunner-nightly-sum.timer").write_text(timer)
        check = subprocess.run(["systemd-analyze", "verify", "batchrunner-nightly-sum.timer",
                                "batchrunner-nightly-sum.service"], cwd=folder, capture_output=True, text=True)
        assert check.returncode == 0 and check.stderr == "", check.stderr


def test_library_hand_off_quotes_awkward_paths(tmp_path: Path) -> None:
    folder = tmp_path / "my jobs %d"
    folder.mkdir()
    job = make_job(folder, None, spec={"schedule": "0 2 * * *"})
    line = cron_entry(job.spec).splitlines()[-1]
    assert f"cd '{str(folder).replace('%', chr(92) + '%')}'" in line  # quoted; % escaped for cron
    units = systemd_units(job.spec)
    assert f'WorkingDirectory="{str(folder).replace("%", "%%")}"' in units


# ---------------------------------------------------------------- the real command, as a subprocess


class Lines:
    """Reads a subprocess's stderr on a thread so a test can wait for a line."""

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        self.proc, self.lines, self._q = proc, [], queue.Queue()  # type: ignore[var-annotated]
        assert proc.stderr is not None
        self._thread = threading.Thread(target=self._read, args=(proc.stderr,), daemon=True)
        self._thread.start()

    def _read(self, stream: Any) -> None:
        for raw in stream:
            self._q.put(raw.decode(errors="replace").rstrip("\n"))
        self._q.put(None)

    def wait_for(self, pattern: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._q.get(timeout=0.1)
            except queue.Empty:
                continue
            if line is None:
                break
            self.lines.append(line)
            if re.search(pattern, line):
                return line
        raise AssertionError(f"no line matching {pattern!r}; got:\n" + "\n".join(self.lines))

    def rest(self) -> list[str]:
        self._thread.join(timeout=10)
        while not self._q.empty():
            line = self._q.get()
            if line is not None:
                self.lines.append(line)
        return self.lines


@pytest.fixture
def procs() -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []

    def spawn(*args: str) -> subprocess.Popen[bytes]:
        proc = spawn_cli(*args)
        started.append(proc)
        return proc

    yield spawn
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


@contextlib.contextmanager
def job_locked(job: Job) -> Iterator[None]:
    """Hold the job's lock (as a run elsewhere would), so no scheduled run starts meanwhile."""
    lock = cp.JobLock(job.dir / ".batchrunner" / "runs" / "test-job" / "lock", "test-job")
    deadline = time.monotonic() + 10
    while True:
        try:
            lock.acquire()
            break
        except CheckpointError:  # the scheduler's own probe holds it for an instant
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)
    try:
        yield
    finally:
        lock.release()


def _user_texts(bodies: list[Any]) -> list[str]:
    return [b["messages"][-1]["content"] for b in bodies]


def test_two_scheduled_runs_second_requests_only_appended_rows(tmp_path: Path, server, procs) -> None:
    rows = reviews(20)
    job = make_job(tmp_path, server.base_url, rows, spec={
        "schedule": "* * * * * */3", "output": {"path": "outputs/{{ run_time }}.parquet", "column": "sentiment"}})
    proc = procs("schedule", str(job.spec), "--max-runs", "2", "--json")
    err = Lines(proc)
    first = err.wait_for(r"run \S+ for \S+ done")
    # Between the runs: new documents arrive (under the job's lock, so a loaded machine cannot
    # start the second run before they are in; a due time that finds the lock held is skipped).
    added = reviews(25)[20:]
    for r in added:
        r["id"] = "new-" + r["id"]
    with job_locked(job):
        write_jsonl(tmp_path / "data.jsonl", rows + added)
        sent_first = server.stats()["requests"]
    second = err.wait_for(r"run \S+ for \S+ done")
    stdout, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, "\n".join(err.rest())
    assert sent_first == 20
    assert "20 new rows summarized, 0 reused from cache" in first
    assert "5 new rows summarized, 20 reused from cache" in second
    bodies = server.stats()["bodies"]
    assert len(bodies) == 25
    assert sorted(_user_texts(bodies[20:])) == sorted(f"Review: {r['text']}" for r in added)

    events = [e for e in map(orjson.loads, stdout.splitlines()) if e["outcome"] != "skipped"]
    assert [e["outcome"] for e in events] == ["ok", "ok"]
    due = [dt.datetime.fromisoformat(e["scheduled_for"]) for e in events]
    assert all(d.second % 3 == 0 for d in due) and due[1] > due[0]
    # run_time is the scheduled time, not the moment the run happened to start.
    outputs = sorted(p.stem for p in (tmp_path / "outputs").iterdir())
    assert outputs == sorted(d.isoformat(timespec="seconds") for d in due)

    text = run_cli("history", str(job.spec))
    assert text.exit_code == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0].startswith("test-job: 2 run(s)")
    assert [line.split()[0] for line in lines[2:]] == [e["summary"]["run_id"] for e in events]
    listed = orjson.loads(run_cli("history", str(job.spec), "--json").stdout)
    assert [(r["rows"], r["ok"], r["error"], r["cached"], r["requests"], r["exit_code"], r["status"])
            for r in listed] == [(20, 20, 0, 0, 20, 0, "finished"), (25, 25, 0, 20, 5, 0, "finished")]
    assert [r["scheduled_for"] for r in listed] == [e["scheduled_for"] for e in events]


def test_a_failing_run_is_logged_and_the_next_one_still_happens(tmp_path: Path, server, procs) -> None:
    server.configure(p_500=1.0)
    job = make_job(tmp_path, server.base_url, reviews(6), spec={
        "schedule": "* * * * * */3", "run": {"concurrency": 2, "max_retries": 0, "timeout_s": 10}})
    proc = procs("schedule", str(job.spec), "--max-runs", "2")
    err = Lines(proc)
    failed = err.wait_for(r"run \S+ for \S+ finished, exit 3")
    with job_locked(job):
        server.configure(p_500=0.0)
    err.wait_for(r"run \S+ for \S+ done")
    assert proc.wait(timeout=30) == 0
    assert "6 error" in failed and "retry-failed" in failed
    assert err.wait_for("scheduler done: 2 run", timeout=10)


def test_sigterm_while_waiting_exits_cleanly(tmp_path: Path, procs) -> None:
    job = make_job(tmp_path, None, spec={"schedule": "0 0 1 1 *"})
    proc = procs("schedule", str(job.spec))
    err = Lines(proc)
    err.wait_for("next run at")
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=20) == 0  # no run in progress: it does not wait for anything
    assert err.wait_for("SIGTERM: scheduler stopped after 0 run", timeout=10)
    assert not (tmp_path / ".batchrunner" / "runs" / "test-job").exists()


def test_sigterm_during_a_run_stops_it_like_ctrl_c_and_ends_the_scheduler(tmp_path: Path, server, procs) -> None:
    server.configure(latency_ms=300)
    job = make_job(tmp_path, server.base_url, reviews(40), spec={
        "schedule": "* * * * * *", "run": {"concurrency": 1, "max_retries": 0, "timeout_s": 10}})
    proc = procs("schedule", str(job.spec), "--max-runs", "3")
    err = Lines(proc)
    err.wait_for("starting")
    deadline = time.monotonic() + 20
    while server.stats()["ok"] < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0
    err.wait_for(r"interrupted, exit 130", timeout=10)
    err.wait_for("scheduler stopped after 1 run.*--catch-up", timeout=10)
    runs = cp.list_runs(tmp_path / ".batchrunner" / "runs" / "test-job")
    assert [m.status for _, m in runs] == ["interrupted"]
    assert server.stats()["requests"] < 40


def test_a_due_time_is_skipped_while_the_job_runs_elsewhere(tmp_path: Path, server, procs) -> None:
    job = make_job(tmp_path, server.base_url, reviews(3), spec={"schedule": "* * * * * *"})
    lock = cp.JobLock(tmp_path / ".batchrunner" / "runs" / "test-job" / "lock", "test-job")
    lock.acquire()
    try:
        proc = procs("schedule", str(job.spec), "--max-runs", "1")
        err = Lines(proc)
        skipped = err.wait_for("skipped the run due at")
        assert server.stats()["requests"] == 0
    finally:
        lock.release()
    assert f"pid {os.getpid()}" in skipped
    err.wait_for(r"run \S+ for \S+ done")
    assert proc.wait(timeout=30) == 0
    assert len(cp.list_runs(tmp_path / ".batchrunner" / "runs" / "test-job")) == 1
    assert server.stats()["requests"] == 3
