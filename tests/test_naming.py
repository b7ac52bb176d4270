"""naming.jinja: the one source of the naming rules, and what it derives."""

import keyword
import sys

import pytest

from copier_ddd import naming


def test_every_standard_library_module_of_this_python_is_refused() -> None:
    public = sorted(name for name in sys.stdlib_module_names if not name.startswith("_"))
    accepted = [name for name in public if name.islower() and not naming.package_problem(name)]
    assert accepted == []


@pytest.mark.parametrize("word", keyword.kwlist + keyword.softkwlist)
def test_every_keyword_is_refused(word: str) -> None:
    problem = naming.package_problem(word)
    assert problem
    if word.islower() and word.isidentifier() and word != "_":
        assert "keyword" in problem


@pytest.mark.parametrize(
    "name",
    ["orders", "user_accounts", "billing", "inventory2", "a", "x" * 30],
)
def test_good_names_pass(name: str) -> None:
    assert naming.package_problem(name) == ""
    assert naming.modules_problem([name]) == ""


@pytest.mark.parametrize(
    ("module", "aggregate"),
    [
        ("orders", "Order"),
        ("user_accounts", "UserAccount"),
        ("notes", "Note"),
        ("billing", "Billing"),
        ("categories", "Category"),
        ("addresses", "Address"),
        ("boxes", "Box"),
        ("status", "Status"),
        ("analysis", "Analysis"),
        ("v2_orders", "V2Order"),
    ],
)
def test_the_aggregate_is_the_singular_pascal_case_of_the_module(
    module: str, aggregate: str
) -> None:
    assert naming.aggregate_for(module) == aggregate


def test_an_explicit_aggregate_name_wins() -> None:
    assert naming.aggregate_for("people", {"people": "Person"}) == "Person"
    (people,) = naming.module_specs(["people"], {"people": "Person"})
    assert {k: people[k] for k in ("name", "title", "aggregate", "aggregate_snake", "table")} == {
        "name": "people",
        "title": "People",
        "aggregate": "Person",
        "aggregate_snake": "person",
        "table": "people",
    }
    assert people["bare"] is True
    assert people["id_type"] == "PersonId"


@pytest.mark.parametrize(
    ("project", "package"),
    [
        ("Acme Shop", "acme_shop"),
        ("  My -- Service! ", "my_service"),
        ("Billing API v2", "billing_api_v2"),
    ],
)
def test_the_package_name_is_derived_from_the_project_name(project: str, package: str) -> None:
    assert naming.package_from(project) == package
