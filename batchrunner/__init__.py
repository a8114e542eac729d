"""batchrunner: run an LLM over a table, resumably, with per-row usage and cost."""

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
