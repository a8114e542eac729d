"""Rate limiter: deterministic, in virtual time (no real sleeping anywhere)."""

from __future__ import annotations

import asyncio
import math
import random
import selectors
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest

from batchrunner.ratelimit import SAFETY, RateLimiter, Reservation, parse_duration
from batchrunner.retry import retry_delay

T = TypeVar("T")


# --------------------------------------------------------------------------- virtual time


class _VirtualSelector(selectors.SelectSelector):
    """Where the event loop would block for `timeout`, jump the clock instead."""

    def __init__(self) -> None:
        super().__init__()
        self.clock: list[float] = [0.0]

    def select(self, timeout: float | None = None) -> list[Any]:
        if timeout is None:
            raise RuntimeError("virtual time: every task is blocked forever")
        if timeout > 0:
            self.clock[0] += timeout
        return super().select(0)


class VirtualLoop(asyncio.SelectorEventLoop):
    """asyncio.sleep, call_later and loop.time() all run on a simulated clock."""

    def __init__(self) -> None:
        selector = _VirtualSelector()
        super().__init__(selector)
        self._now = selector.clock

    def time(self) -> float:
        return self._now[0]


def run_virtual(make: Callable[[VirtualLoop], Coroutine[Any, Any, T]]) -> T:
    loop = VirtualLoop()
    try:
        return loop.run_until_complete(make(loop))
    finally:
        loop.close()


def virtual_limiter(loop: VirtualLoop, *args: Any, **kwargs: Any) -> RateLimiter:
    return RateLimiter(*args, clock=loop.time, sleep=asyncio.sleep, **kwargs)


class FakeClock:
    """For synchronous tests: a clock moved by hand and a sleep that only records."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def max_in_window(times: list[float], window: float = 60.0) -> int:
    best, start = 0, 0
    for end, t in enumerate(times):
        while times[start] <= t - window:
            start += 1
        best = max(best, end - start + 1)
    return best


# --------------------------------------------------------------------------- durations


@pytest.mark.parametrize(
    ("raw", "seconds"),
    [
        ("1s", 1.0),
        ("6m0s", 360.0),
        ("120ms", 0.12),
        ("0.5s", 0.5),
        ("1h2m3.5s", 3723.5),
        ("20ms", 0.02),
        ("2", 2.0),
        ("0.25", 0.25),
        (" 17s ", 17.0),
        ("", None),
        ("soon", None),
        ("1x", None),
        ("s", None),
        ("-1s", None),
        ("1s2", None),
    ],
)
def test_parse_duration(raw: str, seconds: float | None) -> None:
    got = parse_duration(raw)
    if seconds is None:
        assert got is None
    else:
        assert got == pytest.approx(seconds)


# --------------------------------------------------------------------------- fast path


def test_no_limits_is_free() -> None:
    clock = FakeClock()

    async def forbidden(seconds: float) -> None:
        raise AssertionError("acquire slept without any limit")

    limiter = RateLimiter(clock=clock, sleep=forbidden)

    async def main() -> list[Reservation]:
        return [await limiter.acquire(1000) for _ in range(5000)]

    reservations = asyncio.run(main())
    assert len(reservations) == 5000
    assert limiter.effective_rpm is None and limiter.effective_tpm is None
    for res in reservations[:10]:
        limiter.on_success()
        limiter.settle(res, 10)
    assert limiter.effective_rpm is None  # successes alone never create a limit


def test_rejects_nonpositive_limits() -> None:
    with pytest.raises(ValueError, match="requests_per_minute"):
        RateLimiter(requests_per_minute=0)
    with pytest.raises(ValueError, match="tokens_per_minute"):
        RateLimiter(tokens_per_minute=-5)


# --------------------------------------------------------------------------- rates honoured


def test_rpm_honoured_over_a_minute() -> None:
    async def main(loop: VirtualLoop) -> list[float]:
        limiter = virtual_limiter(loop, requests_per_minute=600)
        grants: list[float] = []

        async def worker() -> None:
            while True:
                res = await limiter.acquire(1)
                if res.granted_at >= 120.0:
                    return
                grants.append(res.granted_at)

        await asyncio.gather(*(worker() for _ in range(50)))
        return grants

    grants = run_virtual(main)
    assert max_in_window(grants) <= 600  # never over the limit in any 60 s window
    first_minute = sum(1 for t in grants if t < 60.0)
    assert first_minute >= 0.96 * 600
    # Small initial burst, then smooth: ~10 per second, never a minute's worth at once.
    assert sum(1 for t in grants if t < 1.0) <= 20


def test_tpm_honoured_and_big_requests_still_go() -> None:
    async def main(loop: VirtualLoop) -> tuple[list[float], list[float]]:
        limiter = virtual_limiter(loop, tokens_per_minute=60_000)  # ~970 tokens/s
        small: list[float] = []
        big: list[float] = []

        async def worker(tokens: int, out: list[float]) -> None:
            while True:
                res = await limiter.acquire(tokens)
                if res.granted_at >= 60.0:
                    return
                out.append(res.granted_at)

        await asyncio.gather(
            *(worker(500, small) for _ in range(8)),
            worker(5000, big),  # 5000 > bucket
        )
        return small, big

    small, big = run_virtual(main)
    spent = 500 * len(small) + 5000 * len(big)
    assert spent <= 60_000 + 5000
    assert spent >= 0.9 * 60_000
    assert big, "a request larger than the whole bucket must still be sent"


def test_settle_refunds_and_charges() -> None:
    clock = FakeClock()
    limiter = RateLimiter(tokens_per_minute=6000 / SAFETY, clock=clock, sleep=clock.sleep)

    async def main() -> None:
        res = await limiter.acquire(100)  # the whole 1 s bucket (100 tokens)
        assert clock.slept == []
        limiter.settle(res, 0)  # used nothing: full refund
        res = await limiter.acquire(100)
        assert clock.slept == []
        limiter.settle(res, 300)  # used 200 more than estimated: a debt of 200
        limiter.settle(res, 300)  # settling twice changes nothing
        await limiter.acquire(100)
        assert sum(clock.slept) == pytest.approx(3.0)  # refill 300 tokens at 100/s
        res = await limiter.acquire(100)
        limiter.settle(res, None)  # unknown usage: the estimate stands
        assert res.tokens == 100

    asyncio.run(main())


def test_fifo_between_waiters() -> None:
    async def main(loop: VirtualLoop) -> list[int]:
        limiter = virtual_limiter(loop, requests_per_minute=60)
        order: list[int] = []

        async def one(i: int) -> None:
            await asyncio.sleep(i * 1e-6)  # arrive in index order
            await limiter.acquire(1)
            order.append(i)

        await asyncio.gather(*(one(i) for i in range(20)))
        return order

    assert run_virtual(main) == list(range(20))


# --------------------------------------------------------------------------- pushback


def test_429_pauses_every_waiter() -> None:
    async def main(loop: VirtualLoop) -> tuple[list[float], list[float]]:
        limiter = virtual_limiter(loop, requests_per_minute=6000)
        early = [(await limiter.acquire(1)).granted_at for _ in range(3)]
        limiter.on_rate_limited(5.0)
        times = await asyncio.gather(*(limiter.acquire(1) for _ in range(30)))
        return early, [r.granted_at for r in times]

    early, later = run_virtual(main)
    assert max(early) < 1.0
    assert min(later) >= 5.0


def test_scattered_429_among_successes_does_not_pause_the_pool() -> None:
    """A 429 here and there (an overloaded upstream) slows only its own request; a run of
    them (a limit really hit) pauses everyone."""

    async def main(loop: VirtualLoop) -> tuple[float, float]:
        limiter = virtual_limiter(loop)
        for _ in range(40):
            await limiter.acquire(1)
            limiter.on_success()
        limiter.on_rate_limited(5.0)
        scattered = (await limiter.acquire(1)).granted_at
        for _ in range(3):
            limiter.on_rate_limited(5.0)
        in_a_run = (await limiter.acquire(1)).granted_at
        return scattered, in_a_run

    scattered, in_a_run = run_virtual(main)
    assert scattered < 1.0
    assert in_a_run >= 5.0


def test_429_without_limits_pauses_then_frees() -> None:
    async def main(loop: VirtualLoop) -> list[float]:
        limiter = virtual_limiter(loop, adaptive=False)
        limiter.on_rate_limited(None)  # no Retry-After: a default pause of ~1 s
        times = await asyncio.gather(*(limiter.acquire(1) for _ in range(100)))
        assert limiter.effective_rpm is None  # not adaptive: no rate invented
        return [r.granted_at for r in times]

    times = run_virtual(main)
    assert min(times) >= 1.0 and max(times) < 1.1


def test_429_during_a_wait_is_honoured() -> None:
    async def main(loop: VirtualLoop) -> list[float]:
        limiter = virtual_limiter(loop, requests_per_minute=60 / SAFETY, adaptive=False)
        await limiter.acquire(1)  # empties the 1-request bucket
        waiter = asyncio.ensure_future(limiter.acquire(1))  # would go at t=1
        await asyncio.sleep(0.5)
        limiter.on_rate_limited(10.0)
        return [(await waiter).granted_at]

    assert run_virtual(main)[0] >= 10.5


def feed_successes(limiter: RateLimiter, clock: FakeClock, per_second: int, seconds: int) -> None:
    for _ in range(seconds * per_second):
        clock.now += 1.0 / per_second
        limiter.on_success()


def hit_limit(limiter: RateLimiter, retry_after: float = 1.0) -> None:
    """A limit really hit: 429s in a run (a lone 429 among successes cuts nothing)."""
    for _ in range(3):
        limiter.on_rate_limited(retry_after)


def test_multiplicative_decrease_then_additive_recovery() -> None:
    clock = FakeClock()
    limiter = RateLimiter(requests_per_minute=600, clock=clock, sleep=clock.sleep)
    asyncio.run(limiter.acquire(1))
    assert limiter.effective_rpm == pytest.approx(582)
    feed_successes(limiter, clock, 10, 61)  # the server accepted 600/min

    hit_limit(limiter)
    cut = limiter.effective_rpm
    assert cut is not None and cut == pytest.approx(0.9 * 600, rel=0.02)
    limiter.on_rate_limited(1.0)  # the same episode (in-flight requests): no second cut
    assert limiter.effective_rpm == cut
    clock.now += 3.0
    hit_limit(limiter, 2.0)  # a new episode: 90% of the ~560 accepted in the last
    assert limiter.effective_rpm == pytest.approx(0.9 * 560, rel=0.02)  # minute, not 0.7x
    cut = limiter.effective_rpm

    feed_successes(limiter, clock, 9, 10)
    mid = limiter.effective_rpm
    assert mid is not None and cut < mid < 582
    feed_successes(limiter, clock, 10, 180)
    assert limiter.effective_rpm == pytest.approx(582)  # back to, and never above, the limit


def test_cut_without_measurements_is_x07_down_to_the_floor() -> None:
    clock = FakeClock()
    limiter = RateLimiter(requests_per_minute=100, clock=clock, sleep=clock.sleep)
    clock.now += 5.0
    limiter.on_rate_limited(0.0)
    assert limiter.effective_rpm == pytest.approx(0.7 * 97)
    for _ in range(30):
        clock.now += 5.0
        limiter.on_rate_limited(0.0)
    assert limiter.effective_rpm == pytest.approx(1.0)


def test_unlimited_limiter_learns_a_rate_from_a_429() -> None:
    clock = FakeClock()
    limiter = RateLimiter(clock=clock, sleep=clock.sleep)
    asyncio.run(limiter.acquire(1))
    limiter.on_rate_limited(1.0)  # no successes yet: pause only
    assert limiter.effective_rpm is None
    clock.now = 1.0
    feed_successes(limiter, clock, 300, 4)  # a 4 s burst of 1200, then "retry in 55 s"
    hit_limit(limiter, 55.0)
    assert limiter.effective_rpm == pytest.approx(0.9 * 1200, rel=0.02)


def test_reservation_identifies_stale_429s() -> None:
    clock = FakeClock()
    limiter = RateLimiter(requests_per_minute=600, clock=clock, sleep=clock.sleep)
    old = asyncio.run(limiter.acquire(1))
    clock.now = 1.0
    limiter.on_rate_limited(0.1)
    cut = limiter.effective_rpm
    assert cut == pytest.approx(0.7 * 582)
    clock.now += 30.0
    limiter.on_rate_limited(0.1, reservation=old)  # sent before the cut: old news
    assert limiter.effective_rpm == cut
    new = asyncio.run(limiter.acquire(1))
    limiter.on_rate_limited(0.1, reservation=new)
    assert cut is not None and limiter.effective_rpm == pytest.approx(0.7 * cut)


# --------------------------------------------------------------------------- headers


def test_headers_learn_limit_and_pace_low_remaining() -> None:
    clock = FakeClock()
    limiter = RateLimiter(clock=clock, sleep=clock.sleep)
    limiter.on_response_headers(
        {
            "X-RateLimit-Limit-Requests": "600",
            "X-RateLimit-Remaining-Requests": "599",
            "X-RateLimit-Reset-Requests": "100ms",
            "x-ratelimit-limit-tokens": "150000",
            "x-ratelimit-remaining-tokens": "149000",
            "x-ratelimit-reset-tokens": "6m0s",
        }
    )
    assert limiter.server_limits == (600, 150000)
    assert limiter.effective_rpm is None  # plenty left: nothing to pace yet

    limiter.on_response_headers(
        {
            "x-ratelimit-limit-requests": "600",
            "x-ratelimit-remaining-requests": "30",
            "x-ratelimit-reset-requests": "6m0s",
        }
    )
    # 30 left (minus none in flight) over 360 s.
    assert limiter.effective_rpm == pytest.approx(30 / 360 * 60)
    clock.now += 361
    assert limiter.effective_rpm is None  # the cap ends with the reset

    # A 429 then recovery: the learned 600/min is the ceiling of the additive increase.
    feed_successes(limiter, clock, 10, 61)
    hit_limit(limiter)
    assert limiter.effective_rpm == pytest.approx(0.9 * 600, rel=0.02)
    feed_successes(limiter, clock, 10, 600)
    assert limiter.effective_rpm == pytest.approx(SAFETY * 600)


def test_headers_remaining_zero_pauses_until_reset() -> None:
    async def main(loop: VirtualLoop) -> float:
        limiter = virtual_limiter(loop)
        limiter.on_response_headers(
            {
                "x-ratelimit-limit-tokens": "1000",
                "x-ratelimit-remaining-tokens": "0",
                "x-ratelimit-reset-tokens": "2s",
            }
        )
        await limiter.acquire(10)  # the bucket's first second of a tiny cap
        return (await limiter.acquire(10)).granted_at

    assert run_virtual(main) >= 1.5


def test_headers_ignored_when_not_adaptive_or_garbage() -> None:
    clock = FakeClock()
    fixed = RateLimiter(requests_per_minute=100, adaptive=False, clock=clock)
    fixed.on_response_headers(
        {"x-ratelimit-limit-requests": "10", "x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "1m"}
    )
    assert fixed.effective_rpm == pytest.approx(97)
    limiter = RateLimiter(clock=clock)
    limiter.on_response_headers(
        {
            "x-ratelimit-limit-requests": "lots",
            "x-ratelimit-remaining-requests": "-3",
            "x-ratelimit-reset-requests": "later",
        }
    )
    limiter.on_response_headers({})
    assert limiter.effective_rpm is None and limiter.server_limits == (None, None)


# --------------------------------------------------------------------------- simulation


class SlidingWindowServer:
    """Like batchrunner.testing.fakeserver: at most `limit` accepted requests in any
    `window` seconds; a 429 says Retry-After = ceil(seconds until one fits), at least 1."""

    def __init__(self, per_minute: int, window: float = 60.0) -> None:
        self.limit = max(1, math.floor(per_minute * window / 60.0))
        self.window = window
        self.events: deque[float] = deque()

    def handle(self, now: float) -> tuple[float | None, dict[str, str]]:
        while self.events and self.events[0] <= now - self.window:
            self.events.popleft()
        wait = None
        if len(self.events) >= self.limit:
            wait = max(1.0, math.ceil(self.events[0] + self.window - now))
        else:
            self.events.append(now)
        reset = self.events[0] + self.window - now if self.events else 0.0
        headers = {
            "x-ratelimit-limit-requests": str(self.limit),
            "x-ratelimit-remaining-requests": str(self.limit - len(self.events)),
            "x-ratelimit-reset-requests": f"{max(reset, 0.0):.3f}s",
        }
        return wait, headers


@dataclass
class SimResult:
    ok: int
    rate_limited: int
    steady_fraction: float  # accepted / limit over the measured span
    max_window: int
    final_rpm: float | None

    @property
    def fraction_429(self) -> float:
        return self.rate_limited / max(1, self.ok + self.rate_limited)


def simulate(
    limit: int,
    *,
    configured: int | None,
    headers: bool,
    minutes: float = 10.0,
    measure_from: float = 120.0,
    window: float = 60.0,
    concurrency: int = 32,
    latency: tuple[float, float] = (0.2, 1.0),
    seed: int = 0,
) -> SimResult:
    """Workers against a sliding-window server, the way the runner drives the limiter."""
    rng = random.Random(seed)
    server = SlidingWindowServer(limit, window)
    ok_times: list[float] = []
    limited = [0]
    holder: list[RateLimiter] = []
    end = minutes * 60.0

    async def main(loop: VirtualLoop) -> None:
        limiter = virtual_limiter(loop, requests_per_minute=configured)
        holder.append(limiter)

        async def worker() -> None:
            attempt = 0
            while loop.time() < end:
                res = await limiter.acquire(200)
                await asyncio.sleep(rng.uniform(0.0, 0.02))  # on the wire
                wait, hdrs = server.handle(loop.time())
                arrived = loop.time()
                await asyncio.sleep(rng.uniform(*latency))
                if headers:
                    limiter.on_response_headers(hdrs)
                if wait is None:
                    ok_times.append(arrived)
                    limiter.on_success()
                    limiter.settle(res, 180)
                    attempt = 0
                else:
                    limited[0] += 1
                    limiter.on_rate_limited(wait)
                    limiter.settle(res, None)
                    attempt += 1
                    await asyncio.sleep(retry_delay(attempt, wait, rng))

        await asyncio.gather(*(worker() for _ in range(concurrency)))

    run_virtual(main)
    measured = [t for t in ok_times if measure_from <= t < end]
    per_second = limit / 60.0
    return SimResult(
        ok=len(ok_times),
        rate_limited=limited[0],
        steady_fraction=len(measured) / ((end - measure_from) * per_second),
        max_window=max_in_window(sorted(ok_times), window),
        final_rpm=holder[0].effective_rpm,
    )


def test_sim_known_limit_hits_95_percent_without_429s() -> None:
    r = simulate(1200, configured=1200, headers=True, minutes=5, measure_from=0.0)
    assert r.steady_fraction >= 0.95
    assert r.fraction_429 <= 0.01
    r = simulate(1200, configured=1200, headers=False, minutes=5, measure_from=0.0, seed=1)
    assert r.steady_fraction >= 0.95
    assert r.rate_limited == 0


# A limit the job was not told about: the pool cuts its rate only once 429s come in a run
# (a lone 429 among successes is an overloaded upstream, not a limit), so the first cuts
# cost a few more 429s than a known limit (which sees none). Measured: 1.5-2.5%.
HIDDEN_LIMIT_429_SHARE = 0.03


def test_sim_hidden_limit_without_headers_converges() -> None:
    # Only 429s and Retry-After to go on: AIMD.
    r = simulate(1200, configured=None, headers=False)
    assert r.steady_fraction >= 0.85
    assert r.fraction_429 <= HIDDEN_LIMIT_429_SHARE
    # It probes a little above the limit between runs of 429s (scattered ones cut nothing).
    assert r.final_rpm is not None and 0.8 * 1200 <= r.final_rpm <= 1.15 * 1200


def test_sim_hidden_limit_with_headers_converges() -> None:
    r = simulate(1200, configured=None, headers=True)
    assert r.steady_fraction >= 0.9
    assert r.fraction_429 <= HIDDEN_LIMIT_429_SHARE


@pytest.mark.parametrize("headers", [True, False])
@pytest.mark.parametrize("window", [1.0, 10.0])
def test_sim_hidden_short_window(headers: bool, window: float) -> None:
    # 600/min enforced per 1 s or 10 s window: the limit header reads "10" or "100".
    r = simulate(
        600,
        configured=None,
        headers=headers,
        minutes=5,
        measure_from=60.0,
        window=window,
        concurrency=16,
        latency=(0.05, 0.2),
    )
    assert r.steady_fraction >= 0.85
    assert r.fraction_429 <= HIDDEN_LIMIT_429_SHARE


def test_sim_is_deterministic() -> None:
    a = simulate(300, configured=None, headers=False, minutes=3, measure_from=60.0)
    b = simulate(300, configured=None, headers=False, minutes=3, measure_from=60.0)
    assert a == b
