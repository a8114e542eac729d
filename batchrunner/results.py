"""One row's outcome, and the output columns PRODUCT.md promises."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from .client import Usage

# The columns batchrunner appends after the input's, in this order (the value column first).
RESULT_COLUMNS: list[tuple[str, pa.DataType]] = [
    ("response_text", pa.string()),
    ("status", pa.string()),
    ("error", pa.string()),
    ("prompt_tokens", pa.int64()),
    ("completion_tokens", pa.int64()),
    ("total_tokens", pa.int64()),
    ("cached_tokens", pa.int64()),
    ("reasoning_tokens", pa.int64()),
    ("cost_usd", pa.float64()),
    ("latency_ms", pa.float64()),
    ("attempts", pa.int32()),
    ("finish_reason", pa.string()),
    ("model", pa.string()),
    ("request_id", pa.string()),
    ("cached", pa.bool_()),
]
RESULT_COLUMN_NAMES = frozenset(name for name, _ in RESULT_COLUMNS)


@dataclass(slots=True)
class RowResult:
    index: int
    status: str  # "ok" or "error"
    value: Any = None
    response_text: str | None = None
    error_kind: str | None = None
    error_message: str | None = None
    usage: Usage = field(default_factory=Usage)
    cost_usd: float | None = None
    latency_ms: float | None = None
    attempts: int = 0
    finish_reason: str | None = None
    model: str | None = None
    request_id: str | None = None
    cached: bool = False

    @property
    def error(self) -> str | None:
        if self.error_kind is None:
            return None
        return f"{self.error_kind}: {self.error_message}" if self.error_message else self.error_kind
