"""`ddd update`: copier's update for the project and every module, with clear refusals."""

import json
import shutil
import subprocess
from pathlib import Path

import copier
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


def doctor_checks(invoke: Invoke, project: Path) -> tuple[int, dict[str, dict[str, str]]]:
    result = invoke(project, "doctor", "--json")
    payload = json.loads(result.stdout)
    return result.exit_code, {c["name"]: c for c in payload["checks"]}


def test_nothing_to_update_says_one_line_without_running_copier(
    invoke: Invoke,
    make_project: MakeProject,
    versioned_template: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = make_project(["notes"], template=versioned_template)
    git(versioned_template, "commit", "--quiet", "--allow-empty", "-m", "unreleased work")

    def copier_must_not_run(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("copier ran for an update to the same version")

    monkeypatch.setattr(copier, "run_update", copier_must_not_run)
    before = tree_hash(project)
    result = invoke(project, "update")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines() == [
        f"Nothing to update: {project} is at template version v1."
    ]
    assert result.stderr == ""
    assert tree_hash(project) == before


def test_a_template_without_tags_updates_from_head_without_copier_warnings(
    invoke: Invoke, make_project: MakeProject, versioned_template: Path
) -> None:
    git(versioned_template, "tag", "--delete", "v1")
    project = make_project(["notes"], template=versioned_template)
    unchanged = invoke(project, "update")
    assert unchanged.exit_code == 0, unchanged.output
    assert "Nothing to update" in unchanged.stdout
    assert unchanged.stderr == ""
    init = versioned_template / MODULE_INIT
    init.write_text(init.read_text().replace('aggregate."""', 'aggregate (new)."""'))
    git(versioned_template, "commit", "--quiet", "--all", "-m", "new")
    result = invoke(project, "update")
    assert result.exit_code == 0, result.output
    assert "No git tags found" not in result.output
    assert "(new)" in (project / "src/acme/modules/notes/__init__.py").read_text()


def drop_files_in_v2(template: Path, *paths: str) -> None:
    for path in paths:
        (template / path).unlink()
    git(template, "commit", "--quiet", "--all", "-m", "v2 drops files")
    git(template, "tag", "v2")


def test_a_file_you_edited_that_the_new_template_drops_is_kept_as_a_conflict(
    invoke: Invoke, make_project: MakeProject, versioned_template: Path
) -> None:
    project = make_project(["notes"], template=versioned_template)
    backends = project / "docs/backends.md"
    backends.write_text(backends.read_text() + "\nOur own notes on the database.\n")
    git(project, "commit", "--quiet", "--all", "-m", "My notes")
    drop_files_in_v2(
        versioned_template, "template/docs/backends.md", "template/docs/architecture.md.jinja"
    )

    result = invoke(project, "update")

    assert result.exit_code != 0, result.output
    assert "Our own notes on the database." in backends.read_text()
    assert not (project / "docs/architecture.md").exists()  # not edited: deleted as copier does
    assert "docs/backends.md" in result.stderr
    assert "kept: you changed it" in result.stdout


def test_a_conflict_fails_the_update_lists_the_files_first_and_fails_doctor(
    invoke: Invoke, make_project: MakeProject, versioned_template: Path
) -> None:
    project = make_project(["notes"], template=versioned_template)
    init = project / "src/acme/modules/notes/__init__.py"
    init.write_text(init.read_text().replace('aggregate."""', 'aggregate, my way."""'))
    git(project, "commit", "--quiet", "--all", "-m", "My docstring")
    release_v2(versioned_template)

    result = invoke(project, "update")

    assert result.exit_code != 0, result.output
    assert "<<<<<<<" in init.read_text()
    listed = result.stdout.index("Conflicts to resolve:")
    assert "src/acme/modules/notes/__init__.py" in result.stdout[listed:]
    assert "git add -A && git commit" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith("error: ")
    assert "src/acme/modules/notes/__init__.py" in errors[0]
    code, found = doctor_checks(invoke, project)
    assert code == 1
    assert found["conflicts"]["status"] == "fail"
    assert "src/acme/modules/notes/__init__.py" in found["conflicts"]["detail"]


def test_doctor_fails_on_unmerged_files(invoke: Invoke, make_project: MakeProject) -> None:
    project = make_project(["notes"])
    readme = project / "README.md"
    git(project, "checkout", "--quiet", "-b", "theirs")
    readme.write_text("theirs\n")
    git(project, "commit", "--quiet", "--all", "-m", "theirs")
    git(project, "checkout", "--quiet", "-")
    readme.write_text("ours\n")
    git(project, "commit", "--quiet", "--all", "-m", "ours")
    subprocess.run(["git", "merge", "theirs"], cwd=project, capture_output=True, check=False)
    assert git(project, "ls-files", "--unmerged")
    readme.write_text("resolved by hand, but not marked as resolved\n")
    code, found = doctor_checks(invoke, project)
    assert code == 1
    assert "README.md" in found["conflicts"]["detail"]
    assert "unmerged" in found["conflicts"]["detail"]


def test_a_clean_project_has_no_conflicts(invoke: Invoke, make_project: MakeProject) -> None:
    project = make_project(["notes"])
    _, found = doctor_checks(invoke, project)
    assert found["conflicts"]["status"] == "ok"


def test_doctor_notices_a_template_version_recorded_but_not_committed(
    invoke: Invoke, make_project: MakeProject, versioned_template: Path
) -> None:
    """What a killed plain `copier update` leaves: the answers at v2, no other file changed."""
    project = make_project(["notes"], template=versioned_template)
    release_v2(versioned_template)
    answers = project / ".copier-answers.yml"
    answers.write_text(answers.read_text().replace("_commit: v1", "_commit: v2"))
    _, found = doctor_checks(invoke, project)
    assert found["template"]["status"] == "warn", found["template"]
    assert "not committed" in found["template"]["detail"]
    assert "up to date" not in found["template"]["detail"]
