"""`prompt.split`: cut a long value into parts of at most `max_tokens`, on paragraph and
sentence boundaries where possible, each part starting with up to `overlap` tokens of the
end of the previous one so that no sentence loses its context."""

from __future__ import annotations

import re

from .tokens import count_tokens

_PARAGRAPHS = re.compile(r"\n\s*\n")
# Western sentence ends need a space after them; CJK full stops do not.
_SENTENCES = re.compile(r"(?<=[.!?…])\s+|(?<=[。！？])\s*")

# (text, tokens including its separator, separator before it)
_Unit = tuple[str, int, str]


def _sentences(text: str) -> list[tuple[str, str]]:
    """(separator before it, sentence): a space after Western sentence ends, nothing after CJK ones."""
    out: list[tuple[str, str]] = []
    start = 0
    for m in _SENTENCES.finditer(text):
        if m.end() == start or m.start() == 0:
            continue
        out.append((" " if out and start > 0 and text[start - 1].isspace() else "", text[start:m.start()].strip()))
        start = m.end()
    out.append((" " if out and start > 0 and text[start - 1].isspace() else "", text[start:].strip()))
    return [(sep, s) for sep, s in out if s]


def _fit(text: str, n: int, max_tokens: int) -> list[str]:
    """`text` (of n tokens) cut between words, or between characters where it has no spaces."""
    if n <= max_tokens:
        return [text]
    words = text.split()
    if len(words) > 1:
        mid = len(words) // 2
        halves = [" ".join(words[:mid]), " ".join(words[mid:])]
    else:
        mid = len(text) // 2
        halves = [text[:mid], text[mid:]]
    out: list[str] = []
    for half in halves:
        out += _fit(half, count_tokens(half), max_tokens)
    return out


def _units(text: str, max_tokens: int) -> list[_Unit]:
    """Pieces that each fit in max_tokens: paragraphs, else sentences, else word or character runs."""
    units: list[_Unit] = []
    for p_no, paragraph in enumerate(p.strip() for p in _PARAGRAPHS.split(text) if p.strip()):
        sep = "\n\n" if p_no else ""
        n = count_tokens(sep + paragraph)
        if n <= max_tokens:
            units.append((paragraph, n, sep))
            continue
        for s_no, (between, sentence) in enumerate(_sentences(paragraph)):
            s_sep = sep if s_no == 0 else between
            n = count_tokens(s_sep + sentence)
            if n <= max_tokens:
                units.append((sentence, n, s_sep))
                continue
            # A "sentence" longer than the budget: cut between words (or characters).
            spaced = len(sentence.split()) > 1
            for w_no, piece in enumerate(_fit(sentence, n, max_tokens - 1)):
                w_sep = s_sep if w_no == 0 else (" " if spaced else "")
                units.append((piece, count_tokens(w_sep + piece), w_sep))
    return units


def _tail(unit: _Unit, budget: int) -> _Unit | None:
    """The last sentences of a unit too long to carry whole, within `budget` tokens."""
    kept: list[tuple[str, str]] = []
    size = 0
    for between, sentence in reversed(_sentences(unit[0])):
        n = count_tokens(between + sentence)
        if size + n > budget:
            break
        kept.insert(0, (between, sentence))
        size += n
    if not kept:
        return None
    return ("".join(b + s for b, s in kept).lstrip(), size, unit[2])


def split_text(text: str, max_tokens: int, overlap: int = 0) -> list[str]:
    """Parts of `text`; a text that fits is one part, unchanged."""
    if count_tokens(text) <= max_tokens:
        return [text]
    units = _units(text, max_tokens)
    parts: list[str] = []
    current: list[_Unit] = []
    size = 0
    fresh = 0  # units in `current` that are not overlap carried from the previous part
    for unit in units:
        if current and size + unit[1] > max_tokens and fresh:
            parts.append(_join(current))
            carried: list[_Unit] = []
            carried_size = 0
            room = min(overlap, max_tokens - unit[1])
            for prev in reversed(current):
                if carried_size + prev[1] > room:
                    # Too long to carry whole: carry its last sentences instead.
                    tail = _tail(prev, room - carried_size) if overlap else None
                    if tail is not None:
                        carried.insert(0, tail)
                        carried_size += tail[1]
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


def _join(units: list[_Unit]) -> str:
    return "".join(text if i == 0 else sep + text for i, (text, _, sep) in enumerate(units))
