"""batchrunner: run an LLM over a table, resumably, with per-row usage and cost.

The public names load on first use, so that the `batchrunner` command can hold Ctrl-C
before the heavy imports begin (see __main__.py and interrupts.py).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .api import RunOptions, RunSummary, dry_run, job_status, run_job, validate_job
    from .errors import (
        APIConnectionError,
        APIError,
        APIResponseError,
        APIStatusError,
        APITimeoutError,
        AuthError,
        BatchRunnerError,
        CheckpointError,
        EndpointError,
        InputError,
        InsufficientBalance,
        RateLimitError,
        RunStopped,
        SpecError,
        TemplateError,
        UsageError,
    )
    from .job import JobOptions
    from .spec import JobSpec, load_spec

__version__ = "0.1.0"

__all__ = [
    "APIConnectionError", "APIError", "APIResponseError", "APIStatusError", "APITimeoutError", "AuthError",
    "BatchRunnerError", "CheckpointError", "EndpointError", "InputError", "InsufficientBalance", "JobOptions",
    "JobSpec", "RateLimitError", "RunOptions", "RunStopped", "RunSummary", "SpecError", "TemplateError",
    "UsageError", "dry_run", "job_status", "load_spec", "run_job", "validate_job",
]
_HOMES = ("errors", "spec", "job", "api")  # where the names above live; the lightest first


def __getattr__(name: str) -> Any:
    if name in __all__:
        for home in _HOMES:
            module = importlib.import_module(f".{home}", __name__)
            if hasattr(module, name):
                value = getattr(module, name)
                globals()[name] = value
                return value
    raise AttributeError(f"module 'batchrunner' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
