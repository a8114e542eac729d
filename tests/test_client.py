"""client.py and the runner's retry loop, through `httpx.MockTransport` (no sockets).

The first half checks one attempt: what is sent, how replies and errors are read. The second
half runs whole jobs whose transport is scripted per row (fail N times, then answer) and
checks `attempts`, row errors and the waits Retry-After asks for.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from conftest import Job, make_job, reviews

from batchrunner import api, retry
from batchrunner.client import ChatClient, Completion, RawResponse, parse_completion, parse_sse, status_error
from batchrunner.errors import (
    APIConnectionError,
    APIResponseError,
    APIStatusError,
    APITimeoutError,
    AuthError,
    InsufficientBalance,
    RateLimitError,
)

MOCK_URL = "http://mock.invalid/v1"


def completion_body(text: str = "positive", *, usage: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "id": "chatcmpl-1", "object": "chat.completion", "model": "mock-model",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": usage if usage is not None else {"prompt_tokens": 10, "completion_tokens": 1, "total_tokens": 11},
        **extra,
    }


def ok_response(text: str = "positive", **kw: Any) -> httpx.Response:
    return httpx.Response(200, json=completion_body(text, **kw))


def raw(status: int, body: bytes | dict[str, Any] | str, headers: dict[str, str] | None = None) -> RawResponse:
    data = orjson.dumps(body) if isinstance(body, dict) else body.encode() if isinstance(body, str) else body
    return RawResponse(status, httpx.Headers(headers or {}), data)


def sse(*events: dict[str, Any] | str) -> bytes:
    out = b""
    for event in events:
        payload = event.encode() if isinstance(event, str) else orjson.dumps(event)
        out += b"data: " + payload + b"\n\n"
    return out


def chunk(content: str | None = None, finish: str | None = None, **extra: Any) -> dict[str, Any]:
    delta = {} if content is None else {"content": content}
    return {"id": "chatcmpl-s", "model": "mock-model", "choices": [{"index": 0, "delta": delta,
                                                                     "finish_reason": finish}], **extra}


# --------------------------------------------------------------------------- one attempt


def complete(handler: Callable[[httpx.Request], httpx.Response], body: dict[str, Any] | None = None,
             **client: Any) -> Completion:
    async def go() -> Completion:
        c = ChatClient(MOCK_URL, client.pop("api_key", "sk-test"), transport=httpx.MockTransport(handler), **client)
        try:
            return await c.complete(body or {"model": "m", "messages": [{"role": "user", "content": "hi"}]})
        finally:
            await c.aclose()

    return asyncio.run(go())


def test_request_carries_bearer_key_json_body_and_path() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=completion_body("hello"), headers={"x-request-id": "req_42"})

    body = {"model": "m", "messages": [{"role": "user", "content": "hi"}], "temperature": 0}
    result = complete(handler, body)
    assert result.text == "hello" and result.request_id == "req_42" and result.model == "mock-model"
    assert result.usage.prompt_tokens == 10 and result.usage.total_tokens == 11
    (request,) = seen
    assert request.method == "POST" and str(request.url) == MOCK_URL + "/chat/completions"
    assert request.headers["authorization"] == "Bearer sk-test"
    assert request.headers["content-type"] == "application/json"
    assert orjson.loads(request.content) == body


def test_no_key_sends_no_authorization_header() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return ok_response()

    complete(handler, api_key=None)
    assert "authorization" not in seen[0].headers


@pytest.mark.parametrize(
    ("exc", "expected", "kind"),
    [
        (httpx.ReadTimeout("slow"), APITimeoutError, "timeout"),
        (httpx.ConnectTimeout("slow"), APITimeoutError, "timeout"),
        (httpx.ConnectError("refused"), APIConnectionError, "connection_error"),
        (httpx.RemoteProtocolError("peer closed connection"), APIConnectionError, "connection_error"),
        (httpx.ReadError("reset by peer"), APIConnectionError, "connection_error"),
    ],
)
def test_transport_failures_become_api_errors(exc: Exception, expected: type, kind: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    with pytest.raises(expected) as info:
        complete(handler, timeout_s=2.5)
    assert type(info.value) is expected and info.value.kind == kind
    if expected is APITimeoutError:
        assert "2.5s" in info.value.message


@pytest.mark.parametrize(
    ("status", "headers", "cls", "kind", "retry_after"),
    [
        (429, {"retry-after": "3"}, RateLimitError, "rate_limited", 3.0),
        (429, {"retry-after-ms": "250", "retry-after": "9"}, RateLimitError, "rate_limited", 0.25),
        (429, {}, RateLimitError, "rate_limited", None),
        (401, {}, AuthError, "http_4xx", None),
        (403, {}, AuthError, "http_4xx", None),
        (402, {}, InsufficientBalance, "http_4xx", None),
        (400, {}, APIStatusError, "http_4xx", None),
        (408, {}, APIStatusError, "http_4xx", None),
        (500, {}, APIStatusError, "http_5xx", None),
        (503, {"Retry-After": "1"}, APIStatusError, "http_5xx", 1.0),
    ],
)
def test_status_errors(status: int, headers: dict[str, str], cls: type, kind: str,
                       retry_after: float | None) -> None:
    err = status_error(raw(status, {"error": {"message": "server says no", "type": "x"}},
                           {**headers, "x-request-id": "req_7"}))
    assert type(err) is cls
    assert err.status == status and err.kind == kind and err.retry_after == retry_after
    assert err.request_id == "req_7"
    assert err.message == f"{status} server says no"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"error": "plain string error"}, "plain string error"),
        ({"message": "top-level message"}, "top-level message"),
        ("<html>Bad Gateway</html>", "<html>Bad Gateway</html>"),
        ("", "(empty body)"),
        ({"error": {"message": "x" * 1000}}, "x" * 300),
    ],
)
def test_status_error_message_shapes(body: dict[str, Any] | str, message: str) -> None:
    assert status_error(raw(502, body)).message == f"502 {message}"


def test_parse_completion_reads_usage_details_and_refusals() -> None:
    usage = {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120,
             "prompt_tokens_details": {"cached_tokens": 64}, "completion_tokens_details": {"reasoning_tokens": 12}}
    c = parse_completion(raw(200, completion_body("ok", usage=usage)), 12.5)
    assert (c.usage.cached_tokens, c.usage.reasoning_tokens, c.latency_ms) == (64, 12, 12.5)
    assert c.request_id == "chatcmpl-1"  # no x-request-id header: the body's id
    refusal = completion_body()
    refusal["choices"][0]["message"] = {"role": "assistant", "content": None, "refusal": "I can't help"}
    assert parse_completion(raw(200, refusal), 1.0).text == "I can't help"
    no_usage = completion_body()
    del no_usage["usage"]
    assert parse_completion(raw(200, no_usage), 1.0).usage.total_tokens is None


@pytest.mark.parametrize(
    "body",
    [
        b'{"id": "chatcmpl-1", "choices": [{"index": 0, "mess',  # cut in half
        b"<html>502 Bad Gateway</html>",
        b"",
        b"[1, 2, 3]",
        b'{"id": "x", "choices": []}',
        b'{"id": "x"}',
        b'{"id": "x", "choices": ["text"]}',
    ],
)
def test_unusable_200_is_a_response_error(body: bytes) -> None:
    with pytest.raises(APIResponseError) as info:
        parse_completion(raw(200, body), 1.0)
    assert info.value.kind == "invalid_response"


def test_sse_assembles_text_usage_and_finish_reason() -> None:
    usage = {"prompt_tokens": 7, "completion_tokens": 3, "total_tokens": 10}
    body = sse(chunk(""), chunk("posi"), chunk("tive"), chunk(None, "stop"),
               {"id": "chatcmpl-s", "choices": [], "usage": usage}, "[DONE]")
    c = parse_sse(raw(200, body), 5.0)
    assert c.text == "positive" and c.finish_reason == "stop" and c.model == "mock-model"
    assert c.usage.total_tokens == 10 and c.request_id == "chatcmpl-s"


def test_sse_ignores_comments_and_blank_keepalives() -> None:
    body = b": keep-alive\n\n" + sse(chunk("a")) + b"\n\nevent: message\n" + sse(chunk("b", "stop"), "[DONE]")
    assert parse_sse(raw(200, body), 1.0).text == "ab"


@pytest.mark.parametrize(
    "body",
    [
        sse(chunk("posi")),  # cut short: no finish_reason, no [DONE]
        sse(chunk("posi"), "{not json"),
        sse(chunk("posi"), {"error": {"message": "upstream died"}}),
    ],
)
def test_broken_streams_are_response_errors(body: bytes) -> None:
    with pytest.raises(APIResponseError):
        parse_sse(raw(200, body), 1.0)


# --------------------------------------------------------------------------- the retry loop


@pytest.fixture(autouse=True)
def quick_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retry, "INITIAL_RETRY_DELAY", 0.002)
    monkeypatch.setattr(retry, "MAX_RETRY_DELAY", 0.01)


class Script:
    """A MockTransport handler: per row (told apart by its prompt), a list of answers to
    give in turn, the last one repeated; rows not scripted get `default`."""

    def __init__(self, plan: dict[str, list[Callable[[], httpx.Response]]],
                 default: Callable[[], httpx.Response] = ok_response) -> None:
        self.plan = plan
        self.default = default
        self.calls: dict[str, list[float]] = {}
        self.bodies: list[dict[str, Any]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = orjson.loads(request.content)
        self.bodies.append(body)
        text = body["messages"][-1]["content"]
        key = next((k for k in self.plan if k in text), text)
        times = self.calls.setdefault(key, [])
        times.append(time.monotonic())
        answers = self.plan.get(key, [self.default])
        return answers[min(len(times), len(answers)) - 1]()

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)


def fail(status: int, headers: dict[str, str] | None = None, message: str = "nope") -> Callable[[], httpx.Response]:
    return lambda: httpx.Response(status, json={"error": {"message": message}}, headers=headers)


def body_200(data: bytes) -> Callable[[], httpx.Response]:
    return lambda: httpx.Response(200, content=data, headers={"content-type": "application/json"})


def raise_(exc: Exception) -> Callable[[], httpx.Response]:
    def answer() -> httpx.Response:
        raise exc

    return answer


def rows_named(*names: str) -> list[dict[str, Any]]:
    return [{"id": n, "text": f"<{n}>", "stars": 1} for n in names]


def run(job: Job, script: Script, **options: Any) -> tuple[api.RunSummary, dict[str, dict[str, Any]]]:
    logged: list[str] = []
    summary = api.run_job(job.spec, None, api.RunOptions(transport=script.transport, progress=False,
                                                         log=logged.append, **options))
    rows = {r["id"]: r for r in job.read_output().to_pylist()} if summary.output else {}
    return summary, rows


def mock_job(tmp_path: Path, rows: list[dict[str, Any]], **run_spec: Any) -> Job:
    return make_job(tmp_path, MOCK_URL, rows, spec={"run": {"concurrency": 4, "max_retries": 3, **run_spec}})


@pytest.mark.parametrize(
    ("name", "failure"),
    [
        ("s500", fail(500)),
        ("s502", fail(502)),
        ("s503", fail(503)),
        ("s429", fail(429, {"retry-after": "0"})),
        ("s408", fail(408)),
        ("s409", fail(409)),
        ("malformed", body_200(b'{"id": "x", "choices": [{"mess')),
        ("nochoices", body_200(b'{"id": "x", "choices": []}')),
        ("html", body_200(b"<html>gateway</html>")),
        ("reset", raise_(httpx.ReadError("connection reset by peer"))),
        ("refused", raise_(httpx.ConnectError("connection refused"))),
        ("timeout", raise_(httpx.ReadTimeout("timed out"))),
    ],
)
def test_transient_failures_are_retried_until_an_answer(tmp_path: Path, name: str,
                                                         failure: Callable[[], httpx.Response]) -> None:
    script = Script({name: [failure, failure, ok_response]})
    summary, rows = run(mock_job(tmp_path, rows_named(name, "plain")), script)
    assert summary.exit_code == 0
    assert rows[name]["status"] == "ok" and rows[name]["sentiment"] == "positive"
    assert rows[name]["attempts"] == 3 == len(script.calls[name])
    assert rows["plain"]["attempts"] == 1
    assert summary.requests_sent == 4


@pytest.mark.parametrize(
    ("name", "failure", "kind"),
    [
        ("s500", fail(500, message="boom"), "http_5xx: 500 boom"),
        ("s429", fail(429, {"retry-after": "0"}, message="slow down"), "rate_limited: 429 slow down"),
        ("malformed", body_200(b"{"), "invalid_response: "),
        ("timeout", raise_(httpx.ReadTimeout("timed out")), "timeout: "),
        ("reset", raise_(httpx.ReadError("reset")), "connection_error: "),
    ],
)
def test_retries_run_out_into_a_row_error(tmp_path: Path, name: str, failure: Callable[[], httpx.Response],
                                          kind: str) -> None:
    script = Script({name: [failure]})
    summary, rows = run(mock_job(tmp_path, rows_named(name, "plain"), max_retries=2), script)
    assert summary.exit_code == 3
    assert rows[name]["status"] == "error" and rows[name]["error"].startswith(kind), rows[name]["error"]
    assert rows[name]["attempts"] == 3 == len(script.calls[name])  # 1 + max_retries
    assert rows["plain"]["status"] == "ok"


@pytest.mark.parametrize("status", [400, 404, 413, 422])
def test_other_4xx_is_a_row_error_at_once(tmp_path: Path, status: int) -> None:
    script = Script({"bad": [fail(status, message="bad request"), ok_response]})
    summary, rows = run(mock_job(tmp_path, rows_named("bad", "plain")), script)
    assert summary.exit_code == 3
    assert rows["bad"]["error"] == f"http_4xx: {status} bad request"
    assert rows["bad"]["attempts"] == 1 == len(script.calls["bad"])


def test_max_retries_zero_sends_once(tmp_path: Path) -> None:
    script = Script({"flaky": [fail(503), ok_response]})
    summary, rows = run(mock_job(tmp_path, rows_named("flaky"), max_retries=0), script)
    assert rows["flaky"]["status"] == "error" and rows["flaky"]["attempts"] == 1


@pytest.mark.parametrize(
    ("headers", "wait"),
    [
        ({"retry-after-ms": "400"}, 0.4),
        ({"retry-after": "1"}, 1.0),
        ({"retry-after": "0.6"}, 0.6),
    ],
)
def test_retry_after_is_honoured(tmp_path: Path, headers: dict[str, str], wait: float) -> None:
    # Our own backoff is milliseconds here, so any wait this long is the server's.
    for status in (429, 503):
        name = f"slow{status}"
        script = Script({name: [fail(status, headers), ok_response]})
        (tmp_path / name).mkdir()
        summary, rows = run(mock_job(tmp_path / name, rows_named(name)), script)
        assert rows[name]["status"] == "ok" and rows[name]["attempts"] == 2
        first, second = script.calls[name]
        assert second - first >= wait * 0.95, (status, second - first)


def test_a_429_pauses_the_whole_pool(tmp_path: Path) -> None:
    """The other rows wait for the Retry-After too, not just the one that got it."""
    script = Script({"first": [fail(429, {"retry-after": "0.8"}), ok_response]})
    rows = rows_named("first", *(f"r{i}" for i in range(12)))
    summary, out = run(mock_job(tmp_path, rows, concurrency=1), script)
    assert summary.exit_code == 0
    hit = script.calls["first"][0]
    later = [t for key, times in script.calls.items() if key != "first" for t in times]
    assert later and min(later) - hit >= 0.75


def test_auth_error_stops_and_leaves_the_row_pending(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = Script({}, default=fail(401, message="Incorrect API key provided"))
    job = make_job(tmp_path, None, rows_named(*(f"r{i}" for i in range(20))), spec={
        "endpoint": {"base_url": MOCK_URL, "api_key_env": "BR_CLIENT_KEY"},
        "run": {"concurrency": 2, "max_retries": 5},
    })
    monkeypatch.setenv("BR_CLIENT_KEY", "sk-client-test-0123")
    summary, _ = run(job, script)
    assert summary.exit_code == 4 and summary.status == "stopped"
    assert summary.ok == 0 and summary.error == 0  # nothing journaled as failed: all pending
    assert "BR_CLIENT_KEY" in (summary.message or "") and "401" in (summary.message or "")
    assert "sk-client-test-0123" not in (summary.message or "")
    assert sum(len(t) for t in script.calls.values()) <= 2  # no retries, nothing new after the stop


def test_stream_true_asks_for_usage_and_reads_sse(tmp_path: Path) -> None:
    usage = {"prompt_tokens": 9, "completion_tokens": 1, "total_tokens": 10}
    stream = sse(chunk(""), chunk("neg"), chunk("ative", "stop"), {"id": "c", "choices": [], "usage": usage}, "[DONE]")
    cut = sse(chunk("neg"))

    def answer(data: bytes) -> Callable[[], httpx.Response]:
        return lambda: httpx.Response(200, content=data, headers={"content-type": "text/event-stream"})

    script = Script({"cut": [answer(cut), answer(stream)]}, default=answer(stream))
    job = make_job(tmp_path, MOCK_URL, rows_named("cut", "whole"),
                   spec={"params": {"max_tokens": 5, "stream": True}, "run": {"concurrency": 2, "max_retries": 2}})
    summary, rows = run(job, script)
    assert summary.exit_code == 0
    assert all(b["stream"] is True and b["stream_options"] == {"include_usage": True} for b in script.bodies)
    for name, attempts in (("cut", 2), ("whole", 1)):
        assert rows[name]["sentiment"] == "negative" and rows[name]["response_text"] == "negative"
        assert rows[name]["total_tokens"] == 10 and rows[name]["attempts"] == attempts


def test_usage_and_cost_come_from_the_answer_not_the_failed_attempts(tmp_path: Path) -> None:
    usage = {"prompt_tokens": 1000, "completion_tokens": 100, "total_tokens": 1100}
    script = Script({"x": [fail(500), body_200(orjson.dumps(completion_body("neutral", usage=usage)))]})
    summary, rows = run(mock_job(tmp_path, rows_named("x")), script)
    row = rows["x"]
    assert (row["prompt_tokens"], row["completion_tokens"], row["attempts"]) == (1000, 100, 2)
    assert row["cost_usd"] == pytest.approx(0.8 * (1000 * 0.75 + 100 * 4.5) / 1e6)
    assert summary.requests_sent == 2


def test_many_rows_each_fail_twice(tmp_path: Path) -> None:
    """Concurrency with retries: every row gets exactly its own three attempts."""
    data = reviews(60)

    def flaky_everywhere(request: httpx.Request) -> httpx.Response:
        text = orjson.loads(request.content)["messages"][-1]["content"]
        counts[text] = counts.get(text, 0) + 1
        return httpx.Response(503, json={"error": {"message": "busy"}}) if counts[text] <= 2 else ok_response()

    counts: dict[str, int] = {}
    job = make_job(tmp_path, MOCK_URL, data, spec={"run": {"concurrency": 8, "max_retries": 3}})
    summary = api.run_job(job.spec, None, api.RunOptions(transport=httpx.MockTransport(flaky_everywhere),
                                                         progress=False, log=lambda s: None))
    assert summary.exit_code == 0 and summary.requests_sent == 180
    assert job.read_output().column("attempts").to_pylist() == [3] * 60
    assert set(counts.values()) == {3}


# --------------------------------------------------------------------------- both real backends


@pytest.mark.parametrize("backend_name", ["pyreqwest", "aiohttp"])
def test_real_backends_map_faults_the_same_way(backend_name: str) -> None:
    """The default backend (pyreqwest) and the fallback (aiohttp) turn the same server faults
    into the same errors, against the real loopback server."""
    from batchrunner.client import AiohttpBackend, ChatClient, PyreqwestBackend
    from batchrunner.errors import APIConnectionError, APIStatusError, APITimeoutError
    from batchrunner.testing import FakeServer

    def body(text: str) -> dict[str, object]:
        return {"model": "m", "messages": [{"role": "user", "content": text}], "max_tokens": 5}

    async def scenario(base_url: str) -> list[str]:
        backend = PyreqwestBackend(4) if backend_name == "pyreqwest" else AiohttpBackend(4)
        client = ChatClient(base_url, "sk-test", timeout_s=0.5, concurrency=4, backend=backend)
        seen = []
        try:
            ok = await client.complete(body("[[reply:positive]] a"))
            seen.append(f"ok:{ok.text}:{ok.usage.prompt_tokens}:{ok.request_id is not None}")
            faults = (("[[status:503]] b", APIStatusError), ("[[fail_first:1:drop]] c", APIConnectionError),
                      ("[[sleep_ms:1500]] d", APITimeoutError))
            for text, expected in faults:
                try:
                    await client.complete(body(text))
                    seen.append("no error")
                except expected as exc:
                    seen.append(f"{type(exc).__name__}:{exc.kind}")
        finally:
            await client.aclose()
        return seen

    with FakeServer() as server:
        seen = asyncio.run(scenario(server.base_url))
    assert seen[0].startswith("ok:positive:") and seen[0].endswith(":True")
    assert seen[1:] == ["APIStatusError:http_5xx", "APIConnectionError:connection_error", "APITimeoutError:timeout"]


async def _ask_default_backend(base_url: str, body: dict[str, Any]) -> str:
    """One request through the backend a real run would choose; the reply's text."""
    from batchrunner.client import ChatClient, default_backend

    client = ChatClient(base_url, None, timeout_s=5, concurrency=2, backend=default_backend(2))
    try:
        return (await client.complete(body)).text
    finally:
        await client.aclose()


def test_default_backend_uses_the_proxy_for_remote_hosts_not_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """HTTP_PROXY is honoured for a remote endpoint (here the fake server plays the proxy) and
    ignored for a loopback one, which would otherwise be unreachable behind a corporate proxy."""
    from batchrunner.testing import FakeServer

    body = {"model": "m", "messages": [{"role": "user", "content": "[[reply:neutral]] x"}], "max_tokens": 5}
    monkeypatch.delenv("BATCHRUNNER_HTTP", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    with FakeServer() as server:
        monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
        assert asyncio.run(_ask_default_backend(server.base_url, body)) == "neutral"
        monkeypatch.setenv("HTTP_PROXY", server.base_url.rsplit("/v1", 1)[0])
        assert asyncio.run(_ask_default_backend("http://api.example.invalid/v1", body)) == "neutral"
        assert server.stats()["requests"] == 2


def _private_ca_and_server_cert(folder: Path) -> tuple[Path, Path, Path]:
    """A throwaway CA and a certificate it signed for 127.0.0.1, made with the openssl CLI."""
    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)

    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
            "-subj", "/CN=batchrunner test CA", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
            "-subj", "/CN=127.0.0.1")
    (folder / "ext.cnf").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
                                    "extendedKeyUsage=serverAuth\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf")
    return folder / "ca.pem", folder / "server.pem", folder / "server.key"


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl CLI")
@pytest.mark.parametrize("backend_name", ["pyreqwest", "aiohttp"])
def test_https_endpoint_is_verified_against_ssl_cert_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          backend_name: str) -> None:
    """Certificates are checked: a server signed by an unknown CA is refused, and trusted once
    SSL_CERT_FILE names that CA (a corporate proxy's CA, say)."""
    import ssl

    from batchrunner.errors import APIConnectionError
    from batchrunner.testing import FakeServer

    ca, cert, key = _private_ca_and_server_cert(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    body = {"model": "m", "messages": [{"role": "user", "content": "[[reply:positive]] x"}], "max_tokens": 5}
    monkeypatch.setenv("BATCHRUNNER_HTTP", backend_name)

    with FakeServer(ssl_context=context) as server:
        assert server.base_url.startswith("https://127.0.0.1:")
        monkeypatch.delenv("SSL_CERT_FILE", raising=False)
        with pytest.raises(APIConnectionError):
            asyncio.run(_ask_default_backend(server.base_url, body))
        monkeypatch.setenv("SSL_CERT_FILE", str(ca))
        assert asyncio.run(_ask_default_backend(server.base_url, body)) == "positive"
        assert server.stats()["requests"] == 1  # the refused handshake never became a request
