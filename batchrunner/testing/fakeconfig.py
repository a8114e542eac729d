"""The fake server's settings and the directives rows use to steer it (see fakeserver.py)."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

REPLY_MODES = ("echo", "fixed", "label", "json")
FAIL_KINDS = ("drop", "malformed", "cut")
DIRECTIVES = ("id", "reply", "status", "fail_first", "sleep_ms", "reply_seq")
DIRECTIVE_RE = re.compile(
    r"\[\[(id|reply_seq|reply|status|fail_first|sleep_ms):(.*?)\]\]", re.S
)
_PROB_FIELDS = (
    "p_500",
    "p_503",
    "p_429",
    "p_drop",
    "p_slow",
    "p_malformed",
    "p_stream_cut",
)


@dataclass
class FakeServerConfig:
    """Live behaviour of the fake server; every field is settable via /_config."""

    latency_ms: float = 0.0
    jitter_ms: float = 0.0  # uniform extra 0..jitter_ms
    reply_mode: str = "label"  # echo | fixed | label | json
    reply_text: str = "OK"
    labels: list[str] = field(
        default_factory=lambda: ["positive", "negative", "neutral"]
    )
    label_noise: bool = False
    json_reply: dict[str, Any] = field(default_factory=lambda: {"answer": "ok"})
    seed: int = 0
    p_500: float = 0.0
    p_503: float = 0.0
    p_429: float = 0.0
    retry_after_s: float = 1.0
    retry_after_ms: float | None = None
    p_drop: float = 0.0
    p_slow: float = 0.0
    slow_ms: float = 1000.0
    p_malformed: float = 0.0
    p_stream_cut: float = 0.0
    stream_cut_mode: str = (
        "abort"  # abort: reset mid-body; clean: end the body before [DONE]
    )
    fail_first_n: int = 0
    fail_first_status: int | str = 500  # HTTP code, or drop | malformed | cut
    api_key: str | None = None
    insufficient_balance: bool = False
    rpm: float | None = None
    tpm: float | None = None
    limit_window_s: float = 60.0
    cached_tokens: int = 0
    reasoning_tokens: int = 0
    report_usage: bool = True
    finish_reason_override: str | None = None
    keep_bodies: int = 0
    track_keys: bool = True
    models: list[str] = field(default_factory=lambda: ["fake-model"])

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            t = str(f.type)
            if t in ("float", "int", "float | None"):
                if v is None and "None" in t:
                    continue
                kinds = int if t == "int" else (int, float)
                if isinstance(v, bool) or not isinstance(v, kinds) or v < 0:
                    raise ValueError(f"{f.name}: expected a number >= 0, got {v!r}")
            elif t == "bool" and not isinstance(v, bool):
                raise ValueError(f"{f.name}: expected true/false, got {v!r}")
            elif t.startswith("str") and not (
                v is None and "None" in t or isinstance(v, str)
            ):
                raise ValueError(f"{f.name}: expected a string, got {v!r}")
        for name in _PROB_FIELDS:
            if getattr(self, name) > 1:
                raise ValueError(f"{name}: a probability must be within 0..1")
        if self.reply_mode not in REPLY_MODES:
            raise ValueError(
                f"reply_mode: {self.reply_mode!r} is not one of {REPLY_MODES}"
            )
        if self.stream_cut_mode not in ("abort", "clean"):
            raise ValueError("stream_cut_mode: must be 'abort' or 'clean'")
        if not isinstance(self.labels, list) or not self.labels:
            raise ValueError("labels: expected a non-empty list of strings")
        if not isinstance(self.json_reply, (dict, list)):
            raise ValueError("json_reply: expected a JSON object")
        if not isinstance(self.models, list) or not self.models:
            raise ValueError("models: expected a non-empty list of strings")
        self.fail_first_status = fail_kind(self.fail_first_status, "fail_first_status")
        if self.limit_window_s <= 0:
            raise ValueError("limit_window_s: must be > 0")

    def merged(self, updates: Mapping[str, Any]) -> FakeServerConfig:
        """A copy with ``updates`` applied; unknown keys raise ``ValueError``."""
        names = {f.name for f in dataclasses.fields(self)}
        unknown = sorted(set(updates) - names)
        if unknown:
            raise ValueError(f"unknown config key(s): {', '.join(unknown)}")
        return dataclasses.replace(self, **dict(updates))

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def fail_kind(value: Any, where: str) -> int | str:
    if isinstance(value, str) and value in FAIL_KINDS:
        return value
    try:
        code = int(value)
    except (TypeError, ValueError):
        code = 0
    if isinstance(value, bool) or not 100 <= code <= 599:
        raise ValueError(
            f"{where}: expected an HTTP status or one of {FAIL_KINDS}, got {value!r}"
        )
    return code


def message_key(messages: Any) -> str:
    """The per-row key for ``messages``: first 16 hex of sha1 of their compact JSON with sorted
    keys, so the client's key order does not matter (equals ``json.dumps(m, separators=(",", ":"),
    ensure_ascii=False, sort_keys=True)``)."""
    return hashlib.sha1(orjson.dumps(messages, option=orjson.OPT_SORT_KEYS)).hexdigest()[:16]


def parse_directives(text: str) -> dict[str, Any]:
    d: dict[str, Any] = {}
    for name, val in DIRECTIVE_RE.findall(text):
        if name in d:
            continue
        try:
            if name == "status":
                d[name] = fail_kind(int(val), "[[status]]")
            elif name == "sleep_ms":
                d[name] = float(val)
            elif name == "fail_first":
                count, _, what = val.partition(":")
                d[name] = (int(count), fail_kind(what, "[[fail_first]]"))
            elif name == "reply_seq":
                d[name] = val.split("|")
            else:
                d[name] = val
        except ValueError as exc:
            raise ValueError(f"bad directive [[{name}:{val}]]: {exc}") from exc
    return d


def load_config(text: str | None) -> FakeServerConfig:
    if not text:
        return FakeServerConfig()
    raw = Path(text[1:]).read_bytes() if text.startswith("@") else text.encode()
    data = orjson.loads(raw)
    if not isinstance(data, dict):
        raise ValueError("--config: expected a JSON object")
    return FakeServerConfig().merged(data)
