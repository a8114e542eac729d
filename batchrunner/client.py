"""One chat-completion request, one attempt: bytes out, a `Completion` or an `APIError` back.

The HTTP stack sits behind a two-method backend. Real runs use pyreqwest (reqwest, in Rust,
on its own threads), or aiohttp when BATCHRUNNER_HTTP=aiohttp; tests can inject an
`httpx.MockTransport`.
Measured on 2 cores at zero latency against the project's fake server: a bare pyreqwest
loop does ~25,000 requests/s at ~33 µs CPU each, a bare aiohttp loop ~17,000 at ~58 µs,
httpx's own pool ~500 (bench/README.md). Retries, rate limits and budgets live in the
runner; this module never sleeps.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Protocol

import orjson

from .errors import (
    APIConnectionError,
    APIResponseError,
    APIStatusError,
    APITimeoutError,
    AuthError,
    InsufficientBalance,
    RateLimitError,
)
from .retry import parse_retry_after

if TYPE_CHECKING:
    import httpx

USER_AGENT = "batchrunner/0.1"


@dataclass
class RawResponse:
    status: int
    headers: Mapping[str, str]
    body: bytes


class Backend(Protocol):
    async def post(self, url: str, body: bytes, headers: dict[str, str], timeout_s: float) -> RawResponse: ...

    async def aclose(self) -> None: ...


class AiohttpBackend:
    """The fallback (BATCHRUNNER_HTTP=aiohttp): one session, a keep-alive pool sized to the concurrency."""

    def __init__(self, concurrency: int) -> None:
        import aiohttp

        self._aiohttp = aiohttp
        self._session: Any = None
        self._concurrency = concurrency
        self._timeouts: dict[float, Any] = {}

    def _open(self, url: str) -> Any:
        aiohttp = self._aiohttp
        tls: Any = True
        if url.startswith("https:"):
            import ssl

            tls = ssl.create_default_context()  # reads SSL_CERT_FILE now, not when aiohttp was imported
        connector = aiohttp.TCPConnector(limit=self._concurrency, limit_per_host=self._concurrency,
                                         ttl_dns_cache=300, enable_cleanup_closed=True, ssl=tls)
        # trust_env: HTTP(S)_PROXY/NO_PROXY as with pyreqwest, never for a loopback server.
        self._session = aiohttp.ClientSession(connector=connector, auto_decompress=True,
                                              skip_auto_headers=("User-Agent",), trust_env=not _is_loopback(url))
        return self._session

    async def post(self, url: str, body: bytes, headers: dict[str, str], timeout_s: float) -> RawResponse:
        aiohttp = self._aiohttp
        session = self._session or self._open(url)
        timeout = self._timeouts.get(timeout_s)
        if timeout is None:
            timeout = self._timeouts[timeout_s] = aiohttp.ClientTimeout(total=timeout_s)
        try:
            async with session.post(url, data=body, headers=headers, timeout=timeout) as resp:
                data = await resp.read()
                return RawResponse(resp.status, resp.headers, data)
        except asyncio.TimeoutError:
            raise APITimeoutError(f"no reply within {timeout_s:g}s") from None
        except aiohttp.ClientError as exc:
            raise APIConnectionError(_connection_message(exc)) from exc
        except OSError as exc:
            raise APIConnectionError(_connection_message(exc)) from exc

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


class PyreqwestBackend:
    """The default: reqwest (Rust) does the HTTP on its own threads. Measured against the project's
    fake server on 2 cores: ~25,000 requests/s at ~33 µs CPU per request, against ~17,000 at
    ~58 µs for a bare aiohttp loop. It honours HTTP(S)_PROXY and NO_PROXY (never for a loopback
    server); a PEM bundle in SSL_CERT_FILE (a corporate CA) is added to its trusted roots."""

    def __init__(self, concurrency: int) -> None:
        from pyreqwest import exceptions

        self._exc = exceptions
        self._concurrency = concurrency
        self._client: Any = None

    def _open(self, url: str, timeout_s: float) -> Any:
        from pyreqwest.client import ClientBuilder

        builder = (ClientBuilder().max_connections(self._concurrency).pool_max_idle_per_host(self._concurrency)
                   .timeout(timedelta(seconds=timeout_s)))
        if _is_loopback(url):
            builder = builder.no_proxy()  # a local server is never behind the HTTP(S)_PROXY
        ca_file = os.environ.get("SSL_CERT_FILE")
        if ca_file and url.startswith("https:") and os.path.isfile(ca_file):
            with open(ca_file, "rb") as fh:
                builder = builder.add_root_certificate_pem(fh.read())
        self._client = builder.build()
        return self._client

    async def post(self, url: str, body: bytes, headers: dict[str, str], timeout_s: float) -> RawResponse:
        client = self._client or self._open(url, timeout_s)
        exc = self._exc
        try:
            resp = await client.post(url).headers(headers).body_bytes(body).build().send()
            data = await resp.bytes()
        except exc.RequestTimeoutError:
            raise APITimeoutError(f"no reply within {timeout_s:g}s") from None
        except exc.RequestError as error:  # connect, read, write, a body cut short
            raise APIConnectionError(_connection_message(error)) from error
        return RawResponse(resp.status, resp.headers, bytes(data))

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None


class HttpxBackend:
    """httpx with an injectable transport: the seam for `httpx.MockTransport` in tests."""

    def __init__(self, concurrency: int, transport: httpx.AsyncBaseTransport | None = None) -> None:
        import httpx  # only tests and callers injecting a transport pay for the import

        self._httpx = httpx
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        self._client = httpx.AsyncClient(transport=transport, limits=limits)

    async def post(self, url: str, body: bytes, headers: dict[str, str], timeout_s: float) -> RawResponse:
        try:
            resp = await self._client.post(url, content=body, headers=headers, timeout=timeout_s)
        except self._httpx.TimeoutException:
            raise APITimeoutError(f"no reply within {timeout_s:g}s") from None
        except self._httpx.TransportError as exc:
            raise APIConnectionError(_connection_message(exc)) from exc
        return RawResponse(resp.status_code, resp.headers, resp.content)

    async def aclose(self) -> None:
        await self._client.aclose()


def default_backend(concurrency: int) -> Backend:
    """pyreqwest, or aiohttp when BATCHRUNNER_HTTP=aiohttp (or pyreqwest cannot be imported)."""
    if os.environ.get("BATCHRUNNER_HTTP", "").lower() != "aiohttp":
        try:
            return PyreqwestBackend(concurrency)
        except ImportError:
            pass
    return AiohttpBackend(concurrency)


def _is_loopback(url: str) -> bool:
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "").lower()
    return host in ("localhost", "::1") or host.startswith("127.")


def _connection_message(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return f"connection failed: {text.splitlines()[0][:200]}"


@dataclass
class Usage:
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    total_tokens: int | None = None
    cached_tokens: int | None = None
    reasoning_tokens: int | None = None

    @classmethod
    def from_json(cls, data: Any) -> Usage:
        if not isinstance(data, dict):
            return cls()
        details = data.get("prompt_tokens_details")
        cdetails = data.get("completion_tokens_details")
        return cls(
            _int_or_none(data.get("prompt_tokens")),
            _int_or_none(data.get("completion_tokens")),
            _int_or_none(data.get("total_tokens")),
            _int_or_none(details.get("cached_tokens")) if isinstance(details, dict) else None,
            _int_or_none(cdetails.get("reasoning_tokens")) if isinstance(cdetails, dict) else None,
        )

    def __add__(self, other: Usage) -> Usage:
        if self.total_tokens is None and self.prompt_tokens is None and self.completion_tokens is None \
                and self.cached_tokens is None and self.reasoning_tokens is None:
            return other  # a row's first request: nothing to add to (a Usage is never mutated)
        return Usage(*(_add(a, b) for a, b in zip(self.as_tuple(), other.as_tuple(), strict=True)))

    def as_tuple(self) -> tuple[int | None, ...]:
        return (self.prompt_tokens, self.completion_tokens, self.total_tokens, self.cached_tokens,
                self.reasoning_tokens)


def _int_or_none(value: Any) -> int | None:
    return value if type(value) is int else None  # not bool, not a float or a string


def _add(a: int | None, b: int | None) -> int | None:
    if a is None:
        return b
    if b is None:
        return a
    return a + b


@dataclass
class Completion:
    text: str
    finish_reason: str | None
    model: str | None
    request_id: str | None
    usage: Usage
    latency_ms: float
    headers: Mapping[str, str] = field(default_factory=dict)


class ChatClient:
    """POSTs chat-completion bodies to one endpoint; one call is one attempt."""

    def __init__(
        self,
        base_url: str,
        api_key: str | None,
        *,
        timeout_s: float = 60.0,
        concurrency: int = 16,
        backend: Backend | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.timeout_s = timeout_s
        self._headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT}
        if api_key:
            self._headers["Authorization"] = f"Bearer {api_key}"
        if backend is None:
            backend = HttpxBackend(concurrency, transport) if transport is not None else default_backend(concurrency)
        self._backend = backend

    async def complete(self, body: dict[str, Any], payload: bytes | None = None) -> Completion:
        """One attempt. `payload` is `body` already serialised (the runner hashes it for the cache)."""
        if payload is None:
            payload = orjson.dumps(body)
        started = time.perf_counter()
        raw = await self._backend.post(self.url, payload, self._headers, self.timeout_s)
        latency_ms = (time.perf_counter() - started) * 1000.0
        if raw.status != 200:
            raise status_error(raw)
        if body.get("stream"):
            return parse_sse(raw, latency_ms)
        return parse_completion(raw, latency_ms)

    async def aclose(self) -> None:
        await self._backend.aclose()


def _request_id(headers: Mapping[str, str]) -> str | None:
    return headers.get("x-request-id") or headers.get("request-id")


def status_error(raw: RawResponse) -> APIStatusError:
    """The error for a non-200 reply, with the server's own message when it sent one."""
    text = raw.body[:2000].decode("utf-8", "replace")
    message = text.strip()[:300] or "(empty body)"
    try:
        data = orjson.loads(raw.body)
        err = data.get("error") if isinstance(data, dict) else None
        if isinstance(err, dict) and err.get("message"):
            message = str(err["message"])[:300]
        elif isinstance(err, str):
            message = err[:300]
        elif isinstance(data, dict) and isinstance(data.get("message"), str):
            message = data["message"][:300]
    except orjson.JSONDecodeError:
        pass
    status = raw.status
    kwargs: dict[str, Any] = {
        "status": status, "request_id": _request_id(raw.headers), "body": text,
        "headers": raw.headers, "retry_after": parse_retry_after(raw.headers),
    }
    full = f"{status} {message}"
    if status == 429:
        return RateLimitError(full, **kwargs)
    if status in (401, 403):
        return AuthError(full, **kwargs)
    if status == 402:
        return InsufficientBalance(full, **kwargs)
    return APIStatusError(full, **kwargs)


def parse_completion(raw: RawResponse, latency_ms: float) -> Completion:
    try:
        data = orjson.loads(raw.body)
    except orjson.JSONDecodeError:
        raise APIResponseError(f"reply is not valid JSON ({len(raw.body)} bytes)") from None
    if not isinstance(data, dict):
        raise APIResponseError("reply is not a JSON object")
    choices = data.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise APIResponseError("reply has no choices")
    choice = choices[0]
    message = choice.get("message") or {}
    content = message.get("content") if isinstance(message, dict) else None
    if content is None:
        refusal = message.get("refusal") if isinstance(message, dict) else None
        content = "" if refusal is None else str(refusal)
    return Completion(
        text=content if isinstance(content, str) else orjson.dumps(content).decode(),
        finish_reason=choice.get("finish_reason"),
        model=data.get("model"),
        request_id=_request_id(raw.headers) or data.get("id"),
        usage=Usage.from_json(data.get("usage")),
        latency_ms=latency_ms,
        headers=raw.headers,
    )


def parse_sse(raw: RawResponse, latency_ms: float) -> Completion:
    """Assemble a streamed reply; a stream without `[DONE]` was cut short and is an error."""
    parts: list[str] = []
    finish_reason = None
    model = None
    response_id = None
    usage = Usage()
    done = False
    for line in raw.body.split(b"\n"):
        line = line.strip()
        if not line.startswith(b"data:"):
            continue
        data = line[5:].strip()
        if data == b"[DONE]":
            done = True
            break
        try:
            event = orjson.loads(data)
        except orjson.JSONDecodeError:
            raise APIResponseError("stream carried an event that is not valid JSON") from None
        if not isinstance(event, dict):
            continue
        if isinstance(event.get("error"), dict):
            raise APIResponseError(f"stream error: {event['error'].get('message', '')}"[:300])
        model = event.get("model") or model
        response_id = event.get("id") or response_id
        if event.get("usage"):
            usage = Usage.from_json(event["usage"])
        for choice in event.get("choices") or ():
            delta = choice.get("delta") or {}
            piece = delta.get("content")
            if piece:
                parts.append(piece)
            if choice.get("finish_reason"):
                finish_reason = choice["finish_reason"]
    if not done and finish_reason is None:
        # Some servers omit [DONE]; a finish_reason still says the text is complete.
        raise APIResponseError("stream ended before [DONE] (cut short)")
    return Completion(
        text="".join(parts), finish_reason=finish_reason, model=model,
        request_id=_request_id(raw.headers) or response_id, usage=usage,
        latency_ms=latency_ms, headers=raw.headers,
    )
