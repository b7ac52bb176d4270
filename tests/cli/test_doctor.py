"""`ddd doctor`: layout, answers, modules, architecture rules, template version; exit code."""

import json
import shutil
from pathlib import Path

from tests.cli.conftest import (
    Invoke,
    MakeProject,
    tree_hash,
)
from tests.support import git, snapshot_template


def checks(invoke: Invoke, project: Path) -> tuple[int, dict[str, dict[str, str]]]:
    result = invoke(project, "doctor", "--json")
    payload = json.loads(result.stdout)
    assert payload["ok"] == (result.exit_code == 0)
    return result.exit_code, {c["name"]: c for c in payload["checks"]}


def test_a_fresh_project_passes_and_doctor_writes_nothing(
    invoke: Invoke, make_project: MakeProject
) -> None:
    project = make_project(["notes", "orders"])
    before = tree_hash(project)
    code, found = checks(invoke, project)
    assert code == 0, found
    assert {c["status"] for c in found.values()} == {"ok"}
    assert set(found) >= {"layout", "answers", "modules", "architecture", "template"}
    assert "notes, orders" in found["modules"]["detail"]
    assert tree_hash(project) == before
    text = invoke(project, "doctor")
    assert "doctor: all checks passed" in text.stdout


def test_a_module_without_registration_fails(invoke: Invoke, make_project: MakeProject) -> None:
    project = make_project(["notes"])
    (project / "src/acme/modules/notes/infrastructure/registration.py").unlink()
    code, found = checks(invoke, project)
    assert code == 1
    assert "'notes' has no infrastructure/registration.py" in found["modules"]["detail"]


def test_a_module_folder_missing_from_the_answers_fails(
    invoke: Invoke, make_project: MakeProject
) -> None:
    project = make_project(["notes"])
    shutil.copytree(project / "src/acme/modules/notes", project / "src/acme/modules/stray")
    code, found = checks(invoke, project)
    assert code == 1
    assert "'stray' is not in .copier-answers.yml" in found["modules"]["detail"]


def test_a_recorded_module_without_its_folder_fails(
    invoke: Invoke, make_project: MakeProject
) -> None:
    project = make_project(["notes", "orders"])
    shutil.rmtree(project / "src/acme/modules/orders")
    code, found = checks(invoke, project)
    assert code == 1
    assert "'orders' is in .copier-answers.yml but" in found["modules"]["detail"]


def test_a_missing_core_folder_fails_the_layout(invoke: Invoke, make_project: MakeProject) -> None:
    project = make_project()
    shutil.rmtree(project / "src/acme/core/domain")
    code, found = checks(invoke, project)
    assert code == 1
    assert "src/acme/core/domain" in found["layout"]["detail"]


def test_a_broken_architecture_rule_fails(invoke: Invoke, make_project: MakeProject) -> None:
    project = make_project(["notes"])
    model = project / "src/acme/modules/notes/domain/model.py"
    model.write_text("import sqlalchemy\n" + model.read_text())
    code, found = checks(invoke, project)
    assert code == 1
    assert found["architecture"]["status"] == "fail"


def test_a_newer_template_version_is_a_warning_not_a_failure(
    invoke: Invoke, make_project: MakeProject, tmp_path: Path
) -> None:
    template = snapshot_template(tmp_path / "template-repo")
    project = make_project(template=template)
    git(template, "commit", "--quiet", "--allow-empty", "-m", "v2")
    git(template, "tag", "v2")
    code, found = checks(invoke, project)
    assert code == 0
    assert found["template"]["status"] == "warn"
    assert "version v2 is available (project at v1)" in found["template"]["detail"]


def test_a_fresh_project_with_the_examples_passes(
    invoke: Invoke, make_project: MakeProject
) -> None:
    project = make_project(["notes"], examples=True)
    assert (project / "src/acme/modules/banking").is_dir()
    code, found = checks(invoke, project)
    assert code == 0, found
    assert "banking" in found["modules"]["detail"]


def test_without_the_examples_a_banking_folder_is_still_a_stray(
    invoke: Invoke, make_project: MakeProject
) -> None:
    project = make_project(["notes"])
    shutil.copytree(project / "src/acme/modules/notes", project / "src/acme/modules/banking")
    code, found = checks(invoke, project)
    assert code == 1
    assert "'banking' is not in .copier-answers.yml" in found["modules"]["detail"]
