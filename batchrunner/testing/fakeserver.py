"""A fault-injecting OpenAI-compatible chat-completions server for tests and benchmarks.

In-process::

    with FakeServer(p_429=0.1, latency_ms=5) as srv:
        client = httpx.Client(base_url=srv.base_url)     # http://127.0.0.1:PORT/v1
        ...
        srv.stats()["by_status"]

As a process: ``python -m batchrunner.testing.fakeserver --port 0 --config JSON``
prints ``listening on http://127.0.0.1:PORT/v1`` and serves until SIGTERM/SIGINT;
``spawn_fakeserver(config)`` does that from Python.

Rows steer the server through directives in the latest user message that has any (see ``DIRECTIVES``):
``[[id:X]]`` ``[[reply:TEXT]]`` ``[[status:CODE]]`` ``[[fail_first:N:WHAT]]``
``[[sleep_ms:N]]`` ``[[reply_seq:A|B|C]]``. Order of decisions for a completion request:
auth (401) → balance (402) → body (400) → directive status / fail_first (directive or
``fail_first_n``) → server-side rpm/tpm limits (429) → random faults → delay → reply.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import re
import select
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import zlib
from collections import deque
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson
from aiohttp import web

from .fakeconfig import (
    DIRECTIVE_RE,
    DIRECTIVES,
    FakeServerConfig,
    load_config,
    message_key,
    parse_directives,
)
from .schema_instances import schema_instance

__all__ = [
    "DIRECTIVES",
    "FakeServer",
    "FakeServerConfig",
    "main",
    "message_key",
    "schema_instance",
    "spawn_fakeserver",
]

_WORD_RE = re.compile(r"\S+")
_NOISE = ("{l}", "  {T}!!", "Label: {l}.", "{U}", "The answer is {l}.", "{T}\n")
_BALANCE_MSG = "insufficient_balance: your credits ran out (top up at the dashboard)"
_ERRORS: dict[int, tuple[str, str, str]] = {
    400: ("invalid_request_error", "invalid_request", "Invalid request."),
    401: ("invalid_request_error", "invalid_api_key", "Incorrect API key provided"),
    402: ("insufficient_balance", "insufficient_balance", _BALANCE_MSG),
    403: (
        "permission_error",
        "permission_denied",
        "You are not allowed to use this model.",
    ),
    404: ("invalid_request_error", "not_found", "Not found."),
    408: ("timeout_error", "timeout", "Request timed out."),
    409: ("conflict_error", "conflict", "Conflict."),
    422: ("invalid_request_error", "unprocessable_entity", "Unprocessable entity."),
    429: (
        "requests",
        "rate_limit_exceeded",
        "Rate limit reached. Please try again later.",
    ),
    500: (
        "server_error",
        "internal_error",
        "The server had an error processing your request.",
    ),
    502: ("server_error", "bad_gateway", "Bad gateway."),
    503: ("server_error", "overloaded", "The engine is currently overloaded."),
    504: ("server_error", "gateway_timeout", "Gateway timeout."),
}
def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content parts
        return " ".join(p.get("text", "") for p in content if isinstance(p, dict))
    return "" if content is None else str(content)


def _fmt_duration(seconds: float) -> str:
    """Go-style duration as OpenAI sends it: "120ms", "1s", "6m0s", "1h2m3.5s"."""
    s = round(max(seconds, 0.0), 3)
    if s < 1:
        return f"{int(round(s * 1000))}ms" if s else "0s"
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    out = f"{int(h)}h" if h else ""
    if h or m:
        out += f"{int(m)}m"
    return out + (f"{sec:.3f}".rstrip("0").rstrip(".") or "0") + "s"


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


class _Window:
    """Sliding-window limiter: at most ``limit`` units per ``window`` seconds."""

    def __init__(self, per_minute: float, window: float) -> None:
        self.limit = max(1, math.floor(per_minute * window / 60.0))
        self.window = window
        self.events: deque[tuple[float, float]] = deque()
        self.used = 0.0

    def _prune(self, now: float) -> None:
        ev = self.events
        while ev and ev[0][0] <= now - self.window:
            self.used -= ev.popleft()[1]

    def acquire(self, now: float, cost: float) -> float | None:
        """Take ``cost`` units; None if granted, else seconds until it would fit."""
        self._prune(now)
        if self.used > 0 and self.used + cost > self.limit:
            freed, wait = self.used, 0.0
            for t, c in self.events:
                freed -= c
                wait = t + self.window - now
                if freed + cost <= self.limit:
                    break
            return max(wait, 0.001)
        self.events.append((now, cost))
        self.used += cost
        return None

    def headers(self, now: float, kind: str, h: dict[str, str]) -> None:
        reset = self.events[0][0] + self.window - now if self.events else 0.0
        h[f"x-ratelimit-limit-{kind}"] = str(self.limit)
        h[f"x-ratelimit-remaining-{kind}"] = str(max(0, int(self.limit - self.used)))
        h[f"x-ratelimit-reset-{kind}"] = _fmt_duration(reset)


class _Backend:
    """Server state plus the aiohttp low-level request handler (one event loop)."""

    def __init__(self, config: FakeServerConfig) -> None:
        self.config = config
        self.reset()

    def configure(self, updates: Mapping[str, Any]) -> FakeServerConfig:
        new = self.config.merged(updates)
        old, self.config = self.config, new
        if new.seed != old.seed:
            self.rng = random.Random(new.seed)
        if (new.rpm, new.tpm, new.limit_window_s) != (
            old.rpm,
            old.tpm,
            old.limit_window_s,
        ):
            self._make_limits()
        if new.keep_bodies != old.keep_bodies:
            self.bodies: deque[Any] = deque(self.bodies, maxlen=new.keep_bodies)
        return new

    def reset(self) -> None:
        """Clear stats, per-key counters and limiter windows; reseed the faults."""
        self.rng = random.Random(self.config.seed)
        self.requests = self.ok = self.in_flight = self.max_in_flight = 0
        self.by_status: dict[str, int] = {}
        self.keys: dict[str, list[int]] = {}
        self.bodies = deque(maxlen=self.config.keep_bodies)
        self._make_limits()

    def _make_limits(self) -> None:
        c = self.config
        self.rpm = _Window(c.rpm, c.limit_window_s) if c.rpm is not None else None
        self.tpm = _Window(c.tpm, c.limit_window_s) if c.tpm is not None else None

    def stats(self) -> dict[str, Any]:
        per_key = (
            {k: {"requests": v[0], "ok": v[1]} for k, v in self.keys.items()}
            if self.config.track_keys
            else {}
        )
        return {
            "requests": self.requests,
            "by_status": dict(self.by_status),
            "ok": self.ok,
            "per_key": per_key,
            "max_in_flight": self.max_in_flight,
            "in_flight": self.in_flight,
            "bodies": list(self.bodies),
        }

    # ---- HTTP -------------------------------------------------------------------

    async def handle(self, request: web.BaseRequest) -> web.StreamResponse:
        path, method = request.path, request.method
        if path in ("/v1/chat/completions", "/chat/completions"):
            if method != "POST":
                return _error(405, "Use POST.", {})
            self.requests += 1
            self.in_flight += 1
            if self.in_flight > self.max_in_flight:
                self.max_in_flight = self.in_flight
            try:
                return await self._completion(request, self.requests)
            finally:
                self.in_flight -= 1
        if path in ("/v1/models", "/models") and method == "GET":
            if (denied := self._auth(request)) is not None:
                return denied
            data = [
                {"id": m, "object": "model", "created": 0, "owned_by": "batchrunner"}
                for m in self.config.models
            ]
            return _json({"object": "list", "data": data})
        if path == "/health":
            return _json({"status": "ok"})
        if path == "/_stats":
            return _json(self.stats())
        if path == "/_reset" and method == "POST":
            self.reset()
            return _json({"reset": True})
        if path == "/_config":
            if method == "POST":
                try:
                    updates = orjson.loads(await request.read() or b"{}")
                    if not isinstance(updates, dict):
                        raise ValueError("expected a JSON object")
                    self.configure(updates)
                except (ValueError, TypeError) as exc:
                    return _error(400, str(exc), {})
            return _json(self.config.to_dict())
        return _error(404, f"No route for {method} {path}.", {})

    def _auth(self, request: web.BaseRequest) -> web.Response | None:
        key = self.config.api_key
        if key is not None and request.headers.get("Authorization") != f"Bearer {key}":
            return _error(401, _ERRORS[401][2], {})
        return None

    def _record(self, label: str, rec: list[int] | None, ok: bool) -> None:
        self.by_status[label] = self.by_status.get(label, 0) + 1
        if ok:
            self.ok += 1
            if rec is not None:
                rec[1] += 1

    async def _completion(self, request: web.BaseRequest, n: int) -> web.StreamResponse:
        cfg = self.config
        hdrs = {"x-request-id": f"req_{n}"}
        if (denied := self._auth(request)) is not None:
            denied.headers.update(hdrs)
            self._record("401", None, False)
            return denied
        if cfg.insufficient_balance:
            self._record("402", None, False)
            return _error(402, _BALANCE_MSG, hdrs)
        raw = await request.read()
        try:
            body = orjson.loads(raw)
            messages = body.get("messages") if isinstance(body, dict) else None
            if not isinstance(messages, list) or not messages:
                raise ValueError("'messages' must be a non-empty list")
            users = [i for i, m in enumerate(messages) if m.get("role") == "user"]
            at = users[-1] if users else len(messages) - 1
            # A follow-up turn (a parse re-ask) keeps the directives of the row's own
            # earlier message, and its key, so [[reply_seq]] counts across the turns.
            at = next(
                (i for i in reversed(users) if "[[" in _text(messages[i].get("content"))), at
            )
            text = _text(messages[at].get("content"))
            d = parse_directives(text) if "[[" in text else {}
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            self._record("400", None, False)
            if cfg.keep_bodies:
                self.bodies.append(raw.decode("utf-8", "replace"))
            return _error(400, f"Invalid request body: {exc}", hdrs)
        if cfg.keep_bodies:
            self.bodies.append(body)

        key = d.get("id") or message_key(messages[: at + 1] if d else messages)
        rec = None
        k = 1
        if cfg.track_keys or cfg.fail_first_n or "fail_first" in d or "reply_seq" in d:
            rec = self.keys.get(key)
            if rec is None:
                rec = self.keys[key] = [0, 0]
            rec[0] += 1
            k = rec[0]

        fail: int | str | None = None
        if "status" in d:
            fail = d["status"]
        elif "fail_first" in d:
            if k <= d["fail_first"][0]:
                fail = d["fail_first"][1]
        elif cfg.fail_first_n and k <= cfg.fail_first_n:
            fail = cfg.fail_first_status

        reply = self._reply(body, text, d, k)
        mt = body.get("max_completion_tokens")
        if mt is None:
            mt = body.get("max_tokens")
        finish = "stop"
        if isinstance(mt, int) and not isinstance(mt, bool) and mt >= 0:
            words = list(_WORD_RE.finditer(reply))
            if len(words) > mt:
                reply = reply[: words[mt - 1].end()] if mt else ""
                finish = "length"
        finish = cfg.finish_reason_override or finish
        prompt_tokens = sum(len(_text(m.get("content")).split()) + 4 for m in messages)
        completion_tokens = max(1, len(reply.split()))

        now = time.monotonic()
        if fail is None and (self.rpm is not None or self.tpm is not None):
            cost = prompt_tokens + (mt if isinstance(mt, int) else completion_tokens)
            wait = self.rpm.acquire(now, 1) if self.rpm is not None else None
            kind = "requests"
            if wait is None and self.tpm is not None:
                wait, kind = self.tpm.acquire(now, cost), "tokens"
                if (
                    wait is not None and self.rpm is not None
                ):  # give the request slot back
                    self.rpm.events.pop()
                    self.rpm.used -= 1
            self._limit_headers(now, hdrs)
            if wait is not None:
                hdrs["Retry-After"] = str(max(1, math.ceil(wait)))
                self._record("429", rec, False)
                return _error(
                    429,
                    f"Rate limit reached on {kind}. Please try again in "
                    f"{_fmt_duration(wait)}.",
                    hdrs,
                    etype=kind,
                )
        elif self.rpm is not None or self.tpm is not None:
            self._limit_headers(now, hdrs)

        rng = self.rng
        if fail is None:
            if cfg.p_drop and rng.random() < cfg.p_drop:
                fail = "drop"
            elif cfg.p_429 and rng.random() < cfg.p_429:
                fail = 429
            elif cfg.p_503 and rng.random() < cfg.p_503:
                fail = 503
            elif cfg.p_500 and rng.random() < cfg.p_500:
                fail = 500
            elif cfg.p_malformed and rng.random() < cfg.p_malformed:
                fail = "malformed"
        stream = bool(body.get("stream"))
        if (
            stream
            and fail is None
            and cfg.p_stream_cut
            and rng.random() < cfg.p_stream_cut
        ):
            fail = "cut"

        delay = cfg.latency_ms + d.get("sleep_ms", 0)
        if cfg.jitter_ms:
            delay += rng.uniform(0, cfg.jitter_ms)
        if cfg.p_slow and rng.random() < cfg.p_slow:
            delay += cfg.slow_ms
        if delay > 0:
            await asyncio.sleep(delay / 1000.0)

        if fail == "drop":
            self._record("drop", rec, False)
            if request.transport is not None:
                request.transport.close()
            return web.Response(status=500)  # never reaches the client
        if isinstance(fail, int):
            self._record(str(fail), rec, False)
            if fail == 429:
                hdrs["Retry-After"] = _num(cfg.retry_after_s)
                if cfg.retry_after_ms is not None:
                    hdrs["retry-after-ms"] = _num(cfg.retry_after_ms)
            return _error(fail, _ERRORS.get(fail, ("", "", f"Error {fail}."))[2], hdrs)

        model = body.get("model") or cfg.models[0]
        usage: dict[str, Any] | None = None
        if cfg.report_usage:
            usage = {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
                "prompt_tokens_details": {"cached_tokens": cfg.cached_tokens},
                "completion_tokens_details": {"reasoning_tokens": cfg.reasoning_tokens},
            }
        base = {"id": f"chatcmpl-{n}", "created": int(time.time()), "model": model}
        if stream:
            so = body.get("stream_options")
            with_usage = isinstance(so, dict) and bool(so.get("include_usage"))
            return await self._stream(
                request,
                base,
                reply,
                finish,
                usage if with_usage else None,
                hdrs,
                fail == "cut",
                rec,
            )
        out = {
            "id": base["id"],
            "object": "chat.completion",
            "created": base["created"],
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": reply},
                    "logprobs": None,
                    "finish_reason": finish,
                }
            ],
        }
        if usage is not None:
            out["usage"] = usage
        data = orjson.dumps(out)
        if fail is not None:  # malformed, or cut on a non-streaming request
            self._record("200", rec, False)
            data = data[: len(data) // 2]
        else:
            self._record("200", rec, True)
        return web.Response(body=data, content_type="application/json", headers=hdrs)

    def _limit_headers(self, now: float, hdrs: dict[str, str]) -> None:
        if self.rpm is not None:
            self.rpm.headers(now, "requests", hdrs)
        if self.tpm is not None:
            self.tpm.headers(now, "tokens", hdrs)

    def _reply(self, body: dict[str, Any], text: str, d: dict[str, Any], k: int) -> str:
        cfg = self.config
        if "reply" in d:
            return d["reply"]
        if "reply_seq" in d:
            seq = d["reply_seq"]
            return seq[min(k, len(seq)) - 1]
        rf = body.get("response_format")
        if isinstance(rf, dict):
            if rf.get("type") == "json_schema":
                js = rf.get("json_schema") or {}
                schema = js.get("schema", {}) if isinstance(js, dict) else {}
                return orjson.dumps(schema_instance(schema)).decode()
            if rf.get("type") == "json_object":
                return orjson.dumps(cfg.json_reply).decode()
        mode = cfg.reply_mode
        if mode == "label":
            h = zlib.crc32(text.encode("utf-8", "replace"))
            label = str(cfg.labels[h % len(cfg.labels)])
            if not cfg.label_noise:
                return label
            tpl = _NOISE[(h >> 8) % len(_NOISE)]
            return tpl.format(l=label.lower(), T=label.capitalize(), U=label.upper())
        if mode == "echo":
            return DIRECTIVE_RE.sub("", text).strip() if d else text
        if mode == "fixed":
            return cfg.reply_text
        return orjson.dumps(cfg.json_reply).decode()

    async def _stream(
        self,
        request: web.BaseRequest,
        base: dict[str, Any],
        reply: str,
        finish: str,
        usage: dict[str, Any] | None,
        hdrs: dict[str, str],
        cut: bool,
        rec: list[int] | None,
    ) -> web.StreamResponse:
        resp = web.StreamResponse(
            headers={
                **hdrs,
                "Content-Type": "text/event-stream",
                "Cache-Control": "no-cache",
            }
        )
        await resp.prepare(request)

        def event(choices: list[Any], extra: dict[str, Any] | None = None) -> bytes:
            obj = {
                "id": base["id"],
                "object": "chat.completion.chunk",
                "created": base["created"],
                "model": base["model"],
                "choices": choices,
            }
            if extra:
                obj.update(extra)
            return b"data: " + orjson.dumps(obj) + b"\n\n"

        def delta(d: dict[str, Any], fr: str | None = None) -> bytes:
            return event(
                [{"index": 0, "delta": d, "logprobs": None, "finish_reason": fr}]
            )

        n = 2 if len(reply) < 8 else 3 if len(reply) < 32 else 4
        size = len(reply)
        pieces = [reply[i * size // n : (i + 1) * size // n] for i in range(n)]
        self._record("200", rec, not cut)
        try:
            await resp.write(delta({"role": "assistant", "content": ""}))
            if cut:
                await resp.write(delta({"content": pieces[0]}))
                if (
                    self.config.stream_cut_mode == "abort"
                    and request.transport is not None
                ):
                    request.transport.close()
                else:
                    await resp.write_eof()
                return resp
            for p in pieces:
                await resp.write(delta({"content": p}))
            await resp.write(delta({}, finish))
            if usage is not None:
                await resp.write(event([], {"usage": usage}))
            await resp.write(b"data: [DONE]\n\n")
            await resp.write_eof()
        except ConnectionError:
            pass
        return resp


def _json(obj: Any, status: int = 200) -> web.Response:
    return web.Response(
        body=orjson.dumps(obj), status=status, content_type="application/json"
    )


def _error(
    status: int, message: str, headers: dict[str, str], etype: str | None = None
) -> web.Response:
    t, code, _ = _ERRORS.get(
        status,
        (
            "server_error" if status >= 500 else "invalid_request_error",
            f"http_{status}",
            "",
        ),
    )
    err = {
        "error": {"message": message, "type": etype or t, "param": None, "code": code}
    }
    return web.Response(
        body=orjson.dumps(err),
        status=status,
        content_type="application/json",
        headers=headers,
    )


def _new_loop() -> asyncio.AbstractEventLoop:
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


def _bind(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    return sock


async def _start_site(backend: _Backend, sock: socket.socket, ssl_context: ssl.SSLContext | None = None
                      ) -> web.ServerRunner:
    server = web.Server(backend.handle, access_log=None)
    runner = web.ServerRunner(server, shutdown_timeout=0.5)
    await runner.setup()
    await web.SockSite(runner, sock, backlog=2048, ssl_context=ssl_context).start()
    return runner


async def _drain(loop: asyncio.AbstractEventLoop) -> None:
    tasks = [t for t in asyncio.all_tasks(loop) if t is not asyncio.current_task()]
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


class FakeServer:
    """The fake server on its own event loop in a background thread on 127.0.0.1."""

    def __init__(
        self, config: FakeServerConfig | None = None, *, port: int = 0,
        ssl_context: ssl.SSLContext | None = None, **overrides: Any
    ) -> None:
        cfg = config or FakeServerConfig()
        self._backend = _Backend(cfg.merged(overrides) if overrides else cfg)
        self._want_port = port
        self._ssl = ssl_context  # serve https (tests of the clients' certificate checks)
        self.port: int | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.ServerRunner | None = None

    @property
    def base_url(self) -> str:
        if self.port is None:
            raise RuntimeError("FakeServer is not started")
        return f"{'https' if self._ssl else 'http'}://127.0.0.1:{self.port}/v1"

    @property
    def config(self) -> FakeServerConfig:
        return self._backend.config

    def start(self) -> str:
        """Start serving (idempotent); return ``http://127.0.0.1:PORT/v1``."""
        if self._thread is not None:
            return self.base_url
        sock = _bind("127.0.0.1", self._want_port)
        self.port = sock.getsockname()[1]
        loop = self._loop = _new_loop()
        ready = threading.Event()
        errors: list[BaseException] = []

        def run() -> None:
            asyncio.set_event_loop(loop)
            try:
                self._runner = loop.run_until_complete(_start_site(self._backend, sock, self._ssl))
            except BaseException as exc:  # reported to start()
                errors.append(exc)
                sock.close()
                loop.close()
                ready.set()
                return
            ready.set()
            try:
                loop.run_forever()
            finally:
                loop.run_until_complete(_drain(loop))
                loop.run_until_complete(loop.shutdown_asyncgens())
                loop.close()

        self._thread = threading.Thread(target=run, name="fakeserver", daemon=True)
        self._thread.start()
        ready.wait()
        if errors:
            self._thread.join()
            self._thread = None
            raise RuntimeError(
                f"FakeServer failed to start: {errors[0]!r}"
            ) from errors[0]
        return self.base_url

    def _call(self, fn: Any, *args: Any) -> Any:
        loop = self._loop
        if self._thread is None or loop is None:
            return fn(*args)

        async def call() -> Any:
            return fn(*args)

        return asyncio.run_coroutine_threadsafe(call(), loop).result(timeout=10)

    def stats(self) -> dict[str, Any]:
        """A snapshot of ``GET /_stats``."""
        return self._call(self._backend.stats)

    def configure(self, **updates: Any) -> FakeServerConfig:
        """Merge ``updates`` into the live config (``ValueError`` on unknown keys)."""
        return self._call(self._backend.configure, updates)

    def reset(self) -> None:
        """Clear stats, per-key counters and limiter windows; reseed the faults."""
        self._call(self._backend.reset)

    def stop(self) -> None:
        thread, loop, runner = self._thread, self._loop, self._runner
        if thread is None or loop is None:
            return
        if runner is not None:
            asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        self._thread = self._loop = self._runner = None

    def __enter__(self) -> FakeServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


async def _serve(
    config: FakeServerConfig, host: str, port: int, port_file: str | None
) -> None:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    sock = _bind(host, port)
    runner = await _start_site(_Backend(config), sock)
    real_port = sock.getsockname()[1]
    if port_file:
        tmp = f"{port_file}.tmp"
        Path(tmp).write_text(f"{real_port}\n")
        os.replace(tmp, port_file)
    sys.stdout.write(f"listening on http://{host}:{real_port}/v1\n")
    sys.stdout.flush()
    await stop.wait()
    await runner.cleanup()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m batchrunner.testing.fakeserver",
        description="Fault-injecting OpenAI-compatible test server.",
    )
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0, help="0 picks a free port")
    ap.add_argument("--config", help="JSON object, or @path to a JSON file")
    ap.add_argument(
        "--port-file", help="write the port number to this file once listening"
    )
    args = ap.parse_args(argv)
    try:
        config = load_config(args.config)
    except (ValueError, OSError) as exc:
        ap.error(f"--config: {exc}")
    loop = _new_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(_serve(config, args.host, args.port, args.port_file))
    finally:
        loop.run_until_complete(_drain(loop))
        loop.close()
    return 0


def spawn_fakeserver(
    config: Mapping[str, Any] | None = None, *, timeout: float = 15.0
) -> tuple[subprocess.Popen[bytes], str]:
    """Start the server in a subprocess; return ``(proc, base_url)`` once it listens.

    The caller stops it with ``proc.terminate(); proc.wait()``.
    """
    root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = root + (
        os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else ""
    )
    cmd = [sys.executable, "-m", "batchrunner.testing.fakeserver", "--port", "0"]
    if config:
        cmd += ["--config", orjson.dumps(dict(config)).decode()]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env
    )
    assert proc.stdout is not None
    fd, buf = proc.stdout.fileno(), b""
    deadline = time.monotonic() + timeout
    try:
        while b"\n" not in buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"fakeserver did not start within {timeout:g} s")
            if select.select([fd], [], [], left)[0]:
                chunk = os.read(fd, 4096)
                if not chunk:
                    raise RuntimeError(f"fakeserver exited early (code {proc.wait()})")
                buf += chunk
    except BaseException:
        proc.kill()
        proc.wait()
        proc.stdout.close()
        raise
    proc.stdout.close()
    line = buf.split(b"\n", 1)[0].decode()
    return proc, line.rsplit(" ", 1)[-1]


if __name__ == "__main__":
    sys.exit(main())
