"""copier.yml's validators and `ddd` accept and refuse exactly the same names."""

from pathlib import Path

import pytest
from copier import run_copy

from copier_ddd import hooks
from copier_ddd.naming import answer_problems
from tests.cli.conftest import Invoke, copier_render

NAMES = [
    "Bad-Name",
    "class",
    "../x",
    "core",
    "",
    "a" * 200,
    "a" * 30,
    "a" * 31,
    "json",
    "sqlalchemy",
    "9lives",
    "a__b",
    "trailing_",
    "with space",
    "ünïcode",
    "orders",
    "user_accounts",
    "invoices2",
]


def copier_refuses(template: Path, destination: Path, data: dict[str, object]) -> bool:
    """Whether plain copier (no --trust) stops on these answers."""
    try:
        run_copy(
            str(template),
            destination,
            data=data,
            defaults=True,
            unsafe=False,
            quiet=True,
            pretend=True,
        )
    except ValueError:
        return True
    return False


@pytest.fixture(scope="module")
def project(template_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One committed project for every dry run (a dry run writes nothing)."""
    project = copier_render(
        template_repo,
        tmp_path_factory.mktemp("agreement") / "project",
        {"package_name": "acme", "modules": ["notes"]},
    )
    assert hooks.git_init_and_commit(project).done
    return project


@pytest.mark.parametrize("name", NAMES, ids=lambda n: n[:12] or "empty")
def test_a_module_name_gets_the_same_verdict_from_copier_and_from_ddd(
    invoke: Invoke, project: Path, template_repo: Path, tmp_path: Path, name: str
) -> None:
    copier_says_no = copier_refuses(
        template_repo, tmp_path / "copier", {"package_name": "acme", "modules": ["notes", name]}
    )
    new_says_no = bool(
        answer_problems(
            {"package_name": "acme", "modules": ["notes", name]}, template_root=template_repo
        )
    )
    add_module_says_no = invoke(project, "add-module", name, "--dry-run").exit_code != 0
    assert copier_says_no == new_says_no == add_module_says_no


@pytest.mark.parametrize("name", NAMES, ids=lambda n: n[:12] or "empty")
def test_a_package_name_gets_the_same_verdict_from_copier_and_from_ddd(
    template_repo: Path, tmp_path: Path, name: str
) -> None:
    copier_says_no = copier_refuses(template_repo, tmp_path / "copier", {"package_name": name})
    ddd_says_no = bool(answer_problems({"package_name": name}, template_root=template_repo))
    assert copier_says_no == ddd_says_no


def test_the_verdicts_are_not_all_the_same() -> None:
    verdicts = {bool(answer_problems({"modules": [name]})) for name in NAMES}
    assert verdicts == {True, False}
