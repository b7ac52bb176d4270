"""Fixtures for the `ddd` tests: a versioned template repository, projects made from it."""

import hashlib
import json
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from copier import run_copy
from typer.testing import CliRunner, Result

from copier_ddd import hooks
from copier_ddd.cli import app
from tests.support import snapshot_template

# A module file of the template (its package docstring), changed to release a new version.
MODULE_INIT = (
    "template/src/{{ package_name }}/modules/"
    "{% yield module from module_specs %}{{ module.name }}{% endyield %}/__init__.py.jinja"
)

Invoke = Callable[..., Result]
MakeProject = Callable[..., Path]


@pytest.fixture(scope="session")
def template_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template, tagged v1, in a clean git repository (never modify it: shared)."""
    return snapshot_template(tmp_path_factory.mktemp("template") / "copier-ddd")


def copier_render(
    template: Path,
    destination: Path,
    data: Mapping[str, object] | None = None,
    vcs_ref: str | None = None,
) -> Path:
    """What plain `copier copy --defaults` renders (no --trust)."""
    run_copy(
        str(template),
        destination,
        data=dict(data or {}),
        defaults=True,
        unsafe=False,
        quiet=True,
        vcs_ref=vcs_ref,
    )
    return destination


@pytest.fixture(scope="session")
def template_renders() -> dict[str, Path]:
    """Projects rendered from ``template_repo`` (which never changes), by their answers."""
    return {}


@pytest.fixture
def make_project(
    template_repo: Path,
    template_renders: dict[str, Path],
    tmp_path_factory: pytest.TempPathFactory,
    tmp_path: Path,
) -> MakeProject:
    """A project rendered by copier from ``template_repo`` and committed, as `ddd new` leaves it.

    A render of ``template_repo`` is made once per answers and test process, then copied:
    each test still gets a project, and a git history, of its own.
    """

    def _make(
        modules: list[str] | None = None,
        name: str = "project",
        template: Path | None = None,
        **data: object,
    ) -> Path:
        answers = {"package_name": "acme", "modules": modules or ["notes"], **data}
        if template is None:
            key = json.dumps(answers, sort_keys=True)
            if key not in template_renders:
                render = tmp_path_factory.mktemp("render") / "project"
                template_renders[key] = copier_render(template_repo, render, answers)
            project = Path(shutil.copytree(template_renders[key], tmp_path / name, symlinks=True))
        else:
            project = copier_render(template, tmp_path / name, answers)
        result = hooks.git_init_and_commit(project)
        assert result.done, result.detail
        return project

    return _make


@pytest.fixture
def invoke(monkeypatch: pytest.MonkeyPatch) -> Invoke:
    """Run `ddd ARGS...` in-process inside ``cwd``; `uv lock` is skipped (no network)."""
    monkeypatch.setattr(
        hooks,
        "uv_lock",
        lambda _project: hooks.StepResult("uv lock", done=False, detail="skipped by the tests"),
    )

    def _invoke(cwd: Path, *args: str) -> Result:
        monkeypatch.chdir(cwd)
        return CliRunner().invoke(app, list(args), catch_exceptions=True)

    return _invoke


def tree_hash(root: Path) -> str:
    """A digest of every file (path, mode, bytes) under ``root``, .git excluded."""
    digest = hashlib.sha256()
    if not root.exists():
        return "absent"
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if ".git" in relative.parts:
            continue
        digest.update(str(relative).encode())
        if path.is_file():
            digest.update(oct(path.stat().st_mode).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def files_of(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (.git excluded) with its bytes."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }


def assert_refused(result: Result, *expected: str) -> None:
    """One clear line on stderr (mentioning ``expected``), a non-zero exit, no traceback."""
    assert result.exit_code != 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), lines
    assert "Traceback" not in result.output
    for text in expected:
        assert text in lines[0], lines[0]
