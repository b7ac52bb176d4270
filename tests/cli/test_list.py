"""`ddd list`: the modules and their aggregates."""

import json

from tests.cli.conftest import Invoke, MakeProject


def test_list_prints_each_module_with_its_aggregate(
    invoke: Invoke, make_project: MakeProject
) -> None:
    project = make_project(
        ["orders", "user_accounts", "people"], aggregate_names={"people": "Person"}
    )
    result = invoke(project, "list")
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.stdout.splitlines()]
    assert rows == [
        ["MODULE", "AGGREGATE", "SHAPE"],
        ["orders", "Order", "bare"],
        ["user_accounts", "UserAccount", "bare"],
        ["people", "Person", "bare"],
    ]


def test_list_json_is_machine_readable(invoke: Invoke, make_project: MakeProject) -> None:
    project = make_project(["orders"])
    result = invoke(project / "src", "list", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [
        {"name": "orders", "aggregate": "Order", "spec": False, "shape": "bare"}
    ]


def test_list_follows_add_module(invoke: Invoke, make_project: MakeProject) -> None:
    project = make_project(["orders"])
    assert invoke(project, "add-module", "people", "--aggregate", "Person").exit_code == 0
    result = invoke(project, "list", "--json")
    assert json.loads(result.stdout)[-1] == {
        "name": "people",
        "aggregate": "Person",
        "spec": False,
        "shape": "bare",
    }
