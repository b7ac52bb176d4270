"""A rendered project: found from any folder inside it through its ``.copier-answers.yml``."""

import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from .errors import DddError

ANSWERS_FILE = ".copier-answers.yml"

_SAFE_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/+-]*")


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` that holds the answers file."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / ANSWERS_FILE).is_file():
            return folder
    msg = (
        f"{start} is not inside a copier-ddd project (no {ANSWERS_FILE} here or above): "
        "cd into a project, or create one with `ddd new DEST`"
    )
    raise DddError(msg)


@dataclass(frozen=True)
class Project:
    """What a project's answers file says about it."""

    root: Path
    answers: Mapping[str, Any]

    @property
    def package(self) -> str:
        """The Python package, ``src/<package>/``."""
        return str(self.answers["package_name"])

    @property
    def modules(self) -> list[str]:
        """The bounded contexts, in the recorded order."""
        return [str(m) for m in self.answers.get("modules") or []]

    @property
    def examples(self) -> bool:
        """Whether the project has the worked examples (the `examples` answer)."""
        return self.answers.get("examples") is True

    @property
    def aggregate_names(self) -> dict[str, str]:
        """The aggregate classes named explicitly (the others are derived)."""
        names = self.answers.get("aggregate_names") or {}
        return {str(k): str(v) for k, v in names.items()}

    @property
    def specs(self) -> dict[str, object]:
        """The aggregate spec of each module that has one (the others are bare)."""
        specs = self.answers.get("specs") or {}
        return {str(k): v for k, v in specs.items()}

    @property
    def source(self) -> str:
        """Where the template came from (``_src_path``)."""
        return str(self.answers["_src_path"])

    @property
    def template_source(self) -> str:
        """The template to read: ``_src_path``, with a relative folder read from the root.

        copier reads a relative ``_src_path`` from the folder `copier update` runs in, the
        project root; so does ``ddd``, from whatever folder inside the project it runs in.
        """
        from .sources import is_url

        source = self.source
        if is_url(source):
            return source
        return str((self.root / Path(source).expanduser()).resolve())

    @property
    def version(self) -> str | None:
        """The template version the project was last rendered or updated with (``_commit``)."""
        commit = self.answers.get("_commit")
        return None if commit is None else str(commit)

    @property
    def package_dir(self) -> Path:
        """``src/<package>``."""
        return self.root / "src" / self.package

    def module_dir(self, module: str) -> Path:
        """``src/<package>/modules/<module>``."""
        return self.package_dir / "modules" / module


def load(start: Path) -> Project:
    """The project around ``start``; a clear error when its answers file is unusable.

    A change that a killed `ddd add-module` or `ddd remove-module` left half made is undone
    (or finished) first, and one line says so: see :mod:`copier_ddd.transaction`.
    """
    from .output import note
    from .transaction import recover  # it needs ANSWERS_FILE from here

    root = find_root(start)
    recovered = recover(root)
    if recovered:
        note(recovered)
    path = root / ANSWERS_FILE
    import yaml  # lazy: keeps `ddd --help` instant

    fix = f"restore it from git (`git checkout -- {ANSWERS_FILE}`) or fix it by hand"
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed
        answers = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        msg = f"{path} is not valid YAML{where}: {fix}"
        raise DddError(msg) from None
    if not isinstance(answers, dict):
        msg = f"{path} does not hold copier answers (a mapping): {fix}"
        raise DddError(msg)
    problems = _answers_problems(answers)
    if problems:
        msg = f"{path} is damaged ({problems}): {fix}"
        raise DddError(msg)
    return Project(root, answers)


def _answers_problems(answers: Mapping[str, Any]) -> str:
    missing = [k for k in ("_src_path", "package_name") if not isinstance(answers.get(k), str)]
    if missing:
        return f"no {' or '.join(missing)}"
    modules = answers.get("modules")
    if modules is not None and (
        not isinstance(modules, list) or not all(isinstance(m, str) for m in modules)
    ):
        return "`modules` is not a list of names"
    names = answers.get("aggregate_names")
    if names is not None and not isinstance(names, dict):
        return "`aggregate_names` is not a mapping"
    specs = answers.get("specs")
    if specs is not None and not isinstance(specs, dict):
        return "`specs` is not a mapping"
    commit = answers.get("_commit")
    if commit is not None and not _SAFE_REF.fullmatch(str(commit)):
        return "`_commit` is not a git version"
    return ""


def outside(root: Path, relative: "PurePath | str") -> bool:
    """Whether ``relative`` leaves the project at ``root``: absolute, climbing out with ``..``,
    or through a symbolic link that points elsewhere.

    Every path ``ddd`` writes, moves or deletes is checked with this first.
    """
    path = PurePath(relative)
    if path.is_absolute() or ".." in path.parts or path.drive:
        return True
    base = root.resolve()
    return not (base / path).resolve().is_relative_to(base)


def with_modules(
    answers: Mapping[str, Any],
    modules: list[str],
    aggregate_names: Mapping[str, str],
) -> dict[str, Any]:
    """``answers`` with these modules and aggregate names, the rest untouched."""
    updated = dict(answers)
    updated["modules"] = list(modules)
    if aggregate_names or "aggregate_names" in answers:
        updated["aggregate_names"] = dict(aggregate_names)
    return updated


def write_atomically(path: Path, content: bytes) -> None:
    """Replace ``path`` in one step: readers see the old or the new file, never half of one."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())  # the new content is on disk before the rename is
        if path.exists():
            Path(temporary).chmod(path.stat().st_mode & 0o7777)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
