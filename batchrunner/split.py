"""`prompt.split`: cut a long value into parts of at most `max_tokens`, on paragraph and
sentence boundaries where possible, each part starting with up to `overlap` tokens of the
end of the previous one so that no sentence loses its context."""

from __future__ import annotations

import re

from .tokens import count_tokens

_PARAGRAPHS = re.compile(r"\n\s*\n")
_SENTENCES = re.compile(r"(?<=[.!?…。])\s+")


def _units(text: str, max_tokens: int) -> list[tuple[str, int, str]]:
    """(text, tokens, separator-before) pieces that each fit in max_tokens."""
    units: list[tuple[str, int, str]] = []
    for p_no, paragraph in enumerate(p for p in _PARAGRAPHS.split(text) if p.strip()):
        sep = "\n\n" if p_no else ""
        n = count_tokens(paragraph)
        if n <= max_tokens:
            units.append((paragraph.strip(), n, sep))
            continue
        for s_no, sentence in enumerate(s for s in _SENTENCES.split(paragraph) if s.strip()):
            s_sep = sep if s_no == 0 else " "
            n = count_tokens(sentence)
            if n <= max_tokens:
                units.append((sentence.strip(), n, s_sep))
                continue
            # A "sentence" longer than the budget: cut between words.
            words = sentence.split()
            step = max(1, len(words) * max_tokens // (n + 1))
            for w_no in range(0, len(words), step):
                piece = " ".join(words[w_no:w_no + step])
                units.append((piece, count_tokens(piece), s_sep if w_no == 0 else " "))
    return units


def split_text(text: str, max_tokens: int, overlap: int = 0) -> list[str]:
    """Parts of `text`; a text that fits is one part, unchanged."""
    if count_tokens(text) <= max_tokens:
        return [text]
    units = _units(text, max_tokens)
    parts: list[str] = []
    current: list[tuple[str, int, str]] = []
    size = 0
    fresh = 0  # units in `current` that are not overlap carried from the previous part
    for unit in units:
        if current and size + unit[1] > max_tokens and fresh:
            parts.append(_join(current))
            carried: list[tuple[str, int, str]] = []
            carried_size = 0
            for prev in reversed(current):
                if carried_size + prev[1] > overlap or carried_size + prev[1] + unit[1] > max_tokens:
                    break
                carried.insert(0, prev)
                carried_size += prev[1]
            current, size, fresh = carried, carried_size, 0
        current.append(unit)
        size += unit[1]
        fresh += 1
    if current and fresh:
        parts.append(_join(current))
    return parts


def _join(units: list[tuple[str, int, str]]) -> str:
    out = []
    for i, (text, _, sep) in enumerate(units):
        out.append(text if i == 0 else (sep or " ") + text)
    return "".join(out)
