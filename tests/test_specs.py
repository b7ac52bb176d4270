"""The aggregate spec compiler (spec.jinja): the IR it makes; copier and `ddd` agree on it."""

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from copier import run_copy

from copier_ddd import naming

ROOT = Path(__file__).resolve().parent.parent
SPECS = Path(__file__).resolve().parent / "specs"


def spec_text(name: str) -> str:
    return (SPECS / f"{name}.yaml").read_text(encoding="utf-8")


def compiled(module: str, spec: object, aggregate_names: dict[str, str] | None = None) -> Any:  # noqa: ANN401
    problem = naming.specs_problem({module: spec}, [module], aggregate_names or {})
    assert problem == ""
    (ir,) = naming.module_specs([module], aggregate_names or {}, {module: spec})
    return ir


def by_name(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["name"]: item for item in items}


def columns(field: dict[str, Any]) -> list[tuple[str, str, bool]]:
    return [(c["name"], c["sa_type"], c["nullable"]) for c in field["columns"]]


def test_the_first_example_of_the_issue_compiles_to_the_ir() -> None:
    ir = compiled("listings", spec_text("listings"))
    assert (ir["aggregate"], ir["id_type"], ir["bare"], ir["depth"]) == (
        "Listing",
        "ListingId",
        False,
        1,
    )
    assert ir["key"]["name"] == "id"
    assert ir["key"]["generated"] is True
    assert [f["name"] for f in ir["fields"]] == ["name", "min_price", "description", "status"]
    fields = by_name(ir["fields"])
    assert columns(fields["name"]) == [("name", "String(100)", False)]
    assert columns(fields["min_price"]) == [
        ("min_price_amount", "Numeric(14, 2)", False),
        ("min_price_currency", "String(3)", False),
    ]
    assert (fields["description"]["annotation"], columns(fields["description"])) == (
        "str | None",
        [("description", "Text", True)],
    )
    status = fields["status"]
    assert (status["kind"], status["enum"], status["default"]) == (
        "enum",
        "ListingStatus",
        "ListingStatus.DRAFT",
    )
    assert ir["enums"] == [
        {
            "class": "ListingStatus",
            "members": [
                {"name": "DRAFT", "value": "draft"},
                {"name": "PUBLISHED", "value": "published"},
                {"name": "CLOSED", "value": "closed"},
            ],
        }
    ]
    (bids,) = ir["lists"]
    assert (bids["attr"], bids["item"], bids["class"], bids["kind"], bids["table"]) == (
        "bids",
        "bid",
        "Bid",
        "list",
        "listings_bids",
    )
    assert [f["name"] for f in bids["fields"]] == ["bidder_id", "price", "placed_at"]
    assert by_name(bids["fields"])["placed_at"]["columns"][0]["sa_type"] == (
        "DateTime(timezone=True)"
    )
    assert bids["parent"] == [
        {"name": "listing_id", "sa_type": "Uuid", "py_type": "UUID", "references": "listings.id"}
    ]
    assert ir["members"] == [{"class": "Bid", "fields": bids["fields"]}]
    assert ir["tables"] == ["listings", "listings_bids"]
    assert (ir["sets"], ir["entities"], ir["values"], ir["unique"]) == ([], [], [], [])


def test_the_second_example_of_the_issue_compiles_to_the_ir() -> None:
    ir = compiled("warehouses", spec_text("warehouses"))
    assert (ir["aggregate"], ir["depth"]) == ("Warehouse", 2)
    assert (ir["key"]["name"], ir["key"]["py_type"], ir["key"]["generated"]) == (
        "code",
        "str",
        False,
    )
    # `rate: decimal(10,4)` in a flow mapping reaches YAML as two keys; the compiler joins them.
    assert [f["name"] for f in ir["fields"]] == ["opened_on", "capacity", "rate", "active"]
    fields = by_name(ir["fields"])
    assert columns(fields["rate"]) == [("rate", "Numeric(10, 4)", False)]
    assert (fields["rate"]["precision"], fields["rate"]["scale"]) == (10, 4)
    assert columns(fields["capacity"]) == [("capacity", "BigInteger", False)]
    assert (fields["active"]["py_type"], fields["active"]["default"]) == ("bool", "True")
    assert fields["opened_on"]["py_type"] == "date"
    (address,) = ir["values"]
    assert address["class"] == "Address"
    assert [f["name"] for f in address["fields"]] == ["street", "city", "postcode"]
    (bays,) = ir["entities"]
    assert (bays["class"], bays["item"], bays["table"], bays["key"]["name"]) == (
        "Bay",
        "bay",
        "warehouses_bays",
        "label",
    )
    assert bays["parent"] == [
        {
            "name": "warehouse_code",
            "sa_type": "String(20)",
            "py_type": "str",
            "references": "warehouses.code",
        }
    ]
    (bay_address,) = bays["fields"]
    assert (bay_address["kind"], bay_address["value"], bay_address["annotation"]) == (
        "value",
        "Address",
        "Address | None",
    )
    assert columns(bay_address) == [
        ("address_street", "String(100)", True),
        ("address_city", "String(50)", True),
        ("address_postcode", "String(10)", True),
    ]
    (tags,) = bays["sets"]
    assert (tags["kind"], tags["class"], tags["table"], tags["level"]) == (
        "set",
        "Tag",
        "warehouses_bays_tags",
        2,
    )
    assert [(c["name"], c["references"]) for c in tags["parent"]] == [
        ("warehouse_code", "warehouses_bays.warehouse_code"),
        ("bay_label", "warehouses_bays.label"),
    ]
    assert ir["tables"] == ["warehouses", "warehouses_bays", "warehouses_bays_tags"]


def test_a_module_without_a_spec_is_bare_and_keeps_the_keys_of_today() -> None:
    (ir,) = naming.module_specs(["notes"])
    assert {k: ir[k] for k in ("name", "title", "aggregate", "aggregate_snake", "table")} == {
        "name": "notes",
        "title": "Notes",
        "aggregate": "Note",
        "aggregate_snake": "note",
        "table": "notes",
    }
    assert ir["bare"] is True
    assert (ir["key"]["name"], ir["key"]["generated"], ir["fields"], ir["tables"]) == (
        "id",
        True,
        [],
        ["notes"],
    )


def test_a_spec_given_as_a_mapping_compiles_as_copier_records_it() -> None:
    """A mapping comes back sorted from .copier-answers.yml: the IR is made in that order."""
    mapping = yaml.safe_load(spec_text("listings"))
    ir = compiled("listings", mapping)
    assert [f["name"] for f in ir["fields"]] == ["description", "min_price", "name", "status"]
    recorded = yaml.safe_load(yaml.dump(mapping))  # sorted, as copier's to_nice_yaml writes it
    assert compiled("listings", recorded) == ir


def test_the_aggregate_of_a_spec_wins_and_must_agree_with_aggregate_names() -> None:
    assert compiled("people", "aggregate: Person\n")["aggregate"] == "Person"
    assert compiled("people", "", {"people": "Person"})["aggregate"] == "Person"
    problem = naming.specs_problem(
        {"people": "aggregate: Human\n"}, ["people"], {"people": "Person"}
    )
    assert problem == (
        "spec for module 'people': aggregate 'Human' differs from 'Person' given for it in "
        "aggregate_names (--aggregate): name it in one place"
    )


@pytest.fixture
def ir_template(tmp_path: Path) -> Path:
    """The template's copier.yml and macros, rendering nothing but `module_specs` as JSON."""
    template = tmp_path / "ir-template"
    (template / "template").mkdir(parents=True)
    for name in ("copier.yml", "naming.jinja", "spec.jinja"):
        shutil.copy(ROOT / name, template / name)
    (template / "template" / "ir.json.jinja").write_text("{{ module_specs | to_json }}\n")
    return template


def test_copier_renders_the_same_ir_as_ddd(ir_template: Path, tmp_path: Path) -> None:
    specs = {"listings": spec_text("listings"), "warehouses": spec_text("warehouses")}
    modules = ["listings", "warehouses", "notes"]
    run_copy(
        str(ir_template),
        tmp_path / "out",
        data={"modules": modules, "specs": specs},
        defaults=True,
        unsafe=False,
        quiet=True,
    )
    from_copier = json.loads((tmp_path / "out" / "ir.json").read_text())
    assert from_copier == naming.module_specs(modules, {}, specs)


def test_the_sql_reserved_words_are_those_of_sqlalchemys_six_dialects() -> None:
    from sqlalchemy.dialects.mssql import base as mssql
    from sqlalchemy.dialects.mysql import reserved_words as mysql
    from sqlalchemy.dialects.oracle import base as oracle
    from sqlalchemy.dialects.postgresql import base as postgresql
    from sqlalchemy.dialects.sqlite import base as sqlite
    from sqlalchemy.sql import compiler

    words = {
        *compiler.RESERVED_WORDS,
        *postgresql.RESERVED_WORDS,
        *mysql.RESERVED_WORDS_MYSQL,
        *mysql.RESERVED_WORDS_MARIADB,
        *mssql.RESERVED_WORDS,
        *oracle.RESERVED_WORDS,
        *sqlite.SQLiteIdentifierPreparer.reserved_words,
    }
    module = naming.environment(ROOT).get_template("spec.jinja").module
    assert sorted(module.SQL_RESERVED) == sorted({w.lower() for w in words})


def test_the_wheel_ships_every_macro_file_copier_imports() -> None:
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    shipped = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    for macros in ROOT.glob("*.jinja"):
        assert shipped.get(macros.name) == f"copier_ddd/template/{macros.name}", macros.name


@pytest.mark.parametrize(
    ("text", "name", "annotation", "default"),
    [
        ("fields: {a: Money?, b: int}", "a", "Money | None", None),
        ("fields: {a: str(20)? = 'why?', b: int}", "a", "str | None", '"why?"'),
        ("fields: {a: decimal(10,4)?, b: int}", "a", "Decimal | None", None),
        ("fields: {a: enum(x, y, z) = y, b: int}", "a", "ThingA", "ThingA.Y"),
        ("fields:\n  a: text?\n", "a", "str | None", None),
        ("fields:\n  a: int = -007\n", "a", "int", "-7"),
        ("fields:\n  a: decimal(4,4) = 0.125\n", "a", "Decimal", 'Decimal("0.125")'),
        ("fields:\n  a: decimal(4,1) = 007\n", "a", "Decimal", "Decimal(7)"),
        ("fields:\n  a: date = 2024-02-29\n", "a", "date", "date(2024, 2, 29)"),
        ('fields:\n  a: str(9) = "x, y"\n', "a", "str", '"x, y"'),
    ],
    ids=[
        "flow-optional",
        "flow-default-with-?",
        "flow-comma",
        "flow-enum",
        "block-optional",
        "int-default",
        "decimal-default",
        "integral-decimal",
        "leap-day",
        "quoted-default",
    ],
)
def test_fields_read_in_flow_and_block_style(
    text: str, name: str, annotation: str, default: str | None
) -> None:
    fields = by_name(compiled("things", text)["fields"])
    assert (fields[name]["annotation"], fields[name]["default"]) == (annotation, default)


@pytest.mark.parametrize(
    ("specs", "problem"),
    [
        ("[x]", "specs must be a YAML mapping of module name to spec"),
        ({"orders": "fields: {a: int}"}, "specs has a spec for 'orders', which is not one of"),
        ({"things": "[1, 2]"}, "spec for module 'things': a spec is a mapping"),
        ({"things": {"fields": {"a": "decimal(10", "4)": None}}}, "is cut at a comma: quote it"),
        ({"things": "fields: {a: date = 2023-02-29}"}, "default '2023-02-29' is not a date"),
        ({"things": "fields: {a: decimal(3,1) = 123.4}"}, "does not fit decimal(3, 1)"),
        ({"things": "fields: {a: int = 9223372036854775808}"}, "is not a 64-bit integer"),
        ({"things": "fields: {a: datetime = now}"}, "a datetime field takes no default"),
    ],
    ids=[
        "not-a-mapping",
        "unknown-module",
        "spec-not-a-mapping",
        "mapping-cut-at-comma",
        "no-such-day",
        "decimal-overflow",
        "int-overflow",
        "datetime-default",
    ],
)
def test_specs_problems_beyond_the_cli_table(specs: object, problem: str) -> None:
    assert problem in naming.specs_problem(specs, ["things"], {})


def test_an_empty_or_comment_only_spec_is_bare() -> None:
    for text in ("", "# nothing yet\n", "{}"):
        assert compiled("things", text)["bare"] is True
    assert compiled("things", "key: code\nfields: {code: str(5)}")["bare"] is False


@pytest.mark.parametrize(
    "text",
    [
        "fields: [a, b]",
        "lists: [x]",
        "lists: {bids: {value: Bid, fields: 3}}",
        "entities: [1]",
        "entities: {bays: {entity: Bay, lists: 4}}",
        "values: [1]",
        "values: {Address: 3}",
        "fields: {a: str(10) = }",
        "fields: {a: 'enum()'}",
    ],
)
def test_a_malformed_spec_gets_one_line_never_an_exception(text: str) -> None:
    problem = naming.specs_problem({"things": text}, ["things"], {})
    assert problem.startswith("spec for module 'things': ")
    assert "\n" not in problem


def yaml_blocks(markdown: str) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", markdown, flags=re.DOTALL)


def test_the_docs_show_specs_that_compile_and_a_data_file_copier_accepts() -> None:
    docs = (ROOT / "docs" / "specs.md").read_text()
    data_file, listing, warehouse = yaml_blocks(docs)
    data = yaml.safe_load(data_file)
    assert naming.specs_problem(data["specs"], data["modules"], {}) == ""
    assert naming.answer_problems(data) == []
    for shown, example in ((listing, "listings"), (warehouse, "warehouses")):
        assert compiled(example, shown) == compiled(example, spec_text(example))
