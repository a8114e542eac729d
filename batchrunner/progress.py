"""The tqdm bar on stderr: rows done/total, rows/s, tokens, cost, ETA.

Updated from a timer a few times a second, not per row, so it costs nothing measurable.
"""

from __future__ import annotations

import sys
from typing import Any


class Progress:
    def __init__(self, total: int, done: int, *, enabled: bool | None = None, cost_known: bool = True) -> None:
        self._pending = 0
        self._bar: Any = None
        self.cost_known = cost_known
        if enabled is None:
            enabled = sys.stderr.isatty()
        if enabled and total > 0:
            from tqdm import tqdm

            self._bar = tqdm(total=total, initial=done, unit="row", file=sys.stderr, dynamic_ncols=True,
                             smoothing=0.1, mininterval=0.25)

    def advance(self) -> None:
        self._pending += 1

    def refresh(self, stats: Any) -> None:
        if self._bar is None:
            self._pending = 0
            return
        if self._pending:
            self._bar.update(self._pending)
            self._pending = 0
        tokens = stats.prompt_tokens + stats.completion_tokens
        postfix = f"{tokens:,} tok"
        if self.cost_known:
            postfix += f", ${stats.cost_usd:.4f}"
        if stats.error:
            postfix += f", {stats.error} err"
        self._bar.set_postfix_str(postfix, refresh=False)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
