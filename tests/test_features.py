"""Re-ask, typed extraction, long documents, streaming and truncation, end to end with the CLI
against the loopback fake server (its kept request bodies and per-key counts are the evidence)."""

from __future__ import annotations

import signal
import sqlite3
import time
from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from conftest import Job, make_job, reviews, run_cli, spawn_cli

from batchrunner.client import RawResponse, Usage, parse_sse
from batchrunner.errors import APIResponseError
from batchrunner.schema import arrow_type
from batchrunner.split import split_text
from batchrunner.testing import schema_instance

LABELS = ["positive", "negative", "neutral"]


def run(job: Job, *args: str, code: int = 0) -> dict[str, Any]:
    result = run_cli("run", str(job.spec), "--json", *args)
    assert result.exit_code == code, result.stderr
    return orjson.loads(result.stdout)


def by_id(table: pa.Table) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in table.to_pylist()}


def bodies(server: Any) -> list[dict[str, Any]]:
    return list(server.stats()["bodies"])


def bodies_with(server: Any, marker: str) -> list[dict[str, Any]]:
    """Kept request bodies whose first user message holds `marker`, in the order sent."""
    out = []
    for body in bodies(server):
        first_user = next(m for m in body["messages"] if m["role"] == "user")
        if marker in first_user["content"]:
            out.append(body)
    return out


def server_usage(body: dict[str, Any], reply: str) -> tuple[int, int]:
    """The fake server's usage for a request: prompt = sum(words + 4) over messages; completion = words."""
    prompt = sum(len(m["content"].split()) + 4 for m in body["messages"])
    return prompt, max(1, len(reply.split()))


def token_columns(row: dict[str, Any]) -> tuple[int, int, int]:
    return row["prompt_tokens"], row["completion_tokens"], row["total_tokens"]


def cost(prompt: int, completion: int) -> float:
    return 0.8 * (prompt * 0.75 + completion * 4.5) / 1e6  # conftest's pricing


# ------------------------------------------------------------------ classification: re-ask, abstain


def reask_rows() -> list[dict[str, Any]]:
    rows = reviews(8)
    rows[1]["text"] += " [[reply_seq:maybe|positive]]"
    rows[4]["text"] += " [[reply:I cannot tell]]"  # wrong every time
    rows[6]["text"] += " [[reply: Negative! ]]"
    return rows


def test_reask_fixes_a_wrong_label_with_a_second_request(tmp_path: Path, server: Any) -> None:
    job = make_job(tmp_path, server.base_url, reask_rows(),
                   spec={"parse": {"labels": LABELS, "reask": 1}})
    summary = run(job, code=3)
    out = by_id(job.read_output())

    fixed = out["r00001"]
    assert (fixed["status"], fixed["sentiment"], fixed["response_text"]) == ("ok", "positive", "positive")
    assert fixed["attempts"] == 2
    first, second = bodies_with(server, "[[reply_seq:maybe|positive]]")
    assert second["messages"][:len(first["messages"])] == first["messages"]
    assistant, correction = second["messages"][len(first["messages"]):]
    assert assistant == {"role": "assistant", "content": "maybe"}
    assert correction["role"] == "user"
    assert "'maybe'" in correction["content"]
    assert "Answer with exactly one of: positive, negative, neutral." in correction["content"]
    # Tokens and cost are those of both requests together.
    (p1, c1), (p2, c2) = server_usage(first, "maybe"), server_usage(second, "positive")
    assert token_columns(fixed) == (p1 + p2, c1 + c2, p1 + p2 + c1 + c2)
    assert fixed["cost_usd"] == pytest.approx(cost(p1 + p2, c1 + c2))

    # Still wrong after the re-ask: invalid_label, both requests counted.
    hopeless = out["r00004"]
    assert hopeless["status"] == "error" and hopeless["sentiment"] is None
    assert hopeless["error"].startswith("invalid_label: reply 'I cannot tell' is not one of the labels")
    assert hopeless["attempts"] == 2 and hopeless["response_text"] == "I cannot tell"
    assert len(bodies_with(server, "[[reply:I cannot tell]]")) == 2

    # Right the first time: one request, no re-ask.
    assert out["r00006"]["sentiment"] == "negative" and out["r00006"]["attempts"] == 1
    assert all(out[f"r{i:05d}"]["attempts"] == 1 for i in (0, 2, 3, 5, 7))
    assert server.stats()["requests"] == 10
    assert summary["requests_sent"] == 10
    assert summary["error_kinds"] == {"invalid_label": 1}

    # Run again: both turns of each re-asked row come from the cache.
    server.reset()
    again = run(job, "--fresh", code=3)
    assert server.stats()["requests"] == 0 and again["cached"] == 8
    replay = by_id(job.read_output())
    assert [r["sentiment"] for r in replay.values()] == [r["sentiment"] for r in out.values()]
    assert replay["r00001"]["cached"] and replay["r00001"]["cost_usd"] == 0


def test_reask_0_leaves_invalid_label(tmp_path: Path, server: Any) -> None:
    job = make_job(tmp_path, server.base_url, reask_rows(), spec={"parse": {"labels": LABELS, "reask": 0}})
    summary = run(job, code=3)
    out = by_id(job.read_output())
    row = out["r00001"]
    assert row["status"] == "error" and row["attempts"] == 1 and row["response_text"] == "maybe"
    assert row["error"] == "invalid_label: reply 'maybe' is not one of the labels (positive, negative, neutral)"
    assert server.stats()["requests"] == 8
    assert summary["error_kinds"] == {"invalid_label": 2}


def test_abstain_label_and_label_distribution_in_summary(tmp_path: Path, server: Any) -> None:
    rows = reviews(12)
    rows[3]["text"] += " [[reply:Unknown.]]"
    rows[9]["text"] += " [[reply:unknown]]"
    job = make_job(tmp_path, server.base_url, rows,
                   spec={"parse": {"labels": LABELS, "abstain": "unknown"}})
    result = run_cli("run", str(job.spec))
    assert result.exit_code == 0, result.stderr
    values = job.read_output().column("sentiment").to_pylist()
    assert values[3] == values[9] == "unknown"
    counts = Counter(values)
    line = next(line for line in result.stderr.splitlines() if line.startswith("labels: "))
    shown = dict(item.rsplit(" ", 1) for item in line[len("labels: "):].split(", "))
    assert {k: int(v) for k, v in shown.items()} == dict(counts)
    assert run(job, "--fresh")["labels"] == dict(counts)


# ------------------------------------------------------------------ typed extraction


SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["category", "urgency", "order", "refund", "amount", "tags", "customer", "notes"],
    "properties": {
        "category": {"type": "string", "enum": ["billing", "login", "shipping"]},
        "urgency": {"type": "integer", "minimum": 1, "maximum": 5},
        "order": {"type": ["string", "null"]},
        "refund": {"type": "boolean"},
        "amount": {"type": ["number", "null"]},
        "tags": {"type": "array", "items": {"type": "string"}},
        "customer": {
            "type": "object", "additionalProperties": False, "required": ["name", "emails", "address"],
            "properties": {
                "name": {"type": "string"},
                "emails": {"type": "array", "items": {"type": "string"}},
                "address": {"anyOf": [
                    {"type": "object", "required": ["city"], "properties": {
                        "city": {"type": "string"}, "zip": {"type": ["string", "null"]}}},
                    {"type": "null"}]},
            },
        },
        "notes": {"type": "array", "items": {"type": "object", "properties": {
            "at": {"type": "integer"}, "text": {"type": "string"}}}},
    },
}
CUSTOM = {"category": "shipping", "urgency": 4, "order": None, "refund": True, "amount": 12.5,
          "tags": ["late", "damaged"], "customer": {"name": "Ann", "emails": [],
                                                   "address": {"city": "Oslo", "zip": None}},
          "notes": [{"at": 1, "text": "called"}, {"at": 2, "text": "emailed"}]}
NO_ADDRESS = {**CUSTOM, "category": "login", "tags": [], "amount": None,
              "customer": {"name": "Bo", "emails": ["bo@example.com"], "address": None}, "notes": []}


def directive(value: Any) -> str:
    return f"[[reply:{orjson.dumps(value).decode()}]]"


def extraction_rows() -> list[dict[str, Any]]:
    rows = reviews(7)
    rows[1]["text"] += " " + directive(CUSTOM)
    rows[2]["text"] += " " + directive(NO_ADDRESS)
    rows[3]["text"] += ' [[reply:{"category": "billing", "urgency": ]]'  # broken JSON
    rows[4]["text"] += " " + directive({**CUSTOM, "category": "refunds"})  # not in the enum
    rows[5]["text"] += " " + directive({k: v for k, v in CUSTOM.items() if k != "urgency"})  # missing field
    return rows


def test_json_schema_job_writes_a_typed_struct(tmp_path: Path, server: Any) -> None:
    job = make_job(tmp_path, server.base_url, extraction_rows(), spec={
        "parse": {"json_schema": SCHEMA}, "output": {"path": "out.parquet", "column": "fields"},
        "params": {"temperature": 0}})
    summary = run(job, code=3)
    assert summary["error_kinds"] == {"invalid_json": 3}

    for body in bodies(server):
        assert body["response_format"] == {
            "type": "json_schema", "json_schema": {"name": "row", "schema": SCHEMA, "strict": True}}

    table = pq.read_table(job.output)
    assert table.schema.field("fields").type == arrow_type(SCHEMA)
    assert pa.types.is_struct(table.schema.field("fields").type)
    customer = table.schema.field("fields").type.field("customer").type
    assert customer.field("address").type == pa.struct([("city", pa.string()), ("zip", pa.string())])
    out = by_id(table)
    assert out["r00000"]["fields"] == schema_instance(SCHEMA)  # what the server made up, typed
    assert out["r00006"]["fields"] == schema_instance(SCHEMA)
    assert out["r00001"]["fields"] == CUSTOM
    assert out["r00002"]["fields"] == NO_ADDRESS
    assert orjson.loads(out["r00001"]["response_text"]) == CUSTOM

    assert out["r00003"]["status"] == "error" and out["r00003"]["fields"] is None
    assert out["r00003"]["error"].startswith("invalid_json: reply is not valid JSON")
    assert out["r00004"]["error"] == ("invalid_json: reply does not match the schema: "
                                      "category: 'refunds' is not one of ['billing', 'login', 'shipping']")
    assert out["r00005"]["error"] == ("invalid_json: reply does not match the schema: "
                                      "(root): 'urgency' is a required property")
    # Readers get real types, not JSON strings.
    fields = table.column("fields")
    assert fields.type.field("urgency").type == pa.int64()
    assert pc.struct_field(fields, "amount").to_pylist()[1] == 12.5


def test_json_schema_reask_fixes_an_invalid_reply(tmp_path: Path, server: Any) -> None:
    rows = reviews(3)
    bad = orjson.dumps({**CUSTOM, "urgency": 9}).decode()
    rows[1]["text"] += f" [[reply_seq:{bad}|{orjson.dumps(CUSTOM).decode()}]]"
    job = make_job(tmp_path, server.base_url, rows, spec={
        "parse": {"json_schema": SCHEMA, "reask": 1}, "output": {"path": "out.parquet", "column": "fields"}})
    run(job)
    row = by_id(job.read_output())["r00001"]
    assert row["fields"] == CUSTOM and row["attempts"] == 2
    first, second = bodies_with(server, "[[reply_seq:")
    assert second["messages"][-2] == {"role": "assistant", "content": bad}
    correction = second["messages"][-1]["content"]
    assert "urgency: 9 is greater than the maximum of 5" in correction
    assert "JSON object that fits the schema" in correction
    assert second["response_format"] == first["response_format"]
    (p1, c1), (p2, c2) = server_usage(first, bad), server_usage(second, orjson.dumps(CUSTOM).decode())
    assert token_columns(row) == (p1 + p2, c1 + c2, p1 + p2 + c1 + c2)


def test_json_mode_without_schema_keeps_json_text(tmp_path: Path, server: Any) -> None:
    rows = reviews(3)
    rows[0]["text"] += ' [[reply:```json\n{"a": [1, 2]}\n```]]'
    rows[1]["text"] += ' [[reply:{"a": }]]'
    rows[2]["text"] += ' [[reply:{"b": null}]]'
    job = make_job(tmp_path, server.base_url, rows, spec={"parse": {"json": True}})
    run(job, code=3)
    table = job.read_output()
    values = table.column("sentiment").to_pylist()
    assert orjson.loads(values[0]) == {"a": [1, 2]} and orjson.loads(values[2]) == {"b": None}
    assert values[1] is None and table.column("error").to_pylist()[1].startswith("invalid_json")


# ------------------------------------------------------------------ long documents


def long_document(chars: int = 30_000) -> str:
    words = "market rates policy growth inflation bank report analysts quarter forecast".split()
    paragraphs = []
    n = 0
    while sum(len(p) + 2 for p in paragraphs) < chars:
        sentences = [f"Sentence {n}.{s} " + " ".join(words[(n * 7 + s * 3 + k) % len(words)] for k in range(14)) + "."
                     for s in range(6)]
        paragraphs.append(" ".join(sentences))
        n += 1
    return "\n\n".join(paragraphs)


MAX_PART, OVERLAP = 1000, 100
SPLIT_PROMPT = {
    "system": "You summarize.",
    "user": "[[id:{{ id }}-part-{{ part_index }}]][[reply:summary of part {{ part_index }} of {{ part_count }}]] "
            "Summarize: {{ part }}",
    "split": {"column": "text", "max_tokens": MAX_PART, "overlap": OVERLAP},
    "reduce": "[[id:{{ id }}-reduce]][[reply:the whole story]] Combine:\n"
              "{% for p in parts %}- {{ p }}\n{% endfor %}",
}


def split_job(tmp_path: Path, server: Any, rows: list[dict[str, Any]], **spec: Any) -> Job:
    return make_job(tmp_path, server.base_url, rows, spec={
        "prompt": SPLIT_PROMPT, "parse": None, "params": {"temperature": 0},
        "output": {"path": "out.parquet", "column": "summary"}, **spec})


def test_long_document_is_split_then_reduced(tmp_path: Path, server: Any) -> None:
    doc = long_document()
    assert len(doc) >= 30_000
    rows = [{"id": "long", "text": doc}, {"id": "short", "text": "A short note. Nothing to split."}]
    job = split_job(tmp_path, server, rows)
    summary = run(job)
    parts = split_text(doc, MAX_PART, OVERLAP)
    assert len(parts) >= 5

    sent = bodies_with(server, "[[id:long-")
    assert len(sent) == len(parts) + 1
    for number, (body, part) in enumerate(zip(sent, parts, strict=False)):
        assert body["messages"][1]["content"].endswith("Summarize: " + part)
        assert f"[[id:long-part-{number}]]" in body["messages"][1]["content"]
    reduce = sent[-1]
    assert "[[id:long-reduce]]" in reduce["messages"][1]["content"]
    listed = [line[2:] for line in reduce["messages"][1]["content"].splitlines() if line.startswith("- ")]
    assert listed == [f"summary of part {i} of {len(parts)}" for i in range(len(parts))]
    assert server.stats()["per_key"]["long-reduce"]["requests"] == 1

    out = by_id(job.read_output())
    long = out["long"]
    assert (long["status"], long["summary"], long["finish_reason"]) == ("ok", "the whole story", "stop")
    replies = [f"summary of part {i} of {len(parts)}" for i in range(len(parts))] + ["the whole story"]
    usage = [server_usage(b, r) for b, r in zip(sent, replies, strict=True)]
    prompt, completion = sum(u[0] for u in usage), sum(u[1] for u in usage)
    assert token_columns(long) == (prompt, completion, prompt + completion)
    assert long["cost_usd"] == pytest.approx(cost(prompt, completion))
    assert long["attempts"] == len(parts) + 1

    # A value that fits is one request, no reduce.
    short = out["short"]
    assert short["attempts"] == 1 and short["summary"] == "summary of part 0 of 1"
    assert [b["messages"][1]["content"] for b in bodies_with(server, "[[id:short-")] == [
        "[[id:short-part-0]][[reply:summary of part 0 of 1]] Summarize: A short note. Nothing to split."]
    assert summary["requests_sent"] == server.stats()["requests"] == len(parts) + 2


def test_split_job_rerun_comes_from_the_cache(tmp_path: Path, server: Any) -> None:
    job = split_job(tmp_path, server, [{"id": "doc", "text": long_document(12_000)}])
    run(job)
    first = by_id(job.read_output())["doc"]
    server.reset()
    again = run(job, "--fresh")
    assert server.stats()["requests"] == 0 and again["cached"] == 1
    row = by_id(job.read_output())["doc"]
    assert row["cached"] is True and row["cost_usd"] == 0 and row["attempts"] == 0
    assert (row["summary"], token_columns(row)) == (first["summary"], token_columns(first))


def test_a_rejected_reduce_fails_the_row_with_all_its_requests_counted(tmp_path: Path, server: Any) -> None:
    doc = long_document(12_000)
    prompt = {**SPLIT_PROMPT, "reduce": "[[status:400]] Combine: {% for p in parts %}{{ p }} {% endfor %}"}
    job = split_job(tmp_path, server, [{"id": "doc", "text": doc}], prompt=prompt)
    run(job, code=3)
    row = by_id(job.read_output())["doc"]
    n = len(split_text(doc, MAX_PART, OVERLAP))
    assert row["status"] == "error" and row["error"].startswith("http_4xx")
    assert row["attempts"] == n + 1  # the parts and the rejected reduce
    assert row["prompt_tokens"] > 0  # the parts were paid for


def test_retry_failed_reuses_the_parts_a_failed_split_row_paid_for(tmp_path: Path, server: Any) -> None:
    doc = long_document(12_000)
    n = len(split_text(doc, MAX_PART, OVERLAP))
    prompt = {**SPLIT_PROMPT, "reduce": "[[id:doc-reduce]][[fail_first:1:400]][[reply:the whole story]] Combine: "
                                        "{% for p in parts %}{{ p }} {% endfor %}"}
    job = split_job(tmp_path, server, [{"id": "doc", "text": doc}], prompt=prompt)
    run(job, code=3)  # the reduce is rejected once (400 is not retried): the row fails
    failed = by_id(job.read_output())["doc"]
    assert failed["status"] == "error" and failed["attempts"] == n + 1
    before = server.stats()["requests"]
    # --no-cache: the journal alone must keep the parts from being asked (and paid for) again.
    run(job, "--retry-failed", "--no-cache")
    assert server.stats()["requests"] - before == 1  # the reduce only
    row = by_id(job.read_output())["doc"]
    assert (row["status"], row["summary"]) == ("ok", "the whole story")
    assert row["attempts"] == n + 2  # the parts once, the rejected reduce, the new reduce
    assert row["prompt_tokens"] > failed["prompt_tokens"] > 0  # the parts' tokens plus the reduce's


def test_crash_mid_document_does_not_repay_journaled_parts(tmp_path: Path, server: Any) -> None:
    doc = long_document(40_000)
    parts = split_text(doc, MAX_PART, OVERLAP)
    job = split_job(tmp_path, server, [{"id": "doc", "text": doc}],
                    run={"concurrency": 1, "max_retries": 2, "timeout_s": 30})
    server.configure(latency_ms=150)
    proc = spawn_cli("run", str(job.spec), "--no-cache")  # the journal alone must prevent re-requests
    journaled: list[int] = []
    try:
        deadline = time.monotonic() + 30
        journal = None
        while time.monotonic() < deadline and proc.poll() is None:
            found = list((job.dir / ".batchrunner").glob("runs/*/*/journal.sqlite"))
            if found:
                journal = found[0]
                try:
                    db = sqlite3.connect(f"file:{journal}?mode=ro", uri=True)
                    journaled = [p for (p,) in db.execute("SELECT part FROM parts ORDER BY part")]
                    db.close()
                except sqlite3.OperationalError:
                    pass
                if len(journaled) >= 2:
                    break
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    assert journal is not None and len(journaled) >= 2
    db = sqlite3.connect(journal)
    journaled = [p for (p,) in db.execute("SELECT part FROM parts ORDER BY part")]
    assert db.execute("SELECT COUNT(*) FROM rows").fetchone()[0] == 0  # the row itself is unfinished
    db.close()
    assert journaled == list(range(len(journaled))) and len(journaled) < len(parts)
    before = {k: v["requests"] for k, v in server.stats()["per_key"].items()}

    server.configure(latency_ms=0)
    result = run_cli("run", str(job.spec), "--no-cache", "--json")
    assert result.exit_code == 0, result.stderr
    assert "resuming run" in result.stderr
    per_key = {k: v["requests"] for k, v in server.stats()["per_key"].items()}
    for number in journaled:
        assert per_key[f"doc-part-{number}"] == 1, f"part {number} was journaled but requested again"
    repeated = [k for k, n in per_key.items() if n > 1]
    assert len(repeated) <= 1  # at most the part in flight at the kill
    assert set(per_key) == {f"doc-part-{i}" for i in range(len(parts))} | {"doc-reduce"}
    assert before.get("doc-reduce") is None and per_key["doc-reduce"] == 1

    row = by_id(job.read_output())["doc"]
    assert row["status"] == "ok" and row["summary"] == "the whole story"
    assert row["attempts"] == len(parts) + 1
    # Tokens: every part once (the journaled ones from the first run) plus the reduce.
    sent = {b["messages"][1]["content"]: b for b in bodies_with(server, "[[id:doc-")}
    replies = {f"[[id:doc-part-{i}]]": f"summary of part {i} of {len(parts)}" for i in range(len(parts))}
    replies["[[id:doc-reduce]]"] = "the whole story"
    prompt = completion = 0
    for content, body in sent.items():
        reply = next(r for marker, r in replies.items() if content.startswith(marker))
        p, c = server_usage(body, reply)
        prompt, completion = prompt + p, completion + c
    assert len(sent) == len(parts) + 1
    assert token_columns(row) == (prompt, completion, prompt + completion)


# ------------------------------------------------------------------ streaming


def streaming_rows() -> list[dict[str, Any]]:
    rows = reviews(10)
    rows[2]["text"] += " [[reply:A longer reply that arrives in several pieces over the stream.]]"
    rows[5]["text"] += " [[reply:Déjà vu — ünïcode 東京 survives chunking]]"
    return rows


def test_streaming_equals_non_streaming(tmp_path: Path, server: Any) -> None:
    compared = ["id", "sentiment", "response_text", "status", "prompt_tokens", "completion_tokens",
                "total_tokens", "cached_tokens", "reasoning_tokens", "cost_usd", "attempts", "finish_reason",
                "model", "cached"]
    server.configure(cached_tokens=2, reasoning_tokens=1)
    tables = {}
    for stream in (False, True):
        folder = tmp_path / f"stream-{stream}"
        folder.mkdir()
        params = {"temperature": 0, "max_tokens": 50, **({"stream": True} if stream else {})}
        job = make_job(folder, server.base_url, streaming_rows(), spec={
            "name": f"s-{stream}", "parse": None, "params": params, "cache": False})
        run(job)
        tables[stream] = job.read_output()
    assert tables[True].select(compared).equals(tables[False].select(compared))
    streamed = [b for b in bodies(server) if b.get("stream")]
    assert len(streamed) == 10
    assert all(b["stream_options"] == {"include_usage": True} for b in streamed)
    assert all(t > 0 for t in tables[True].column("total_tokens").to_pylist())
    assert tables[True].column("sentiment").to_pylist()[5] == "Déjà vu — ünïcode 東京 survives chunking"


@pytest.mark.parametrize("cut_mode", ["abort", "clean"])
def test_a_stream_cut_short_is_retried(tmp_path: Path, server: Any, cut_mode: str) -> None:
    server.configure(stream_cut_mode=cut_mode)
    rows = reviews(6)
    rows[3]["text"] += " [[fail_first:1:cut]]"
    job = make_job(tmp_path, server.base_url, rows, spec={"params": {"stream": True, "max_tokens": 5}})
    run(job)
    table = job.read_output()
    assert table.column("status").to_pylist() == ["ok"] * 6
    assert table.column("attempts").to_pylist() == [1, 1, 1, 2, 1, 1]
    assert server.stats()["requests"] == 7


def test_random_stream_cuts_all_recover(tmp_path: Path, server: Any) -> None:
    server.configure(p_stream_cut=0.3, seed=7)
    job = make_job(tmp_path, server.base_url, reviews(30), spec={
        "params": {"stream": True, "max_tokens": 5}, "run": {"concurrency": 4, "max_retries": 8, "timeout_s": 10}})
    summary = run(job)
    table = job.read_output()
    assert table.column("status").to_pylist() == ["ok"] * 30
    attempts = table.column("attempts").to_pylist()
    assert sum(attempts) == server.stats()["requests"] == summary["requests_sent"]
    assert sum(attempts) > 30  # some streams really were cut


def sse(*events: Any, done: bool = True) -> RawResponse:
    lines = [e if isinstance(e, bytes) else b"data: " + orjson.dumps(e) for e in events]  # bytes: a raw line
    if done:
        lines.append(b"data: [DONE]")
    return RawResponse(200, {"x-request-id": "req_9"}, b"\r\n\r\n".join(lines) + b"\r\n\r\n")


def chunk(content: str | None = None, finish: str | None = None) -> dict[str, Any]:
    delta = {} if content is None else {"content": content}
    return {"id": "c1", "model": "m", "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}


USAGE = {"id": "c1", "model": "m", "choices": [], "usage": {
    "prompt_tokens": 7, "completion_tokens": 3, "total_tokens": 10,
    "prompt_tokens_details": {"cached_tokens": 2}, "completion_tokens_details": {"reasoning_tokens": 1}}}


def test_parse_sse_assembles_text_finish_and_usage() -> None:
    done = parse_sse(sse(chunk(""), chunk("Hel"), chunk("lo"), chunk(None, "stop"), USAGE, b": keep-alive"), 5.0)
    assert (done.text, done.finish_reason, done.model, done.request_id) == ("Hello", "stop", "m", "req_9")
    assert done.usage == Usage(7, 3, 10, 2, 1)


def test_parse_sse_cut_short_and_errors() -> None:
    with pytest.raises(APIResponseError, match="cut short"):
        parse_sse(sse(chunk("Hel"), done=False), 1.0)
    with pytest.raises(APIResponseError, match="not valid JSON"):
        parse_sse(sse(chunk("Hel"), b'data: {"choices": [', done=False), 1.0)
    with pytest.raises(APIResponseError, match="stream error: overloaded"):
        parse_sse(sse(chunk("Hel"), {"error": {"message": "overloaded"}}), 1.0)
    # A server that never sends [DONE]: the finish_reason says the text is complete.
    lenient = parse_sse(sse(chunk("Hi"), chunk(None, "length"), done=False), 1.0)
    assert (lenient.text, lenient.finish_reason, lenient.usage) == ("Hi", "length", Usage())


# ------------------------------------------------------------------ truncation


def truncation_rows() -> list[dict[str, Any]]:
    rows = reviews(3)
    rows[0]["text"] += " [[reply:I think it is positive overall]]"
    rows[1]["text"] += ' [[reply:{"label": "positive", "why": "good"}]]'
    rows[2]["text"] += " [[reply:neutral]]"
    return rows


@pytest.mark.parametrize("parse", [{"labels": LABELS}, {"json": True},
                                   {"json_schema": {"type": "object", "properties": {"label": {"type": "string"}}}}])
def test_finish_reason_length_is_a_truncated_error(tmp_path: Path, server: Any, parse: dict[str, Any]) -> None:
    job = make_job(tmp_path, server.base_url, truncation_rows(), spec={
        "parse": {**parse, "reask": 2}, "params": {"max_tokens": 3}})
    run(job, code=3)
    table = job.read_output()
    errors = table.column("error").to_pylist()
    assert errors[0] == errors[1] == ("truncated: the reply was cut off at max_tokens before it was complete; "
                                      "raise params.max_tokens")
    assert table.column("finish_reason").to_pylist()[:2] == ["length", "length"]
    assert table.column("response_text").to_pylist()[0] == "I think it"
    assert table.column("attempts").to_pylist()[:2] == [1, 1]  # a cut-off reply is not re-asked
    assert table.column("sentiment").to_pylist()[:2] == [None, None]


def test_finish_reason_length_on_free_text_is_ok(tmp_path: Path, server: Any) -> None:
    job = make_job(tmp_path, server.base_url, truncation_rows(), spec={"parse": None, "params": {"max_tokens": 3}})
    run(job)
    table = job.read_output()
    assert table.column("status").to_pylist() == ["ok"] * 3
    assert table.column("sentiment").to_pylist()[0] == "I think it"
    assert table.column("finish_reason").to_pylist() == ["length", "length", "stop"]
    assert table.column("completion_tokens").to_pylist()[0] == 3
    # The cut-off text is the answer, so a re-run is answered from the cache.
    server.reset()
    assert run(job, "--fresh")["cached"] == 3
    assert server.stats()["requests"] == 0


def test_dry_run_of_a_split_job_counts_every_request(tmp_path: Path, server: Any) -> None:
    doc = long_document()
    rows = [{"id": "long", "text": doc}, {"id": "short", "text": "A short note."}]
    job = split_job(tmp_path, server, rows, params={"temperature": 0, "max_tokens": 200})
    result = run_cli("run", str(job.spec), "--dry-run", "--json")
    assert result.exit_code == 0, result.stderr
    estimate = orjson.loads(result.stdout)
    requests = len(split_text(doc, MAX_PART, OVERLAP)) + 1 + 1  # the parts, the reduce, the short row
    # Output: max_tokens for every request; the reduce prompt may hold max_tokens per part reply.
    assert estimate["cost_usd"] == pytest.approx(cost(estimate["prompt_tokens"], requests * 200))
    assert estimate["prompt_tokens"] > len(split_text(doc, MAX_PART, OVERLAP)) * 200
    assert server.stats()["requests"] == 0
