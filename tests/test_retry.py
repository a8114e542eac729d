"""Retry policy as a table: which errors retry, what Retry-After means, how long to wait."""

from __future__ import annotations

import random
from email.utils import formatdate

import pytest

from batchrunner.errors import (
    APIConnectionError,
    APIError,
    APIResponseError,
    APIStatusError,
    APITimeoutError,
    AuthError,
    InsufficientBalance,
    RateLimitError,
)
from batchrunner.retry import (
    INITIAL_RETRY_DELAY,
    MAX_RETRY_AFTER,
    MAX_RETRY_DELAY,
    parse_retry_after,
    retry_delay,
    should_retry,
)

NOW = 1_750_000_000.0  # a fixed "now" for HTTP dates


def status(code: int) -> APIStatusError:
    return APIStatusError(f"HTTP {code}", status=code)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (status(408), True),
        (status(409), True),
        (status(429), True),
        (RateLimitError("slow down", status=429), True),
        (status(500), True),
        (status(502), True),
        (status(503), True),
        (status(504), True),
        (status(599), True),
        (status(400), False),
        (status(404), False),
        (status(413), False),
        (status(422), False),
        (status(401), False),
        (status(402), False),
        (AuthError("bad key", status=401), False),
        (AuthError("forbidden", status=403), False),
        (InsufficientBalance("out of credits", status=402), False),
        (APIConnectionError("connection reset"), True),
        (APITimeoutError("no answer in 60 s"), True),
        (APIResponseError("200 with no choices"), True),
        (APIError("something else"), False),
    ],
    ids=lambda v: (
        type(v).__name__ + (f"-{v.status}" if isinstance(v, APIStatusError) else "")
        if isinstance(v, APIError)
        else str(v)
    ),
)
def test_should_retry(error: APIError, expected: bool) -> None:
    assert should_retry(error) is expected


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({}, None),
        ({"content-type": "application/json"}, None),
        ({"retry-after": "3"}, 3.0),
        ({"Retry-After": "2.5"}, 2.5),
        ({"RETRY-AFTER": " 7 "}, 7.0),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"Retry-After-Ms": "20"}, 0.02),
        ({"retry-after-ms": "250", "retry-after": "9"}, 0.25),  # ms wins
        ({"retry-after-ms": "soon", "retry-after": "9"}, 9.0),  # garbage ms: fall through
        ({"retry-after": "-4"}, 0.0),
        ({"retry-after-ms": "-100"}, 0.0),
        ({"retry-after": "100000"}, MAX_RETRY_AFTER),
        ({"retry-after-ms": "1e9"}, MAX_RETRY_AFTER),
        ({"retry-after": formatdate(NOW + 30, usegmt=True)}, 30.0),
        ({"retry-after": formatdate(NOW - 30, usegmt=True)}, 0.0),  # in the past
        ({"retry-after": formatdate(NOW + 3600, usegmt=True)}, MAX_RETRY_AFTER),
        ({"retry-after": "Wed, 21 Oct 2015 07:28:00 -0000"}, 0.0),  # naive date, long ago
        ({"retry-after": "tomorrow"}, None),
        ({"retry-after": ""}, None),
        ({"retry-after": "nan"}, None),
        ({"retry-after": "inf"}, None),
    ],
)
def test_parse_retry_after(headers: dict[str, str], seconds: float | None) -> None:
    got = parse_retry_after(headers, now=NOW)
    if seconds is None:
        assert got is None
    else:
        assert got == pytest.approx(seconds, abs=1e-6)


def test_parse_retry_after_accepts_httpx_headers() -> None:
    httpx = pytest.importorskip("httpx")
    assert parse_retry_after(httpx.Headers({"Retry-After": "4"})) == 4.0


def test_parse_retry_after_date_defaults_to_wall_clock() -> None:
    import time

    got = parse_retry_after({"retry-after": formatdate(time.time() + 60, usegmt=True)})
    assert got is not None and 55 <= got <= 60


@pytest.mark.parametrize(
    ("retry_after", "expected"),
    [(0.0, 0.0), (3.5, 3.5), (-1.0, 0.0), (1e6, MAX_RETRY_AFTER), (MAX_RETRY_AFTER, MAX_RETRY_AFTER)],
)
def test_server_retry_after_wins(retry_after: float, expected: float) -> None:
    for n in (1, 5, 50):
        assert retry_delay(n, retry_after) == expected


def test_retry_after_nan_falls_back_to_backoff() -> None:
    assert 0.0 <= retry_delay(1, float("nan"), random.Random(1)) <= INITIAL_RETRY_DELAY


@pytest.mark.parametrize(
    ("retry_number", "ceiling"),
    [
        (0, INITIAL_RETRY_DELAY),  # nonsense input is treated as the first retry
        (1, 0.5),
        (2, 1.0),
        (3, 2.0),
        (4, 4.0),
        (5, 8.0),
        (6, 16.0),
        (7, MAX_RETRY_DELAY),
        (30, MAX_RETRY_DELAY),
        (10_000, MAX_RETRY_DELAY),
    ],
)
def test_backoff_full_jitter_bounds(retry_number: int, ceiling: float) -> None:
    delays = [retry_delay(retry_number, rng=random.Random(seed)) for seed in range(500)]
    assert all(0.0 <= d <= ceiling for d in delays)
    # Full jitter really spreads: the draws cover most of [0, ceiling].
    assert min(delays) < 0.1 * ceiling
    assert max(delays) > 0.9 * ceiling


def test_backoff_ceiling_is_monotone_and_capped() -> None:
    rng = random.Random(7)
    maxima = [max(retry_delay(n, rng=rng) for _ in range(300)) for n in range(1, 12)]
    pairs = zip(maxima, maxima[1:], strict=False)
    assert all(a <= b + 1e-9 or b > 0.9 * MAX_RETRY_DELAY for a, b in pairs)
    assert max(maxima) <= MAX_RETRY_DELAY


def test_backoff_is_reproducible_with_a_seeded_rng() -> None:
    a = [retry_delay(n, rng=random.Random(3)) for n in range(1, 8)]
    b = [retry_delay(n, rng=random.Random(3)) for n in range(1, 8)]
    assert a == b
    assert 0.0 <= retry_delay(3) <= 2.0  # module-level random when no rng is given
