"""`ddd remove-module`: the inverse of add-module, refusing to delete your changes."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.cli.conftest import (
    Invoke,
    MakeProject,
    assert_refused,
    copier_render,
    files_of,
    tree_hash,
)
from tests.support import project_env


def module_paths(project: Path, module: str) -> list[str]:
    return [p for p in files_of(project) if module in p.split("/")[:-1]]


def test_removing_a_module_leaves_what_copier_renders_without_it(
    invoke: Invoke, make_project: MakeProject, template_repo: Path, tmp_path: Path
) -> None:
    project = make_project(["notes", "billing"])
    result = invoke(project, "remove-module", "billing")
    assert result.exit_code == 0, result.output
    assert "Removed module 'billing'" in result.stdout
    assert module_paths(project, "billing") == []
    direct = copier_render(
        template_repo, tmp_path / "direct", {"package_name": "acme", "modules": ["notes"]}
    )
    assert (project / ".copier-answers.yml").read_bytes() == (
        direct / ".copier-answers.yml"
    ).read_bytes()
    assert module_paths(project, "notes") == module_paths(direct, "notes")


def test_add_then_remove_gives_back_the_same_tree(
    invoke: Invoke, make_project: MakeProject
) -> None:
    project = make_project(["notes"])
    before = tree_hash(project)
    assert invoke(project, "add-module", "billing", "--aggregate", "Invoice").exit_code == 0
    assert tree_hash(project) != before
    result = invoke(project / "tests", "remove-module", "billing")
    assert result.exit_code == 0, result.output
    assert tree_hash(project) == before


def test_a_changed_file_blocks_the_removal_and_is_named(
    invoke: Invoke, make_project: MakeProject
) -> None:
    project = make_project(["notes", "billing"])
    model = project / "src/acme/modules/billing/domain/model.py"
    model.write_text(model.read_text() + "\n# my business rule\n")
    (project / "tests/unit/billing/test_mine.py").write_text("def test_mine() -> None: ...\n")
    before = tree_hash(project)
    result = invoke(project, "remove-module", "billing")
    assert_refused(
        result,
        "src/acme/modules/billing/domain/model.py (changed)",
        "tests/unit/billing/test_mine.py (not from the template)",
        "--force",
    )
    assert tree_hash(project) == before


def test_force_removes_a_changed_module(invoke: Invoke, make_project: MakeProject) -> None:
    project = make_project(["notes", "billing"])
    model = project / "src/acme/modules/billing/domain/model.py"
    model.write_text("# mine\n")
    result = invoke(project, "remove-module", "billing", "--force")
    assert result.exit_code == 0, result.output
    assert not model.exists()
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["modules"] == ["notes"]


def test_python_caches_do_not_count_as_changes(invoke: Invoke, make_project: MakeProject) -> None:
    project = make_project(["notes", "billing"])
    cache = project / "src/acme/modules/billing/domain/__pycache__"
    cache.mkdir()
    (cache / "model.cpython-311.pyc").write_bytes(b"\0")
    result = invoke(project, "remove-module", "billing")
    assert result.exit_code == 0, result.output
    assert not (project / "src/acme/modules/billing").exists()


def test_dry_run_lists_the_files_and_deletes_nothing(
    invoke: Invoke, make_project: MakeProject
) -> None:
    project = make_project(["notes", "billing"])
    before = tree_hash(project)
    result = invoke(project, "remove-module", "billing", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Would delete" in result.stdout
    assert "model.py" in result.stdout
    assert tree_hash(project) == before


@pytest.mark.parametrize(
    "name",
    ["Bad-Name", "class", "../x", "core", "", "a" * 200, "orders"],
    ids=lambda n: n[:12] or "empty",
)
def test_removing_a_module_that_is_not_there_is_refused(
    invoke: Invoke, make_project: MakeProject, name: str
) -> None:
    project = make_project(["notes"])
    before = tree_hash(project)
    result = invoke(project, "remove-module", name)
    assert_refused(result, "there is no module", "modules: notes")
    assert tree_hash(project) == before


def alembic(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`alembic ARGS` in the project, as `uv run alembic` runs it (the default SQLite file)."""
    env = project_env() | {"PYTHONPATH": str(project / "src"), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "alembic", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_a_module_whose_tables_the_database_has_is_kept_until_they_are_downgraded(
    invoke: Invoke, make_project: MakeProject
) -> None:
    project = make_project(["notes", "billing"])
    upgraded = alembic(project, "upgrade", "heads")
    assert upgraded.returncode == 0, upgraded.stderr
    before = tree_hash(project)

    refused = invoke(project, "remove-module", "billing")
    assert_refused(refused, "billing_0001", "alembic downgrade billing@base")
    assert tree_hash(project) == before
    assert_refused(invoke(project, "remove-module", "billing", "--force"), "billing@base")

    downgraded = alembic(project, "downgrade", "billing@base")
    assert downgraded.returncode == 0, downgraded.stderr
    removed = invoke(project, "remove-module", "billing")
    assert removed.exit_code == 0, removed.output
    assert "BEFORE the removal" not in removed.output
    again = alembic(project, "upgrade", "heads")
    assert again.returncode == 0, again.stderr


def test_a_migration_of_yours_on_the_module_branch_blocks_the_removal(
    invoke: Invoke, make_project: MakeProject
) -> None:
    project = make_project(["notes", "billing"])
    (project / "migrations/versions/billing_0002.py").write_text(
        '"""A column of mine."""\n\n'
        'revision = "billing_0002"\n'
        'down_revision = "billing_0001"\n'
        "branch_labels = None\n"
        "depends_on = None\n\n\n"
        "def upgrade() -> None:\n    pass\n\n\n"
        "def downgrade() -> None:\n    pass\n"
    )
    before = tree_hash(project)
    result = invoke(project, "remove-module", "billing", "--force")
    assert_refused(result, "migrations/versions/billing_0002.py", "billing_0001")
    assert tree_hash(project) == before
