"""Client-side rate limits: reserve before sending, settle after, adapt when pushed back.

    limiter = RateLimiter(requests_per_minute=500, tokens_per_minute=200_000)
    res = await limiter.acquire(estimated_tokens)      # waits for its turn (FIFO)
    ... send ...; limiter.on_response_headers(headers)
    200: limiter.on_success(); limiter.settle(res, usage_total_tokens)
    429: limiter.on_rate_limited(retry_after); limiter.settle(res, None)

Three sources of pacing, the strictest wins:

* Token buckets at SAFETY x the configured (or AIMD-adjusted) rate. The burst is ~1 s of
  traffic, not a minute: a full-minute burst at t=0 followed by refill would put nearly
  two minutes of requests into the first 60 s window of a sliding-window server.
* The server's `x-ratelimit-remaining-*` / `-reset-*`: when the remaining budget is low it
  is paced over the time to reset. This needs no knowledge of the server's window.
* A 429 pauses the whole pool until its Retry-After and cuts the request rate to a
  fraction of what the server accepted over the last minute (AIMD); successes then
  raise it again, toward the configured or learned limit. Cutting below the last cut
  needs 429s to outnumber successes since: scattered 429s (an overloaded upstream)
  come at any pace, and must not ratchet the rate down.

With no limits configured and no pushback seen, `acquire` returns at once.
"""

from __future__ import annotations

import asyncio
import math
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

__all__ = ["RateLimiter", "Reservation", "parse_duration"]

SAFETY = 0.97  # pace at 97% of a known limit: room for jitter between us and the server
BURST_SECONDS = 1.0  # bucket capacity, in seconds of traffic at the current rate
DEFAULT_PAUSE = 1.0  # a 429 without Retry-After pauses the pool this long
MAX_PAUSE = 120.0  # same cap as retry.MAX_RETRY_AFTER
BACKOFF = 0.9  # a cut: to 90% of the rate the server accepted over the last minute
BACKOFF_NO_DATA = 0.7  # a cut with too few successes to measure: classic x0.7
MIN_SAMPLES = 5  # fewer successes than this in the last minute: no rate estimate
TALLY_ANSWERS = 256  # answers since the last cut that decide whether it helped
MIN_SPAN = 1.0  # seconds observed (plus Retry-After) before a rate estimate means anything
MIN_RPM = 1.0  # the floor of every cut
RECOVER_PER_MIN = 0.2  # additive increase toward a known ceiling: 20% of it per minute
PROBE_PER_MIN = 0.03  # beyond any known ceiling: +3% of the rate per minute
THROTTLED_RECENTLY = 10.0  # only probe upward while the limiter is the bottleneck
LOW_REMAINING = 0.1  # remaining < 10% of the server's limit: pace it over the reset time
SHARE_ALPHA = 0.1  # weight of each answer in the moving share of 429s
POOL_PAUSE_SHARE = 0.25  # ~3 429s in a row: a limit is hit, pause the whole pool
DEFAULT_LATENCY = 0.5  # until settle() has measured one

_EPSILON = 1e-9
_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|h|m|s)")
_UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(value: str) -> float | None:
    """OpenAI's reset durations ("1s", "6m0s", "120ms", "0.5s", "1h2m3.5s") in seconds.

    A bare number is seconds. Anything else is None.
    """
    text = value.strip().lower()
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        pass
    else:
        return number if math.isfinite(number) and number >= 0 else None
    total, end = 0.0, 0
    for match in _DURATION_PART.finditer(text):
        if match.start() != end:
            return None
        total += float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        end = match.end()
    return total if end == len(text) else None


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) and number >= 0 else None


@dataclass(slots=True)
class Reservation:
    """What one acquire() took; hand it back to settle()."""

    tokens: int  # tokens currently charged for this request (the estimate until settled)
    granted_at: float = 0.0
    settled: bool = False


class _Bucket:
    """A token bucket whose level may go negative: a request bigger than the bucket
    goes once it is full and leaves a debt, so the long-run rate still holds."""

    __slots__ = ("rate", "capacity", "level", "stamp")

    def __init__(self, rate: float, now: float) -> None:
        self.rate = rate
        self.capacity = max(1.0, rate * BURST_SECONDS)
        self.level = self.capacity
        self.stamp = now

    def refill(self, now: float) -> None:
        if now > self.stamp:
            self.level = min(self.capacity, self.level + (now - self.stamp) * self.rate)
            self.stamp = now

    def set_rate(self, rate: float, now: float) -> None:
        self.refill(now)
        self.rate = rate
        self.capacity = max(1.0, rate * BURST_SECONDS)
        self.level = min(self.level, self.capacity)

    def shortfall(self, amount: float) -> float:
        """Seconds until `amount` (at most a full bucket) is available; 0 if it is."""
        need = min(amount, self.capacity)
        if self.level >= need - _EPSILON:
            return 0.0
        return (need - self.level) / self.rate


class _Counter:
    """Events per one-second bin over the last minute (cheap enough to run per request)."""

    __slots__ = ("_counts", "_secs")

    def __init__(self) -> None:
        self._counts = [0] * 60
        self._secs = [-1] * 60

    def add(self, now: float) -> None:
        sec = int(now)
        i = sec % 60
        if self._secs[i] != sec:
            self._secs[i] = sec
            self._counts[i] = 0
        self._counts[i] += 1

    def total(self, now: float, seconds: int = 60) -> int:
        oldest = int(now) - seconds
        return sum(c for c, s in zip(self._counts, self._secs, strict=True) if s > oldest)


class _HeaderCap:
    """A temporary rate ceiling from x-ratelimit-remaining / -reset."""

    __slots__ = ("rate", "until")

    def __init__(self) -> None:
        self.rate = math.inf
        self.until = -math.inf


class RateLimiter:
    """Requests-per-minute and tokens-per-minute limits shared by a pool of workers."""

    def __init__(
        self,
        requests_per_minute: float | None = None,
        tokens_per_minute: float | None = None,
        *,
        adaptive: bool = True,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        for name, value in (("requests_per_minute", requests_per_minute), ("tokens_per_minute", tokens_per_minute)):
            if value is not None and not value > 0:
                raise ValueError(f"{name} must be > 0, got {value!r}")
        self._clock = clock
        self._sleep = sleep
        self._adaptive = adaptive
        self._configured_rpm = requests_per_minute
        self._configured_tpm = tokens_per_minute
        self._server_rpm: float | None = None  # from x-ratelimit-limit-requests
        self._server_tpm: float | None = None

        now = clock()
        self._rpm: float | None = None if requests_per_minute is None else SAFETY * requests_per_minute
        self._tpm: float | None = None if tokens_per_minute is None else SAFETY * tokens_per_minute
        self._req = None if self._rpm is None else _Bucket(self._rpm / 60.0, now)
        self._tok = None if self._tpm is None else _Bucket(self._tpm / 60.0, now)
        self._req_cap = _HeaderCap()
        self._tok_cap = _HeaderCap()
        self._pause_until = -math.inf
        # False until anything can make a request wait: keeps acquire() free otherwise.
        self._limited = self._req is not None or self._tok is not None

        self._lock = asyncio.Lock()
        self._waiting = 0  # tasks queued in the slow path, lock holder included

        self._start: float | None = None
        self._grants = _Counter()
        self._successes = _Counter()
        self._latency: float | None = None
        self._tokens_per_request = 0.0  # running mean of estimates, for in-flight tokens
        self._last_cut = -math.inf
        self._limited_share = 0.0  # moving share of 429s among recent answers
        self._no_cut_until = -math.inf
        self._probe_rpm: float | None = None  # the accepted rate measured at the last cut
        self._last_throttled = -math.inf
        # The rate the last cut set, and answers since: scattered 429s never cut below it.
        self._cut_floor: float | None = None
        self._ok_since_cut = 0.0
        self._limited_since_cut = 0.0

    # ------------------------------------------------------------------ acquire / settle

    async def acquire(self, estimated_tokens: int) -> Reservation:
        """Wait for a request slot and `estimated_tokens` tokens, in arrival order."""
        now = self._clock()
        if self._start is None:
            self._start = now
        self._grants.add(now)
        self._tokens_per_request += 0.05 * (estimated_tokens - self._tokens_per_request)
        if not self._limited:
            return Reservation(estimated_tokens, now)
        # Take at once only if nobody is queued: a newcomer must not overtake a waiter.
        if not self._waiting and self._take(now, estimated_tokens) <= 0.0:
            return Reservation(estimated_tokens, now)
        self._waiting += 1
        try:
            async with self._lock:
                while True:
                    now = self._clock()
                    wait = self._take(now, estimated_tokens)
                    if wait <= 0.0:
                        return Reservation(estimated_tokens, now)
                    # The head of the queue sleeps holding the lock; it re-checks on waking,
                    # so a pause or a rate cut that arrived meanwhile is honoured.
                    await self._sleep(wait)
        finally:
            self._waiting -= 1

    def _take(self, now: float, tokens: int) -> float:
        """Take one request and `tokens` if available now (returns 0), else seconds to wait."""
        if now < self._pause_until:
            return self._pause_until - now
        if now >= self._req_cap.until > -math.inf or now >= self._tok_cap.until > -math.inf:
            self._expire_caps(now)
        req, tok = self._req, self._tok
        wait = 0.0
        if req is not None:
            req.refill(now)
            wait = req.shortfall(1.0)
            if wait > 0.0:
                self._last_throttled = now
        if tok is not None:
            tok.refill(now)
            wait = max(wait, tok.shortfall(tokens))
        if wait > 0.0:
            return wait
        if req is not None:
            req.level -= 1.0
        if tok is not None:
            tok.level -= tokens
        return 0.0

    def settle(self, reservation: Reservation, actual_tokens: int | None) -> None:
        """The request is over: refund (estimate - actual) tokens, or charge the excess.

        Call it for every reservation, whatever the outcome (None = keep the estimate).
        """
        now = self._clock()
        if not reservation.settled:
            reservation.settled = True
            sample = max(0.0, now - reservation.granted_at)
            self._latency = sample if self._latency is None else 0.8 * self._latency + 0.2 * sample
        if actual_tokens is None or actual_tokens == reservation.tokens:
            return
        if self._tok is not None:
            self._tok.refill(now)
            self._tok.level = min(self._tok.capacity, self._tok.level + (reservation.tokens - actual_tokens))
        reservation.tokens = actual_tokens  # settling twice is harmless

    # ------------------------------------------------------------------ feedback

    def on_success(self) -> None:
        """A 2xx: additive increase of the request rate."""
        now = self._clock()
        self._successes.add(now)
        self._limited_share *= 1.0 - SHARE_ALPHA
        self._tally(ok=True)
        if self._start is None:
            self._start = now
        rpm = self._rpm
        if not self._adaptive or rpm is None:
            return
        ceiling = self._ceiling_rpm(now)
        if ceiling is not None:
            if rpm >= ceiling:
                return
            per_min = RECOVER_PER_MIN * ceiling
        elif self._probe_rpm is not None and rpm < SAFETY * self._probe_rpm:
            per_min = RECOVER_PER_MIN * self._probe_rpm  # back to where the last cut found it
        elif now - self._last_throttled < THROTTLED_RECENTLY:
            # Probe faster the longer no 429 has come (CUBIC-like): a cut that landed far
            # below the real limit is not stuck there for long.
            calm_minutes = min(10.0, (now - self._last_cut) / 60.0)
            per_min = PROBE_PER_MIN * rpm * (1.0 + calm_minutes)
        else:
            return  # we are not the bottleneck: raising an unused rate proves nothing
        # About rpm successes arrive per minute, so this adds `per_min` per minute.
        new = rpm + per_min / rpm
        self._set_rpm(min(new, ceiling) if ceiling is not None else new, now)

    def _tally(self, *, ok: bool) -> None:
        if ok:
            self._ok_since_cut += 1
        else:
            self._limited_since_cut += 1
        if self._ok_since_cut + self._limited_since_cut > TALLY_ANSWERS:  # keep it about recent answers
            self._ok_since_cut /= 2
            self._limited_since_cut /= 2

    def on_rate_limited(self, retry_after: float | None, *, reservation: Reservation | None = None) -> None:
        """A 429: pause the whole pool, and cut the request rate (once per episode).

        Pass the 429'd request's `reservation` if at hand: requests granted before the
        last cut then never cut again (without it, a time guard does the same job).
        """
        now = self._clock()
        if retry_after is None or not math.isfinite(retry_after) or retry_after < 0:
            pause = DEFAULT_PAUSE
        else:
            pause = min(retry_after, MAX_PAUSE)
        self._limited_share += SHARE_ALPHA * (1.0 - self._limited_share)
        # The whole pool pauses when 429s come in a run (a limit is really hit), not for a
        # scattered one among many successes: pausing every request for each of those
        # would cap a 5%-429 server at one burst per Retry-After. That request still waits.
        congested = self._limited_share >= POOL_PAUSE_SHARE or self._successes.total(now) < MIN_SAMPLES
        if congested:
            self._pause_until = max(self._pause_until, now + pause)
            self._limited = True
            # No credit accrues while paused: a full bucket at the end would be a burst
            # straight back into the window that just said no.
            for bucket in (self._req, self._tok):
                if bucket is not None:
                    bucket.level = min(bucket.level, 0.0)
                    bucket.stamp = max(bucket.stamp, self._pause_until)
        if not self._adaptive or not congested:
            return  # a scattered 429 (an overloaded upstream) says nothing about our rate
        # Requests already in flight at the last cut answer 429 too: that is the same
        # congestion, not news, and cutting for each would collapse the rate.
        if reservation is not None:
            if reservation.granted_at < self._last_cut:
                return
        elif now < self._no_cut_until:
            return
        self._tally(ok=False)
        estimate = self._accepted_rpm(now, pause)
        current = self._rpm
        if estimate is not None:
            # Never compound below 90% of what the server accepts: a sliding window takes
            # up to a minute to drain after a cut, and its 429s meanwhile are the pause's job.
            new = BACKOFF * estimate if current is None else min(current, BACKOFF * estimate)
        elif current is not None:
            new = BACKOFF_NO_DATA * current
        else:
            return  # nothing measured yet: the pause alone has to do
        new = max(MIN_RPM, new)
        floor = self._cut_floor
        if floor is not None and new < floor and self._limited_since_cut <= self._ok_since_cut:
            # The last cut mostly worked, yet 429s still come: scattered ones (an overloaded
            # upstream) arrive at any pace, and cutting again for each would ratchet the pool
            # down to a crawl (5% random 429s: 32,000 -> 300 requests/min in 3 minutes).
            # Only a cut that did not help (429s outnumber successes since) goes lower.
            if current is not None and current > floor:
                self._set_rpm(floor, now)
            return
        if estimate is not None:
            self._probe_rpm = estimate
        latency = self._latency if self._latency is not None else DEFAULT_LATENCY
        self._no_cut_until = max(self._pause_until, now + max(1.0, 2.0 * latency))
        self._last_cut = now
        self._cut_floor = new
        self._ok_since_cut = self._limited_since_cut = 0.0
        self._set_rpm(new, now)

    def _accepted_rpm(self, now: float, retry_after: float) -> float | None:
        """What the server accepted lately, per minute.

        Successes over the last minute, divided by the window they must fit in: the time
        since we started plus the wait the server asks for, at most 60 s. After a startup
        burst (1200 accepted in 4 s, "retry in 56 s") this reads 1200/min, not 18000/min.
        """
        accepted = self._successes.total(now)
        if accepted < MIN_SAMPLES or self._start is None:
            return None
        span = now - self._start + retry_after
        if span < MIN_SPAN:
            # A 429 saying "retry now" in the first instants: 20 successes over a 1 s floor
            # would read 1,200/min from a server that just served them in 40 ms.
            return None
        return 60.0 * accepted / min(60.0, span)

    def on_response_headers(self, headers: Mapping[str, str]) -> None:
        """Read OpenAI's x-ratelimit-* headers (any response, 429s included)."""
        if not self._adaptive or not headers:
            return
        lowered = {k.lower(): v for k, v in headers.items() if k[:12].lower() == "x-ratelimit-"}
        if not lowered:
            return
        now = self._clock()
        for kind in ("requests", "tokens"):
            limit = _number(lowered.get(f"x-ratelimit-limit-{kind}"))
            remaining = _number(lowered.get(f"x-ratelimit-remaining-{kind}"))
            raw_reset = lowered.get(f"x-ratelimit-reset-{kind}")
            reset = parse_duration(raw_reset) if raw_reset is not None else None
            if limit is not None and limit > 0:
                if kind == "requests":
                    self._server_rpm = limit
                else:
                    self._server_tpm = limit
            if remaining is None or reset is None:
                continue
            self._pace_remaining(kind, limit, remaining, reset, now)

    def _pace_remaining(self, kind: str, limit: float | None, remaining: float, reset: float, now: float) -> None:
        """Spread what the server says is left over the time until it resets.

        Whatever window the server uses, this keeps us inside it; requests already on
        their way (Little's law: rate x latency) are counted as spent.
        """
        if limit is None:
            limit = self._server_rpm if kind == "requests" else self._server_tpm
        if limit is None or remaining >= LOW_REMAINING * limit:
            return
        latency = self._latency if self._latency is not None else DEFAULT_LATENCY
        # Grants over the last 1-2 s (the current second is partial) times latency.
        in_flight = self._grants.total(now, 2) / (1.0 + now % 1.0) * latency
        if kind == "tokens":
            in_flight *= self._tokens_per_request
        left = remaining - in_flight
        reset = min(max(reset, 0.001), 86_400.0)
        cap = self._req_cap if kind == "requests" else self._tok_cap
        # Nothing left: one request's worth over the reset time, which is a pause.
        unit = 1.0 if kind == "requests" else max(1.0, self._tokens_per_request)
        cap.rate = max(left, unit) / reset
        cap.until = now + reset
        self._limited = True
        self._apply_rates(now)

    # ------------------------------------------------------------------ rates

    def _ceiling_rpm(self, now: float) -> float | None:
        """SAFETY x the tightest known per-minute request limit, or None."""
        limits = [x for x in (self._configured_rpm, self._server_rpm_if_per_minute(now)) if x is not None]
        return SAFETY * min(limits) if limits else None

    def _server_rpm_if_per_minute(self, now: float) -> float | None:
        # OpenAI's limit header is per minute, but a server with a shorter window reports
        # per-window numbers; more successes in a minute than "the limit" exposes that.
        server = self._server_rpm
        if server is None or self._successes.total(now) > 1.05 * server:
            return None
        return server

    def _set_rpm(self, rpm: float, now: float) -> None:
        self._rpm = rpm
        self._limited = True
        self._apply_rates(now)

    def _expire_caps(self, now: float) -> None:
        for cap in (self._req_cap, self._tok_cap):
            if now >= cap.until:
                cap.rate, cap.until = math.inf, -math.inf
        self._apply_rates(now)

    def _apply_rates(self, now: float) -> None:
        """Point the buckets at min(AIMD/configured rate, header cap); None = unlimited."""
        for kind in ("requests", "tokens"):
            per_min = self._rpm if kind == "requests" else self._tpm
            cap = self._req_cap if kind == "requests" else self._tok_cap
            rate = math.inf if per_min is None else per_min / 60.0
            rate = min(rate, cap.rate)
            bucket = self._req if kind == "requests" else self._tok
            if math.isinf(rate):
                bucket = None
            elif bucket is None:
                bucket = _Bucket(rate, now)
            elif rate != bucket.rate:
                bucket.set_rate(rate, now)
            if kind == "requests":
                self._req = bucket
            else:
                self._tok = bucket

    @property
    def effective_rpm(self) -> float | None:
        """Requests per minute we pace at now (SAFETY included); None = unlimited."""
        rate = self._rpm
        cap = self._req_cap
        if cap.until > self._clock():
            capped = cap.rate * 60.0
            rate = capped if rate is None else min(rate, capped)
        return rate

    @property
    def effective_tpm(self) -> float | None:
        rate = self._tpm
        cap = self._tok_cap
        if cap.until > self._clock():
            capped = cap.rate * 60.0
            rate = capped if rate is None else min(rate, capped)
        return rate

    @property
    def server_limits(self) -> tuple[float | None, float | None]:
        """(requests, tokens) limits the server reported in x-ratelimit-limit-*."""
        return self._server_rpm, self._server_tpm
