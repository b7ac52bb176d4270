"""`ddd new`: every answer validated before copier runs, a non-empty DEST refused, git init."""

import shutil
from pathlib import Path

import pytest
import yaml

from copier_ddd import sources
from tests.cli.conftest import (
    Invoke,
    assert_refused,
)
from tests.support import git, snapshot_template


def test_new_renders_the_project_commits_it_and_says_what_next(
    invoke: Invoke, template_repo: Path, tmp_path: Path
) -> None:
    result = invoke(
        tmp_path,
        "new",
        "shop",
        "--template",
        str(template_repo),
        "--defaults",
        "--project-name",
        "Acme Shop",
        "--module",
        "orders",
        "--module",
        "user_accounts",
        "--db",
        "memory",
        "--python",
        "3.12",
    )
    assert result.exit_code == 0, result.output
    project = tmp_path / "shop"
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["package_name"] == "acme_shop"
    assert answers["modules"] == ["orders", "user_accounts"]
    assert answers["db_backend"] == "memory"
    assert answers["python_version"] == "3.12"
    assert answers["_commit"] == "v1"
    assert git(project, "status", "--porcelain") == ""
    assert "Start from copier-ddd" in git(project, "log", "--format=%s")
    assert "src/" in result.stdout
    assert "Next steps:" in result.stdout
    assert "uv run acme-shop --help" in result.stdout
    assert f"takes new versions from {template_repo}" in result.stdout


def test_new_into_an_existing_empty_folder_is_fine(
    invoke: Invoke, template_repo: Path, tmp_path: Path
) -> None:
    (tmp_path / "empty").mkdir()
    result = invoke(tmp_path, "new", "empty", "--template", str(template_repo), "--defaults")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "empty" / ".copier-answers.yml").is_file()


def test_a_template_that_is_not_git_is_said_to_be_not_updatable(
    invoke: Invoke, template_repo: Path, tmp_path: Path
) -> None:
    plain = tmp_path / "plain-template"
    shutil.copytree(template_repo, plain, ignore=shutil.ignore_patterns(".git"))
    result = invoke(tmp_path, "new", "made", "--template", str(plain), "--defaults")
    assert result.exit_code == 0, result.output
    assert "is not a git repository, so `copier update` cannot update this project" in result.stdout
    assert not sources.updatable(str(plain))


BAD = {
    "hyphen module": (["--module", "Bad-Name"], "is not a lowercase Python identifier"),
    "keyword module": (["--module", "class"], "is a Python keyword"),
    "path module": (["--module", "../x"], "is not a lowercase Python identifier"),
    "reserved module": (["--module", "core"], "is reserved by the project layout"),
    "duplicate module": (["--module", "notes", "--module", "notes"], "is listed twice"),
    "empty module": (["--module", ""], "is empty"),
    "long module": (["--module", "a" * 200], "is 200 characters long"),
    "derived package": (["--project-name", "123 Go"], "package_name '123_go'"),
    "quote in name": (["--project-name", 'Say "hi"'], "without double quotes"),
    "unknown db": (["--db", "nosql"], "db_backend 'nosql' is not one of: memory"),
    "unknown entrypoint": (["--entrypoint", "gui"], "entrypoint 'gui' is not one of"),
    "unknown python": (["--python", "2.7"], "python_version '2.7' is not one of"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_answer_stops_new_before_anything_is_written(
    invoke: Invoke, template_repo: Path, tmp_path: Path, case: str
) -> None:
    options, message = BAD[case]
    result = invoke(
        tmp_path, "new", "dest", "--template", str(template_repo), "--defaults", *options
    )
    assert_refused(result, message)
    assert not (tmp_path / "dest").exists()


def test_a_template_path_without_copier_yml_is_refused(invoke: Invoke, tmp_path: Path) -> None:
    (tmp_path / "nothing").mkdir()
    result = invoke(tmp_path, "new", "dest", "--template", str(tmp_path / "nothing"), "--defaults")
    assert_refused(result, "there is no copier template at", "--template")
    assert not (tmp_path / "dest").exists()


def test_new_uses_the_bundled_template_by_default(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke(tmp_path, "new", "dest", "--defaults", "--module", "Bad-Name")
    assert_refused(result, "module name 'Bad-Name'")
    assert sources.bundled_template().joinpath("copier.yml").is_file()


def test_without_a_terminal_new_asks_for_defaults_instead_of_prompting(
    invoke: Invoke, template_repo: Path, tmp_path: Path
) -> None:
    result = invoke(tmp_path, "new", "dest", "--template", str(template_repo))
    assert_refused(result, "no terminal", "--defaults")
    assert not (tmp_path / "dest").exists()


def test_an_unreachable_git_template_is_named(invoke: Invoke, tmp_path: Path) -> None:
    url = "https://invalid.invalid/copier-ddd.git"
    result = invoke(tmp_path, "new", "dest", "--template", url, "--defaults")
    assert_refused(result, "cannot fetch the template", url, "check the URL")
    assert not (tmp_path / "dest").exists()


def test_new_validates_with_the_rules_of_the_version_it_renders(
    invoke: Invoke, tmp_path: Path
) -> None:
    template = snapshot_template(tmp_path / "template-repo")
    naming = template / "naming.jinja"
    naming.write_text(naming.read_text().replace("'core', 'config'", "'billing', 'core', 'config'"))
    git(template, "commit", "--quiet", "--all", "-m", "unreleased: billing becomes reserved")

    result = invoke(
        tmp_path, "new", "shop", "--template", str(template), "--defaults", "--module", "billing"
    )

    assert result.exit_code == 0, result.output  # v1, the newest release, allows it
    assert "_commit: v1" in (tmp_path / "shop" / ".copier-answers.yml").read_text()


def test_every_bad_answer_is_listed_in_the_one_line(
    invoke: Invoke, template_repo: Path, tmp_path: Path
) -> None:
    result = invoke(
        tmp_path,
        "new",
        "dest",
        "--template",
        str(template_repo),
        "--defaults",
        "--package-name",
        "class",
        "--module",
        "Bad-Name",
        "--db",
        "nosql",
    )
    assert_refused(
        result,
        "package_name 'class' is a Python keyword",
        "module name 'Bad-Name' is not a lowercase Python identifier",
        "db_backend 'nosql' is not one of",
    )
    assert "more)" not in result.stderr
    assert not (tmp_path / "dest").exists()


def test_new_validates_and_renders_the_newest_pep_440_release(
    invoke: Invoke, tmp_path: Path
) -> None:
    """copier orders tags with `packaging` (PEP 440): `v1.post1` comes after `v1`."""
    template = snapshot_template(tmp_path / "template-repo")
    naming = template / "naming.jinja"
    naming.write_text(naming.read_text().replace("'core', 'config'", "'billing', 'core', 'config'"))
    git(template, "commit", "--quiet", "--all", "-m", "billing becomes reserved")
    git(template, "tag", "v1.post1")
    git(template, "commit", "--quiet", "--allow-empty", "-m", "a pre-release")
    git(template, "tag", "v2.0rc1")  # copier skips pre-releases by default, so must ddd

    refused = invoke(
        tmp_path, "new", "shop", "--template", str(template), "--defaults", "--module", "billing"
    )
    assert_refused(refused, "module name 'billing' is reserved")
    assert sources.latest_version(str(template)) == "v1.post1"

    made = invoke(tmp_path, "new", "shop", "--template", str(template), "--defaults")
    assert made.exit_code == 0, made.output
    assert "_commit: v1.post1" in (tmp_path / "shop" / ".copier-answers.yml").read_text()


def test_a_template_that_needs_trust_is_refused_without_suggesting_a_missing_option(
    invoke: Invoke, tmp_path: Path
) -> None:
    template = snapshot_template(tmp_path / "template-repo")
    config = template / "copier.yml"
    config.write_text(config.read_text() + "\n_tasks:\n  - echo hello\n")
    git(template, "commit", "--quiet", "--all", "-m", "a task")
    git(template, "tag", "v2")
    result = invoke(tmp_path, "new", "dest", "--template", str(template), "--defaults")
    assert_refused(result, "tasks", "copier copy --trust")
    assert "add --trust" not in result.stderr
    assert "adding the `--trust` option" not in result.stderr
    assert not (tmp_path / "dest").exists()
