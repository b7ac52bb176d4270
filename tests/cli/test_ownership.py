"""Who owns which file: a module's domain, application and tests are the user's once written
(copier.yml's `_skip_if_exists`), everything else is the template's and follows its updates."""

from pathlib import Path

import pathspec
import pytest
import yaml
from copier import run_update
from jinja2.sandbox import SandboxedEnvironment
from pathspec import PathSpec

from tests.cli.conftest import MakeProject, copier_render, files_of
from tests.support import REPO, git, snapshot_template

SPECS = Path(__file__).resolve().parent.parent / "specs"
MODULE = "template/src/{{ package_name }}/modules/{% yield module from module_specs %}"
DOMAIN_MODEL = MODULE + "{{ module.name }}{% endyield %}/domain/model.py.jinja"
CORE_FILE = "template/src/{{ package_name }}/core/domain/entity.py"
BEHAVIOUR = '''

def a_rule_the_business_asked_for() -> str:
    """Written by the user, below the generated code."""
    return "kept"
'''


def user_owned(answers: dict[str, object]) -> PathSpec:
    """copier.yml's `_skip_if_exists`, rendered for these answers and matched as copier does."""
    config = yaml.safe_load((REPO / "copier.yml").read_text())
    environment = SandboxedEnvironment()
    patterns = [environment.from_string(p).render(**answers) for p in config["_skip_if_exists"]]
    style = "gitignore" if int(pathspec.__version__.split(".")[0]) >= 1 else "gitwildmatch"
    return PathSpec.from_lines(style, patterns)


def test_a_modules_domain_application_and_tests_are_the_users_and_the_rest_the_templates(
    template_repo: Path, tmp_path: Path
) -> None:
    answers = {
        "package_name": "acme",
        "modules": ["notes", "listings"],
        "specs": {"listings": (SPECS / "listings.yaml").read_text()},
        "examples": True,
        "entrypoint": "both",
    }
    project = copier_render(template_repo, tmp_path / "project", answers)
    owned = user_owned(answers)
    mine, theirs = set(), set()
    for path in files_of(project):
        (mine if owned.match_file(path) else theirs).add(path)
    for module in ("notes", "listings"):
        for layer in ("domain", "application"):
            assert any(p.startswith(f"src/acme/modules/{module}/{layer}/") for p in mine), layer
        assert any(p.startswith(f"tests/unit/{module}/") for p in mine)
        assert f"migrations/versions/{module}_0001.py" in mine
        assert not any(p.startswith(f"src/acme/modules/{module}/infrastructure/") for p in mine)
        assert not any(p.startswith(f"src/acme/modules/{module}/entrypoints/") for p in mine)
    for prefix in ("src/acme/core/", "src/acme/bootstrap", "src/acme/config/", "tests/core/"):
        assert not any(p.startswith(prefix) for p in mine), prefix
        assert any(p.startswith(prefix) for p in theirs), prefix
    for example in ("banking", "invoicing", "sales"):  # the examples follow the template's updates
        assert not any(f"/{example}/" in f"/{p}" for p in mine if "migrations" not in p), example
    assert {".copier-answers.yml", "pyproject.toml", "tests/conftest.py"} <= theirs


@pytest.mark.parametrize("module", ["notes", "listings"])
def test_a_user_edit_in_a_modules_domain_survives_copier_update_without_conflicts(
    make_project: MakeProject, tmp_path: Path, module: str
) -> None:
    template = snapshot_template(tmp_path / "template-repo")
    specs = {"listings": (SPECS / "listings.yaml").read_text()}
    project = make_project(["notes", "listings"], template=template, specs=specs)
    model = project / f"src/acme/modules/{module}/domain/model.py"
    model.write_text(model.read_text() + BEHAVIOUR)
    git(project, "commit", "--quiet", "--all", "-m", "A behaviour of my own")
    # v2 changes the end of the very file the user wrote into, and a core file.
    domain = template / DOMAIN_MODEL
    domain.write_text(domain.read_text() + "\n# changed in v2\n")
    core = template / CORE_FILE
    core.write_text(core.read_text() + "\n# core changed in v2\n")
    git(template, "commit", "--quiet", "--all", "-m", "v2")
    git(template, "tag", "v2")

    run_update(project, defaults=True, overwrite=True, unsafe=False, quiet=True, vcs_ref="v2")

    text = model.read_text()
    assert text.endswith(BEHAVIOUR)
    assert "# changed in v2" not in text  # the user's file: never merged into again
    assert "# core changed in v2" in (project / "src/acme/core/domain/entity.py").read_text()
    for path, content in files_of(project).items():
        assert b"<<<<<<<" not in content, path
        assert not path.endswith(".rej"), path
    assert "_commit: v2" in (project / ".copier-answers.yml").read_text()
