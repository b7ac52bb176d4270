"""The `examples` answer: off by default; when on, self-contained tutorial modules.

`banking` (a balance alert after commit, an exchange-rate port with an httpx adapter),
`sales` (an Order with priced items, rename, archive and place: the former rich sample) and
`invoicing`, which drafts an invoice for each order placed: one module reacting to another's
integration event through the outbox, end to end.
"""

import tomllib

import pytest
from copier.errors import CopierError

from tests.conftest import Render
from tests.support import passed_live
from tests.test_messaging import live_services

BANKING = "src/shop/modules/banking"
SALES = "src/shop/modules/sales"
INVOICING = "src/shop/modules/invoicing"
EXAMPLES = ["banking", "invoicing", "sales"]


def test_no_example_unless_asked(render_project: Render) -> None:
    project = render_project({"package_name": "shop"})

    for example in EXAMPLES:
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


def test_invoicing_reacts_to_the_integration_event_of_sales_through_its_contracts_only(
    render_project: Render,
) -> None:
    answers = {"package_name": "shop", "examples": True, "modules": [], "entrypoint": "both"}
    project = render_project(answers)

    contracts = (project / SALES / "contracts/__init__.py").read_text()
    assert "class OrderPlaced(IntegrationEvent):" in contracts
    assert 'name: ClassVar[str] = "sales.order_placed"' in contracts
    assert "uow.publish(" in (project / SALES / "application/place.py").read_text()
    registration = (project / INVOICING / "infrastructure/registration.py").read_text()
    assert "handlers=[Handles(OrderPlaced, DraftInvoice)]" in registration
    sales_imports = {
        line.split(" import ")[0].removeprefix("from ")
        for path in (project / INVOICING).rglob("*.py")
        for line in path.read_text().splitlines()
        if line.startswith("from shop.modules.sales")
    }
    assert sales_imports == {"shop.modules.sales.contracts"}
    assert (project / "migrations/versions/invoicing_0001.py").is_file()
    for test in (
        "unit/invoicing/test_domain.py",
        "unit/invoicing/test_draft_invoice.py",
        "contract/invoicing/test_repository_contract.py",
        "e2e/invoicing/test_http.py",
        "e2e/invoicing/test_cli.py",
    ):
        assert (project / "tests" / test).is_file(), test
    doc = (project / "docs/architecture.md").read_text()
    assert "`src/shop/modules/invoicing/application/draft_invoice.py`" in doc


@pytest.mark.parametrize("example", EXAMPLES)
def test_a_module_named_like_an_example_is_refused(render_project: Render, example: str) -> None:
    refusal = f"the examples bring their own `{example}`"
    with pytest.raises((CopierError, ValueError), match=refusal):
        render_project({"modules": [example], "examples": True})


@pytest.mark.slow
def test_the_order_to_invoice_flow_runs_through_rabbitmq_with_a_worker(
    render_project: Render,
) -> None:
    services = live_services()
    answers = {"package_name": "shop", "examples": True, "modules": [], "entrypoint": "http"}
    project = render_project(answers)

    passed = passed_live(project, services, "tests/e2e/invoicing", timeout=600)
    through_broker = [name for name in passed if "[rabbitmq]" in name]
    assert len(through_broker) == 4, passed
