"""The error tree. Every error batchrunner raises on purpose derives from BatchRunnerError.

    BatchRunnerError
    ├── UsageError            a bad flag or command-line value            (exit 2)
    ├── SpecError             the job spec is wrong                       (exit 2)
    ├── TemplateError         a prompt template is wrong                  (exit 2)
    ├── InputError            the input file(s) are wrong                 (exit 2)
    ├── CheckpointError       the run state cannot be used as asked       (exit 2)
    ├── EndpointError         the endpoint cannot be reached or started   (exit 2)
    ├── RunStopped            the run stopped early and is resumable      (exit 4)
    └── APIError              a request to the endpoint failed
        ├── APIStatusError    the server answered with an error status
        │   ├── RateLimitError        429
        │   ├── AuthError             401, 403
        │   └── InsufficientBalance   402
        ├── APIResponseError  a 200 whose body is not a usable completion
        └── APIConnectionError        no answer (refused, reset, cut short)
            └── APITimeoutError       no answer within timeout_s

Foreign errors (YAML, pyarrow, jinja2, httpx, aiohttp) are converted where they enter.
"""

from __future__ import annotations

from collections.abc import Mapping


class BatchRunnerError(Exception):
    """Root of every error batchrunner raises on purpose."""

    exit_code = 1


class UsageError(BatchRunnerError):
    exit_code = 2


class SpecError(BatchRunnerError):
    exit_code = 2


class TemplateError(BatchRunnerError):
    exit_code = 2


class InputError(BatchRunnerError):
    exit_code = 2


class CheckpointError(BatchRunnerError):
    exit_code = 2


class EndpointError(BatchRunnerError):
    exit_code = 2


class RunStopped(BatchRunnerError):
    """The run stopped before the end but its checkpoint is saved: `run` resumes it."""

    exit_code = 4


class APIError(BatchRunnerError):
    """A request failed. `kind` is the row error kind written to the output."""

    kind = "api_error"

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class APIStatusError(APIError):
    def __init__(
        self,
        message: str,
        *,
        status: int,
        request_id: str | None = None,
        body: str = "",
        headers: Mapping[str, str] | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, retry_after=retry_after)
        self.status = status
        self.request_id = request_id
        self.body = body
        self.headers = dict(headers or {})

    @property
    def kind(self) -> str:  # type: ignore[override]
        if self.status == 429:
            return "rate_limited"
        if self.status >= 500:
            return "http_5xx"
        return "http_4xx"


class RateLimitError(APIStatusError):
    pass


class AuthError(APIStatusError):
    pass


class InsufficientBalance(APIStatusError):
    pass


class APIResponseError(APIError):
    """A 200 reply that is not valid JSON or carries no choices."""

    kind = "invalid_response"


class APIConnectionError(APIError):
    kind = "connection_error"


class APITimeoutError(APIConnectionError):
    kind = "timeout"
