"""The job spec: YAML in, a validated `JobSpec` out.

Validation is strict and explicit: every mapping is checked against its allowed keys
(an unknown key names the nearest valid one), every value against its type and range,
and every message names the field path, e.g. `run.concurrency: must be >= 1, got 0`.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import SpecError

# Named endpoint profiles. `local` is started by batchrunner itself (see local.py).
PROFILES: dict[str, tuple[str, str | None]] = {
    "skillboss": ("https://api.skillboss.co/v1", "SKILLBOSS_WHOLESALE_KEY"),
    "openai": ("https://api.openai.com/v1", "OPENAI_API_KEY"),
}
LOCAL_PROFILE = "local"

_TOP_KEYS = (
    "name", "model", "endpoint", "input", "prompt", "params", "parse",
    "output", "run", "pricing", "schedule", "cache",
)
_SPLIT_KEYS = ("column", "max_tokens", "overlap")
_RATE_LIMIT_KEYS = ("backend", "url")


@dataclass(frozen=True)
class LocalEndpoint:
    model_path: str | None = None
    parallel: int = 4
    ctx: int | None = None


@dataclass(frozen=True)
class Endpoint:
    name: str  # profile name, or "custom"
    base_url: str
    api_key_env: str | None
    local: LocalEndpoint | None = None  # set when batchrunner starts the server itself


@dataclass(frozen=True)
class InputSpec:
    path: str  # a jinja2 template (run_date may appear), relative to the spec's folder
    id_column: str | None = None


@dataclass(frozen=True)
class SplitSpec:
    column: str
    max_tokens: int = 6000
    overlap: int = 200


@dataclass(frozen=True)
class PromptSpec:
    user: str  # template text (from prompt.user, or the file prompt.template names)
    system: str | None = None
    template_path: str | None = None  # where `user` came from, for messages
    split: SplitSpec | None = None
    reduce: str | None = None


@dataclass(frozen=True)
class ParseSpec:
    labels: tuple[str, ...] | None = None
    json: bool = False
    json_schema: dict[str, Any] | None = None
    reask: int = 0
    abstain: str | None = None

    @property
    def mode(self) -> str:
        if self.labels is not None:
            return "labels"
        if self.json_schema is not None:
            return "json_schema"
        if self.json:
            return "json"
        return "text"


@dataclass(frozen=True)
class OutputSpec:
    path: str  # a jinja2 template: job.name, run_date, run_time, --var values
    column: str = "response"


@dataclass(frozen=True)
class RateLimitBackend:
    backend: str
    url: str


@dataclass(frozen=True)
class RunSpec:
    concurrency: int = 16
    chunk_size: int = 256
    max_retries: int = 6
    timeout_s: float = 60.0
    requests_per_minute: float | None = None
    tokens_per_minute: float | None = None
    max_cost_usd: float | None = None
    shards: int | None = None
    parallel_shards: int | None = None
    rate_limit: RateLimitBackend | None = None


@dataclass(frozen=True)
class Pricing:
    input_per_million: float
    output_per_million: float
    cached_input_per_million: float | None = None
    discount: float = 1.0

    def cost(self, prompt: int | None, completion: int | None, cached: int | None) -> float | None:
        """USD for one request, as PRODUCT.md defines it; None when the server reported no usage."""
        if prompt is None and completion is None:
            return None
        prompt = prompt or 0
        cached = min(cached or 0, prompt)
        cached_price = (
            self.cached_input_per_million
            if self.cached_input_per_million is not None
            else self.input_per_million
        )
        usd = (
            (prompt - cached) * self.input_per_million
            + cached * cached_price
            + (completion or 0) * self.output_per_million
        )
        return self.discount * usd / 1e6


@dataclass(frozen=True)
class JobSpec:
    name: str
    model: str
    endpoint: Endpoint
    input: InputSpec
    prompt: PromptSpec
    output: OutputSpec
    params: dict[str, Any] = field(default_factory=dict)
    parse: ParseSpec = field(default_factory=ParseSpec)
    run: RunSpec = field(default_factory=RunSpec)
    pricing: Pricing | None = None
    schedule: str | None = None
    cache: bool = True
    spec_path: Path = Path("job.yaml")

    @property
    def base_dir(self) -> Path:
        return self.spec_path.parent


# ---------------------------------------------------------------- checking helpers


class _Checker:
    """Field-path-aware checks; every failure is a SpecError naming the spec file and field."""

    def __init__(self, spec_path: Path) -> None:
        self.spec_path = spec_path

    def fail(self, where: str, message: str) -> SpecError:
        return SpecError(f"{self.spec_path}: {where}: {message}")

    def mapping(self, value: Any, where: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(where, f"must be a mapping, got {_describe(value)}")
        return value

    def keys(self, value: Mapping[str, Any], allowed: tuple[str, ...], where: str) -> None:
        for key in value:
            if key not in allowed:
                near = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.5)
                hint = f" — did you mean '{near[0]}'?" if near else f" (valid keys: {', '.join(allowed)})"
                path = f"{where}.{key}" if where else str(key)
                raise self.fail(path, f"unknown key{hint}")

    def string(self, value: Any, where: str, *, allow_empty: bool = False) -> str:
        if not isinstance(value, str):
            raise self.fail(where, f"must be a string, got {_describe(value)}")
        if not allow_empty and not value.strip():
            raise self.fail(where, "must not be empty")
        return value

    def boolean(self, value: Any, where: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(where, f"must be true or false, got {_describe(value)}")
        return value

    def integer(self, value: Any, where: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(where, f"must be an integer, got {_describe(value)}")
        self._range(value, where, minimum, maximum)
        return value

    def number(self, value: Any, where: str, *, minimum: float | None = None, maximum: float | None = None,
               exclusive_minimum: bool = False) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(where, f"must be a number, got {_describe(value)}")
        if exclusive_minimum and minimum is not None and value <= minimum:
            raise self.fail(where, f"must be > {minimum:g}, got {value:g}")
        self._range(value, where, minimum, maximum)
        return float(value)

    def _range(self, value: float, where: str, minimum: float | None, maximum: float | None) -> None:
        if minimum is not None and value < minimum:
            raise self.fail(where, f"must be >= {minimum:g}, got {value:g}")
        if maximum is not None and value > maximum:
            raise self.fail(where, f"must be <= {maximum:g}, got {value:g}")


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    text = repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{type(value).__name__} {text}"


# ---------------------------------------------------------------- loading


def load_spec(path: str | os.PathLike[str]) -> JobSpec:
    """Read and validate a job spec file. Raises SpecError with a one-line message."""
    spec_path = Path(path)
    try:
        text = spec_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecError(f"{spec_path}: no such file") from None
    except OSError as exc:
        raise SpecError(f"{spec_path}: cannot read: {exc.strerror}") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "YAML"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise SpecError(f"{spec_path}: {where}: invalid YAML: {problem}") from exc
    return parse_spec(data, spec_path.resolve() if spec_path.exists() else spec_path)


def parse_spec(data: Any, spec_path: Path) -> JobSpec:
    c = _Checker(spec_path)
    if data is None:
        raise SpecError(f"{spec_path}: the file is empty; a job needs at least name, model, input, prompt, output")
    top = c.mapping(data, "(top level)")
    c.keys(top, _TOP_KEYS, "")
    for required in ("name", "model", "input", "prompt", "output"):
        if required not in top:
            raise c.fail(required, "is required")

    name = c.string(top["name"], "name")
    if any(ch in name for ch in "/\\\0") or name in (".", ".."):
        raise c.fail("name", f"must be usable as a folder name, got {name!r}")
    model = c.string(top["model"], "model")
    endpoint = parse_endpoint(top.get("endpoint", "skillboss"), c)
    input_spec = _parse_input(top["input"], c)
    prompt = _parse_prompt(top["prompt"], c)
    params = dict(c.mapping(top.get("params") or {}, "params"))
    for reserved in ("model", "messages"):
        if reserved in params:
            raise c.fail(f"params.{reserved}", "is set by batchrunner; use the top-level key or prompt instead")
    parse = _parse_parse(top.get("parse") or {}, c)
    if parse.json_schema is not None and "response_format" in params:
        raise c.fail("params.response_format", "conflicts with parse.json_schema, which sets it; keep one")
    output = _parse_output(top["output"], c)
    run = _parse_run(top.get("run") or {}, c)
    pricing = _parse_pricing(top["pricing"], c) if top.get("pricing") is not None else None
    schedule = c.string(top["schedule"], "schedule") if top.get("schedule") is not None else None
    cache = c.boolean(top.get("cache", True), "cache")
    return JobSpec(
        name=name, model=model, endpoint=endpoint, input=input_spec, prompt=prompt,
        output=output, params=params, parse=parse, run=run, pricing=pricing,
        schedule=schedule, cache=cache, spec_path=spec_path,
    )


def parse_endpoint(value: Any, c: _Checker, where: str = "endpoint") -> Endpoint:
    """A profile name or a mapping {base_url, api_key_env} or {local: {...}}."""
    if isinstance(value, str):
        if value == LOCAL_PROFILE:
            return Endpoint(name=LOCAL_PROFILE, base_url="", api_key_env=None, local=LocalEndpoint())
        if value not in PROFILES:
            near = difflib.get_close_matches(value, [*PROFILES, LOCAL_PROFILE], n=1, cutoff=0.5)
            hint = f" — did you mean '{near[0]}'?" if near else ""
            names = ", ".join([*PROFILES, LOCAL_PROFILE])
            raise c.fail(where, f"unknown profile '{value}'{hint} (profiles: {names}, or a mapping with base_url)")
        base_url, key_env = PROFILES[value]
        return Endpoint(name=value, base_url=base_url, api_key_env=key_env)
    m = c.mapping(value, where)
    if "local" in m:
        c.keys(m, ("local",), where)
        local = c.mapping(m["local"] or {}, f"{where}.local")
        c.keys(local, ("model_path", "parallel", "ctx"), f"{where}.local")
        model_path = None
        if local.get("model_path") is not None:
            raw = c.string(local["model_path"], f"{where}.local.model_path")
            model_path = str((c.spec_path.parent / raw).resolve()) if not os.path.isabs(raw) else raw
        parallel = c.integer(local.get("parallel", 4), f"{where}.local.parallel", minimum=1, maximum=64)
        ctx = c.integer(local["ctx"], f"{where}.local.ctx", minimum=256) if local.get("ctx") is not None else None
        return Endpoint(name=LOCAL_PROFILE, base_url="", api_key_env=None,
                        local=LocalEndpoint(model_path=model_path, parallel=parallel, ctx=ctx))
    c.keys(m, ("base_url", "api_key_env"), where)
    if "base_url" not in m:
        raise c.fail(f"{where}.base_url", "is required in an endpoint mapping")
    base_url = c.string(m["base_url"], f"{where}.base_url").rstrip("/")
    if not base_url.startswith(("http://", "https://")):
        raise c.fail(f"{where}.base_url", f"must start with http:// or https://, got {base_url!r}")
    key_env = c.string(m["api_key_env"], f"{where}.api_key_env") if m.get("api_key_env") is not None else None
    return Endpoint(name="custom", base_url=base_url, api_key_env=key_env)


def _parse_input(value: Any, c: _Checker) -> InputSpec:
    if isinstance(value, str):  # shorthand: input: data.jsonl
        return InputSpec(path=value)
    m = c.mapping(value, "input")
    c.keys(m, ("path", "id_column"), "input")
    if "path" not in m:
        raise c.fail("input.path", "is required")
    path = c.string(m["path"], "input.path")
    id_column = c.string(m["id_column"], "input.id_column") if m.get("id_column") is not None else None
    return InputSpec(path=path, id_column=id_column)


def _parse_prompt(value: Any, c: _Checker) -> PromptSpec:
    m = c.mapping(value, "prompt")
    c.keys(m, ("system", "user", "template", "split", "reduce"), "prompt")
    if ("user" in m) == ("template" in m):
        raise c.fail("prompt", "needs exactly one of 'user' (template text) or 'template' (a file)")
    template_path = None
    if "template" in m:
        rel = c.string(m["template"], "prompt.template")
        file = c.spec_path.parent / rel
        try:
            user = file.read_text(encoding="utf-8")
        except OSError:
            raise c.fail("prompt.template", f"cannot read template file {file}") from None
        template_path = str(file)
    else:
        user = c.string(m["user"], "prompt.user")
    system = c.string(m["system"], "prompt.system") if m.get("system") is not None else None
    split = None
    if m.get("split") is not None:
        s = c.mapping(m["split"], "prompt.split")
        c.keys(s, _SPLIT_KEYS, "prompt.split")
        if "column" not in s:
            raise c.fail("prompt.split.column", "is required")
        max_tokens = c.integer(s.get("max_tokens", 6000), "prompt.split.max_tokens", minimum=50)
        overlap = c.integer(s.get("overlap", 200), "prompt.split.overlap", minimum=0)
        if overlap >= max_tokens:
            raise c.fail("prompt.split.overlap", f"must be smaller than max_tokens ({max_tokens}), got {overlap}")
        split = SplitSpec(column=c.string(s["column"], "prompt.split.column"), max_tokens=max_tokens, overlap=overlap)
    reduce = c.string(m["reduce"], "prompt.reduce") if m.get("reduce") is not None else None
    if reduce is not None and split is None:
        raise c.fail("prompt.reduce", "needs prompt.split (reduce combines the parts of a split value)")
    return PromptSpec(user=user, system=system, template_path=template_path, split=split, reduce=reduce)


def _parse_parse(value: Any, c: _Checker) -> ParseSpec:
    m = c.mapping(value, "parse")
    c.keys(m, ("labels", "json", "json_schema", "reask", "abstain"), "parse")
    labels = None
    if m.get("labels") is not None:
        raw = m["labels"]
        if not isinstance(raw, list) or not raw:
            raise c.fail("parse.labels", f"must be a non-empty list of strings, got {_describe(raw)}")
        labels = tuple(c.string(v if not isinstance(v, (int, float)) or isinstance(v, bool) else str(v),
                                f"parse.labels[{i}]") for i, v in enumerate(raw))
        if len({_norm(v) for v in labels}) != len(labels):
            raise c.fail("parse.labels", "has labels that are the same once case and punctuation are ignored")
    is_json = c.boolean(m.get("json", False), "parse.json")
    schema = None
    if m.get("json_schema") is not None:
        schema = dict(c.mapping(m["json_schema"], "parse.json_schema"))
        if schema.get("type", "object") != "object":
            raise c.fail("parse.json_schema.type", "must be 'object' (the reply is one JSON object per row)")
    if sum(x is not None and x is not False for x in (labels, schema, is_json or None)) > 1:
        raise c.fail("parse", "choose one of labels, json, json_schema")
    reask = c.integer(m.get("reask", 0), "parse.reask", minimum=0, maximum=10)
    abstain = c.string(m["abstain"], "parse.abstain") if m.get("abstain") is not None else None
    if abstain is not None and labels is None:
        raise c.fail("parse.abstain", "needs parse.labels")
    if abstain is not None and labels is not None and _norm(abstain) not in {_norm(v) for v in labels}:
        labels = (*labels, abstain)
    return ParseSpec(labels=labels, json=is_json, json_schema=schema, reask=reask, abstain=abstain)


def _norm(label: str) -> str:
    return "".join(ch for ch in label.casefold() if ch.isalnum())


def _parse_output(value: Any, c: _Checker) -> OutputSpec:
    if isinstance(value, str):
        return OutputSpec(path=value)
    m = c.mapping(value, "output")
    c.keys(m, ("path", "column"), "output")
    if "path" not in m:
        raise c.fail("output.path", "is required")
    path = c.string(m["path"], "output.path")
    column = c.string(m.get("column", "response"), "output.column")
    from .results import RESULT_COLUMN_NAMES  # here: results pulls in pyarrow and the client

    if column in RESULT_COLUMN_NAMES:
        raise c.fail("output.column", f"'{column}' is one of batchrunner's own output columns; choose another name")
    return OutputSpec(path=path, column=column)


def _parse_run(value: Any, c: _Checker) -> RunSpec:
    m = c.mapping(value, "run")
    keys = ("concurrency", "chunk_size", "max_retries", "timeout_s", "requests_per_minute",
            "tokens_per_minute", "max_cost_usd", "shards", "parallel_shards", "rate_limit")
    c.keys(m, keys, "run")

    def opt_num(key: str) -> float | None:
        if m.get(key) is None:
            return None
        return c.number(m[key], f"run.{key}", minimum=0, exclusive_minimum=True)

    rate_limit = None
    if m.get("rate_limit") is not None:
        r = c.mapping(m["rate_limit"], "run.rate_limit")
        c.keys(r, _RATE_LIMIT_KEYS, "run.rate_limit")
        backend = c.string(r.get("backend", "redis"), "run.rate_limit.backend")
        if backend != "redis":
            raise c.fail("run.rate_limit.backend", f"must be 'redis', got {backend!r}")
        if "url" not in r:
            raise c.fail("run.rate_limit.url", "is required (redis://host:port/db)")
        rate_limit = RateLimitBackend(backend=backend, url=c.string(r["url"], "run.rate_limit.url"))
    shards = c.integer(m["shards"], "run.shards", minimum=1) if m.get("shards") is not None else None
    parallel = (c.integer(m["parallel_shards"], "run.parallel_shards", minimum=1)
                if m.get("parallel_shards") is not None else None)
    return RunSpec(
        concurrency=c.integer(m.get("concurrency", 16), "run.concurrency", minimum=1, maximum=4096),
        chunk_size=c.integer(m.get("chunk_size", 256), "run.chunk_size", minimum=1, maximum=1_000_000),
        max_retries=c.integer(m.get("max_retries", 6), "run.max_retries", minimum=0, maximum=100),
        timeout_s=c.number(m.get("timeout_s", 60), "run.timeout_s", minimum=0, exclusive_minimum=True),
        requests_per_minute=opt_num("requests_per_minute"),
        tokens_per_minute=opt_num("tokens_per_minute"),
        max_cost_usd=opt_num("max_cost_usd"),
        shards=shards,
        parallel_shards=parallel,
        rate_limit=rate_limit,
    )


def _parse_pricing(value: Any, c: _Checker) -> Pricing:
    m = c.mapping(value, "pricing")
    keys = ("input_per_million", "cached_input_per_million", "output_per_million", "discount")
    c.keys(m, keys, "pricing")
    for required in ("input_per_million", "output_per_million"):
        if required not in m:
            raise c.fail(f"pricing.{required}", "is required when pricing is given")
    cached = m.get("cached_input_per_million")
    return Pricing(
        input_per_million=c.number(m["input_per_million"], "pricing.input_per_million", minimum=0),
        output_per_million=c.number(m["output_per_million"], "pricing.output_per_million", minimum=0),
        cached_input_per_million=(
            c.number(cached, "pricing.cached_input_per_million", minimum=0) if cached is not None else None
        ),
        discount=c.number(m.get("discount", 1.0), "pricing.discount", minimum=0, maximum=1),
    )


def override_endpoint(spec: JobSpec, value: str) -> Endpoint:
    """`--endpoint NAME`: a profile name, or a base URL for a keyless server."""
    if value.startswith(("http://", "https://")):
        return Endpoint(name="custom", base_url=value.rstrip("/"), api_key_env=None)
    return parse_endpoint(value, _Checker(spec.spec_path), where="--endpoint")
