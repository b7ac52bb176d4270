"""`ddd` in real processes: new -> add-module -> the project's gates -> remove-module -> gates."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import GATES, project_env, run_tool

DDD = str(Path(sys.executable).parent / "ddd")

# A rendered test that pins the module names the project was created with (a template file
# listing the modules, see MODULE_LISTING_FILES in test_add_module.py), so it fails once a
# module is added or removed without copier: a template bug, reported;
# test_the_rendered_bootstrap_test_still_holds_after_add_module flips when it is fixed.
PINNED_MODULES_TEST = (
    "tests/integration/test_bootstrap.py::test_every_module_is_discovered_without_being_listed"
)
# Rendered tests that hold again only after the user's own step: a module added later gets
# its migration from `alembic revision --autogenerate` (the project's docs/backends.md), which
# `ddd add-module` leaves to the user (it prints it as a next step).
NEEDS_A_MIGRATION = (
    "tests/integration/test_migrations.py",
    "tests/integration/test_dialects.py",
)


def ddd(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed `ddd` console script; fail with its output when it fails."""
    env = project_env()
    env["PATH"] = os.pathsep.join([str(Path(DDD).parent), env.get("PATH", "")])
    result = subprocess.run(
        [DDD, *args], cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=600
    )
    assert result.returncode == 0, f"ddd {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result


def gates_except_pinned_modules(project: Path, mypy_cache: Path) -> None:
    for gate in GATES:
        if gate[0] == "pytest":
            skipped = (PINNED_MODULES_TEST, *NEEDS_A_MIGRATION)
            gate = (*gate, *(f"--deselect={test}" for test in skipped))
        run_tool(project, *gate, mypy_cache=mypy_cache)


@pytest.mark.slow
def test_a_project_grown_and_shrunk_with_ddd_passes_its_own_gates(
    template_repo: Path, tmp_path: Path, mypy_cache: Path
) -> None:
    ddd(tmp_path, "new", "shop", "--template", str(template_repo), "--defaults",
        "--project-name", "Acme Shop", "--module", "orders")  # fmt: skip
    project = tmp_path / "shop"
    assert (project / ".git").is_dir()

    added = ddd(project / "src", "add-module", "user_accounts")
    assert "user_accounts/" in added.stdout
    listed = ddd(project, "list", "--json").stdout
    assert '"aggregate": "UserAccount"' in listed
    gates_except_pinned_modules(project, mypy_cache)
    ddd(project, "doctor")

    ddd(project, "remove-module", "orders")
    assert not (project / "src/acme_shop/modules/orders").exists()
    gates_except_pinned_modules(project, mypy_cache)


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="template bug: test_bootstrap.py lists the modules the project started with",
)
def test_the_rendered_bootstrap_test_still_holds_after_add_module(
    template_repo: Path, tmp_path: Path
) -> None:
    ddd(tmp_path, "new", "shop", "--template", str(template_repo), "--defaults")
    project = tmp_path / "shop"
    ddd(project, "add-module", "billing")
    if not (project / PINNED_MODULES_TEST.split("::")[0]).is_file():
        pytest.fail("the pinned test is gone: drop PINNED_MODULES_TEST and this test")
    run_tool(project, "pytest", "-q", "-p", "no:cacheprovider", PINNED_MODULES_TEST)
