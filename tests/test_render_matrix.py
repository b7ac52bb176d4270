"""Render many answer combinations; each rendered project passes its own gates.

Each project runs under an interpreter of its own ``python_version`` (found on this machine;
a missing one fails), so a 3.13 project is tested on 3.13, not only type-checked for it.
"""

import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import Render
from tests.support import (
    REPO,
    find_interpreter,
    interpreter_env,
    project_env,
    python_versions,
    run_gates,
    text_files,
)

QUESTIONS = yaml.safe_load((REPO / "copier.yml").read_text())
DEFAULT_PYTHON = str(QUESTIONS["python_version"]["default"])
DEFAULT_ENTRYPOINT = QUESTIONS["entrypoint"]["default"]

# Package names sort on both sides of `tests`: the generated tests import from both, and
# their import order must hold whichever comes first.
LONGEST: dict[str, object] = {
    "project_name": "Longest Names",
    "package_name": "z" * 10 + "_package_name_" + "b" * 6,
    "modules": ["extremely_long_module_names_xy", "orders"],
    "aggregate_names": {"extremely_long_module_names_xy": "AVeryLongAggregateNameOfThirty"},
}

MATRIX: dict[str, dict[str, object]] = {
    "defaults": {},
    "three-modules-py313": {
        "project_name": "Acme Shop",
        "package_name": "acme_shop",
        "modules": ["orders", "billing", "user_accounts"],
        "python_version": "3.13",
    },
    "no-module-library-py312": {
        "project_name": "Bare Library",
        "modules": [],
        "entrypoint": "none",
        "python_version": "3.12",
        "with_docker": False,
        "with_ci": False,
        "with_vscode": False,
    },
    "one-module-library": {
        "package_name": "ledger",
        "modules": ["inventory_items"],
        "entrypoint": "none",
        "db_backend": "memory",
    },
    "longest-names": LONGEST,
    "examples-http-memory": {
        "package_name": "examples_shop",
        "modules": ["orders"],
        "entrypoint": "http",
        "db_backend": "memory",
        "examples": True,
    },
    "longest-names-http": LONGEST | {"entrypoint": "http"},
    "must-show-both-orders-sqlite": {
        "package_name": "shop",
        "modules": ["orders"],
        "entrypoint": "both",
        "db_backend": "sqlite",
    },
    "irregular-aggregate": {
        "package_name": "visitors_service",
        "modules": ["people", "categories", "addresses"],
        "aggregate_names": {"people": "Person"},
    },
}


def python_of(answers: dict[str, object]) -> str:
    return str(answers.get("python_version", DEFAULT_PYTHON))


def runs_the_core(name: str) -> bool:
    """Whether the entry ``name`` runs CORE_SUITES: the first entry of each python_version
    and entrypoint does (the core is the same code in all the others)."""

    def kind(answers: dict[str, object]) -> tuple[str, object]:
        return python_of(answers), answers.get("entrypoint", DEFAULT_ENTRYPOINT)

    first: dict[tuple[str, object], str] = {}
    for entry, answers in MATRIX.items():
        first.setdefault(kind(answers), entry)
    return first[kind(MATRIX[name])] == name


@pytest.mark.slow
@pytest.mark.parametrize("name", MATRIX)
def test_rendered_project_passes_its_own_gates(
    name: str,
    shared_project: Render,
    mypy_cache: Path,
) -> None:
    answers = MATRIX[name]
    python = interpreter_env(python_of(answers))
    project = shared_project(answers)

    # The examples' project explores its property tests fully (the other combinations quickly).
    full = bool(answers.get("examples"))
    run_gates(project, mypy_cache, python=python, full=full, core=runs_the_core(name))


def test_the_core_suites_run_on_every_python_version_and_entrypoint_of_the_matrix() -> None:
    running = [name for name in MATRIX if runs_the_core(name)]
    kinds = {(python_of(a), a.get("entrypoint", DEFAULT_ENTRYPOINT)) for a in MATRIX.values()}
    assert len(running) == len(kinds)
    assert {python_of(MATRIX[name]) for name in running} == set(python_versions())
    assert runs_the_core("defaults")
    assert not runs_the_core("longest-names")


@pytest.mark.parametrize("version", python_versions())
def test_the_matrix_runs_every_python_version_under_its_own_interpreter(version: str) -> None:
    assert version in {python_of(answers) for answers in MATRIX.values()}
    found = find_interpreter(version)
    assert found is not None, f"no Python {version} on this machine: install it"
    probe = subprocess.run(
        [str(interpreter_env(version)), "-c", "import sys; print(sys.version_info[:2])"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.strip() == str(tuple(int(part) for part in version.split(".")))


@pytest.mark.parametrize("answers", MATRIX.values(), ids=MATRIX.keys())
def test_no_jinja_is_left_unrendered(answers: dict[str, object], shared_project: Render) -> None:
    project = shared_project(answers)

    leftovers = [
        str(path.relative_to(project))
        for path in text_files(project)
        if path.suffix == ".jinja" or any(m in path.read_text() for m in ("{{", "{%", "%}", "}}"))
    ]
    assert leftovers == []
    assert not [p for p in project.rglob("*") if "{" in p.name or "}" in p.name]


def console_script(
    project: Path, package: str, tmp_path: Path, backend: str, *args: str
) -> subprocess.CompletedProcess[str]:
    """``python -m PACKAGE ARGS`` from ``project``, as its console script runs."""
    env = project_env() | {
        "DB_BACKEND": backend,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'data.db'}",
        "PYTHONPATH": str(project / "src"),
    }
    return subprocess.run(
        [str(interpreter_env(DEFAULT_PYTHON)), "-m", package, *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.mark.parametrize("backend", ["memory", "sqlite"])
def test_the_console_script_says_once_that_memory_data_lives_only_for_the_process(
    shared_project: Render, tmp_path: Path, backend: str
) -> None:
    project = shared_project(MATRIX["must-show-both-orders-sqlite"])

    created = console_script(project, "shop", tmp_path, backend, "orders", "create")
    listed = console_script(project, "shop", tmp_path, backend, "orders", "list")
    helped = console_script(project, "shop", tmp_path, backend, "--help")

    assert created.returncode == 0, created.stderr
    assert len(created.stdout.split()) == 1  # the new id, and nothing else, on stdout
    notice = "DB_BACKEND=memory keeps the data only while this process runs"
    for result in (created, listed):
        assert result.stderr.count(notice) == (1 if backend == "memory" else 0), result.stderr
        assert notice not in result.stdout
    assert notice not in helped.stderr  # --help builds no application
    assert (created.stdout.strip() in listed.stdout) == (backend == "sqlite")
    assert (tmp_path / "data.db").exists() == (backend == "sqlite")
