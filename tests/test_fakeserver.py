"""The fault-injecting fake server, exercised with real HTTP over loopback."""

from __future__ import annotations

import asyncio
import json
import signal
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from batchrunner.testing import (
    FakeServer,
    FakeServerConfig,
    message_key,
    spawn_fakeserver,
)
from batchrunner.testing.fakeserver import _fmt_duration, schema_instance

DEFAULTS = FakeServerConfig().to_dict()


@pytest.fixture(scope="module")
def server() -> Iterator[FakeServer]:
    with FakeServer() as srv:
        yield srv


@pytest.fixture
def srv(server: FakeServer) -> FakeServer:
    server.configure(**DEFAULTS)
    server.reset()
    return server


@pytest.fixture
def client(srv: FakeServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=srv.base_url, timeout=5) as c:
        yield c


def body(text: str, **params: Any) -> dict[str, Any]:
    return {
        "model": "test-model",
        "messages": [{"role": "user", "content": text}],
        **params,
    }


def chat(client: httpx.Client, text: str, **params: Any) -> httpx.Response:
    return client.post("/chat/completions", json=body(text, **params))


def content(r: httpx.Response) -> str:
    assert r.status_code == 200, r.text
    return r.json()["choices"][0]["message"]["content"]


def sse(client: httpx.Client, text: str, **params: Any) -> list[Any]:
    events: list[Any] = []
    payload = body(text, stream=True, **params)
    with client.stream("POST", "/chat/completions", json=payload) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        for line in r.iter_lines():
            if line.startswith("data: "):
                data = line[len("data: ") :]
                events.append(data if data == "[DONE]" else json.loads(data))
    return events


# ---- replies ----------------------------------------------------------------------


def test_completion_shape_and_headers(client: httpx.Client) -> None:
    r = chat(client, "hello there")
    obj = r.json()
    assert obj["object"] == "chat.completion"
    assert obj["id"].startswith("chatcmpl-")
    assert obj["model"] == "test-model"
    assert obj["choices"][0]["message"]["role"] == "assistant"
    assert obj["choices"][0]["finish_reason"] == "stop"
    assert r.headers["x-request-id"].startswith("req_")
    assert "x-ratelimit-limit-requests" not in r.headers


def test_label_mode_is_deterministic(client: httpx.Client) -> None:
    texts = [f"review number {i}" for i in range(30)]
    first = [content(chat(client, t)) for t in texts]
    assert first == [content(chat(client, t)) for t in texts]
    assert set(first) == {"positive", "negative", "neutral"}


def test_label_noise_wraps_the_label(srv: FakeServer, client: httpx.Client) -> None:
    srv.configure(label_noise=True, labels=["positive", "negative"])
    replies = {content(chat(client, f"row {i}")) for i in range(40)}
    assert any(r not in ("positive", "negative") for r in replies)
    for r in replies:
        assert "positive" in r.lower() or "negative" in r.lower()


def test_echo_fixed_json_modes(srv: FakeServer, client: httpx.Client) -> None:
    srv.configure(reply_mode="echo")
    assert content(chat(client, "say this back")) == "say this back"
    assert content(chat(client, "[[id:r1]] keep me")) == "keep me"
    srv.configure(reply_mode="fixed", reply_text="Always this.")
    assert content(chat(client, "anything")) == "Always this."
    srv.configure(reply_mode="json", json_reply={"a": [1, 2], "b": "x"})
    assert json.loads(content(chat(client, "anything"))) == {"a": [1, 2], "b": "x"}


SCHEMA = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "age": {"type": "integer"},
        "score": {"type": "number"},
        "ok": {"type": "boolean"},
        "kind": {"enum": ["b", "a"]},
        "tags": {"type": "array", "items": {"type": "string"}},
        "nick": {"type": ["null", "string"]},
        "addr": {
            "type": "object",
            "properties": {"city": {"type": "string"}, "zip": {"$ref": "#/$defs/zip"}},
            "required": ["city", "zip"],
        },
    },
    "required": ["name", "age", "score", "ok", "kind", "tags", "nick", "addr"],
    "$defs": {"zip": {"anyOf": [{"type": "null"}, {"type": "integer", "minimum": 5}]}},
}
EXPECTED = {
    "name": "example",
    "age": 1,
    "score": 1.5,
    "ok": True,
    "kind": "b",
    "tags": ["example"],
    "nick": "example",
    "addr": {"city": "example", "zip": 5},
}


def test_json_schema_response_format(client: httpx.Client) -> None:
    rf = {"type": "json_schema", "json_schema": {"name": "x", "schema": SCHEMA}}
    assert json.loads(content(chat(client, "extract", response_format=rf))) == EXPECTED
    # a directive still wins
    r = chat(client, "[[reply:not json]]", response_format=rf)
    assert content(r) == "not json"
    assert schema_instance({"type": "array", "items": {"type": "integer"}}) == [1]


# ---- directives -------------------------------------------------------------------


def test_reply_directive(client: httpx.Client) -> None:
    text = "[[reply:Label: [negative] | ok!]] row"
    assert content(chat(client, text)) == "Label: [negative] | ok!"


def test_only_last_user_message_counts(client: httpx.Client) -> None:
    payload = {
        "model": "m",
        "messages": [
            {"role": "user", "content": "[[status:500]]"},
            {"role": "assistant", "content": "x"},
            {"role": "user", "content": "[[reply:fine]]"},
        ],
    }
    assert content(client.post("/chat/completions", json=payload)) == "fine"


@pytest.mark.parametrize("code", [400, 401, 403, 404, 500, 503])
def test_status_directive(client: httpx.Client, code: int) -> None:
    for _ in range(2):
        r = chat(client, f"[[status:{code}]] row")
        assert r.status_code == code
        err = r.json()["error"]
        assert {"message", "type", "code"} <= set(err)


def test_status_429_directive_has_retry_after(client: httpx.Client) -> None:
    r = chat(client, "[[status:429]]")
    assert r.status_code == 429
    assert r.headers["retry-after"] == "1"


def test_fail_first_then_succeed(srv: FakeServer, client: httpx.Client) -> None:
    text = "[[id:row-7]] [[fail_first:2:503]] [[reply:done]]"
    assert [chat(client, text).status_code for _ in range(4)] == [503, 503, 200, 200]
    assert srv.stats()["per_key"]["row-7"] == {"requests": 4, "ok": 2}


def test_fail_first_drop_and_malformed(client: httpx.Client) -> None:
    with pytest.raises(httpx.RemoteProtocolError):
        chat(client, "[[fail_first:1:drop]] a")
    assert content(chat(client, "[[fail_first:1:drop]] a"))
    r = chat(client, "[[fail_first:1:malformed]] b")
    assert r.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        r.json()
    assert content(chat(client, "[[fail_first:1:malformed]] b"))


def test_sleep_directive(srv: FakeServer, client: httpx.Client) -> None:
    t0 = time.perf_counter()
    assert content(chat(client, "[[sleep_ms:150]]"))
    assert time.perf_counter() - t0 >= 0.14
    with pytest.raises(httpx.ReadTimeout):
        client.post("/chat/completions", json=body("[[sleep_ms:400]]"), timeout=0.1)
    # The server still finishes that request; let it, so it cannot count in a later test.
    deadline = time.monotonic() + 5
    while srv.stats()["in_flight"] and time.monotonic() < deadline:
        time.sleep(0.05)


def test_reply_seq(client: httpx.Client) -> None:
    text = "[[reply_seq:maybe|dunno|positive]] row 3"
    assert [content(chat(client, text)) for _ in range(4)] == [
        "maybe",
        "dunno",
        "positive",
        "positive",
    ]


def test_bad_directive_is_400(client: httpx.Client) -> None:
    assert chat(client, "[[status:abc]]").status_code == 400


# ---- usage, max_tokens --------------------------------------------------------------


def test_usage_numbers(srv: FakeServer, client: httpx.Client) -> None:
    srv.configure(cached_tokens=3, reasoning_tokens=2)
    payload = {
        "model": "m",
        "messages": [
            {"role": "system", "content": "You label reviews."},
            {"role": "user", "content": "one two  three\nfour [[reply:a b c]]"},
        ],
    }
    usage = client.post("/chat/completions", json=payload).json()["usage"]
    assert usage == {
        "prompt_tokens": (3 + 4) + (7 + 4),  # words of "[[reply:a b c]]" count too
        "completion_tokens": 3,
        "total_tokens": 21,
        "prompt_tokens_details": {"cached_tokens": 3},
        "completion_tokens_details": {"reasoning_tokens": 2},
    }
    srv.configure(report_usage=False)
    assert "usage" not in chat(client, "x").json()


def test_max_tokens_truncates(srv: FakeServer, client: httpx.Client) -> None:
    text = "[[reply:one two  three four]]"
    r = chat(client, text, max_tokens=2).json()
    assert r["choices"][0]["message"]["content"] == "one two"
    assert r["choices"][0]["finish_reason"] == "length"
    assert r["usage"]["completion_tokens"] == 2
    r = chat(client, text, max_completion_tokens=4).json()
    assert r["choices"][0]["finish_reason"] == "stop"
    srv.configure(finish_reason_override="content_filter")
    assert chat(client, text).json()["choices"][0]["finish_reason"] == "content_filter"


# ---- faults -----------------------------------------------------------------------


@pytest.mark.parametrize("field,code", [("p_500", 500), ("p_503", 503), ("p_429", 429)])
def test_status_faults(
    srv: FakeServer, client: httpx.Client, field: str, code: int
) -> None:
    srv.configure(**{field: 1.0}, retry_after_s=2, retry_after_ms=2500)
    r = chat(client, "x")
    assert r.status_code == code
    assert "error" in r.json()
    if code == 429:
        assert r.headers["retry-after"] == "2"
        assert r.headers["retry-after-ms"] == "2500"
    assert srv.stats()["by_status"] == {str(code): 1}


def test_drop_fault(srv: FakeServer, client: httpx.Client) -> None:
    srv.configure(p_drop=1.0)
    with pytest.raises(httpx.RemoteProtocolError):
        chat(client, "x")
    assert srv.stats()["by_status"] == {"drop": 1}


def test_malformed_fault(srv: FakeServer, client: httpx.Client) -> None:
    srv.configure(p_malformed=1.0)
    r = chat(client, "x")
    assert r.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        r.json()
    assert srv.stats()["ok"] == 0


def test_slow_fault(srv: FakeServer, client: httpx.Client) -> None:
    srv.configure(p_slow=1.0, slow_ms=150)
    t0 = time.perf_counter()
    assert content(chat(client, "x"))
    assert time.perf_counter() - t0 >= 0.14


def test_faults_are_seeded(srv: FakeServer, client: httpx.Client) -> None:
    srv.configure(p_500=0.5, seed=7)
    first = [chat(client, "x").status_code for _ in range(20)]
    srv.reset()
    assert [chat(client, "x").status_code for _ in range(20)] == first
    assert set(first) == {200, 500}


def test_fail_first_n_applies_to_every_key(
    srv: FakeServer, client: httpx.Client
) -> None:
    srv.configure(fail_first_n=1, fail_first_status=502)
    for row in ("a", "b"):
        assert chat(client, row).status_code == 502
        assert chat(client, row).status_code == 200


# ---- auth, balance, limits ---------------------------------------------------------


def test_api_key(srv: FakeServer, client: httpx.Client) -> None:
    srv.configure(api_key="sk-test")
    r = chat(client, "x")
    assert r.status_code == 401
    assert r.json() == {
        "error": {
            "message": "Incorrect API key provided",
            "type": "invalid_request_error",
            "param": None,
            "code": "invalid_api_key",
        }
    }
    assert client.get("/models").status_code == 401
    auth = {"Authorization": "Bearer sk-test"}
    r = client.post("/chat/completions", json=body("x"), headers=auth)
    assert r.status_code == 200
    models = client.get("/models", headers=auth).json()
    assert models["data"][0]["id"] == "fake-model"


def test_insufficient_balance(srv: FakeServer, client: httpx.Client) -> None:
    srv.configure(insufficient_balance=True)
    r = chat(client, "x")
    assert r.status_code == 402
    err = r.json()["error"]
    assert err["type"] == err["code"] == "insufficient_balance"
    assert err["message"].startswith("insufficient_balance: your credits ran out")


def test_rpm_limit(srv: FakeServer, client: httpx.Client) -> None:
    srv.configure(rpm=120, limit_window_s=1)  # 2 requests per second
    r1, r2, r3 = (chat(client, "x") for _ in range(3))
    assert (r1.status_code, r2.status_code, r3.status_code) == (200, 200, 429)
    assert r1.headers["x-ratelimit-limit-requests"] == "2"
    assert r1.headers["x-ratelimit-remaining-requests"] == "1"
    assert r2.headers["x-ratelimit-remaining-requests"] == "0"
    assert r3.headers["retry-after"] == "1"
    assert r3.headers["x-ratelimit-reset-requests"].endswith("ms")
    assert r3.json()["error"]["code"] == "rate_limit_exceeded"
    time.sleep(1.05)
    assert chat(client, "x").status_code == 200


def test_tpm_limit(srv: FakeServer, client: httpx.Client) -> None:
    srv.configure(tpm=600, limit_window_s=1)  # 10 tokens per second
    r1 = chat(client, "a b", max_tokens=4)  # 2 + 4 + 4 = 10 tokens
    r2 = chat(client, "a b", max_tokens=4)
    assert (r1.status_code, r2.status_code) == (200, 429)
    assert r1.headers["x-ratelimit-limit-tokens"] == "10"
    assert r1.headers["x-ratelimit-remaining-tokens"] == "0"
    assert r2.json()["error"]["type"] == "tokens"


@pytest.mark.parametrize(
    "seconds,text",
    [
        (0, "0s"),
        (0.12, "120ms"),
        (1, "1s"),
        (1.5, "1.5s"),
        (360, "6m0s"),
        (3725, "1h2m5s"),
    ],
)
def test_duration_format(seconds: float, text: str) -> None:
    assert _fmt_duration(seconds) == text


# ---- streaming ----------------------------------------------------------------------


def test_stream(client: httpx.Client) -> None:
    text = "[[reply:alpha beta gamma delta epsilon]]"
    opts = {"include_usage": True}
    events = sse(client, text, stream_options=opts)
    assert events[-1] == "[DONE]"
    chunks = events[:-1]
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    pieces = [c["choices"][0]["delta"].get("content", "") for c in chunks[1:-2]]
    assert 2 <= len(pieces) <= 4
    assert "".join(pieces) == "alpha beta gamma delta epsilon"
    assert chunks[-2]["choices"][0]["finish_reason"] == "stop"
    assert chunks[-1]["choices"] == []
    plain = chat(client, text).json()["usage"]
    assert chunks[-1]["usage"] == plain
    no_usage = sse(client, text)
    assert "usage" not in no_usage[-2]
    assert no_usage[-2]["choices"][0]["finish_reason"] == "stop"


def test_stream_cut(srv: FakeServer, client: httpx.Client) -> None:
    srv.configure(p_stream_cut=1.0)
    with pytest.raises(httpx.RemoteProtocolError):
        sse(client, "x")
    srv.configure(stream_cut_mode="clean")
    events = sse(client, "[[reply:one two three four]]")
    assert events and "[DONE]" not in events
    assert all(c["choices"][0]["finish_reason"] is None for c in events)
    srv.configure(p_stream_cut=0.0)
    assert sse(client, "[[fail_first:1:cut]] y")[-1] != "[DONE]"
    assert sse(client, "[[fail_first:1:cut]] y")[-1] == "[DONE]"


# ---- stats, config, process ----------------------------------------------------


def test_stats(srv: FakeServer, client: httpx.Client) -> None:
    srv.configure(keep_bodies=2)
    chat(client, "[[id:A]]")
    chat(client, "[[id:A]] [[status:500]]")
    chat(client, "plain row")
    stats = srv.stats()
    assert stats["requests"] == 3
    assert stats["ok"] == 2
    assert stats["by_status"] == {"200": 2, "500": 1}
    assert stats["per_key"]["A"] == {"requests": 2, "ok": 1}
    key = message_key([{"role": "user", "content": "plain row"}])
    assert stats["per_key"][key] == {"requests": 1, "ok": 1}
    assert len(stats["bodies"]) == 2
    assert stats["bodies"][-1]["messages"][0]["content"] == "plain row"
    root = srv.base_url.removesuffix("/v1")
    assert httpx.get(root + "/_stats").json()["requests"] == 3
    assert httpx.post(root + "/_reset").status_code == 200
    assert srv.stats()["requests"] == 0
    srv.configure(track_keys=False)
    chat(client, "x")
    assert srv.stats()["per_key"] == {}


def test_max_in_flight(srv: FakeServer) -> None:
    srv.configure(latency_ms=150)

    async def burst() -> None:
        async with httpx.AsyncClient(base_url=srv.base_url, timeout=5) as ac:
            rs = await asyncio.gather(
                *(ac.post("/chat/completions", json=body(f"r{i}")) for i in range(8))
            )
            assert all(r.status_code == 200 for r in rs)

    asyncio.run(burst())
    assert srv.stats()["max_in_flight"] == 8


def test_config_endpoint(srv: FakeServer, client: httpx.Client) -> None:
    root = srv.base_url.removesuffix("/v1")
    assert httpx.get(root + "/health").json() == {"status": "ok"}
    r = httpx.post(root + "/_config", json={"reply_mode": "fixed", "reply_text": "Z"})
    assert r.status_code == 200 and r.json()["reply_text"] == "Z"
    assert content(chat(client, "x")) == "Z"
    r = httpx.post(root + "/_config", json={"p_5OO": 1})
    assert r.status_code == 400 and "p_5OO" in r.json()["error"]["message"]
    assert httpx.post(root + "/_config", json={"p_500": 2}).status_code == 400
    with pytest.raises(ValueError, match="unknown"):
        srv.configure(nope=1)
    with pytest.raises(ValueError):
        FakeServerConfig(reply_mode="poetry")
    with pytest.raises(ValueError):
        FakeServer(fail_first_status="explode")


def test_spawn_subprocess() -> None:
    proc, url = spawn_fakeserver({"reply_mode": "fixed", "reply_text": "from child"})
    try:
        assert url.startswith("http://127.0.0.1:") and url.endswith("/v1")
        r = httpx.post(url + "/chat/completions", json=body("x"))
        assert content(r) == "from child"
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
