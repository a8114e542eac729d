"""Token counts: exact o200k_base via bpe_openai, chars/4 without it."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

import pytest

import batchrunner.tokens as tokens
from batchrunner.tokens import count_tokens, estimate_prompt_tokens, tokenizer_name

HAVE_BPE = tokenizer_name() == "o200k_base"
needs_bpe = pytest.mark.skipif(not HAVE_BPE, reason="bpe_openai is not installed")


@pytest.fixture
def fallback(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Pretend bpe_openai is missing: every import of it fails."""
    real_import = importlib.import_module

    def no_bpe(name: str, package: str | None = None) -> Any:
        if name.startswith("bpe_openai"):
            raise ImportError(name)
        return real_import(name, package)

    monkeypatch.setattr(importlib, "import_module", no_bpe)
    monkeypatch.setattr(tokens, "_counter", None)
    monkeypatch.setattr(tokens, "_name", None)
    yield
    # monkeypatch restores the cached real counter afterwards


@needs_bpe
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("hello world", 2),
        ("Hello, world!", 4),
        ("The quick brown fox jumps over the lazy dog.", 10),
        ("<|endoftext|>", 7),  # special tokens are plain text in a prompt
        ("日本語", 2),
    ],
)
def test_o200k_counts(text: str, expected: int) -> None:
    assert count_tokens(text) == expected


@needs_bpe
def test_exact_matches_the_tiktoken_compatible_encoder() -> None:
    import bpe_openai

    enc = bpe_openai.get_encoding("o200k_base")
    text = "Review: the battery died after 2 days 😡 — refund please!\n" * 20
    assert count_tokens(text) == len(enc.encode_ordinary(text))


def test_lone_surrogates_do_not_crash() -> None:
    assert count_tokens("a\ud800b") >= 1


def test_fallback_is_chars_over_four(fallback: None) -> None:
    assert tokenizer_name() == "chars/4"
    assert count_tokens("") == 0
    assert count_tokens("abc") == 1
    assert count_tokens("abcd") == 1
    assert count_tokens("abcde") == 2
    assert count_tokens("x" * 1000) == 250


def test_messages_overhead() -> None:
    assert estimate_prompt_tokens([]) == 3
    one = [{"role": "user", "content": "hello world"}]
    assert estimate_prompt_tokens(one) == count_tokens("hello world") + 3 + 3
    two = [
        {"role": "system", "content": "You label reviews."},
        {"role": "user", "content": "Review: great\nAnswer with one word."},
    ]
    expected = sum(count_tokens(m["content"]) for m in two) + 2 * 3 + 3
    assert estimate_prompt_tokens(two) == expected


def test_messages_odd_contents() -> None:
    parts: list[dict[str, Any]] = [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "hello world"},
                {"type": "image_url", "image_url": {"url": "data:..."}},
            ],
        },
        {"role": "assistant", "content": None, "tool_calls": []},
        {"role": "user", "name": "alice", "content": ""},
    ]
    expected = count_tokens("hello world") + 3 + 3 + (3 + 1 + count_tokens("alice")) + 3
    assert estimate_prompt_tokens(parts) == expected
