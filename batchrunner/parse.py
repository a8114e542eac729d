"""Turning a reply's text into the output value: free text, a label, or JSON.

A reply that cannot be used raises `ParseFailure` with the row error kind
(`invalid_label`, `invalid_json`, `truncated`, `content_filter`) and a short message
that a re-ask can quote back to the model.
"""

from __future__ import annotations

import re
from typing import Any

import orjson

from .spec import ParseSpec


class ParseFailure(Exception):
    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_FENCE = re.compile(r"```[a-zA-Z]*[ \t]*\n?(.*?)```", re.DOTALL)


def normalize(text: str) -> str:
    """Case, spaces and punctuation do not count: ' Positive!! ' == 'positive'."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


class ReplyParser:
    def __init__(self, spec: ParseSpec) -> None:
        self.spec = spec
        self.mode = spec.mode
        self._labels: dict[str, str] = {normalize(v): v for v in spec.labels or ()}
        self._exact = frozenset(spec.labels or ())
        self._label_words = [(tuple(_WORD.findall(v.casefold())), v) for v in spec.labels or ()]
        self._validator: Any = None
        if spec.json_schema is not None:
            from .schema import make_validator

            self._validator = make_validator(spec.json_schema)

    def parse(self, text: str, finish_reason: str | None) -> Any:
        """The output value for a reply, or ParseFailure."""
        if finish_reason == "content_filter":
            raise ParseFailure("content_filter", "the provider's content filter stopped the reply")
        if self.mode == "text":
            return text
        if finish_reason == "length":
            raise ParseFailure("truncated", "the reply was cut off at max_tokens before it was complete; "
                                            "raise params.max_tokens")
        if self.mode == "labels":
            return self.parse_label(text)
        return self.parse_json(text)

    def parse_label(self, text: str) -> str:
        if text in self._exact:  # the usual reply: one label, verbatim
            return text
        label = self._labels.get(normalize(text))
        if label is not None:
            return label
        # A JSON reply such as {"label": "positive"} (constrained decoding) counts by its value.
        stripped = text.strip()
        if stripped.startswith("{"):
            try:
                data = orjson.loads(stripped)
            except orjson.JSONDecodeError:
                data = None
            if isinstance(data, dict):
                values = [v for v in data.values() if isinstance(v, str)]
                if len(values) == 1 and normalize(values[0]) in self._labels:
                    return self._labels[normalize(values[0])]
        # Otherwise exactly one label must appear as whole words ("Label: negative." -> negative).
        words = _WORD.findall(text.casefold())
        hits = [(seq, label) for seq, label in self._label_words if seq and _contains(words, seq)]
        # "very positive" also contains "positive": the longer label is the answer.
        found = {label for seq, label in hits
                 if not any(len(other) > len(seq) and _contains(list(other), seq) for other, _ in hits)}
        if len(found) == 1:
            return found.pop()
        allowed = ", ".join(self.spec.labels or ())
        shown = text.strip().replace("\n", " ")[:80]
        why = "names several labels" if found else "is not one of the labels"
        raise ParseFailure("invalid_label", f"reply {shown!r} {why} ({allowed})")

    def parse_json(self, text: str) -> Any:
        body = text.strip()
        try:
            value = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            value = _embedded_json(body)
            if value is _NOT_FOUND:
                raise ParseFailure("invalid_json", f"reply is not valid JSON ({exc.args[0].split(':')[0]})") from None
        if self._validator is not None:
            from .schema import first_violation

            problem = first_violation(self._validator, value)
            if problem is not None:
                raise ParseFailure("invalid_json", f"reply does not match the schema: {problem}")
        return value

    def correction(self, failure: ParseFailure) -> str:
        """The short message a re-ask sends back to the model."""
        if self.mode == "labels":
            allowed = ", ".join(self.spec.labels or ())
            return f"Your answer was not valid: {failure.message}. Answer with exactly one of: {allowed}."
        if self.mode in ("json", "json_schema"):
            return f"Your answer was not valid: {failure.message}. Reply with only a JSON object that fits the schema."
        return f"Your answer was not valid: {failure.message}."


_NOT_FOUND = object()


def _embedded_json(body: str) -> Any:
    """JSON inside a ```json fence, or the one {...} object in a chatty reply."""
    candidates = [m.group(1).strip() for m in _FENCE.finditer(body)]
    start, end = body.find("{"), body.rfind("}")
    if 0 <= start < end:
        candidates.append(body[start:end + 1])
    for candidate in candidates:
        try:
            return orjson.loads(candidate)
        except orjson.JSONDecodeError:
            continue
    return _NOT_FOUND


def _contains(words: list[str], seq: tuple[str, ...]) -> bool:
    n = len(seq)
    if n == 1:
        return seq[0] in words
    return any(tuple(words[i:i + n]) == seq for i in range(len(words) - n + 1))
