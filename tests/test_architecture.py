"""The rendered project's import-linter contracts pass as rendered and catch planted violations."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Render
from tests.support import project_env

SHOP = {"package_name": "shop", "modules": ["orders", "billing"], "entrypoint": "both"}
PYTEST_ARGS = ("-q", "-p", "no:cacheprovider", "tests/test_architecture.py")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(project: Path) -> subprocess.CompletedProcess[str]:
    """Run ``lint-imports`` in ``project`` on its sources, without a cache."""
    env = project_env() | {"PYTHONPATH": str(project / "src")}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def plant(project: Path, relative: str, line: str) -> None:
    """Append an import to a rendered file (creating it, and its package, if needed)."""
    path = project / "src/shop" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    for package in path.relative_to(project / "src").parents:
        if package != Path() and not (project / "src" / package / "__init__.py").exists():
            (project / "src" / package / "__init__.py").write_text("")
    with path.open("a") as file:
        file.write(f"\n{line}\n")


@pytest.mark.parametrize("entrypoint", ["cli", "http", "both", "none"])
@pytest.mark.parametrize("modules", [[], ["orders", "billing"]], ids=["no-module", "two-modules"])
def test_every_contract_is_kept_as_rendered(
    render_project: Render,
    entrypoint: str,
    modules: list[str],
) -> None:
    project = render_project(SHOP | {"entrypoint": entrypoint, "modules": modules})

    result = lint_imports(project)

    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"Contracts: [78] kept, 0 broken", result.stdout), result.stdout


BROKEN_RULES = {
    "domain-imports-infrastructure": (
        "modules/orders/domain/model.py",
        "from shop.modules.orders.infrastructure import orm",
        "A domain imports only the standard library and core.domain BROKEN",
    ),
    "domain-imports-a-framework": (
        "modules/orders/domain/events.py",
        "import sqlalchemy",
        "A domain imports only the standard library and core.domain BROKEN",
    ),
    "application-imports-infrastructure": (
        "modules/billing/application/create.py",
        "from shop.core.infrastructure import memory",
        "Application imports no infrastructure nor entrypoints BROKEN",
    ),
    "module-imports-another-module": (
        "modules/billing/application/get.py",
        "from shop.modules.orders.domain import model",
        "A module imports no other module, except its public contracts BROKEN",
    ),
    "module-imports-another-modules-infrastructure": (
        "modules/billing/infrastructure/mapper.py",
        "from shop.modules.orders.infrastructure import orm",
        "A module imports no other module, except its public contracts BROKEN",
    ),
    "contracts-import-their-domain": (
        "modules/orders/contracts/__init__.py",
        "from shop.modules.orders.domain import model",
        "A contracts package imports only the standard library and core.domain BROKEN",
    ),
    "contracts-import-a-framework": (
        "modules/orders/contracts/events.py",
        "import pydantic",
        "A contracts package imports only the standard library and core.domain BROKEN",
    ),
    "core-imports-a-module": (
        "core/application/errors.py",
        "from shop.modules.orders import domain",
        "The core imports no module BROKEN",
    ),
    "infrastructure-imports-entrypoints": (
        "modules/orders/infrastructure/mapper.py",
        "from shop.modules.orders.entrypoints import http",
        "Inside a module: entrypoints and infrastructure use application, which uses domain BROKEN",
    ),
    "a-module-added-later-is-covered": (
        "modules/shipping/domain/model.py",
        "import fastapi",
        "A domain imports only the standard library and core.domain BROKEN",
    ),
}


@pytest.mark.parametrize("violation", BROKEN_RULES.values(), ids=BROKEN_RULES.keys())
def test_a_planted_violation_is_caught(
    render_project: Render,
    violation: tuple[str, str, str],
) -> None:
    relative, line, broken = violation
    project = render_project(SHOP)
    assert lint_imports(project).returncode == 0

    plant(project, relative, line)
    result = lint_imports(project)

    assert result.returncode != 0
    assert broken in " ".join(result.stdout.split()), result.stdout


CONTRACTS_EVENT = """
from dataclasses import dataclass
from typing import ClassVar

from shop.core.domain.messages import IntegrationEvent


@dataclass(frozen=True, kw_only=True)
class OrderPlaced(IntegrationEvent):
    name: ClassVar[str] = "orders.order_placed"
    order_id: str
"""


@pytest.mark.parametrize(
    "line",
    [
        "from shop.modules.orders.contracts import OrderPlaced",
        "from shop.modules.orders.contracts.events import OrderPlaced",
    ],
    ids=["package", "submodule"],
)
@pytest.mark.parametrize(
    "importer",
    ["application/get.py", "infrastructure/registration.py", "domain/model.py"],
)
def test_a_module_may_import_another_modules_contracts(
    render_project: Render,
    line: str,
    importer: str,
) -> None:
    project = render_project(SHOP)
    plant(project, "modules/orders/contracts/events.py", CONTRACTS_EVENT)
    plant(project, "modules/orders/contracts/__init__.py", "from .events import OrderPlaced")

    plant(project, f"modules/billing/{importer}", line)
    result = lint_imports(project)

    assert result.returncode == 0, result.stdout
    assert "Contracts: 8 kept, 0 broken" in result.stdout


def test_the_rendered_tests_run_the_contracts(render_project: Render) -> None:
    project = render_project(SHOP)
    plant(project, "modules/orders/domain/model.py", "import sqlalchemy.orm")

    result = subprocess.run(
        [sys.executable, "-m", "pytest", *PYTEST_ARGS],
        cwd=project,
        env=project_env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )

    assert result.returncode != 0
    assert "BROKEN" in result.stdout
