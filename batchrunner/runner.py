"""The worker pool: rows in, requests out, every finished row journaled at once.

A feeder streams the input chunk by chunk, skips rows the journal already holds, renders
the rest and puts them on a bounded queue; `concurrency` workers take rows off it, send
them (with retries, rate limits, the budget and the response cache), parse the replies and
journal the result. Stopping (Ctrl-C, SIGTERM, auth failure, budget, circuit breaker) stops
the feeder, lets the requests in flight finish and journals them.
"""

from __future__ import annotations

import asyncio
import random
import signal
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import checkpoint as cp
from . import interrupts
from .budget import Budget, BudgetExceeded
from .cache import ResponseCache, endpoint_identity, request_key_and_payload
from .client import ChatClient, Completion, Usage
from .errors import (
    APIError,
    APIStatusError,
    AuthError,
    InsufficientBalance,
    RateLimitError,
    TemplateError,
)
from .job import PreparedJob
from .parse import ParseFailure, ReplyParser
from .progress import Progress
from .ratelimit import RateLimiter
from .results import RowResult
from .retry import retry_delay, should_retry
from .split import split_text
from .tokens import estimate_prompt_tokens

if TYPE_CHECKING:
    import httpx

# Consecutive rows that end in an API error (after their retries) before the run stops.
CIRCUIT_BREAKER_ROWS = 50
FSYNC_INTERVAL_S = 1.0
PROGRESS_INTERVAL_S = 0.25


@dataclass
class StopReason:
    kind: str  # "interrupted" or "stopped"
    message: str


@dataclass
class WorkItem:
    index: int
    row: dict[str, Any]
    messages: list[dict[str, str]] | None  # None for split rows (rendered per part)
    prior_attempts: int = 0


@dataclass
class SessionStats:
    sent: int = 0  # HTTP requests sent this session
    ok: int = 0
    error: int = 0
    cached: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    labels: Counter[str] = field(default_factory=Counter)
    error_kinds: Counter[str] = field(default_factory=Counter)


class _LeavePending(Exception):
    """The row must stay pending (the run is stopping); it is not journaled."""


class _RowFailed(Exception):
    def __init__(self, kind: str, message: str, completion: Completion | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.completion = completion


class _Row:
    """What a row accumulates over its requests."""

    __slots__ = ("attempts", "usage", "cost", "all_cached", "last")

    def __init__(self, prior_attempts: int) -> None:
        self.attempts = prior_attempts
        self.usage = Usage()
        self.cost = 0.0
        self.all_cached = True
        self.last: Completion | None = None


class Runner:
    def __init__(
        self,
        job: PreparedJob,
        journal: cp.Journal,
        states: bytearray,
        *,
        stop_at: int,
        base_url: str,
        api_key: str | None,
        cache: ResponseCache | None,
        read_cache: bool,
        retry_failed: bool,
        progress: Progress,
        transport: httpx.AsyncBaseTransport | None = None,
        spent_before: float = 0.0,
        log: Callable[[str], None] = lambda s: None,
    ) -> None:
        self.job = job
        self.spec = job.spec
        self.journal = journal
        self.states = states
        self.stop_at = stop_at
        self.base_url = base_url
        self._cache_url = endpoint_identity(job.endpoint, base_url)
        self.cache = cache
        self.read_cache = read_cache
        self.retry_failed = retry_failed
        self.progress = progress
        self.log = log
        run = self.spec.run
        self.client = ChatClient(base_url, api_key, timeout_s=run.timeout_s, concurrency=run.concurrency,
                                 transport=transport)
        self.limiter = RateLimiter(run.requests_per_minute, run.tokens_per_minute)
        if run.rate_limit is not None:  # one window in Redis shared by every shard of the job
            from .redis_limit import SharedRateLimiter

            self.limiter = SharedRateLimiter(run.rate_limit.url, base_url, api_key, run.requests_per_minute,
                                             run.tokens_per_minute, share=run.parallel_shards or 1, log=log)
        self.budget = Budget(run.max_cost_usd, self.spec.pricing, spent=spent_before)
        self.parser = ReplyParser(self.spec.parse)
        self.stats = SessionStats()
        self.stop: StopReason | None = None
        self.rng = random.Random()
        self._queue: asyncio.Queue[WorkItem | None] = asyncio.Queue(maxsize=max(4 * run.concurrency, 256))
        self._low_water = self._queue.maxsize // 2
        self._space = asyncio.Event()
        self._flush_scheduled = False
        self._feeder: asyncio.Task[None] | None = None
        self._crashed: BaseException | None = None
        self._abandoned = False  # workers cancelled (a second Ctrl-C, an error of ours)
        self._failure_streak = 0
        self._streak_kinds: Counter[str] = Counter()
        self._prior_attempts = journal.attempts_of_errors() if retry_failed else {}
        self._max_output = job.max_output_tokens()
        self._needs_estimate = bool(run.tokens_per_minute or run.max_cost_usd)

    # ------------------------------------------------------------ control

    def request_stop(self, kind: str, message: str) -> None:
        if self.stop is None:
            self.stop = StopReason(kind, message)

    def run_in_new_loop(self) -> None:
        """asyncio.run(self.run()) on uvloop where installed, with a Ctrl-C as the loop starts held
        for run() (interrupts.py)."""
        try:
            import uvloop

            asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
        except ImportError:
            pass
        held = interrupts.hold()
        try:
            asyncio.run(self.run())
        finally:
            if held:
                interrupts.release()  # a Ctrl-C after run() handed the signal back is raised here

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        workers = [asyncio.create_task(self._worker()) for _ in range(self.spec.run.concurrency)]
        feeder = self._feeder = asyncio.create_task(self._feed())
        ticker = asyncio.create_task(self._tick())
        presses = 0

        def on_signal(signame: str) -> None:
            nonlocal presses
            presses += 1
            if presses == 1:
                self.request_stop("interrupted", f"{signame}: stopping; waiting for the requests in flight "
                                                 "(press Ctrl-C again to abandon them)")
                self.log(self.stop.message if self.stop else signame)
                feeder.cancel()
            else:
                self._abandon(workers)

        installed = []
        for sig, name in ((signal.SIGINT, "Ctrl-C"), (signal.SIGTERM, "SIGTERM")):
            try:
                previous = signal.getsignal(sig)
                loop.add_signal_handler(sig, on_signal, name)
                installed.append((sig, previous))
            except (NotImplementedError, RuntimeError, ValueError):
                pass
        if interrupts.take():  # pressed before the handlers above were in
            on_signal("Ctrl-C")
        input_error: Exception | None = None
        try:
            try:
                await feeder
            except asyncio.CancelledError:
                if not self.stop:
                    raise
            except Exception as exc:  # the input broke mid-run: stop as for Ctrl-C, then raise it
                input_error = exc
                self.request_stop("stopped", str(exc))
            # Tell the workers there is nothing more; a stop drains the queue instead. The requests
            # in flight finish and are journaled: they are paid for.
            if self.stop:
                self._drain_queue()
            for _ in workers:
                await self._queue.put(None)
            await asyncio.gather(*workers, return_exceptions=True)
            if input_error is not None:
                raise input_error
        finally:
            # Only an error of our own (or a second Ctrl-C) gets here with workers still running;
            # stop them before the client closes under them.
            self._abandon(workers)
            await asyncio.gather(*workers, return_exceptions=True)
            for sig, previous in installed:
                loop.remove_signal_handler(sig)  # resets to the default; give a caller (the scheduler) its own back
                if previous is not None:
                    signal.signal(sig, previous)
            ticker.cancel()
            await asyncio.gather(ticker, return_exceptions=True)
            self._flush()
            self.journal.sync()
            if self.cache is not None:
                self.cache.flush()
            await self.client.aclose()
            closer = getattr(self.limiter, "aclose", None)  # a shared (Redis) limiter holds a connection
            if closer is not None:
                await closer()
            self.progress.refresh(self.stats)
        if self._crashed is not None:
            raise self._crashed

    def _abandon(self, workers: list[asyncio.Task[None]]) -> None:
        self._abandoned = True
        for w in workers:
            w.cancel()

    def _drain_queue(self) -> None:
        while not self._queue.empty():
            self._queue.get_nowait()

    async def _tick(self) -> None:
        last_sync = time.monotonic()
        while True:
            await asyncio.sleep(PROGRESS_INTERVAL_S)
            self.progress.refresh(self.stats)
            if self.cache is not None:
                # The cache is no promise: a few writes a second are enough, off the event loop.
                await asyncio.to_thread(self.cache.write, self.cache.take_pending())
            now = time.monotonic()
            if now - last_sync >= FSYNC_INTERVAL_S:
                last_sync = now
                self._flush()
                await asyncio.to_thread(self.journal.checkpoint_in_background)
                if self.cache is not None:
                    await asyncio.to_thread(self.cache.checkpoint)

    # ------------------------------------------------------------ feeding

    def _wanted(self, start: int, length: int) -> bool:
        states = self.states
        end = min(start + length, len(states))
        chunk = states[start:end]
        if self.retry_failed:
            return chunk.count(cp.OK) != len(chunk)
        return chunk.count(cp.PENDING) > 0

    async def _feed(self) -> None:
        from .inputs import iter_chunks

        assert self.job.info is not None
        spec = self.spec
        variables = self.job.variables
        split = spec.prompt.split is not None
        chunks = iter_chunks(self.job.info, spec.run.chunk_size, want=self._wanted, stop=self.stop_at)
        for chunk in chunks:
            rows = chunk.rows()
            for offset, row in enumerate(rows):
                if self.stop:
                    return
                index = chunk.start + offset
                state = self.states[index]
                if state == cp.OK or (state == cp.ERROR and not self.retry_failed):
                    continue
                prior = self._prior_attempts.get(index, 0)
                context = {**row, **variables, "row_index": index}
                if split:
                    item = WorkItem(index, context, None, prior)
                else:
                    try:
                        messages = self.job.templates.messages(context, f"row {index + 1}")
                    except TemplateError as exc:
                        self._finish(RowResult(index, "error", error_kind="template_error",
                                               error_message=str(exc), attempts=prior))
                        continue
                    item = WorkItem(index, row, messages, prior)
                if self._queue.full():
                    # Wait until the workers have taken half, then refill in one go: one wake-up
                    # of the feeder per many rows instead of one per row.
                    self._space.clear()
                    await self._space.wait()
                self._queue.put_nowait(item)
            await asyncio.sleep(0)  # let workers run between chunks

    # ------------------------------------------------------------ working

    async def _worker(self) -> None:
        queue = self._queue
        space = self._space
        low_water = self._low_water
        while True:
            # pyreqwest can deliver a reply to a request whose task was just cancelled instead of
            # raising CancelledError; such a worker must still stop (after journaling that reply).
            if self._abandoned:
                return
            item = await queue.get()
            if not space.is_set() and queue.qsize() <= low_water:
                space.set()
            if item is None:
                return
            if self.stop:
                continue
            try:
                result = await self._process(item)
            except _LeavePending:
                continue
            except Exception as exc:  # a bug, not a row error: stop cleanly, then re-raise it
                self._crashed = self._crashed or exc
                self.request_stop("stopped", f"internal error: {type(exc).__name__}: {exc}")
                if self._feeder is not None:
                    self._feeder.cancel()
                return
            self._finish(result)
            # Let the scheduled journal commit run before this worker sends its next request, so a
            # kill -9 never loses an answered row on top of the requests in flight (rows finishing
            # in the same tick share that one commit).
            await asyncio.sleep(0)

    def _finish(self, result: RowResult) -> None:
        stats = self.stats
        if result.status == "ok":
            stats.ok += 1
            self._failure_streak = 0
            self._streak_kinds.clear()
            if self.parser.mode == "labels" and isinstance(result.value, str):
                stats.labels[result.value] += 1
        else:
            stats.error += 1
            kind = result.error_kind or "error"
            stats.error_kinds[kind] += 1
            if kind in _API_KINDS:
                self._failure_streak += 1
                self._streak_kinds[kind] += 1
                if self._failure_streak >= CIRCUIT_BREAKER_ROWS:
                    dominant, n = self._streak_kinds.most_common(1)[0]
                    self.request_stop("stopped", f"{self._failure_streak} rows in a row failed after their retries "
                                                 f"(mostly {dominant}: {n}; last: {result.error_message}); "
                                                 "fix the cause and run again to resume")
            else:
                self._failure_streak = 0
                self._streak_kinds.clear()
        if result.cached:
            stats.cached += 1
        if result.cost_usd:
            stats.cost_usd += result.cost_usd
        u = result.usage
        if not result.cached:
            stats.prompt_tokens += u.prompt_tokens or 0
            stats.completion_tokens += u.completion_tokens or 0
        self.states[result.index] = cp.OK if result.status == "ok" else cp.ERROR
        self.progress.advance()
        self.journal.add(result)
        self._schedule_flush()

    def _schedule_flush(self) -> None:
        if not self._flush_scheduled:
            self._flush_scheduled = True
            asyncio.get_running_loop().call_soon(self._flush)

    def _flush(self) -> None:
        self._flush_scheduled = False
        self.journal.flush()

    async def _process(self, item: WorkItem) -> RowResult:
        acc = _Row(item.prior_attempts)
        try:
            if item.messages is None:
                value, text = await self._process_split(item, acc)
            else:
                value, text = await self._ask(item.messages, acc)
        except _RowFailed as exc:
            last = exc.completion or acc.last
            return self._result(item.index, acc, "error", None, last.text if last else None,
                                error=(exc.kind, exc.message))
        return self._result(item.index, acc, "ok", value, text)

    def _result(self, index: int, acc: _Row, status: str, value: Any, text: str | None,
                error: tuple[str, str] | None = None) -> RowResult:
        last = acc.last
        cached = acc.all_cached and last is not None
        return RowResult(
            index=index, status=status, value=value, response_text=text,
            error_kind=error[0] if error else None, error_message=error[1] if error else None,
            usage=acc.usage, cost_usd=(0.0 if cached else acc.cost) if self.spec.pricing and last else None,
            latency_ms=last.latency_ms if last and not cached else None, attempts=acc.attempts,
            finish_reason=last.finish_reason if last else None, model=last.model if last else None,
            request_id=last.request_id if last else None, cached=cached,
        )

    async def _ask(self, messages: list[dict[str, str]], acc: _Row) -> tuple[Any, str]:
        """One prompt, re-asked up to parse.reask times when the reply does not parse."""
        reasks = self.spec.parse.reask
        while True:
            completion = await self._request(messages, acc)
            try:
                return self.parser.parse(completion.text, completion.finish_reason), completion.text
            except ParseFailure as failure:
                if reasks <= 0 or failure.kind in ("truncated", "content_filter"):
                    raise _RowFailed(failure.kind, failure.message, completion) from None
                reasks -= 1
                messages = [*messages, {"role": "assistant", "content": completion.text},
                            {"role": "user", "content": self.parser.correction(failure)}]

    async def _process_split(self, item: WorkItem, acc: _Row) -> tuple[Any, str]:
        split = self.spec.prompt.split
        assert split is not None
        context = item.row
        where = f"row {item.index + 1}"
        text = context.get(split.column)
        parts = split_text("" if text is None else str(text), split.max_tokens, split.overlap)
        # Parts answered in an earlier session (cut short, or the row failed later: --retry-failed)
        # are paid for: they are reused, never asked again.
        state = self.states[item.index]
        done = self.journal.parts_of(item.index) if state != cp.OK else {}
        replies: list[str] = []
        for number, part in enumerate(parts):
            previous = done.get(number)
            if previous is not None:
                if previous.attempts:
                    acc.all_cached = False  # paid for in an earlier session: not a free row
                acc.usage = acc.usage + previous.usage
                acc.cost += previous.cost_usd or 0.0
                if state != cp.ERROR:  # a failed row's attempts, carried over, already count them
                    acc.attempts += previous.attempts
                replies.append(previous.text)
                continue
            before_attempts, before_usage, before_cost = acc.attempts, acc.usage, acc.cost
            variables = {**context, "part": part, "part_index": number, "part_count": len(parts)}
            try:
                messages = self.job.templates.messages(variables, where)
            except TemplateError as exc:
                raise _RowFailed("template_error", str(exc)) from None
            if len(parts) == 1:  # short enough: one request, no reduce
                return await self._ask(messages, acc)
            completion = await self._request(messages, acc)
            if completion.finish_reason == "content_filter":
                raise _RowFailed("content_filter", "the provider's content filter stopped a part's reply", completion)
            replies.append(completion.text)
            self.journal.add_part(cp.PartResult(
                item.index, number, completion.text, _diff(acc.usage, before_usage),
                acc.cost - before_cost, acc.attempts - before_attempts, completion.finish_reason))
            self._schedule_flush()  # a paid-for part is durable now, not at the next tick
            await asyncio.sleep(0)  # ... and before the next part's request goes out
        if self.job.templates.reduce is None:
            # No reduce template: the parts' replies joined are the answer.
            joined = "\n\n".join(replies)
            return self.parser.parse(joined, "stop") if self.parser.mode != "text" else joined, joined
        try:
            messages = self.job.templates.reduce_messages({**context, "parts": replies}, where)
        except TemplateError as exc:
            raise _RowFailed("template_error", str(exc)) from None
        return await self._ask(messages, acc)

    async def _request(self, messages: list[dict[str, str]], acc: _Row) -> Completion:
        """Send one prompt (from the cache when possible) with retries; updates acc."""
        body = self.job.request_body(messages)
        payload: bytes | None = None
        key = None
        if self.cache is not None:
            key, payload = request_key_and_payload(self._cache_url, body)
        if key is not None and self.read_cache:
            hit = self.cache.get(key) if self.cache is not None else None
            if hit is not None:
                acc.usage = acc.usage + hit.usage
                acc.last = hit
                return hit
        acc.all_cached = False
        # Token estimates cost CPU and the tokenizer's ~120 MB: only when a limit needs them.
        estimate = estimate_prompt_tokens(messages) if self._needs_estimate else 0
        worst = estimate + (self._max_output or 0)
        retries = 0
        while True:
            if self.stop:
                raise _LeavePending
            reservation = await self.limiter.acquire(worst)
            try:
                hold = self.budget.reserve(estimate, self._max_output)
            except BudgetExceeded as exc:
                self.limiter.settle(reservation, 0)
                self.request_stop("stopped", str(exc))
                raise _LeavePending from None
            if self.stop:  # stopped while waiting for the limiter
                self.limiter.settle(reservation, 0)
                self.budget.release(hold)
                raise _LeavePending
            acc.attempts += 1
            self.stats.sent += 1
            try:
                completion = await self.client.complete(body, payload)
            except APIError as exc:
                self.limiter.settle(reservation, None)
                self.budget.release(hold)
                if isinstance(exc, (AuthError, InsufficientBalance)):
                    self.request_stop("stopped", self._auth_message(exc))
                    raise _LeavePending from None
                if isinstance(exc, APIStatusError):
                    self.limiter.on_response_headers(exc.headers)
                if isinstance(exc, RateLimitError):
                    self.limiter.on_rate_limited(exc.retry_after, reservation=reservation)
                if should_retry(exc) and retries < self.spec.run.max_retries:
                    retries += 1
                    await self._sleep(retry_delay(retries, exc.retry_after, self.rng))
                    continue
                raise _RowFailed(exc.kind, exc.message) from None
            usage = completion.usage
            self.limiter.settle(reservation, usage.total_tokens)
            if "x-ratelimit-remaining-requests" in completion.headers or \
                    "x-ratelimit-remaining-tokens" in completion.headers:
                self.limiter.on_response_headers(completion.headers)
            self.limiter.on_success()
            pricing = self.spec.pricing
            cost = pricing.cost(usage.prompt_tokens, usage.completion_tokens, usage.cached_tokens) if pricing else None
            self.budget.settle(hold, cost)
            acc.usage = acc.usage + usage
            acc.cost += cost or 0.0
            acc.last = completion
            # A cut-off reply is an error for labels/JSON (worth a fresh try next run) but the answer for free text.
            keep = completion.finish_reason != "content_filter" and (
                completion.finish_reason != "length" or self.parser.mode == "text")
            if key is not None and self.cache is not None and keep:
                self.cache.put(key, completion)
            return completion

    async def _sleep(self, seconds: float) -> None:
        """Back off, but wake early when the run is stopping."""
        end = time.monotonic() + seconds
        while not self.stop:
            left = end - time.monotonic()
            if left <= 0:
                return
            await asyncio.sleep(min(left, 0.2))
        raise _LeavePending

    def _auth_message(self, exc: APIError) -> str:
        env = self.job.endpoint.api_key_env
        status = getattr(exc, "status", None)
        if isinstance(exc, InsufficientBalance):
            return (f"the endpoint refused for lack of credit (402): {_server_words(exc)}; "
                    "top up, then run again to resume")
        who = f"the key in {env}" if env else "the request (no API key is configured for this endpoint)"
        extra = ""
        if self.job.endpoint.name == "skillboss":
            extra = " — the SkillBoss gateway needs a Wholesale key; standard console keys get 401 there"
        return f"the endpoint rejected {who} ({status}){extra}; fix the key, then run again to resume"


_API_KINDS = frozenset({"http_5xx", "timeout", "rate_limited", "connection_error", "invalid_response", "http_4xx"})


def _server_words(exc: APIError) -> str:
    text = exc.message
    return text.split(" ", 1)[1] if text[:3].isdigit() and " " in text else text


def _diff(after: Usage, before: Usage) -> Usage:
    def sub(a: int | None, b: int | None) -> int | None:
        if a is None:
            return None
        return a - (b or 0)

    return Usage(*(sub(a, b) for a, b in zip(after.as_tuple(), before.as_tuple(), strict=True)))


def stderr_log(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()
