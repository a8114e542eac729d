"""Unit tests: `prompt.split` cuts long text within the token budget, on boundaries, with overlap."""

from __future__ import annotations

import random
import re

import pytest

from batchrunner.split import split_text
from batchrunner.tokens import count_tokens

WORDS = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu".split()


def article(chars: int, seed: int = 0) -> str:
    """Numbered paragraphs of numbered sentences: P3S2 is sentence 2 of paragraph 3."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    total = 0
    while total < chars:
        p = len(paragraphs)
        sentences = [f"P{p}S{s} " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 25))) + "."
                     for s in range(rng.randint(2, 9))]
        paragraphs.append(" ".join(sentences))
        total += len(paragraphs[-1]) + 2
    return "\n\n".join(paragraphs)


def sentence_ids(text: str) -> list[str]:
    return re.findall(r"P\d+S\d+", text)


def test_short_text_is_one_part_unchanged() -> None:
    text = "  A short text.\n\nWith two paragraphs.  "
    assert split_text(text, 100, 10) == [text]
    assert split_text("", 100) == [""]


@pytest.mark.parametrize(("max_tokens", "overlap"), [(1500, 0), (1500, 150), (600, 100), (200, 60)])
def test_parts_fit_cover_everything_in_order_and_break_on_sentences(max_tokens: int, overlap: int) -> None:
    text = article(30_000)
    parts = split_text(text, max_tokens, overlap)
    assert len(parts) >= count_tokens(text) // max_tokens
    assert all(count_tokens(p) <= max_tokens for p in parts)
    # Every sentence appears, in order; overlap only repeats the end of the previous part.
    everything = sentence_ids(text)
    seen: list[str] = []
    for part in parts:
        ids = sentence_ids(part)
        assert ids, "a part without a sentence start"
        assert part.endswith("."), "a part ends mid-sentence"
        if seen:
            repeated = [i for i in ids if i in seen]
            assert repeated == seen[len(seen) - len(repeated):], "overlap must be the tail of what came before"
            assert ids[:len(repeated)] == repeated
        seen += [i for i in ids if i not in seen]
    assert seen == everything


def test_overlap_carries_context_into_each_next_part() -> None:
    text = article(30_000, seed=3)
    parts = split_text(text, 800, 120)
    for prev, part in zip(parts, parts[1:], strict=False):
        first = sentence_ids(part)[0]
        assert first in sentence_ids(prev), f"part starting at {first} does not overlap the previous one"
        carried = part[:part.index(sentence_ids(prev)[-1])] if sentence_ids(prev)[-1] in part else part
        assert count_tokens(carried) <= 120
    without = split_text(text, 800, 0)
    assert all(not set(sentence_ids(a)) & set(sentence_ids(b)) for a, b in zip(without, without[1:], strict=False))


def test_overlap_from_a_paragraph_too_long_to_carry_whole() -> None:
    # Each paragraph (~300 tokens) exceeds the overlap: its last sentences are carried instead.
    sentence = " ".join(["word"] * 28) + "."
    paragraphs = [" ".join(f"P{p}S{s} {sentence}" for s in range(10)) for p in range(12)]
    parts = split_text("\n\n".join(paragraphs), 700, 80)
    assert len(parts) > 3
    for prev, part in zip(parts, parts[1:], strict=False):
        assert sentence_ids(part)[0] in sentence_ids(prev)


def test_paragraph_boundaries_are_kept_when_paragraphs_fit() -> None:
    paragraphs = [f"Paragraph {i}. " + " ".join(["text"] * 80) + "." for i in range(20)]
    parts = split_text("\n\n".join(paragraphs), 400, 0)
    for part in parts:
        for chunk in part.split("\n\n"):
            assert chunk in paragraphs  # whole paragraphs only


def test_a_sentence_longer_than_the_budget_is_cut_between_words() -> None:
    words = [f"w{i}" for i in range(3000)]
    text = " ".join(words)  # no sentence ends at all
    parts = split_text(text, 300, 0)
    assert all(count_tokens(p) <= 300 for p in parts)
    assert " ".join(parts).split() == words


@pytest.mark.parametrize("text", [
    "这是一个很长的句子。" * 3000,  # CJK: sentence ends without a following space
    "x" * 40_000,  # no spaces at all (a base64 blob, a URL list)
])
def test_text_without_spaces_still_fits(text: str) -> None:
    parts = split_text(text, 500, 0)
    assert len(parts) > 1
    assert all(count_tokens(p) <= 500 for p in parts)
    assert "".join(parts) == text


def test_cjk_splits_on_full_stops() -> None:
    text = "".join(f"第{i}句话在这里结束。" for i in range(2000))
    parts = split_text(text, 400, 40)
    assert all(count_tokens(p) <= 400 for p in parts)
    assert all(p.endswith("。") for p in parts)
    assert "第1999句话在这里结束。" in parts[-1]
