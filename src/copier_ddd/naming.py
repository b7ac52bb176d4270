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

from .sources import bundled_template


@cache
def _macros(template_root: Path) -> Any:  # noqa: ANN401 - a Jinja template module
    environment = SandboxedEnvironment(loader=FileSystemLoader(str(template_root)))
    return environment.get_template("naming.jinja").module


def _call(macro: str, *args: object, template_root: Path | None = None) -> str:
    module = _macros(template_root or bundled_template())
    return str(getattr(module, macro)(*args)).strip()


def package_problem(name: object, *, template_root: Path | None = None) -> str:
    """Why ``name`` cannot be a package name, or ``""``."""
    return _call("package_problem", name, template_root=template_root)


def modules_problem(
    modules: object,
    aggregate_names: object = None,
    *,
    template_root: Path | None = None,
) -> str:
    """Why this list of modules (with these aggregate names) cannot be rendered, or ``""``."""
    return _call(
        "aggregate_names_problem",
        aggregate_names if aggregate_names is not None else {},
        modules,
        template_root=template_root,
    )


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
    *,
    template_root: Path | None = None,
) -> list[dict[str, str]]:
    """What each module's files are rendered with (name, aggregate, tables, ...)."""
    rendered = _call(
        "module_specs",
        list(modules),
        aggregate_names or {},
        template_root=template_root,
    )
    specs: list[dict[str, str]] = yaml.safe_load(rendered)
    return specs
