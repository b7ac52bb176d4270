"""`ddd add-module`: the template's own module files, recorded in the answers, all or nothing."""

import shutil
from pathlib import Path

import pytest
import yaml

from copier_ddd import project as project_module
from tests.cli.conftest import (
    MODULE_INIT,
    Invoke,
    MakeProject,
    assert_refused,
    copier_render,
    files_of,
    tree_hash,
)
from tests.support import git, snapshot_template

MODULE_ROOTS = [
    "src/acme/modules/{m}",
    "tests/unit/{m}",
    "tests/contract/{m}",
    "tests/performance/{m}",
    "tests/e2e/{m}",
]


def answers(project: Path) -> dict[str, object]:
    loaded: dict[str, object] = yaml.safe_load((project / ".copier-answers.yml").read_text())
    return loaded


def module_files(project: Path, module: str) -> dict[str, bytes]:
    """The files under the module's folders, and the answers file."""
    return {
        path: content
        for path, content in files_of(project).items()
        if module in path.split("/")[:-1] or path == ".copier-answers.yml"
    }


def test_an_added_module_is_byte_identical_to_what_copier_renders(
    invoke: Invoke, make_project: MakeProject, template_repo: Path, tmp_path: Path
) -> None:
    grown = make_project(["notes"], name="grown")
    result = invoke(grown, "add-module", "user_accounts")
    assert result.exit_code == 0, result.output
    data = {"package_name": "acme", "modules": ["notes", "user_accounts"]}
    direct = copier_render(template_repo, tmp_path / "direct", data)
    expected = module_files(direct, "user_accounts")
    assert len(expected) > 20
    assert module_files(grown, "user_accounts") == expected


def test_an_added_module_with_a_named_aggregate_matches_copier_too(
    invoke: Invoke, make_project: MakeProject, template_repo: Path, tmp_path: Path
) -> None:
    grown = make_project(["orders"], name="grown")
    result = invoke(grown, "add-module", "people", "--aggregate", "Person")
    assert result.exit_code == 0, result.output
    data = {
        "package_name": "acme",
        "modules": ["orders", "people"],
        "aggregate_names": {"people": "Person"},
    }
    direct = copier_render(template_repo, tmp_path / "direct", data)
    assert module_files(grown, "people") == module_files(direct, "people")
    assert "class Person(" in (grown / "src/acme/modules/people/domain/model.py").read_text()


def test_no_shared_file_lists_the_modules_so_a_grown_project_equals_a_rendered_one(
    invoke: Invoke, make_project: MakeProject, template_repo: Path, tmp_path: Path
) -> None:
    grown = make_project(["notes"], name="grown")
    assert invoke(grown, "add-module", "billing").exit_code == 0
    direct = copier_render(
        template_repo,
        tmp_path / "direct",
        {"package_name": "acme", "modules": ["notes", "billing"]},
    )
    grown_files, direct_files = files_of(grown), files_of(direct)
    differing = {p for p in direct_files if grown_files.get(p) != direct_files[p]}
    assert differing == set(), sorted(differing)


def test_add_module_works_from_any_folder_inside_the_project(
    invoke: Invoke, make_project: MakeProject
) -> None:
    project = make_project()
    result = invoke(project / "src" / "acme" / "modules", "add-module", "billing")
    assert result.exit_code == 0, result.output
    assert answers(project)["modules"] == ["notes", "billing"]
    for root in MODULE_ROOTS:
        assert (project / root.format(m="billing")).is_dir(), root
    assert "billing/" in result.stdout
    assert "Next steps:" in result.stdout
    migrated = (project / "alembic.ini").is_file()
    assert (project / "migrations/versions/billing_0001.py").is_file() == migrated
    assert ("alembic upgrade heads" in result.stdout) == migrated
    assert "autogenerate" not in result.stdout


def test_add_module_edits_no_file_but_the_answers(
    invoke: Invoke, make_project: MakeProject
) -> None:
    project = make_project()
    before = files_of(project)
    assert invoke(project, "add-module", "billing").exit_code == 0
    after = files_of(project)
    changed = {path for path in before if before[path] != after.get(path)}
    assert changed == {".copier-answers.yml"}
    added = set(after) - set(before)
    in_module_folders = {p for p in added if "/billing/" in f"/{p}"}
    assert in_module_folders
    assert added - in_module_folders == {
        "migrations/versions/billing_0001.py",
        "tests/factories/billing.py",
    }


def test_dry_run_lists_the_files_and_writes_nothing(
    invoke: Invoke, make_project: MakeProject
) -> None:
    project = make_project()
    before = tree_hash(project)
    result = invoke(project, "add-module", "billing", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Would write" in result.stdout
    assert "model.py" in result.stdout
    assert ".copier-answers.yml" in result.stdout
    assert tree_hash(project) == before


# More hostile names, run as a user does: tests/test_bad_input.py.
HOSTILE = {
    "Bad-Name": "is not a lowercase Python identifier",
    "../x": "is not a lowercase Python identifier",
    "json": "would shadow the standard-library module",
}


@pytest.mark.parametrize("name", list(HOSTILE), ids=lambda n: n[:12] or "empty")
def test_a_hostile_module_name_is_refused_and_nothing_changes(
    invoke: Invoke, make_project: MakeProject, name: str
) -> None:
    project = make_project(["notes"])
    before = tree_hash(project)
    result = invoke(project, "add-module", name)
    assert_refused(result, HOSTILE[name])
    assert tree_hash(project) == before


def test_a_bad_aggregate_name_is_refused(invoke: Invoke, make_project: MakeProject) -> None:
    project = make_project()
    before = tree_hash(project)
    result = invoke(project, "add-module", "people", "--aggregate", "person")
    assert_refused(result, "is not a PascalCase class name")
    result = invoke(project, "add-module", "people", "--aggregate", "Note")
    assert_refused(result, "would both have the aggregate 'Note'")
    assert tree_hash(project) == before


def test_a_folder_left_behind_on_disk_is_not_overwritten(
    invoke: Invoke, make_project: MakeProject
) -> None:
    project = make_project()
    (project / "tests/unit/billing").mkdir()
    (project / "tests/unit/billing/keep.py").write_text("mine\n")
    before = tree_hash(project)
    result = invoke(project, "add-module", "billing")
    assert_refused(result, "tests/unit/billing", "already exist")
    assert tree_hash(project) == before


def test_an_interrupt_while_installing_leaves_no_half_module(
    invoke: Invoke, make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project()
    before = tree_hash(project)

    def interrupted(_path: Path, _content: bytes) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("copier_ddd.transaction.write_atomically", interrupted)
    result = invoke(project, "add-module", "billing")
    assert result.exit_code != 0
    assert tree_hash(project) == before
    assert not [p for p in project.iterdir() if p.name.startswith(".ddd-")]


def test_outside_a_project_add_module_says_where_to_run_it(invoke: Invoke, tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    before = tree_hash(tmp_path / "elsewhere")
    result = invoke(tmp_path / "elsewhere", "add-module", "billing")
    assert_refused(result, "not inside a copier-ddd project", "ddd new")
    assert tree_hash(tmp_path / "elsewhere") == before


CORRUPTIONS = {
    "not yaml": ("modules: [notes\n", "is not valid YAML"),
    "not a mapping": ("- notes\n", "does not hold copier answers"),
    "modules as text": (None, "`modules` is not a list of names"),
    "no source": (None, "no _src_path"),
    "a hostile version": (None, "`_commit` is not a git version"),
}


def corrupt(project: Path, case: str) -> None:
    path = project / ".copier-answers.yml"
    text, _ = CORRUPTIONS[case]
    if text is not None:
        path.write_text(text)
        return
    data = answers(project)
    if case == "modules as text":
        data["modules"] = "notes"
    elif case == "no source":
        del data["_src_path"]
    else:
        data["_commit"] = "--upload-pack=touch pwned"
    path.write_text(yaml.safe_dump(data))


@pytest.mark.parametrize("case", list(CORRUPTIONS))
@pytest.mark.parametrize(
    "command",
    [["add-module", "billing"], ["remove-module", "notes"], ["list"], ["update"], ["doctor"]],
    ids=lambda c: c[0],
)
def test_a_damaged_answers_file_is_named_with_how_to_fix_it(
    invoke: Invoke, make_project: MakeProject, case: str, command: list[str]
) -> None:
    project = make_project()
    corrupt(project, case)
    before = tree_hash(project)
    result = invoke(project, *command)
    assert_refused(result, ".copier-answers.yml", CORRUPTIONS[case][1])
    assert tree_hash(project) == before


@pytest.mark.parametrize(
    "command",
    [["add-module", "billing"], ["remove-module", "notes"], ["list"], ["update"], ["doctor"]],
    ids=lambda c: c[0],
)
def test_a_missing_answers_file_means_no_project(
    invoke: Invoke, make_project: MakeProject, command: list[str]
) -> None:
    project = make_project()
    (project / ".copier-answers.yml").unlink()
    before = tree_hash(project)
    result = invoke(project, *command)
    assert_refused(result, "not inside a copier-ddd project")
    assert tree_hash(project) == before


def test_the_answers_file_is_written_in_one_step(tmp_path: Path) -> None:
    target = tmp_path / "answers.yml"
    target.write_text("old\n")
    target.chmod(0o640)
    project_module.write_atomically(target, b"new\n")
    assert target.read_text() == "new\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["answers.yml"]


def test_add_module_renders_the_project_version_not_the_newest(
    invoke: Invoke, make_project: MakeProject, tmp_path: Path
) -> None:
    template = snapshot_template(tmp_path / "template-repo")
    project = make_project(["notes"], template=template)
    init = template / MODULE_INIT
    init.write_text(init.read_text().replace('aggregate."""', 'aggregate (since v2)."""'))
    git(template, "commit", "--quiet", "--all", "-m", "v2")
    git(template, "tag", "v2")

    assert invoke(project, "add-module", "billing").exit_code == 0

    added = (project / "src/acme/modules/billing/__init__.py").read_text()
    assert "since v2" not in added
    assert added == (project / "src/acme/modules/notes/__init__.py").read_text().replace(
        "Note", "Billing"
    )


def test_a_project_made_from_a_git_url_grows_from_a_mirror_of_it(
    invoke: Invoke, template_repo: Path, tmp_path: Path
) -> None:
    url = f"git+file://{template_repo}"
    result = invoke(tmp_path, "new", "shop", "--template", url, "--defaults")
    assert result.exit_code == 0, result.output
    grown = tmp_path / "shop"
    assert f"_src_path: {url}" in (grown / ".copier-answers.yml").read_text()
    assert invoke(grown, "add-module", "billing").exit_code == 0
    direct = copier_render(template_repo, tmp_path / "direct", {"modules": ["notes", "billing"]})
    expected = module_files(direct, "billing")
    del expected[".copier-answers.yml"]  # records another _src_path
    produced = module_files(grown, "billing")
    assert yaml.safe_load(produced.pop(".copier-answers.yml"))["modules"] == ["notes", "billing"]
    assert produced == expected


def test_a_folder_it_cannot_write_gets_one_line_and_no_half_module(
    invoke: Invoke, make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project()
    before = tree_hash(project)

    def read_only(*_args: object, **_kwargs: object) -> str:
        raise PermissionError(13, "Permission denied", str(project))

    monkeypatch.setattr("copier_ddd.commands.module.tempfile.mkdtemp", read_only)
    result = invoke(project, "add-module", "billing")
    assert_refused(result, "Permission denied", str(project), "permissions")
    assert tree_hash(project) == before


def test_a_relative_template_path_is_read_from_the_project_root_not_the_current_folder(
    invoke: Invoke, make_project: MakeProject, tmp_path: Path
) -> None:
    template = snapshot_template(tmp_path / "templates" / "copier-ddd")
    project = make_project(["notes"], template=template)
    path = project / ".copier-answers.yml"
    relative = Path("..") / "templates" / "copier-ddd"
    assert (project / relative / "copier.yml").is_file()
    path.write_text(path.read_text().replace(f"_src_path: {template}", f"_src_path: {relative}"))
    git(project, "commit", "--quiet", "--all", "-m", "A relative template path")
    inside = project / "src" / "acme"

    added = invoke(inside, "add-module", "billing")
    assert added.exit_code == 0, added.output
    assert (project / "src/acme/modules/billing/domain/model.py").is_file()
    assert f"_src_path: {relative}" in path.read_text()
    git(project, "add", "--all")
    git(project, "commit", "--quiet", "-m", "Add billing")

    doctor = invoke(inside, "doctor", "--json")
    template_check = {c["name"]: c for c in yaml.safe_load(doctor.stdout)["checks"]}["template"]
    assert template_check["status"] == "ok", template_check

    updated = invoke(inside, "update")
    assert updated.exit_code == 0, updated.output
    assert "Nothing to update" in updated.stdout


ESCAPES = {
    "climbing": (
        "{{ '..' }}/{% yield module from module_specs %}escape-{{ module.name }}{% endyield %}.txt"
    ),
    "absolute": (
        "{% yield module from module_specs %}{{ _copier_conf.dst_path }}-{{ module.name }}"
        "{% endyield %}.txt"
    ),
}


@pytest.mark.parametrize("escape", list(ESCAPES))
def test_a_module_path_that_renders_outside_the_project_is_refused_by_every_command(
    invoke: Invoke, template_repo: Path, tmp_path: Path, escape: str
) -> None:
    """copier refuses such a template (ForbiddenPathError); ddd must not write or delete there."""
    plain = tmp_path / "plain"
    shutil.copytree(template_repo, plain, ignore=shutil.ignore_patterns(".git"))
    project = copier_render(plain, tmp_path / "work" / "project", {"package_name": "acme"})
    git(project, "init", "--quiet")
    git(project, "add", "--all")
    git(project, "commit", "--quiet", "-m", "Start")
    path = plain / "template" / ESCAPES[escape]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("outside\n")
    before = tree_hash(tmp_path / "work")

    for args in (("add-module", "billing"), ("remove-module", "notes")):
        result = invoke(project, *args)
        assert_refused(result, "outside the project")
        assert tree_hash(tmp_path / "work") == before, args


def test_a_project_folder_that_is_a_symlink_out_of_the_project_is_not_written_through(
    invoke: Invoke, make_project: MakeProject, tmp_path: Path
) -> None:
    project = make_project(["notes"])
    outside = tmp_path / "outside"
    shutil.move(project / "tests/performance", outside)
    (project / "tests/performance").symlink_to(outside)
    git(project, "add", "--all")
    git(project, "commit", "--quiet", "-m", "performance tests elsewhere")
    before = tree_hash(outside), tree_hash(project)
    result = invoke(project, "add-module", "billing")
    assert_refused(result, "outside the project", "tests/performance")
    assert (tree_hash(outside), tree_hash(project)) == before
