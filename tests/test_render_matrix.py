"""Render many answer combinations; each rendered project passes its own gates."""

from pathlib import Path

import pytest

from tests.conftest import Render
from tests.support import run_gates, run_tool, text_files

LONGEST = {
    "project_name": "Longest Names",
    "package_name": "a" * 10 + "_package_name_" + "b" * 6,
    "modules": ["extremely_long_module_names_xy", "orders"],
    "aggregate_names": {"extremely_long_module_names_xy": "AVeryLongAggregateNameOfThirty"},
}

MATRIX = {
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
    "longest-names-http": LONGEST | {"entrypoint": "http"},
    "examples-http-memory": {
        "package_name": "examples_shop",
        "modules": ["orders"],
        "entrypoint": "http",
        "db_backend": "memory",
        "examples": True,
    },
    "must-show-both-orders-sqlite": {
        "package_name": "shop",
        "modules": ["orders"],
        "entrypoint": "both",
        "db_backend": "sqlite",
    },
    "irregular-aggregate": {
        "package_name": "people_service",
        "modules": ["people", "categories", "addresses"],
        "aggregate_names": {"people": "Person"},
    },
}


@pytest.mark.slow
@pytest.mark.parametrize("answers", MATRIX.values(), ids=MATRIX.keys())
def test_rendered_project_passes_its_own_gates(
    answers: dict[str, object],
    render_project: Render,
    mypy_cache: Path,
) -> None:
    project = render_project(answers)

    run_gates(project, mypy_cache)


@pytest.mark.parametrize("answers", MATRIX.values(), ids=MATRIX.keys())
def test_no_jinja_is_left_unrendered(answers: dict[str, object], render_project: Render) -> None:
    project = render_project(answers)

    leftovers = [
        str(path.relative_to(project))
        for path in text_files(project)
        if path.suffix == ".jinja" or any(m in path.read_text() for m in ("{{", "{%", "%}", "}}"))
    ]
    assert leftovers == []
    assert not [p for p in project.rglob("*") if "{" in p.name or "}" in p.name]


@pytest.mark.slow
def test_the_slow_tests_of_a_rendered_project_pass(render_project: Render) -> None:
    project = render_project({"modules": ["orders", "user_accounts"]})

    run_tool(project, "pytest", "-q", "-p", "no:cacheprovider", "-m", "slow")
