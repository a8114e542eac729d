"""Retry policy: named constants plus pure functions, after openai-python.

Nothing here sleeps or sends; the runner asks `should_retry(error)` and then sleeps
`retry_delay(n, parse_retry_after(headers))` before attempt n + 1.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Mapping
from datetime import timezone
from email.utils import parsedate_to_datetime

from .errors import (
    APIConnectionError,
    APIError,
    APIResponseError,
    APIStatusError,
    AuthError,
    InsufficientBalance,
)

__all__ = [
    "INITIAL_RETRY_DELAY",
    "MAX_RETRY_AFTER",
    "MAX_RETRY_DELAY",
    "RETRYABLE_STATUSES",
    "parse_retry_after",
    "retry_delay",
    "should_retry",
]

INITIAL_RETRY_DELAY: float = 0.5  # seconds; the ceiling of the first retry's jitter
MAX_RETRY_DELAY: float = 20.0  # ceiling of our own backoff
MAX_RETRY_AFTER: float = 120.0  # a server's Retry-After is honoured up to this

# Timeout, lock conflict, rate limit; every 5xx is retried as well.
RETRYABLE_STATUSES: frozenset[int] = frozenset({408, 409, 429})


def should_retry(error: APIError) -> bool:
    """True when sending the same request again may succeed."""
    # Checked first: these subclass APIStatusError but must stop the run, not loop.
    if isinstance(error, (AuthError, InsufficientBalance)):
        return False
    if isinstance(error, APIStatusError):
        return error.status in RETRYABLE_STATUSES or error.status >= 500
    # No answer, or a 200 that was cut short / had no choices: transient in practice.
    return isinstance(error, (APIConnectionError, APIResponseError))


def _finite(value: str) -> float | None:
    try:
        number = float(value.strip())
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _clamp(seconds: float) -> float:
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def parse_retry_after(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds the server asked us to wait, or None if it did not say (or said garbage).

    `retry-after-ms` (OpenAI's, float milliseconds) wins over `retry-after`, which is
    seconds or an HTTP date. Negative means "now" (0); values are capped at MAX_RETRY_AFTER.
    """
    if not headers:
        return None
    # A plain dict is case-sensitive, httpx.Headers is not: normalise once.
    lowered = {key.lower(): value for key, value in headers.items()}

    raw_ms = lowered.get("retry-after-ms")
    if raw_ms is not None:
        ms = _finite(raw_ms)
        if ms is not None:
            return _clamp(ms / 1000.0)

    raw = lowered.get("retry-after")
    if raw is None:
        return None
    seconds = _finite(raw)
    if seconds is not None:
        return _clamp(seconds)
    try:
        when = parsedate_to_datetime(raw.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000" dates parse as naive; HTTP dates are GMT
        when = when.replace(tzinfo=timezone.utc)
    current = time.time() if now is None else now
    return _clamp(when.timestamp() - current)


def retry_delay(
    retry_number: int,
    retry_after: float | None = None,
    rng: random.Random | None = None,
) -> float:
    """Seconds to wait before retry `retry_number` (1 = the first retry).

    The server's word wins when given. Otherwise "full jitter": uniform over
    [0, min(MAX_RETRY_DELAY, INITIAL_RETRY_DELAY * 2**(n-1))], which spreads a pool of
    workers that failed together instead of sending them back in lockstep.
    """
    if retry_after is not None and math.isfinite(retry_after):
        return _clamp(retry_after)
    # Bound the exponent so a silly retry_number cannot overflow the float.
    exponent = min(max(retry_number, 1) - 1, 32)
    ceiling = min(MAX_RETRY_DELAY, INITIAL_RETRY_DELAY * (2.0**exponent))
    uniform = rng.uniform if rng is not None else random.uniform
    return uniform(0.0, ceiling)
