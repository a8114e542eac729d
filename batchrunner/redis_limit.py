"""One rate budget shared by every shard of a job: `run.rate_limit: {backend: redis, url: redis://...}`.

Each request takes the next free slot of a shared schedule kept in Redis (GCRA "virtual
scheduling", one Lua script, Redis' own clock): the slot starts when the previous request's
share of the window is over, so all shards together pace at SAFETY x requests_per_minute and
tokens_per_minute with no burst. A request sleeps until its slot; nothing polls. Tokens are
reserved at the estimate and the difference to the real usage is refunded with the next call.

A 429 seen by one shard sets a shared pause (its Retry-After) that every shard's next slot
waits out; a slot granted before the pause re-checks it after its sleep.

Keys are `batchrunner:rate:<sha256(base_url, key)[:32]>:{req,tok,pause}`: the API key itself
never reaches Redis. Jobs sharing a key share the schedule; give them the same limits. If Redis
goes away mid-run the shard falls back to its local share (limits / run.parallel_shards).
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from .errors import EndpointError, SpecError
from .ratelimit import DEFAULT_PAUSE, MAX_PAUSE, SAFETY, RateLimiter, Reservation

__all__ = ["SharedRateLimiter", "budget_key", "redact_url"]

KEY_PREFIX = "batchrunner:rate:"
CONNECT_TIMEOUT_S = 5.0

# KEYS: request schedule, token schedule, pause. ARGV: request interval (us; 0 = no request
# limit), this request's token interval (us; 0 = none), token refund (us; negative charges),
# pause to set (ms).
# Returns how long (us) the caller waits for its slot. Times are Redis' clock in microseconds.
_SCHEDULE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local inc_r, inc_t = tonumber(ARGV[1]), tonumber(ARGV[2])
local refund, pause_ms = tonumber(ARGV[3]), tonumber(ARGV[4])
if pause_ms > 0 and redis.call('PTTL', KEYS[3]) < pause_ms then
  redis.call('SET', KEYS[3], '1', 'PX', pause_ms)
end
local function put(key, tat)
  redis.call('SET', key, string.format('%.0f', tat), 'PX', math.floor((tat - now) / 1000) + 60000)
end
local tat_t = tonumber(redis.call('GET', KEYS[2]) or '0')
if refund ~= 0 then
  tat_t = math.max(now, math.max(now, tat_t) - refund)
  if inc_t == 0 then put(KEYS[2], tat_t) end
end
if inc_r == 0 and inc_t == 0 then return 0 end
local start = now
local left = redis.call('PTTL', KEYS[3])
if left > 0 then start = now + left * 1000 end
local tat_r = tonumber(redis.call('GET', KEYS[1]) or '0')
if inc_r > 0 and tat_r > start then start = tat_r end
if inc_t > 0 and tat_t > start then start = tat_t end
if inc_r > 0 then put(KEYS[1], start + inc_r) end
if inc_t > 0 then put(KEYS[2], start + inc_t) end
return math.floor(start - now)
"""


def budget_key(base_url: str, api_key: str | None) -> str:
    """The Redis key prefix of one endpoint + key's budget (a hash; never the key)."""
    digest = hashlib.sha256(f"{base_url.rstrip('/')}\n{api_key or ''}".encode()).hexdigest()[:32]
    return KEY_PREFIX + digest


def redact_url(url: str) -> str:
    """redis://user:secret@host/0 -> redis://user:***@host/0, for messages."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(unparsable URL)"
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def _interval_us(per_minute: float | None) -> float:
    """Microseconds one unit occupies at SAFETY x per_minute; 0 = no limit."""
    if per_minute is None:
        return 0.0
    return 60e6 / (SAFETY * per_minute)


class SharedRateLimiter(RateLimiter):
    """RateLimiter's interface over a schedule in Redis shared by every shard of the job."""

    def __init__(
        self,
        url: str,
        base_url: str,
        api_key: str | None,
        requests_per_minute: float | None = None,
        tokens_per_minute: float | None = None,
        *,
        share: int = 1,
        log: Callable[[str], None] = lambda s: None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        check: bool = True,
    ) -> None:
        super().__init__(None, None, adaptive=False)  # the local state stays idle
        try:
            import redis
            import redis.asyncio as aioredis
        except ImportError:
            raise SpecError("run.rate_limit: the Redis backend needs the redis client; "
                            "pip install 'batchrunner[redis]'") from None
        self.url = url
        self._log = log
        self._sleep_fn = sleep
        self._errors: tuple[type[BaseException], ...] = (redis.RedisError, OSError, asyncio.TimeoutError)
        try:
            if check:  # a wrong URL or a Redis that is down is exit 2 before anything is sent
                probe = redis.Redis.from_url(url, socket_connect_timeout=CONNECT_TIMEOUT_S,
                                             socket_timeout=CONNECT_TIMEOUT_S)
                try:
                    probe.ping()
                finally:
                    probe.close()
            self._redis: Any = aioredis.Redis.from_url(url, socket_connect_timeout=CONNECT_TIMEOUT_S,
                                                       socket_timeout=CONNECT_TIMEOUT_S)
        except ValueError as exc:
            raise SpecError(f"run.rate_limit.url: {redact_url(url)} is not a Redis URL ({exc})") from None
        except self._errors as exc:
            raise EndpointError(f"run.rate_limit.url: cannot reach Redis at {redact_url(url)} ({exc}); "
                                "start it, or remove run.rate_limit to split the limits across shards") from None
        self._script = self._redis.register_script(_SCHEDULE)
        prefix = budget_key(base_url, api_key)
        self._keys = [f"{prefix}:req", f"{prefix}:tok", f"{prefix}:pause"]
        self._req_us = _interval_us(requests_per_minute)
        self._tok_us = _interval_us(tokens_per_minute)
        self._refund_us = 0.0
        self._tasks: set[asyncio.Task[None]] = set()
        self._told_429 = False
        share = max(1, share)
        self._fallback = RateLimiter(None if requests_per_minute is None else requests_per_minute / share,
                                     None if tokens_per_minute is None else tokens_per_minute / share)
        self._broken = False

    # ------------------------------------------------------------------ the shared schedule

    async def _schedule(self, tokens: int) -> float:
        """Take the next slot for one request of `tokens`; seconds until it starts."""
        inc_t = round(self._tok_us * tokens) if self._tok_us else 0
        if self._tok_us and inc_t == 0:
            inc_t = 1  # a zero-token estimate still takes a place in the token schedule
        refund, self._refund_us = round(self._refund_us), 0.0
        waited = await self._script(keys=self._keys, args=[round(self._req_us), inc_t, refund, 0])
        return max(0, int(waited)) / 1e6

    async def acquire(self, estimated_tokens: int) -> Reservation:
        if not self._broken:
            try:
                while True:
                    delay = await self._schedule(estimated_tokens)
                    if delay <= 0:
                        break
                    await self._sleep_fn(delay)
                    left = await self._redis.pttl(self._keys[2])
                    if left is None or left <= 0:
                        break
                    # Another shard got a 429 while this slot waited: queue again behind the pause.
                return Reservation(estimated_tokens, time.monotonic())
            except self._errors as exc:
                self._fall_back(exc)
        return await self._fallback.acquire(estimated_tokens)

    def settle(self, reservation: Reservation, actual_tokens: int | None) -> None:
        if self._broken:
            self._fallback.settle(reservation, actual_tokens)
            return
        reservation.settled = True
        if actual_tokens is None or actual_tokens == reservation.tokens or not self._tok_us:
            return
        # Refunded (or charged, if negative) with the next schedule call: no extra round trip.
        self._refund_us += (reservation.tokens - actual_tokens) * self._tok_us
        reservation.tokens = actual_tokens

    def on_rate_limited(self, retry_after: float | None, *, reservation: Reservation | None = None) -> None:
        """Every shard waits out the Retry-After this one was given."""
        if self._broken:
            self._fallback.on_rate_limited(retry_after, reservation=reservation)
            return
        if retry_after is None or not math.isfinite(retry_after) or retry_after < 0:
            pause = DEFAULT_PAUSE
        else:
            pause = min(retry_after, MAX_PAUSE)
        if not self._told_429:
            self._told_429 = True
            self._log("the endpoint answered 429 under the shared rate budget; all shards pause for its Retry-After "
                      "(if this repeats, run.requests_per_minute / tokens_per_minute is above the key's real limit)")
        task = asyncio.get_running_loop().create_task(self._set_pause(max(1, round(pause * 1000))))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _set_pause(self, pause_ms: int) -> None:
        try:
            await self._script(keys=self._keys, args=[0, 0, 0, pause_ms])
        except self._errors as exc:
            self._fall_back(exc)

    def on_success(self) -> None:
        if self._broken:
            self._fallback.on_success()

    def on_response_headers(self, headers: Mapping[str, str]) -> None:
        if self._broken:
            self._fallback.on_response_headers(headers)

    def _fall_back(self, exc: BaseException) -> None:
        if not self._broken:
            self._broken = True
            self._log(f"shared rate limit: Redis at {redact_url(self.url)} failed ({exc}); this shard goes on "
                      "with its own share of the limits")

    async def aclose(self) -> None:
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if abs(self._refund_us) >= 1 and not self._broken:
            try:
                await self._script(keys=self._keys, args=[0, 0, round(self._refund_us), 0])
            except self._errors:
                pass
        await self._redis.aclose()

    @property
    def effective_rpm(self) -> float | None:
        return 60e6 / self._req_us if self._req_us else None

    @property
    def effective_tpm(self) -> float | None:
        return 60e6 / self._tok_us if self._tok_us else None
