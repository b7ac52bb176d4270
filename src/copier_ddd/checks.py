"""What `ddd doctor` checks. Each check takes the project and returns one :class:`Check`.

Add a check by writing a function and appending it to ``CHECKS``. The architecture rules
(import-linter contracts, added to a project's pyproject.toml by the ecosystem work) are
checked by :func:`check_architecture`, which runs ``lint-imports`` when the project declares
``[tool.importlinter]``.
"""

import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from .project import ANSWERS_FILE, Project

Status = Literal["ok", "warn", "fail"]


@dataclass(frozen=True)
class Check:
    """One finding: ``fail`` makes `ddd doctor` exit non-zero, ``warn`` does not."""

    name: str
    status: Status
    detail: str

    def as_dict(self) -> dict[str, str]:
        """For `ddd doctor --json`."""
        return asdict(self)


def check_layout(project: Project) -> Check:
    """The folders and files every copier-ddd project has."""
    package = f"src/{project.package}"
    expected = [
        "pyproject.toml",
        f"{package}/__init__.py",
        f"{package}/bootstrap.py",
        f"{package}/core/domain",
        f"{package}/core/application",
        f"{package}/core/infrastructure",
        f"{package}/modules/__init__.py",
        "tests",
    ]
    missing = [path for path in expected if not (project.root / path).exists()]
    if missing:
        return Check("layout", "fail", f"missing: {', '.join(missing)}")
    return Check("layout", "ok", f"src/{project.package}/ with core/, modules/, bootstrap.py")


def check_answers(project: Project) -> Check:
    """The module names and aggregate names in the answers file follow the naming rules."""
    from .naming import modules_problem

    problem = modules_problem(project.modules, project.aggregate_names, examples=project.examples)
    if problem:
        return Check("answers", "fail", f"{ANSWERS_FILE}: {problem}")
    return Check("answers", "ok", f"{ANSWERS_FILE} is valid ({len(project.modules)} modules)")


def check_modules(project: Project) -> Check:
    """Every module folder is discoverable and recorded, and every recorded module exists.

    The examples' module (`examples: true`) is recorded by that answer, not in `modules`.
    """
    from .naming import example_modules

    recorded = [*project.modules, *(example_modules() if project.examples else [])]
    folder = project.package_dir / "modules"
    on_disk = (
        sorted(
            p.name
            for p in folder.iterdir()
            if p.is_dir() and p.name != "__pycache__" and not p.name.startswith((".", "_"))
        )
        if folder.is_dir()
        else []
    )
    problems = []
    for name in on_disk:
        if not (folder / name / "infrastructure" / "registration.py").is_file():
            problems.append(f"'{name}' has no infrastructure/registration.py (not discovered)")
        if name not in recorded:
            problems.append(f"'{name}' is not in {ANSWERS_FILE} (`copier update` skips it)")
    problems.extend(
        f"'{name}' is in {ANSWERS_FILE} but src/{project.package}/modules/{name} is missing"
        for name in project.modules
        if name not in on_disk
    )
    if problems:
        return Check("modules", "fail", "; ".join(problems))
    return Check("modules", "ok", f"discovered: {', '.join(on_disk) or 'none'}")


def has_conflict_markers(content: bytes) -> bool:
    """Whether ``content`` holds the lines of an unresolved merge (``<<<<<<<`` ... ``>>>>>>>``)."""
    lines = content.splitlines()
    opened = any(line.startswith(b"<<<<<<< ") or line == b"<<<<<<<" for line in lines)
    closed = any(line.startswith(b">>>>>>> ") or line == b">>>>>>>" for line in lines)
    return opened and closed


_MARKERS = r"^(<<<<<<<|>>>>>>>)( |$)"


def check_conflicts(project: Project) -> Check:
    """No file is unmerged in git, holds conflict markers, or is a rejected hunk (``.rej``)."""
    from .sources import git, is_git_repository

    found: dict[str, str] = {}
    if is_git_repository(project.root):
        unmerged = git("ls-files", "--unmerged", "-z", cwd=project.root).stdout
        for entry in unmerged.split("\0"):
            if "\t" in entry:
                found.setdefault(entry.split("\t", 1)[1], "unmerged in git")
        marked = git(
            "grep", "-l", "-z", "-I", "--untracked", "-E", _MARKERS, cwd=project.root
        ).stdout
        candidates = [name for name in marked.split("\0") if name]
        others = git("ls-files", "--others", "--exclude-standard", "-z", cwd=project.root).stdout
        rejected = [name for name in others.split("\0") if name.endswith(".rej")]
    else:
        files = [
            path
            for path in project.root.rglob("*")
            if path.is_file() and not {".git", ".venv", "__pycache__"} & set(path.parts)
        ]
        candidates = [path.relative_to(project.root).as_posix() for path in files]
        rejected = [name for name in candidates if name.endswith(".rej")]
    for name in candidates:
        path = project.root / name
        if path.is_file() and has_conflict_markers(path.read_bytes()):
            found.setdefault(name, "conflict markers")
    for name in rejected:
        found.setdefault(name, "a rejected change (.rej)")
    if found:
        listed = ", ".join(f"{name} ({why})" for name, why in sorted(found.items()))
        return Check("conflicts", "fail", f"resolve, then commit: {listed}")
    return Check("conflicts", "ok", "no unmerged files or conflict markers")


def _committed_version(project: Project) -> str | None:
    """The ``_commit`` of the answers file in git's HEAD (None: not in git, or not there)."""
    import yaml

    from .sources import git, is_git_repository

    if not is_git_repository(project.root):
        return None
    shown = git("show", f"HEAD:{ANSWERS_FILE}", cwd=project.root)
    if shown.returncode != 0:
        return None
    try:
        committed = yaml.safe_load(shown.stdout)
    except yaml.YAMLError:
        return None
    version = committed.get("_commit") if isinstance(committed, dict) else None
    return None if version is None else str(version)


def check_template_version(project: Project) -> Check:
    """Whether the template has a released version (a tag) newer than the project's."""
    from .sources import expand_url, git, is_url, newest, updatable, version_key

    committed = _committed_version(project)
    if committed is not None and committed != project.version:
        return Check(
            "template",
            "warn",
            f"the template version {project.version} in {ANSWERS_FILE} is not committed "
            f"(HEAD has {committed}): if an update finished, review it and commit; if it was "
            "interrupted, restore the files (`git checkout -- . && git clean -fd`) and run "
            "`ddd update` again",
        )
    source = project.template_source
    if not updatable(source):
        return Check("template", "warn", f"{source} is not a git repository: cannot update")
    url = expand_url(source) if is_url(source) else source
    listing = git("ls-remote", "--tags", "--refs", "--", url)
    if listing.returncode != 0:
        return Check("template", "warn", f"cannot reach {source}: newer versions unknown")
    latest = newest([line.rsplit("refs/tags/", 1)[-1] for line in listing.stdout.splitlines()])
    if latest is None:
        return Check("template", "ok", f"{source} has no released versions (tags) to compare")
    current = version_key(re.sub(r"-\d+-g[0-9a-f]+$", "", project.version or ""))
    latest_key = version_key(latest)
    if current is None or (latest_key is not None and latest_key > current):
        return Check(
            "template",
            "warn",
            f"version {latest} is available (project at {project.version}): run `ddd update`",
        )
    return Check("template", "ok", f"up to date with {source} ({project.version})")


def check_architecture(project: Project) -> Check:
    """The import-linter contracts in the project's pyproject.toml hold (`lint-imports`)."""
    pyproject = project.root / "pyproject.toml"
    try:
        config = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        return Check("architecture", "fail", f"cannot read pyproject.toml: {error}")
    if "importlinter" not in config.get("tool", {}):
        return Check("architecture", "ok", "no [tool.importlinter] contracts to check")
    candidates = [
        project.root / ".venv" / "bin" / "lint-imports",
        Path(sys.executable).parent / "lint-imports",
    ]
    found = [str(c) for c in candidates if c.is_file()]
    command = found[0] if found else shutil.which("lint-imports")
    if command is None:
        return Check(
            "architecture", "warn", "lint-imports is not installed: run `uv sync` in the project"
        )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(project.root / "src"), env.get("PYTHONPATH", "")) if p
    )
    result = subprocess.run(
        [command, "--no-cache"],
        cwd=project.root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if result.returncode != 0:
        broken = [line.strip() for line in result.stdout.splitlines() if "BROKEN" in line]
        last = (result.stdout.strip().splitlines() or ["lint-imports failed"])[-1]
        return Check("architecture", "fail", "; ".join(broken) or last)
    return Check("architecture", "ok", "import-linter contracts kept")


CHECKS: list[Callable[[Project], Check]] = [
    check_layout,
    check_answers,
    check_modules,
    check_conflicts,
    check_architecture,
    check_template_version,
]
