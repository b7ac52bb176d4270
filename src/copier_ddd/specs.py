"""Aggregate spec files: read as text, checked by the template's own spec.jinja.

A spec is recorded in ``.copier-answers.yml`` under ``specs`` as the file's text, so its field
order (and its comments) survive, and `copier update` re-renders exactly what was rendered.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import yaml

from .errors import DddError

T = TypeVar("T")


@dataclass(frozen=True)
class SpecFile:
    """One spec file as given on the command line."""

    path: Path
    shown: str  # the path as the user wrote it, for messages
    text: str


def read(path_text: str) -> SpecFile:
    """The spec file at ``path_text``; one clear line when it cannot be read."""
    path = Path(path_text).expanduser()
    if not path.is_file():
        msg = f"there is no spec file {path_text}: give the path of a YAML spec (see docs/specs.md)"
        raise DddError(msg)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        msg = f"spec file {path_text} is not UTF-8 text: save it as UTF-8"
        raise DddError(msg) from None
    return SpecFile(path, path_text, text)


def parsed(what: str, action: Callable[[], T]) -> T:
    """``action()``, with a YAML syntax error of a spec turned into one line about ``what``."""
    try:
        return action()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        problem = getattr(error, "problem", None) or "cannot be read"
        msg = f"{what} is not valid YAML{where}: {problem}"
        raise DddError(msg) from None


def module_of(spec: SpecFile, *, template_root: Path) -> str:
    """The module a spec file is for: its ``module:`` key, else the file's stem."""
    from .naming import spec_module

    named = parsed(
        f"spec file {spec.shown}", lambda: spec_module(spec.text, template_root=template_root)
    )
    return named or spec.path.stem


def problem(
    specs: Mapping[str, object],
    modules: list[str],
    aggregate_names: Mapping[str, str],
    files: Mapping[str, str],
    *,
    template_root: Path,
) -> str:
    """copier's `specs` validator, with the spec files named in the message."""
    from .naming import specs_problem

    names = ", ".join(files.values()) or "a spec"
    return parsed(
        f"spec file {names}",
        lambda: specs_problem(
            dict(specs), modules, dict(aggregate_names), files, template_root=template_root
        ),
    )
