"""Prompt token estimates, for client-side rate limits, budgets and `--dry-run`.

Exact o200k_base counts come from the `bpe_openai` package (Rust, vocabulary shipped in
the wheel, no network). Without it we fall back to the usual ceil(chars / 4) estimate.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any

__all__ = ["count_tokens", "estimate_prompt_tokens", "tokenizer_name"]

ENCODING = "o200k_base"
FALLBACK_NAME = "chars/4"

# OpenAI's chat format: each message is wrapped in <|start|>{role}<|message|>...<|end|>
# (3 tokens) and every reply is primed with <|start|>assistant<|message|> (3 tokens).
TOKENS_PER_MESSAGE = 3
TOKENS_PER_NAME = 1
REPLY_PRIMING = 3

_counter: Callable[[str], int] | None = None
_name: str | None = None


def _chars_over_four(text: str) -> int:
    return (len(text) + 3) // 4


def _load() -> tuple[Callable[[str], int], str]:
    """Pick the fastest exact counter available, else the estimate."""
    try:
        # The Rust tokenizer's own count(): no list of ids is built, and unlike
        # bpe_openai.get_encoding() it does not build Python rank tables at load.
        bindings = importlib.import_module("bpe_openai._bindings")
        rust_count: Callable[[str], int] = bindings.tokenizer_for_encoding(ENCODING).count
        return rust_count, ENCODING
    except Exception:  # any failure here just means "use the next option"
        pass
    try:
        encoding: Any = importlib.import_module("bpe_openai").get_encoding(ENCODING)

        def encoded_length(text: str) -> int:
            return len(encoding.encode_ordinary(text))

        return encoded_length, ENCODING
    except Exception:
        return _chars_over_four, FALLBACK_NAME


def _get_counter() -> Callable[[str], int]:
    global _counter, _name
    if _counter is None:
        # bpe_openai 0.1.x loads its vocabulary with a deprecated importlib.resources
        # call; under `-W error` that warning would silently demote us to chars/4.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            _counter, _name = _load()
    return _counter


def count_tokens(text: str) -> int:
    """Tokens in `text` under o200k_base (special-token strings count as plain text)."""
    if not text:
        return 0
    counter = _counter or _get_counter()
    try:
        return counter(text)
    except UnicodeEncodeError:
        # Lone surrogates (from broken input files) cannot cross into Rust as UTF-8.
        return counter(text.encode("utf-8", "replace").decode("utf-8"))


def tokenizer_name() -> str:
    """ "o200k_base" when counts are exact, "chars/4" when they are estimates."""
    _get_counter()
    assert _name is not None
    return _name


def _content_tokens(content: object) -> int:
    if isinstance(content, str):
        return count_tokens(content)
    if isinstance(content, Iterable) and not isinstance(content, (bytes, Mapping)):
        # Multimodal content: a list of parts; only text parts are countable here.
        total = 0
        for part in content:
            if isinstance(part, Mapping) and isinstance(part.get("text"), str):
                total += count_tokens(part["text"])
        return total
    return 0  # None (assistant tool calls) or something we cannot measure


def estimate_prompt_tokens(messages: list[dict[str, Any]]) -> int:
    """Prompt tokens of a chat request as OpenAI bills them (content + format overhead)."""
    total = REPLY_PRIMING
    for message in messages:
        total += TOKENS_PER_MESSAGE + _content_tokens(message.get("content"))
        name = message.get("name")
        if isinstance(name, str) and name:
            total += TOKENS_PER_NAME + count_tokens(name)
    return total
