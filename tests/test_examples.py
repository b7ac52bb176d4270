"""The `examples` answer: off by default; when on, two self-contained tutorial modules.

`banking` (a balance alert after commit, an exchange-rate port with an httpx adapter) and
`sales` (an Order with priced items, rename and archive: the former rich sample).
"""

import tomllib

import pytest
from copier.errors import CopierError

from tests.conftest import Render

BANKING = "src/shop/modules/banking"
SALES = "src/shop/modules/sales"


def test_no_example_unless_asked(render_project: Render) -> None:
    project = render_project({"package_name": "shop"})

    for example in ("banking", "sales"):
        assert not (project / "src/shop/modules" / example).exists()
        assert not list(project.glob(f"tests/*/{example}"))
        assert not list(project.glob(f"migrations/versions/*{example}*"))
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
    sales_model = (project / SALES / "domain/model.py").read_text()
    assert "class Order(" in sales_model
    assert "def add_item(self, item: OrderItem)" in sales_model
    assert (project / "migrations/versions/sales_0001.py").is_file()
    assert (project / "tests/unit/sales/test_domain.py").is_file()


@pytest.mark.parametrize("example", ["banking", "sales"])
def test_a_module_named_like_an_example_is_refused(render_project: Render, example: str) -> None:
    refusal = f"the examples bring their own `{example}`"
    with pytest.raises((CopierError, ValueError), match=refusal):
        render_project({"modules": [example], "examples": True})
