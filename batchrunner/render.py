"""Prompt templates: jinja2's sandbox, strict about undefined names, row values are data.

A row's values are passed as variables and rendered as text; they are never parsed as
templates, so `{{ 7*7 }}` inside a review is sent as those characters.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any

import jinja2
import jinja2.meta
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from .errors import TemplateError

# Variables batchrunner provides itself; everything else a template names must be a column.
BUILTIN_VARIABLES = frozenset({"run_date", "run_time", "job", "row_index"})

_ENV = SandboxedEnvironment(
    undefined=jinja2.StrictUndefined,
    autoescape=False,
    keep_trailing_newline=False,
)


def _compile(source: str, where: str) -> jinja2.Template:
    try:
        template = _ENV.from_string(source)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{where}: line {exc.lineno}: template syntax error: {exc.message}") from exc
    # A plain dict instead of jinja2's ChainMap over the environment's globals (which never change
    # here): every render copies the globals, and a ChainMap made that ~40% of a row's rendering.
    template.globals = dict(template.globals)
    return template


def variables_of(source: str, where: str) -> set[str]:
    """The top-level names a template reads."""
    try:
        ast = _ENV.parse(source)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{where}: line {exc.lineno}: template syntax error: {exc.message}") from exc
    return set(jinja2.meta.find_undeclared_variables(ast))


def render_text(template: jinja2.Template, variables: Mapping[str, Any], where: str) -> str:
    try:
        return template.render(variables)
    except SecurityError as exc:
        raise TemplateError(f"{where}: refused by the template sandbox: {exc}") from exc
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"{where}: {exc.message}") from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(f"{where}: {exc}") from exc
    except Exception as exc:  # a filter or a value misbehaved, e.g. {{ text / 2 }}
        raise TemplateError(f"{where}: {type(exc).__name__}: {exc}") from exc


def render_path(source: str, variables: Mapping[str, Any], where: str) -> str:
    """Render a path template such as `../outputs/{{ job.name }}-{{ run_date }}.parquet`."""
    return render_text(_compile(source, where), variables, where)


class PromptTemplates:
    """The compiled system/user/reduce templates of a job."""

    def __init__(
        self,
        user: str,
        system: str | None = None,
        reduce: str | None = None,
        *,
        user_where: str = "prompt.user",
    ) -> None:
        self.user_where = user_where
        self.user = _compile(user, user_where)
        self.system = _compile(system, "prompt.system") if system is not None else None
        self.reduce = _compile(reduce, "prompt.reduce") if reduce is not None else None
        self._sources = {user_where: user, "prompt.system": system, "prompt.reduce": reduce}
        # A system prompt that reads no variable is the same for every row: render it once.
        self._static_system: str | None = None
        if system is not None and not variables_of(system, "prompt.system") and self.system is not None:
            self._static_system = render_text(self.system, {}, "prompt.system")

    def check_columns(
        self,
        columns: Iterable[str],
        extra_variables: Iterable[str],
        input_name: str,
        *,
        provided: Iterable[str] = (),
    ) -> None:
        """Every name a template reads must be a column, a --var or a built-in: else TemplateError."""
        columns = list(columns)
        known = set(columns) | set(extra_variables) | BUILTIN_VARIABLES
        for where, source in self._sources.items():
            if source is None:
                continue
            allowed = known | set(provided)
            if where == "prompt.reduce":
                allowed |= {"parts"}
            for name in sorted(variables_of(source, where)):
                if name in allowed:
                    continue
                near = difflib.get_close_matches(name, columns, n=1, cutoff=0.6)
                hint = f" — did you mean '{near[0]}'?" if near else ""
                shown = ", ".join(columns[:12]) + (", ..." if len(columns) > 12 else "")
                raise TemplateError(
                    f"{where}: column '{name}' is not in {input_name} (columns: {shown}){hint}"
                )

    def messages(self, variables: Mapping[str, Any], where: str) -> list[dict[str, str]]:
        msgs: list[dict[str, str]] = []
        if self._static_system is not None:
            msgs.append({"role": "system", "content": self._static_system})
        elif self.system is not None:
            msgs.append({"role": "system", "content": render_text(self.system, variables, f"{where}: prompt.system")})
        msgs.append({"role": "user", "content": render_text(self.user, variables, f"{where}: {self.user_where}")})
        return msgs

    def reduce_messages(self, variables: Mapping[str, Any], where: str) -> list[dict[str, str]]:
        assert self.reduce is not None
        msgs: list[dict[str, str]] = []
        if self.system is not None:
            msgs.append({"role": "system", "content": render_text(self.system, variables, f"{where}: prompt.system")})
        msgs.append({"role": "user", "content": render_text(self.reduce, variables, f"{where}: prompt.reduce")})
        return msgs

    def variables(self) -> set[str]:
        names: set[str] = set()
        for where, source in self._sources.items():
            if source is not None:
                names |= variables_of(source, where)
        return names
