"""The `examples` answer: off by default, a self-contained `banking` module when on."""

import tomllib

import pytest
from copier.errors import CopierError

from tests.conftest import Render

BANKING = "src/shop/modules/banking"


def test_no_example_unless_asked(render_project: Render) -> None:
    project = render_project({"package_name": "shop"})

    assert not (project / BANKING).exists()
    assert not list(project.glob("tests/*/banking"))
    assert not list(project.glob("migrations/versions/*banking*"))
    dependencies = tomllib.loads((project / "pyproject.toml").read_text())["project"][
        "dependencies"
    ]
    assert not [dependency for dependency in dependencies if dependency.startswith("httpx")]


def test_the_examples_bring_both_worked_examples_and_their_tests(render_project: Render) -> None:
    project = render_project({"package_name": "shop", "examples": True, "modules": []})

    for path in (
        "domain/model.py",
        "application/ports.py",
        "application/alerts.py",
        "infrastructure/exchange_rates.py",
        "infrastructure/notifications.py",
        "infrastructure/registration.py",
    ):
        assert (project / BANKING / path).is_file(), path
    assert (project / "tests/unit/banking/fakes.py").is_file()
    assert (project / "tests/integration/banking/test_http_exchange_rates.py").is_file()
    assert (
        "class BalanceFellBelowThreshold(DomainEvent)"
        in (project / BANKING / "domain/model.py").read_text()
    )
    assert "import httpx\n" in (project / BANKING / "infrastructure/exchange_rates.py").read_text()
    assert "httpx" not in (project / BANKING / "domain/model.py").read_text()


def test_a_module_named_like_the_example_is_refused(render_project: Render) -> None:
    with pytest.raises((CopierError, ValueError), match="the examples bring their own `banking`"):
        render_project({"modules": ["banking"], "examples": True})
