"""`ddd update`: copier's update for the project and every module, with clear refusals."""

import shutil
from pathlib import Path

import pytest

from tests.cli.conftest import (
    MODULE_INIT,
    Invoke,
    MakeProject,
    assert_refused,
    tree_hash,
)
from tests.support import git, snapshot_template


@pytest.fixture
def versioned_template(tmp_path: Path) -> Path:
    """A template repository of this test's own (tagged v1), free to release v2."""
    return snapshot_template(tmp_path / "template-repo")


def release_v2(template: Path) -> None:
    """v2 changes every module's package docstring."""
    init = template / MODULE_INIT
    init.write_text(
        init.read_text().replace('aggregate."""', 'aggregate (since v2)."""'), encoding="utf-8"
    )
    git(template, "commit", "--quiet", "--all", "-m", "v2")
    git(template, "tag", "v2")


def test_update_keeps_the_user_edit_and_reaches_every_module(
    invoke: Invoke, make_project: MakeProject, versioned_template: Path
) -> None:
    project = make_project(["notes"], template=versioned_template)
    assert invoke(project, "add-module", "billing").exit_code == 0
    git(project, "add", "--all")
    git(project, "commit", "--quiet", "-m", "Add billing")
    model = project / "src/acme/modules/notes/domain/model.py"
    model.write_text(model.read_text() + "\n\n# A rule the business asked for.\n")
    git(project, "commit", "--quiet", "--all", "-m", "My rule")
    release_v2(versioned_template)

    result = invoke(project, "update")

    assert result.exit_code == 0, result.output
    assert "# A rule the business asked for." in model.read_text()
    for module in ("notes", "billing"):
        init = (project / f"src/acme/modules/{module}/__init__.py").read_text()
        assert "(since v2)" in init, module
    assert list(project.rglob("*.rej")) == []
    assert "<<<<<<<" not in model.read_text()
    assert "_commit: v2" in (project / ".copier-answers.yml").read_text()
    assert "Updated" in result.stdout


def test_dry_run_shows_the_changes_and_changes_nothing(
    invoke: Invoke, make_project: MakeProject, versioned_template: Path
) -> None:
    project = make_project(["notes"], template=versioned_template)
    release_v2(versioned_template)
    before = tree_hash(project)
    result = invoke(project, "update", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Would change" in result.stdout
    assert "__init__.py" in result.stdout
    assert tree_hash(project) == before
    assert git(project, "status", "--porcelain") == ""


def test_update_to_the_current_version_changes_nothing(
    invoke: Invoke, make_project: MakeProject, versioned_template: Path
) -> None:
    project = make_project(["notes"], template=versioned_template)
    release_v2(versioned_template)
    before = tree_hash(project)
    result = invoke(project, "update", "--to", "v1")
    assert result.exit_code == 0, result.output
    assert "Nothing to update" in result.stdout
    assert tree_hash(project) == before


def test_a_dirty_tree_gets_a_clear_message(invoke: Invoke, make_project: MakeProject) -> None:
    project = make_project()
    (project / "README.md").write_text("edited\n")
    before = tree_hash(project)
    result = invoke(project, "update")
    assert_refused(result, "uncommitted changes", "README.md", "git add -A && git commit")
    assert tree_hash(project) == before


def test_a_project_that_is_not_a_git_repository_is_refused(
    invoke: Invoke, make_project: MakeProject
) -> None:
    project = make_project()
    shutil.rmtree(project / ".git")
    before = tree_hash(project)
    result = invoke(project, "update")
    assert_refused(result, "is not a git repository", "git init")
    assert tree_hash(project) == before


def test_a_template_that_is_not_git_cannot_update(
    invoke: Invoke, make_project: MakeProject, template_repo: Path, tmp_path: Path
) -> None:
    plain = tmp_path / "plain"
    shutil.copytree(template_repo, plain, ignore=shutil.ignore_patterns(".git"))
    project = make_project(template=plain)
    before = tree_hash(project)
    result = invoke(project, "update")
    assert_refused(result, "not a git repository", "needs a git template")
    assert tree_hash(project) == before


def test_an_unknown_version_is_refused_cleanly(
    invoke: Invoke, make_project: MakeProject, versioned_template: Path
) -> None:
    project = make_project(template=versioned_template)
    before = tree_hash(project)
    result = invoke(project, "update", "--to", "v9")
    assert_refused(result, "copier could not update the project")
    assert tree_hash(project) == before
