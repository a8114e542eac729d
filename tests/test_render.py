"""Prompt templates: the sandbox holds, names are strict, row values stay data."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_job, reviews, run_cli

from batchrunner.errors import TemplateError
from batchrunner.render import PromptTemplates, render_path, variables_of

ESCAPES = [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ text.__class__.__subclasses__() }}",
    "{{ text|attr('__class__') }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ lipsum.__globals__['os'] }}",
    "{{ '{0.__class__}'.format(text) }}",
]


# ---------------------------------------------------------------- the library


@pytest.mark.parametrize("source", ESCAPES)
def test_sandbox_refuses_escapes(source: str) -> None:
    templates = PromptTemplates(source)
    with pytest.raises(TemplateError, match="refused by the template sandbox|unsafe"):
        templates.messages({"text": "hello"}, "row 1")


def test_strict_undefined() -> None:
    templates = PromptTemplates("Review: {{ text }} {{ text.nope }}")
    with pytest.raises(TemplateError, match="row 1: prompt.user: .*has no attribute 'nope'"):
        templates.messages({"text": "x"}, "row 1")
    with pytest.raises(TemplateError, match="'text' is undefined"):
        PromptTemplates("{{ text }}").messages({}, "row 1")


def test_check_columns_suggests_nearest_column() -> None:
    templates = PromptTemplates("Review: {{ txt }}", "Judge {{ product }}")
    with pytest.raises(TemplateError) as info:
        templates.check_columns(["id", "text", "product"], ["lang"], "data.jsonl")
    assert str(info.value) == ("prompt.user: column 'txt' is not in data.jsonl (columns: id, text, product)"
                               " — did you mean 'text'?")
    # --var values, built-ins and names the template sets itself are fine.
    PromptTemplates("{% set n = 1 %}{{ text }} {{ lang }} {{ run_date }} {{ job.name }} {{ row_index }} "
                    "{% for w in text.split() %}{{ w }}{{ loop.index }}{% endfor %}").check_columns(
        ["text"], ["lang"], "data.jsonl")


def test_syntax_errors_name_the_template_and_line() -> None:
    with pytest.raises(TemplateError, match=r"prompt.user: line 2: template syntax error"):
        PromptTemplates("ok\n{{ text ")
    with pytest.raises(TemplateError, match=r"prompt.system: line 1: template syntax error: No filter named"):
        PromptTemplates("{{ text }}", "{{ text | nosuchfilter }}")


def test_row_values_are_data_not_templates() -> None:
    templates = PromptTemplates("Review: {{ text }}", "System for {{ product }}")
    msgs = templates.messages({"text": "{{ 7*7 }} {% if true %}x{% endif %} {{ ''.__class__ }}",
                               "product": "{{ product }}"}, "row 1")
    assert msgs == [
        {"role": "system", "content": "System for {{ product }}"},
        {"role": "user", "content": "Review: {{ 7*7 }} {% if true %}x{% endif %} {{ ''.__class__ }}"},
    ]


def test_no_html_escaping_and_whitespace_kept() -> None:
    msgs = PromptTemplates("A: {{ text }}\n").messages({"text": "<b>&'\"</b>"}, "row 1")
    assert msgs[0]["content"] == "A: <b>&'\"</b>"


def test_render_path_and_variables_of() -> None:
    path = render_path("../out/{{ job.name }}-{{ run_date }}.parquet",
                       {"job": {"name": "j"}, "run_date": "2026-01-02"}, "output.path")
    assert path == "../out/j-2026-01-02.parquet"
    assert variables_of("{{ a }} {% for x in b %}{{ x }}{% endfor %}", "w") == {"a", "b"}
    with pytest.raises(TemplateError, match="output.path: 'nope' is undefined"):
        render_path("{{ nope }}.parquet", {}, "output.path")


# ---------------------------------------------------------------- through the CLI against the loopback server


@pytest.mark.parametrize("source", ESCAPES[:3])
def test_sandbox_escape_in_spec_exits_2_and_sends_nothing(tmp_path: Path, server, source: str) -> None:
    job = make_job(tmp_path, server.base_url, reviews(5), spec={"prompt": {"user": source}})
    for command in ("run", "validate"):
        result = run_cli(command, str(job.spec))
        assert result.exit_code == 2, (command, result.stdout, result.stderr)
        assert "refused by the template sandbox" in result.stderr
        assert str(job.spec) in result.stderr
        assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    result = run_cli("run", str(job.spec), "--dry-run")
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert server.stats()["requests"] == 0
    assert not job.output.exists()


def test_sandbox_escape_in_system_prompt(tmp_path: Path, server) -> None:
    job = make_job(tmp_path, server.base_url, reviews(5),
                   spec={"prompt": {"system": "{{ text.__class__.__subclasses__() }}", "user": "{{ text }}"}})
    result = run_cli("run", str(job.spec))
    assert result.exit_code == 2 and "prompt.system" in result.stderr
    assert server.stats()["requests"] == 0


def test_missing_column_exits_2_with_did_you_mean(tmp_path: Path, server) -> None:
    job = make_job(tmp_path, server.base_url, reviews(5), spec={"prompt": {"user": "Review: {{ txt }}"}})
    for args in (("run",), ("validate",), ("run", "--dry-run")):
        result = run_cli(*args, str(job.spec))
        assert result.exit_code == 2, (args, result.stderr)
        assert "column 'txt' is not in" in result.stderr and "did you mean 'text'?" in result.stderr
        assert "data.jsonl" in result.stderr and "Traceback" not in result.stderr
    assert server.stats()["requests"] == 0


def test_strict_undefined_attribute_exits_2(tmp_path: Path, server) -> None:
    job = make_job(tmp_path, server.base_url, reviews(5), spec={"prompt": {"user": "{{ text.nope }}"}})
    result = run_cli("run", str(job.spec))
    assert result.exit_code == 2 and "has no attribute 'nope'" in result.stderr
    assert server.stats()["requests"] == 0


def test_literal_template_syntax_in_rows_reaches_the_server(tmp_path: Path, server) -> None:
    tricky = [
        "{{ 7*7 }}",
        "{% for i in range(3) %}x{% endfor %}",
        "{{ ''.__class__.__mro__ }}",
        "{# not a comment #} }} {{",
    ]
    rows = [{"id": f"t{i}", "text": t, "stars": 1} for i, t in enumerate(tricky)]
    job = make_job(tmp_path, server.base_url, rows,
                   spec={"prompt": {"system": "Label it.", "user": "Review: {{ text }}"}, "parse": None,
                         "params": {"max_tokens": 200}})
    server.configure(reply_mode="echo")
    result = run_cli("run", str(job.spec))
    assert result.exit_code == 0, result.stderr
    sent = sorted(b["messages"][-1]["content"] for b in server.stats()["bodies"])
    assert sent == sorted(f"Review: {t}" for t in tricky)
    assert all(b["messages"][0] == {"role": "system", "content": "Label it."} for b in server.stats()["bodies"])
    table = job.read_output()
    assert table.column("sentiment").to_pylist() == [f"Review: {t}" for t in tricky]
    assert "49" not in "".join(table.column("sentiment").to_pylist())


def test_prompt_template_file_and_vars(tmp_path: Path, server) -> None:
    (tmp_path / "prompts").mkdir()
    (tmp_path / "prompts" / "p.j2").write_text(
        "Lang {{ lang }} / {{ job.name }} / row {{ row_index }}\n{% if stars > 3 %}GOOD{% else %}MEH{% endif %}: "
        "{{ text | upper }}")
    job = make_job(tmp_path, server.base_url, reviews(6),
                   spec={"prompt": {"template": "prompts/p.j2"}, "parse": None, "params": {"max_tokens": 200}})
    server.configure(reply_mode="echo")
    result = run_cli("run", str(job.spec), "--var", "lang=fr")
    assert result.exit_code == 0, result.stderr
    got = job.read_output().column("sentiment").to_pylist()
    assert got[0] == "Lang fr / test-job / row 0\nMEH: REVIEW 0: GREAT"
    assert got[4] == "Lang fr / test-job / row 4\nGOOD: REVIEW 4: BROKE FAST"
    # Without the --var the template names an unknown variable: exit 2, and the file is named.
    server.reset()
    result = run_cli("run", str(job.spec), "--fresh")
    assert result.exit_code == 2
    assert "p.j2: column 'lang' is not in" in result.stderr
    assert server.stats()["requests"] == 0


@pytest.mark.parametrize("bad", ["lang", "1x=2", "job=x"])
def test_bad_var_flags_exit_2(tmp_path: Path, server, bad: str) -> None:
    job = make_job(tmp_path, server.base_url, reviews(2))
    result = run_cli("run", str(job.spec), "--var", bad)
    assert result.exit_code == 2, result.stderr
    assert "--var" in result.stderr and "Traceback" not in result.stderr
    assert server.stats()["requests"] == 0


def test_var_run_date_reaches_output_path(tmp_path: Path, server) -> None:
    job = make_job(tmp_path, server.base_url, reviews(2),
                   spec={"output": {"path": "out/{{ job.name }}-{{ run_date }}.parquet", "column": "sentiment"}})
    result = run_cli("run", str(job.spec), "--var", "run_date=2026-11-01")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "out" / "test-job-2026-11-01.parquet").exists()
    result = run_cli("run", str(job.spec), "--var", "run_date=yesterday")
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.stderr


@pytest.mark.parametrize(("column", "var"), [("job", None), ("run_date", None), ("lang", "lang=fr")])
def test_column_hidden_by_a_builtin_variable_is_exit_2(tmp_path: Path, server, column: str, var: str | None) -> None:
    rows = [{**r, column: "a column value"} for r in reviews(3)]
    job = make_job(tmp_path, server.base_url, rows, spec={"prompt": {"user": f"{{{{ {column} }}}}: {{{{ text }}}}"}})
    result = run_cli("run", str(job.spec), *(("--var", var) if var else ()))
    assert result.exit_code == 2, result.stderr
    assert f"input column '{column}' has the name of a template variable" in result.stderr
    assert server.stats()["requests"] == 0
    # A column of that name the template does not read is fine.
    job = make_job(tmp_path, server.base_url, rows)
    assert run_cli("run", str(job.spec), *(("--var", var) if var else ())).exit_code == 0
