"""Preparing a job: spec + command-line overrides + input + templates, checked before any request.

Everything that can be wrong with what the user wrote is found here and raised as a
BatchRunnerError with exit code 2; nothing has been sent yet.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from .checkpoint import fingerprint_of, fingerprint_parts
from .errors import SpecError, TemplateError, UsageError
from .inputs import InputFile, InputInfo, discover, scan_input
from .render import BUILTIN_VARIABLES, PromptTemplates, render_path, variables_of
from .results import RESULT_COLUMN_NAMES
from .schema import arrow_type, request_format
from .spec import Endpoint, JobSpec, load_spec, override_endpoint


@dataclass
class JobOptions:
    """Command-line choices that shape the job itself (not how a run proceeds)."""

    endpoint: str | None = None
    model: str | None = None
    concurrency: int | None = None
    variables: dict[str, str] = field(default_factory=dict)
    output: str | None = None
    scheduled_for: dt.datetime | None = None


@dataclass
class PreparedJob:
    spec: JobSpec
    endpoint: Endpoint
    model: str
    templates: PromptTemplates
    files: list[InputFile]
    variables: dict[str, Any]  # run_date, run_time, job, --var values
    output_path: Path
    value_type: pa.DataType
    fingerprint: str
    fingerprint_parts: dict[str, str]
    extra_params: dict[str, Any]  # response_format etc. that batchrunner adds to params
    info: InputInfo | None = None  # set once the input is scanned

    @property
    def params(self) -> dict[str, Any]:
        return {**self.spec.params, **self.extra_params}

    def api_key(self) -> str | None:
        env = self.endpoint.api_key_env
        if env is None:
            return None
        return os.environ.get(env) or None

    def request_body(self, messages: list[dict[str, str]]) -> dict[str, Any]:
        body: dict[str, Any] = {"model": self.model, "messages": messages}
        body.update(self.spec.params)
        body.update(self.extra_params)
        if body.get("stream"):
            opts = dict(body.get("stream_options") or {})
            opts["include_usage"] = True
            body["stream_options"] = opts
        return body

    def max_output_tokens(self) -> int | None:
        params = self.params
        value = params.get("max_completion_tokens", params.get("max_tokens"))
        return value if isinstance(value, int) else None


def base_variables(spec: JobSpec, options: JobOptions) -> dict[str, Any]:
    when = options.scheduled_for or dt.datetime.now().astimezone()
    variables: dict[str, Any] = {
        "run_date": when.strftime("%Y-%m-%d"),
        "run_time": when.isoformat(timespec="seconds"),
        "job": {"name": spec.name, "model": options.model or spec.model},
    }
    for key, value in options.variables.items():
        if key == "job":
            raise UsageError("--var job=...: 'job' is reserved (job.name, job.model)")
        variables[key] = value
    return variables


def prepare(spec_path: str | os.PathLike[str], options: JobOptions | None = None) -> PreparedJob:
    """Load the spec and apply overrides; find the input files (not scanned yet)."""
    options = options or JobOptions()
    spec = load_spec(spec_path)
    if options.concurrency is not None:
        if options.concurrency < 1:
            raise UsageError(f"--concurrency: must be >= 1, got {options.concurrency}")
        spec = dataclasses.replace(spec, run=dataclasses.replace(spec.run, concurrency=options.concurrency))
    endpoint = override_endpoint(spec, options.endpoint) if options.endpoint else spec.endpoint
    model = options.model or spec.model
    if endpoint.local is not None:
        spec = _for_local_server(spec, endpoint.local.parallel)
    if spec.run.max_cost_usd is not None and spec.pricing is None:
        raise SpecError(f"{spec.spec_path}: run.max_cost_usd: needs a pricing section to know what requests cost")

    user_where = spec.prompt.template_path or "prompt.user"
    templates = PromptTemplates(spec.prompt.user, spec.prompt.system, spec.prompt.reduce, user_where=user_where)
    variables = base_variables(spec, options)

    input_pattern = render_path(spec.input.path, variables, f"{spec.spec_path}: input.path")
    files = discover(input_pattern, spec.base_dir)

    if options.output:
        output_path = Path(render_path(options.output, variables, "--output"))
    else:
        rendered = render_path(spec.output.path, variables, f"{spec.spec_path}: output.path")
        output_path = Path(rendered) if os.path.isabs(rendered) else spec.base_dir / rendered
    output_path = output_path.resolve()
    out_where = "--output" if options.output else f"{spec.spec_path}: output.path"
    if output_path.suffix.lower() not in (".parquet", ".pq"):
        raise SpecError(f"{out_where}: must end in .parquet, got {output_path.name}")
    _check_writable(output_path, out_where)

    extra: dict[str, Any] = {}
    mode = spec.parse.mode
    if mode == "json_schema":
        assert spec.parse.json_schema is not None
        from .schema import make_validator

        make_validator(spec.parse.json_schema)  # a bad schema fails here, before anything runs
        extra["response_format"] = request_format(spec.parse.json_schema)
        value_type = arrow_type(spec.parse.json_schema)
    else:
        value_type = pa.string()
    if mode == "labels" and endpoint.local is not None and "response_format" not in spec.params:
        extra.update(_local_label_constraint(spec))

    referenced = templates.variables() | variables_of(spec.input.path, "input.path")
    parts = {
        "endpoint": endpoint.base_url or f"local:{endpoint.local.model_path if endpoint.local else ''}",
        "model": model,
        "templates": [spec.prompt.system, spec.prompt.user, spec.prompt.reduce],
        "split": dataclasses.asdict(spec.prompt.split) if spec.prompt.split else None,
        "params": {**spec.params, **extra},
        "parse": dataclasses.asdict(spec.parse),
        "input": [[str(f.path), f.size, f.mtime_ns] for f in files],
        "id_column": spec.input.id_column,
        "variables": {k: v for k, v in sorted(variables.items()) if k in referenced and k != "job"},
    }
    fp_parts = fingerprint_parts(parts)
    return PreparedJob(
        spec=spec, endpoint=endpoint, model=model, templates=templates, files=files,
        variables=variables, output_path=output_path, value_type=value_type,
        fingerprint=fingerprint_of(fp_parts), fingerprint_parts=fp_parts, extra_params=extra,
    )


def _check_writable(path: Path, where: str) -> None:
    """Refuse an output path that cannot be written now, rather than after every row was paid for."""
    if path.is_dir():
        raise SpecError(f"{where}: {path} is a folder; name a .parquet file")
    parent = path.parent
    while not parent.exists():  # the folders that do not exist yet are made when the output is written
        parent = parent.parent
    if not parent.is_dir():
        raise SpecError(f"{where}: cannot create {path}: {parent} is a file, not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise SpecError(f"{where}: cannot write to {parent} (permission denied); choose another output path")


# Room for a constrained reply such as {\n  "sentiment": "negative"\n} (~18 tokens with the whitespace
# llama.cpp's JSON grammar lets the model choose); a classify job's max_tokens: 5 would cut it off.
LOCAL_LABEL_MIN_TOKENS = 64


def _for_local_server(spec: JobSpec, slots: int) -> JobSpec:
    """The local llama.cpp server costs nothing and serves `slots` requests at a time."""
    # Nothing is paid on a local model: the pricing (and a max_cost_usd cap that depends on it) is the
    # remote endpoint's and would put a made-up cost on every row; cost_usd is null instead.
    # Concurrency is capped at the server's slots: extra requests would only wait in llama.cpp's queue,
    # where their timeout_s runs out (and they are retried) although no work was done on them, and
    # a Ctrl-C would throw away more queued work.
    run = dataclasses.replace(spec.run, max_cost_usd=None, concurrency=min(spec.run.concurrency, slots))
    return dataclasses.replace(spec, pricing=None, run=run)


def _local_label_constraint(spec: JobSpec) -> dict[str, Any]:
    """Request params that make the local model answer with one of parse.labels.

    Only sent to the local endpoint: a 135M model rambles; constrained decoding (a json_schema
    enum) makes every reply a valid label. The property is named after output.column because the
    name is part of what the model reads before it picks the label: on the sample reviews
    `{"sentiment": ...}` scored 58% against 45% (always "positive") for `{"label": ...}`
    (bench/local_accuracy.md). A property description made no difference (the grammar does not show
    it to the model), nor can the enum order under greedy constrained decoding.
    """
    column = spec.output.column
    key = column if column != "response" else "label"
    schema = {"type": "object", "properties": {key: {"type": "string", "enum": list(spec.parse.labels or ())}},
              "required": [key], "additionalProperties": False}
    extra: dict[str, Any] = {"response_format": request_format(schema, name="label")}
    limit_key = "max_completion_tokens" if "max_completion_tokens" in spec.params else "max_tokens"
    limit = spec.params.get(limit_key)
    if isinstance(limit, int) and limit < LOCAL_LABEL_MIN_TOKENS:
        extra[limit_key] = LOCAL_LABEL_MIN_TOKENS
    return extra


def check_input(job: PreparedJob, info: InputInfo) -> None:
    """Columns the templates name exist; no input column clashes with an output column."""
    spec = job.spec
    value_column = spec.output.column
    clash = [c for c in info.columns if c in RESULT_COLUMN_NAMES or c == value_column]
    if clash:
        raise SpecError(
            f"{info.display}: input column '{clash[0]}' clashes with an output column of the same name; "
            f"rename it in the input or set output.column to another name"
        )
    provided: set[str] = set()
    if spec.prompt.split is not None:
        if spec.prompt.split.column not in info.columns:
            raise SpecError(f"{spec.spec_path}: prompt.split.column: '{spec.prompt.split.column}' is not a column "
                            f"of {info.display} (columns: {', '.join(info.columns[:12])})")
        provided = {"part", "part_index", "part_count"}
    try:
        job.templates.check_columns(info.columns, job.variables.keys(), info.display, provided=provided)
    except TemplateError as exc:  # name the spec file too, as every spec error does
        raise TemplateError(f"{spec.spec_path}: {exc}") from exc
    # A row's columns are variables, but run_date/run_time/job/row_index and --var values win over them:
    # a column the template reads under such a name would be silently replaced.
    hidden = sorted(set(info.columns) & (set(job.variables) | BUILTIN_VARIABLES) & job.templates.variables())
    if hidden:
        raise SpecError(f"{info.display}: input column '{hidden[0]}' has the name of a template variable that "
                        f"batchrunner sets (run_date, run_time, job, row_index, --var); the template would not "
                        f"see the column. Rename the column, or the --var")
    _render_first_row(job, info)


def _render_first_row(job: PreparedJob, info: InputInfo) -> None:
    """Render the first row's request so a template the sandbox refuses (or that reads a missing
    attribute) is exit 2 before anything is sent, rather than an error on every row."""
    from .inputs import iter_chunks

    if info.num_rows == 0:
        return
    row = next(iter(iter_chunks(info, 1, stop=1))).rows()[0]
    context = {**row, **job.variables, "row_index": 0}
    where = f"{job.spec.spec_path}: row 1"
    split = job.spec.prompt.split
    if split is not None:
        from .split import split_text

        value = row.get(split.column)
        parts = split_text("" if value is None else str(value), split.max_tokens, split.overlap)
        context.update(part=parts[0], part_index=0, part_count=len(parts))
        if job.templates.reduce is not None:
            job.templates.reduce_messages({**context, "parts": parts}, where)
    job.templates.messages(context, where)


def scan(job: PreparedJob, *, first_rows: int | None = None) -> InputInfo:
    info = scan_input(job.files, job.spec.input.id_column, first_rows=first_rows)
    check_input(job, info)
    return info


def require_api_key(job: PreparedJob) -> str | None:
    env = job.endpoint.api_key_env
    if env is None:
        return None
    key = os.environ.get(env)
    if not key:
        extra = ""
        if job.endpoint.name == "skillboss":
            extra = " (a SkillBoss Wholesale key; standard console keys are rejected)"
        raise UsageError(f"the API key variable {env} is not set{extra}; export {env}=... and run again")
    return key
