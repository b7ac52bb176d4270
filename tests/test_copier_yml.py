"""copier.yml: no trust needed, every answer validated, nothing written on a bad answer."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import Render
from tests.support import REPO

CONFIG = yaml.safe_load((REPO / "copier.yml").read_text())

QUESTIONS = [
    "project_name",
    "package_name",
    "description",
    "author_name",
    "author_email",
    "python_version",
    "db_backend",
    "modules",
    "aggregate_names",
    "specs",
    "entrypoint",
    "with_docker",
    "with_ci",
    "with_vscode",
    "examples",
]


def test_the_template_needs_no_trust() -> None:
    unsafe = {"_tasks", "_migrations", "_jinja_extensions", "_external_data"}
    assert unsafe.isdisjoint(CONFIG)
    assert CONFIG["_subdirectory"] == "template"
    assert tuple(int(p) for p in CONFIG["_min_copier_version"].split(".")) >= (9, 3, 0)


def test_every_question_is_asked_with_its_documented_default() -> None:
    asked = [
        key for key, value in CONFIG.items() if not key.startswith("_") and "when" not in value
    ]
    assert asked == QUESTIONS
    defaults = {key: CONFIG[key]["default"] for key in QUESTIONS}
    assert defaults["python_version"] == "3.11"
    assert defaults["db_backend"] == "sqlite"
    assert yaml.safe_load(defaults["modules"]) == ["notes"]
    assert defaults["entrypoint"] == "cli"
    assert [defaults[k] for k in ("with_docker", "with_ci", "with_vscode")] == [True] * 3
    assert defaults["examples"] is False
    assert yaml.safe_load(defaults["specs"]) == {}
    assert list(CONFIG["python_version"]["choices"]) == ["3.11", "3.12", "3.13"]
    assert list(CONFIG["db_backend"]["choices"]) == [
        "memory", "json", "csv", "sqlite", "postgresql", "mariadb", "mysql", "mssql", "oracle",
    ]  # fmt: skip


def test_free_text_answers_are_validated_too() -> None:
    free_text = [
        k for k in QUESTIONS if CONFIG[k]["type"] in {"str", "yaml"} and "choices" not in CONFIG[k]
    ]
    assert all("validator" in CONFIG[k] for k in free_text), free_text


BAD_ANSWERS = {
    "hyphen in a module": (
        {"modules": ["Bad-Name"]},
        "module name 'Bad-Name' is not a lowercase Python identifier",
    ),
    "keyword package": ({"package_name": "class"}, "package_name 'class' is a Python keyword"),
    "stdlib package": ({"package_name": "json"}, "would shadow the standard-library module 'json'"),
    "dependency package": ({"package_name": "sqlalchemy"}, "would shadow the installed package"),
    "reserved module": (
        {"modules": ["core"]},
        "module name 'core' is reserved by the project layout",
    ),
    "duplicate modules": ({"modules": ["orders", "orders"]}, "module 'orders' is listed twice"),
    "modules as a string": ({"modules": "orders"}, "modules must be a YAML list of names"),
    "modules as a mapping": ({"modules": {"orders": 1}}, "modules must be a YAML list of names"),
    "path traversal": ({"modules": ["../x"]}, "is not a lowercase Python identifier"),
    "empty module": ({"modules": [""]}, "module name is empty"),
    "overlong module": ({"modules": ["a" * 200]}, "is 200 characters long: use at most 30"),
    "non-ASCII": ({"package_name": "café"}, "is not a lowercase Python identifier"),
    "capitals": ({"package_name": "Shop"}, "is not a lowercase Python identifier"),
    "a number as module": ({"modules": [42]}, "module name must be text"),
    "two modules, one aggregate": (
        {"modules": ["invoice", "invoices"]},
        "would both have the aggregate 'Invoice'",
    ),
    "shared table": ({"modules": ["orders", "orders_items"]}, "would use the same table"),
    "unknown aggregate module": (
        {"aggregate_names": {"people": "Person"}},
        "aggregate_names names 'people'",
    ),
    "aggregate not PascalCase": (
        {"modules": ["people"], "aggregate_names": {"people": "person"}},
        "not a PascalCase class name",
    ),
    "reserved aggregate": (
        {"modules": ["money"]},
        "clashes with a class the generated code already uses",
    ),
    "quote in project name": (
        {"project_name": 'Acme "Shop"'},
        "must be one line of printable text",
    ),
    "bad e-mail": ({"author_email": "nobody"}, "is not an e-mail address"),
}


@pytest.mark.parametrize(("answers", "message"), BAD_ANSWERS.values(), ids=BAD_ANSWERS.keys())
def test_a_bad_answer_stops_the_render_and_writes_nothing(
    answers: dict[str, object],
    message: str,
    render_project: Render,
    tmp_path: Path,
) -> None:
    with pytest.raises(ValueError, match="Validation error") as raised:
        render_project(answers)

    assert message in str(raised.value)
    assert not (tmp_path / "project").exists()


def test_plain_copier_ends_its_output_with_the_validators_message(tmp_path: Path) -> None:
    destination = tmp_path / "dst"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "copier",
            "copy",
            "--defaults",
            "--vcs-ref",
            "HEAD",
            "-d",
            "modules=[Bad-Name]",
            str(REPO),
            str(destination),
        ],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .endswith(
            "module name 'Bad-Name' is not a lowercase Python identifier: use a-z, 0-9 and '_', "
            "starting with a letter (e.g. 'user_accounts').",
        )
    )
    assert not destination.exists()


def test_answers_are_recorded_for_copier_update(render_project: Render) -> None:
    project = render_project(
        {"modules": ["orders", "people"], "aggregate_names": {"people": "Person"}}
    )

    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["modules"] == ["orders", "people"]
    assert answers["aggregate_names"] == {"people": "Person"}
    assert "module_specs" not in answers
    assert answers["_src_path"]


def test_optional_extras_follow_their_answers(render_project: Render) -> None:
    with_all = render_project(name="all")
    without = render_project({"with_ci": False, "with_vscode": False}, name="none")

    assert (with_all / ".github/workflows/ci.yml").is_file()
    assert (with_all / ".vscode/settings.json").is_file()
    assert not (without / ".github").exists()
    assert not (without / ".vscode").exists()
