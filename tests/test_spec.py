"""The job spec: every validator rejects what it should, naming the field; endpoints resolve."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import make_job, reviews, run_cli

from batchrunner import spec as spec_module
from batchrunner.errors import SpecError, UsageError
from batchrunner.job import JobOptions, prepare
from batchrunner.spec import load_spec

BASE: dict[str, Any] = {
    "name": "j",
    "model": "m",
    "endpoint": {"base_url": "http://127.0.0.1:9/v1"},
    "input": "data.jsonl",
    "prompt": {"user": "Review: {{ text }}"},
    "output": "out.parquet",
}


def write_spec(tmp_path: Path, changes: dict[str, Any] | None = None, *, drop: tuple[str, ...] = ()) -> Path:
    doc = {**BASE, **(changes or {})}
    for key in drop:
        doc.pop(key)
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


def spec_error(tmp_path: Path, changes: dict[str, Any] | None = None, *, drop: tuple[str, ...] = ()) -> str:
    path = write_spec(tmp_path, changes, drop=drop)
    with pytest.raises(SpecError) as info:
        load_spec(path)
    message = str(info.value)
    assert "\n" not in message
    assert str(path) in message  # every message names the spec file
    return message


# ---------------------------------------------------------------- unknown keys


@pytest.mark.parametrize(
    ("changes", "field", "near"),
    [
        ({"promt": {"user": "x"}}, "promt", "prompt"),
        ({"modle": "m"}, "modle", "model"),
        ({"run": {"concurency": 3}}, "run.concurency", "concurrency"),
        ({"run": {"chunksize": 3}}, "run.chunksize", "chunk_size"),
        ({"input": {"path": "data.jsonl", "id_col": "id"}}, "input.id_col", "id_column"),
        ({"prompt": {"user": "x", "sytem": "y"}}, "prompt.sytem", "system"),
        ({"parse": {"label": ["a"]}}, "parse.label", "labels"),
        ({"pricing": {"input_per_million": 1, "output_per_million": 1, "discunt": 0.5}},
         "pricing.discunt", "discount"),
        ({"output": {"path": "o.parquet", "colum": "x"}}, "output.colum", "column"),
        ({"endpoint": {"base_url": "http://x/v1", "api_key": "K"}}, "endpoint.api_key", "api_key_env"),
        ({"prompt": {"user": "{{ part }}", "split": {"column": "t", "max_token": 100}}},
         "prompt.split.max_token", "max_tokens"),
    ],
)
def test_unknown_key_names_field_and_nearest_valid_key(tmp_path: Path, changes: dict[str, Any], field: str,
                                                       near: str) -> None:
    message = spec_error(tmp_path, changes)
    assert f": {field}: unknown key" in message
    assert f"did you mean '{near}'?" in message


def test_unknown_key_with_no_near_match_lists_valid_keys(tmp_path: Path) -> None:
    message = spec_error(tmp_path, {"zzzzzz": 1})
    assert "zzzzzz: unknown key" in message
    assert "valid keys:" in message and "prompt" in message


# ---------------------------------------------------------------- types and ranges


@pytest.mark.parametrize(
    ("changes", "field", "what"),
    [
        ({"name": ["a"]}, "name", "must be a string"),
        ({"name": "a/b"}, "name", "folder name"),
        ({"model": 5}, "model", "must be a string"),
        ({"model": "  "}, "model", "must not be empty"),
        ({"params": [1]}, "params", "must be a mapping"),
        ({"params": {"messages": []}}, "params.messages", "set by batchrunner"),
        ({"prompt": "hello"}, "prompt", "must be a mapping"),
        ({"cache": "yes"}, "cache", "must be true or false"),
        ({"run": {"concurrency": 0}}, "run.concurrency", "must be >= 1, got 0"),
        ({"run": {"concurrency": "4"}}, "run.concurrency", "must be an integer"),
        ({"run": {"concurrency": 2.5}}, "run.concurrency", "must be an integer"),
        ({"run": {"chunk_size": True}}, "run.chunk_size", "must be an integer"),
        ({"run": {"chunk_size": 0}}, "run.chunk_size", "must be >= 1"),
        ({"run": {"max_retries": -1}}, "run.max_retries", "must be >= 0"),
        ({"run": {"timeout_s": 0}}, "run.timeout_s", "must be > 0"),
        ({"run": {"timeout_s": "60s"}}, "run.timeout_s", "must be a number"),
        ({"run": {"requests_per_minute": 0}}, "run.requests_per_minute", "must be > 0"),
        ({"run": {"max_cost_usd": -1}}, "run.max_cost_usd", "must be > 0"),
        ({"run": [1]}, "run", "must be a mapping"),
        ({"pricing": {"input_per_million": 1, "output_per_million": 1, "discount": 1.5}},
         "pricing.discount", "must be <= 1, got 1.5"),
        ({"pricing": {"input_per_million": -0.75, "output_per_million": 1}},
         "pricing.input_per_million", "must be >= 0"),
        ({"pricing": {"input_per_million": 1, "output_per_million": -4.5}},
         "pricing.output_per_million", "must be >= 0"),
        ({"pricing": {"input_per_million": 1, "output_per_million": 1, "cached_input_per_million": -1}},
         "pricing.cached_input_per_million", "must be >= 0"),
        ({"pricing": {"input_per_million": "cheap", "output_per_million": 1}},
         "pricing.input_per_million", "must be a number"),
        ({"pricing": {"output_per_million": 1}}, "pricing.input_per_million", "is required"),
        ({"parse": {"labels": []}}, "parse.labels", "non-empty list"),
        ({"parse": {"labels": "positive"}}, "parse.labels", "non-empty list"),
        ({"parse": {"labels": [{"a": 1}]}}, "parse.labels[0]", "must be a string"),
        ({"parse": {"labels": ["Positive", "positive!"]}}, "parse.labels", "the same"),
        ({"parse": {"abstain": "unknown"}}, "parse.abstain", "needs parse.labels"),
        ({"parse": {"labels": ["a", "b"], "json": True}}, "parse", "choose one of labels, json, json_schema"),
        ({"parse": {"json": "yes"}}, "parse.json", "must be true or false"),
        ({"parse": {"reask": 11}}, "parse.reask", "must be <= 10"),
        ({"parse": {"json_schema": {"type": "array"}}}, "parse.json_schema.type", "must be 'object'"),
        ({"prompt": {"user": "x", "reduce": "{{ parts }}"}}, "prompt.reduce", "needs prompt.split"),
        ({"prompt": {"user": "x", "template": "t.j2"}}, "prompt", "exactly one of 'user'"),
        ({"prompt": {"system": "x"}}, "prompt", "exactly one of 'user'"),
        ({"prompt": {"template": "missing.j2"}}, "prompt.template", "cannot read template file"),
        ({"prompt": {"user": "{{ part }}", "split": {"column": "t", "max_tokens": 100, "overlap": 100}}},
         "prompt.split.overlap", "smaller than max_tokens"),
        ({"prompt": {"user": "{{ part }}", "split": {"max_tokens": 100}}}, "prompt.split.column", "is required"),
        ({"endpoint": "skilboss"}, "endpoint", "did you mean 'skillboss'?"),
        ({"endpoint": "opnai"}, "endpoint", "did you mean 'openai'?"),
        ({"endpoint": {"api_key_env": "MY_KEY"}}, "endpoint.base_url", "is required"),
        ({"endpoint": {"base_url": "127.0.0.1:8000/v1"}}, "endpoint.base_url", "must start with http://"),
        ({"endpoint": 7}, "endpoint", "must be a mapping"),
        ({"input": {"id_column": "id"}}, "input.path", "is required"),
        ({"output": {"column": "x"}}, "output.path", "is required"),
        ({"output": {"path": "o.parquet", "column": ""}}, "output.column", "must not be empty"),
        ({"output": {"path": "o.parquet", "column": "status"}}, "output.column", "batchrunner's own output columns"),
        ({"output": {"path": "o.parquet", "column": "cost_usd"}}, "output.column", "batchrunner's own output columns"),
    ],
)
def test_invalid_values_are_rejected_with_field_path(tmp_path: Path, changes: dict[str, Any], field: str,
                                                     what: str) -> None:
    message = spec_error(tmp_path, changes)
    assert f": {field}: " in message, message
    assert what in message, message


@pytest.mark.parametrize("key", ["name", "model", "input", "prompt", "output"])
def test_missing_required_key(tmp_path: Path, key: str) -> None:
    assert f": {key}: is required" in spec_error(tmp_path, drop=(key,))


def test_bad_yaml_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text("name: j\nmodel: m\nprompt: {user: 'x'\ninput: data.jsonl\n")
    with pytest.raises(SpecError, match=r"line \d+, column \d+: invalid YAML"):
        load_spec(path)
    path.write_text("name: j\nmodel: m: n\n")
    with pytest.raises(SpecError, match=r"spec.yaml: line 2, column 9: invalid YAML: mapping values"):
        load_spec(path)


def test_empty_file_and_non_mapping(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text("# only a comment\n")
    with pytest.raises(SpecError, match="the file is empty"):
        load_spec(path)
    path.write_text("- 1\n- 2\n")
    with pytest.raises(SpecError, match=r"\(top level\): must be a mapping"):
        load_spec(path)
    with pytest.raises(SpecError, match="no such file"):
        load_spec(tmp_path / "nope.yaml")


def test_max_cost_without_pricing_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "data.jsonl").write_text('{"text": "a"}\n')
    path = write_spec(tmp_path, {"run": {"max_cost_usd": 5}})
    with pytest.raises(SpecError, match=r"run.max_cost_usd: needs a pricing section"):
        prepare(path)


# ---------------------------------------------------------------- what a valid spec becomes


def test_full_product_example_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "prompts").mkdir()
    (tmp_path / "prompts" / "classify.j2").write_text("Review: {{ text }}")
    path = tmp_path / "spec.yaml"
    path.write_text("""
name: classify-reviews
model: openai/gpt-5.4-mini
endpoint: skillboss
input:
  path: ../sample_data/reviews.jsonl
  id_column: review_id
prompt:
  system: "You label customer reviews."
  template: prompts/classify.j2
params: {temperature: 0, max_tokens: 5}
parse:
  labels: [positive, negative, neutral]
  abstain: unknown
output:
  path: ../outputs/{{ job.name }}-{{ run_date }}.parquet
  column: sentiment
run: {concurrency: 16, chunk_size: 256, max_retries: 6, timeout_s: 60, requests_per_minute: 500,
      tokens_per_minute: 200000, max_cost_usd: 10}
pricing: {input_per_million: 0.75, cached_input_per_million: 0.075, output_per_million: 4.50, discount: 0.8}
schedule: "0 2 * * *"
""")
    spec = load_spec(path)
    assert spec.prompt.user == "Review: {{ text }}"
    assert spec.prompt.template_path is not None and spec.prompt.template_path.endswith("classify.j2")
    assert spec.parse.labels == ("positive", "negative", "neutral", "unknown")
    assert spec.run.timeout_s == 60.0 and spec.run.concurrency == 16
    assert spec.pricing is not None and spec.pricing.discount == 0.8
    # PRODUCT.md: discount × ((prompt − cached) × input + cached × cached_input + completion × output) / 1e6
    assert spec.pricing.cost(1000, 10, 200) == pytest.approx(0.8 * (800 * 0.75 + 200 * 0.075 + 10 * 4.5) / 1e6)
    assert spec.pricing.cost(None, None, None) is None


@pytest.mark.parametrize(
    ("endpoint", "url", "key_env"),
    [
        ("skillboss", "https://api.skillboss.co/v1", "SKILLBOSS_WHOLESALE_KEY"),
        ("openai", "https://api.openai.com/v1", "OPENAI_API_KEY"),
        ({"base_url": "http://127.0.0.1:8000/v1/", "api_key_env": "MY_KEY"}, "http://127.0.0.1:8000/v1", "MY_KEY"),
        ({"base_url": "http://127.0.0.1:8000/v1"}, "http://127.0.0.1:8000/v1", None),
    ],
)
def test_endpoint_profiles_resolve(tmp_path: Path, endpoint: Any, url: str, key_env: str | None) -> None:
    spec = load_spec(write_spec(tmp_path, {"endpoint": endpoint}))
    assert spec.endpoint.base_url == url
    assert spec.endpoint.api_key_env == key_env


def test_endpoint_defaults_to_skillboss(tmp_path: Path) -> None:
    spec = load_spec(write_spec(tmp_path, drop=("endpoint",)))
    assert spec.endpoint.name == "skillboss"


def test_endpoint_and_model_overrides(tmp_path: Path) -> None:
    (tmp_path / "data.jsonl").write_text('{"text": "a"}\n')
    path = write_spec(tmp_path)
    job = prepare(path, JobOptions(endpoint="openai", model="gpt-x"))
    assert (job.endpoint.base_url, job.endpoint.api_key_env, job.model) == (
        "https://api.openai.com/v1", "OPENAI_API_KEY", "gpt-x")
    job = prepare(path, JobOptions(endpoint="http://127.0.0.1:7/v1/"))
    assert (job.endpoint.base_url, job.endpoint.api_key_env) == ("http://127.0.0.1:7/v1", None)
    with pytest.raises(SpecError, match=r"--endpoint: unknown profile 'skillbos' — did you mean 'skillboss'"):
        prepare(path, JobOptions(endpoint="skillbos"))
    with pytest.raises(UsageError, match=r"--concurrency: must be >= 1"):
        prepare(path, JobOptions(concurrency=0))


def test_endpoint_and_model_flags_reach_the_server(tmp_path: Path, server) -> None:
    job = make_job(tmp_path, None, reviews(3), spec={"model": "spec-model"})  # spec points at a dead port
    out = tmp_path / "o.parquet"
    result = run_cli("run", str(job.spec), "--endpoint", server.base_url, "--model", "flag-model",
                     "--output", str(out))
    assert result.exit_code == 0, result.stderr
    bodies = server.stats()["bodies"]
    assert len(bodies) == 3
    assert {b["model"] for b in bodies} == {"flag-model"}
    assert out.exists()


# ---------------------------------------------------------------- API keys


def test_unset_skillboss_key_is_exit_2_and_sends_nothing(tmp_path: Path, server,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # The real skillboss profile, aimed at the loopback server so a leaked request would be counted.
    monkeypatch.setitem(spec_module.PROFILES, "skillboss", (server.base_url, "SKILLBOSS_WHOLESALE_KEY"))
    job = make_job(tmp_path, None, reviews(5), spec={"endpoint": "skillboss"})
    result = run_cli("run", str(job.spec))
    assert result.exit_code == 2
    assert "SKILLBOSS_WHOLESALE_KEY" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2
    assert server.stats()["requests"] == 0
    assert not job.output.exists()


def test_key_from_mapping_env_is_sent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from batchrunner.testing import FakeServer

    with FakeServer(api_key="sekret-123") as srv:
        job = make_job(tmp_path, srv.base_url, reviews(2),
                       spec={"endpoint": {"base_url": srv.base_url, "api_key_env": "MY_TEST_KEY"}})
        result = run_cli("run", str(job.spec))
        assert result.exit_code == 2 and "MY_TEST_KEY" in result.stderr
        assert srv.stats()["requests"] == 0
        monkeypatch.setenv("MY_TEST_KEY", "sekret-123")
        result = run_cli("run", str(job.spec))
        assert result.exit_code == 0, result.stderr
        assert srv.stats()["by_status"] == {"200": 2}
        assert "sekret-123" not in result.stderr + result.stdout


def test_spec_errors_via_cli_are_one_line_exit_2(tmp_path: Path, server) -> None:
    job = make_job(tmp_path, server.base_url, reviews(3), spec={"run": {"concurency": 2}})
    result = run_cli("run", str(job.spec))
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("error: ")
    assert "run.concurency: unknown key — did you mean 'concurrency'?" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert server.stats()["requests"] == 0
