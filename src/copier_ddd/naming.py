"""The naming rules, read from the template's ``naming.jinja``: the one source of truth.

copier.yml's validators import the same macros, so `ddd` refuses exactly what `copier copy`
refuses, with the same words, before anything is written.
"""

from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jinja2 import FileSystemLoader
from jinja2.sandbox import SandboxedEnvironment

from .caching import bytecode_cache
from .sources import bundled_template

#: The Jinja extension copier always loads (its filters: from_yaml, regex_search, ...).
FILTERS_EXTENSION = "jinja2_ansible_filters.AnsibleCoreFiltersExtension"


def environment(template_root: Path) -> SandboxedEnvironment:
    """A Jinja environment with copier's filters, loading from the template's root."""
    return SandboxedEnvironment(
        loader=FileSystemLoader(str(template_root)),
        bytecode_cache=bytecode_cache(),
        extensions=[FILTERS_EXTENSION],
    )


@cache
def _macros(template_root: Path, name: str = "naming.jinja") -> Any:  # noqa: ANN401 - a Jinja template module
    return environment(template_root).get_template(name).module


def _call(
    macro: str, *args: object, template_root: Path | None = None, name: str = "naming.jinja"
) -> str:
    module = _macros(template_root or bundled_template(), name)
    return str(getattr(module, macro)(*args)).strip()


def package_problem(name: object, *, template_root: Path | None = None) -> str:
    """Why ``name`` cannot be a package name, or ``""``."""
    return _call("package_problem", name, template_root=template_root)


def modules_problem(
    modules: object,
    aggregate_names: object = None,
    *,
    examples: bool = False,
    template_root: Path | None = None,
) -> str:
    """Why this list of modules (with these aggregate names) cannot be rendered, or ``""``.

    With ``examples`` (the project's `examples` answer) the modules must leave the names
    and tables of the worked examples free.
    """
    problem = _call(
        "aggregate_names_problem",
        aggregate_names if aggregate_names is not None else {},
        modules,
        template_root=template_root,
    )
    return problem or _call("examples_problem", examples, modules, template_root=template_root)


def example_modules(*, template_root: Path | None = None) -> list[str]:
    """The modules `examples: true` adds to a project (naming.jinja's ``EXAMPLE_MODULES``)."""
    return [str(m) for m in _macros(template_root or bundled_template()).EXAMPLE_MODULES]


def package_from(project_name: str, *, template_root: Path | None = None) -> str:
    """The package name derived from a project name ("Acme Shop" -> "acme_shop")."""
    return _call("package_from", project_name, template_root=template_root)


def aggregate_for(
    module: str,
    aggregate_names: Mapping[str, str] | None = None,
    *,
    template_root: Path | None = None,
) -> str:
    """The aggregate class name of ``module`` ("user_accounts" -> "UserAccount")."""
    return _call("aggregate_for", module, aggregate_names or {}, template_root=template_root)


def module_specs(
    modules: Sequence[str],
    aggregate_names: Mapping[str, str] | None = None,
    specs: Mapping[str, object] | None = None,
    *,
    template_root: Path | None = None,
) -> list[dict[str, Any]]:
    """What each module's files are rendered with: spec.jinja's IR (name, aggregate, ...)."""
    rendered = _call(
        "module_specs",
        list(modules),
        aggregate_names or {},
        dict(specs or {}),
        template_root=template_root,
    )
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed: faster
    compiled: list[dict[str, Any]] = yaml.load(rendered, Loader=loader)  # noqa: S506 - a safe loader
    return compiled


def specs_problem(
    specs: object,
    modules: object,
    aggregate_names: object = None,
    files: Mapping[str, str] | None = None,
    *,
    template_root: Path | None = None,
) -> str:
    """Why these specs cannot be rendered, or ``""``: copier's `specs` validator, word for word.

    ``files`` names the file each module's spec was read from, for the message.
    """
    return _call(
        "specs_problem",
        specs,
        modules,
        aggregate_names if aggregate_names is not None else {},
        dict(files or {}),
        template_root=template_root,
        name="spec.jinja",
    )


def _questions(template_root: Path) -> dict[str, Any]:
    config = yaml.safe_load((template_root / "copier.yml").read_text(encoding="utf-8"))
    return {k: v for k, v in config.items() if not k.startswith("_") and isinstance(v, dict)}


def _choices(question: Mapping[str, Any]) -> list[object]:
    choices = question.get("choices") or []
    return list(choices.values()) if isinstance(choices, Mapping) else list(choices)


def answer_problems(
    answers: Mapping[str, object],
    *,
    template_root: Path | None = None,
    every_default: bool = False,
) -> list[str]:
    """Why these answers cannot be rendered: copier.yml's own validators and choices.

    Each given answer is checked with the ``validator`` and ``choices`` of its question in
    the template's copier.yml (whose validators import naming.jinja), the other answers
    taking their defaults: the very checks `copier copy` runs, before anything is written.
    With ``every_default`` the defaults are checked too (copier will not ask for them).
    """
    root = template_root or bundled_template()
    jinja = environment(root)  # copier's filters; naming.jinja and spec.jinja from the cache
    questions = _questions(root)
    context: dict[str, object] = {}
    for key, question in questions.items():
        if key in answers:
            context[key] = answers[key]
            continue
        if question.get("when") is False:  # computed, never asked nor validated
            continue
        default = question.get("default")
        if isinstance(default, str):
            default = jinja.from_string(default).render(**context)
            if question.get("type") in {"yaml", "json"}:
                default = yaml.safe_load(default)
        context[key] = default
    problems = []
    checked = list(answers) + [k for k in context if every_default and k not in answers]
    for key in checked:
        question = questions.get(key)
        if question is None:
            problems.append(f"the template asks no question '{key}'")
            continue
        choices = _choices(question)
        if choices and context[key] not in choices:
            allowed = ", ".join(str(c) for c in choices)
            problems.append(f"{key} '{context[key]}' is not one of: {allowed}")
            continue
        validator = question.get("validator")
        if isinstance(validator, str):
            problem = jinja.from_string(validator).render(**context).strip()
            if problem:
                problems.append(problem)
    return problems


def spec_module(text: str, *, template_root: Path | None = None) -> str:
    """The module a spec's text names with its ``module:`` key, or ``""``."""
    return _call("spec_module", text, template_root=template_root, name="spec.jinja")
