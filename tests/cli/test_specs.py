"""Modules from aggregate specs: `ddd add-module --spec`, `ddd new --spec`, `ddd list`, and the
bad specs that copier and `ddd` both refuse with the same one line, writing nothing."""

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from copier_ddd import hooks
from tests.cli.conftest import (
    Invoke,
    MakeProject,
    assert_refused,
    copier_render,
    files_of,
    tree_hash,
)
from tests.support import COPIER_CLI

SPECS = Path(__file__).resolve().parent.parent / "specs"


def answers(project: Path) -> dict[str, object]:
    loaded: dict[str, object] = yaml.safe_load((project / ".copier-answers.yml").read_text())
    return loaded


def module_files(project: Path, module: str) -> dict[str, bytes]:
    """The files under the module's folders (and its migration), and the answers file."""
    return {
        path: content
        for path, content in files_of(project).items()
        if module in path.split("/")[:-1]
        or path.startswith(f"migrations/versions/{module}_")
        or path == ".copier-answers.yml"
    }


def test_add_module_with_a_spec_is_byte_identical_to_copier_with_the_spec_as_data(
    invoke: Invoke, make_project: MakeProject, template_repo: Path, tmp_path: Path
) -> None:
    grown = make_project(["notes"], name="grown")
    result = invoke(grown, "add-module", "listings", "--spec", str(SPECS / "listings.yaml"))
    assert result.exit_code == 0, result.output
    text = (SPECS / "listings.yaml").read_text()
    assert answers(grown)["specs"] == {"listings": text}
    data = {"package_name": "acme", "modules": ["notes", "listings"], "specs": {"listings": text}}
    direct = copier_render(template_repo, tmp_path / "direct", data)
    expected = module_files(direct, "listings")
    assert len(expected) > 10
    assert module_files(grown, "listings") == expected
    grown_files, direct_files = files_of(grown), files_of(direct)
    assert {p for p in direct_files if grown_files.get(p) != direct_files[p]} == set()


def test_add_module_without_a_spec_is_bare_and_records_no_spec(
    invoke: Invoke, make_project: MakeProject
) -> None:
    project = make_project(["notes"])
    assert invoke(project, "add-module", "people", "--aggregate", "Person").exit_code == 0
    assert answers(project)["specs"] == {}
    result = invoke(project, "list", "--json")
    assert json.loads(result.stdout)[-1] == {
        "name": "people",
        "aggregate": "Person",
        "spec": False,
        "shape": "bare",
    }


def test_list_shows_what_each_spec_gives_its_module(
    invoke: Invoke, make_project: MakeProject
) -> None:
    project = make_project(["notes"])
    for name in ("listings", "warehouses"):
        spec = str(SPECS / f"{name}.yaml")
        assert invoke(project, "add-module", name, "--spec", spec).exit_code == 0
    result = invoke(project, "list")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "MODULE      AGGREGATE  SHAPE",
        "notes       Note       bare",
        "listings    Listing    spec: 4 fields, 1 list",
        "warehouses  Warehouse  spec: key code, 4 fields, 1 value object, 1 entity",
    ]


def test_remove_module_forgets_its_spec(invoke: Invoke, make_project: MakeProject) -> None:
    project = make_project(["notes"])
    spec = str(SPECS / "listings.yaml")
    assert invoke(project, "add-module", "listings", "--spec", spec).exit_code == 0
    hooks.git_init_and_commit(project)
    result = invoke(project, "remove-module", "listings")
    assert result.exit_code == 0, result.output
    assert answers(project)["specs"] == {}
    assert answers(project)["modules"] == ["notes"]


def test_new_takes_specs_named_by_their_module_key_or_their_file(
    invoke: Invoke, template_repo: Path, tmp_path: Path
) -> None:
    named = tmp_path / "any-name.yaml"
    named.write_text("module: people\naggregate: Person\nfields: {name: str(80)}\n")
    result = invoke(
        tmp_path,
        "new",
        "shop",
        "--template",
        str(template_repo),
        "--defaults",
        "--package-name",
        "acme",
        "--module",
        "notes",
        "--spec",
        str(SPECS / "warehouses.yaml"),
        "--spec",
        str(named),
    )
    assert result.exit_code == 0, result.output
    recorded = answers(tmp_path / "shop")
    assert recorded["modules"] == ["notes", "warehouses", "people"]
    assert recorded["specs"] == {
        "warehouses": (SPECS / "warehouses.yaml").read_text(),
        "people": named.read_text(),
    }
    model = (tmp_path / "shop/src/acme/modules/people/domain/model.py").read_text()
    assert "class Person(" in model


def test_new_sets_the_answers_it_could_not_set_before(
    invoke: Invoke, template_repo: Path, tmp_path: Path
) -> None:
    result = invoke(
        tmp_path,
        "new",
        "shop",
        "--template",
        str(template_repo),
        "--defaults",
        "--module",
        "people",
        "--aggregate",
        "people=Person",
        "--examples",
        "--no-docker",
        "--no-ci",
        "--no-vscode",
    )
    assert result.exit_code == 0, result.output
    recorded = answers(tmp_path / "shop")
    assert recorded["aggregate_names"] == {"people": "Person"}
    assert (recorded["examples"], recorded["with_docker"], recorded["with_ci"]) == (
        True,
        False,
        False,
    )
    assert recorded["with_vscode"] is False
    assert not (tmp_path / "shop/.vscode").exists()
    assert not (tmp_path / "shop/.github").exists()
    assert not (tmp_path / "shop/.dockerignore").exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--aggregate", "Person"], "--aggregate takes MODULE=Class, such as people=Person"),
        (["--spec", "missing.yaml"], "there is no spec file missing.yaml"),
        (
            ["--module", "people", "--aggregate", "people=Human", "--spec", "people.yaml"],
            "spec for module 'people' (people.yaml): aggregate 'Person' differs from 'Human'",
        ),
        (
            ["--spec", "broken.yaml"],
            "spec file broken.yaml is not valid YAML (line 3, column 1): expected ',' or ']'",
        ),
    ],
    ids=["aggregate-without-equals", "missing-spec", "two-aggregates", "not-yaml"],
)
def test_new_refuses_bad_spec_options_and_writes_nothing(
    invoke: Invoke, template_repo: Path, tmp_path: Path, args: list[str], expected: str
) -> None:
    (tmp_path / "people.yaml").write_text("aggregate: Person\n")
    (tmp_path / "broken.yaml").write_text("fields:\n  name: [str(10)\n")
    result = invoke(tmp_path, "new", "shop", "--template", str(template_repo), "--defaults", *args)
    assert_refused(result, expected)
    assert not (tmp_path / "shop").exists()


@dataclass(frozen=True)
class Bad:
    """A bad spec for module `listings`, and the words after "spec for module 'listings': "."""

    id: str
    spec: str
    reason: str
    modules: tuple[str, ...] = ("notes",)  # the project's modules before `listings`


BAD_SPECS = [
    Bad(
        "unknown-type",
        "lists:\n  bids: {value: Bid, fields: {bidder_id: uuid, price: Mony}}\n",
        "field 'bids.price': unknown type 'Mony' (use str(n), text, int, decimal(p,s), bool, "
        "date, datetime, uuid, enum(a, b), Money or a class of values)",
    ),
    Bad(
        "str-without-length",
        "fields: {name: str}\n",
        "field 'name': str takes its maximum length, 1 to 4000: str(100)",
    ),
    Bad(
        "str-too-long",
        "fields: {name: str(5000)}\n",
        "field 'name': str takes its maximum length, 1 to 4000: str(100), or text for longer text",
    ),
    Bad(
        "decimal-scale-above-precision",
        "fields: {rate: 'decimal(4,6)'}\n",
        "field 'rate': decimal(4,6) needs 1 <= precision <= 38 and 0 <= scale <= precision",
    ),
    Bad(
        "arguments-to-int",
        "fields: {count: int(10)}\n",
        "field 'count': 'int' takes no arguments",
    ),
    Bad(
        "enum-member-not-lowercase",
        "fields:\n  status: enum(Draft, published)\n",
        "field 'status': enum member 'Draft' is not a lowercase identifier such as 'draft'",
    ),
    Bad(
        "duplicate-field",
        "fields:\n  name: str(10)\n  price: Money\n  name: text\n",
        "key 'name' (line 4) is given twice in one mapping: YAML would keep only the last",
    ),
    Bad(
        "field-and-list-share-a-name",
        "fields: {bids: int}\nlists:\n  bids: {value: Bid, fields: {price: Money}}\n",
        "'bids' (list 'bids') is also field 'bids': choose another name",
    ),
    Bad(
        "reserved-by-the-aggregate",
        "fields: {version: int}\n",
        "'version' (field 'version') is a name the generated class defines itself: "
        "choose another name",
    ),
    Bad(
        "python-keyword",
        "fields: {class: str(10)}\n",
        "field 'class': 'class' is a Python keyword: choose another name",
    ),
    Bad(
        "soft-keyword",
        "fields: {type: str(10)}\n",
        "field 'type': 'type' is a Python keyword: choose another name",
    ),
    Bad(
        "shadows-a-builtin",
        "fields: {format: str(10)}\n",
        "field 'format': 'format' would shadow the Python builtin 'format': choose another name",
    ),
    Bad(
        "sql-reserved-word",
        "fields: {order: int}\n",
        "field 'order': 'order' is a reserved word of SQL (in sqlite, postgresql, mysql/mariadb, "
        "mssql or oracle): choose another name",
    ),
    Bad(
        "sqlalchemy-reserved",
        "fields: {metadata: text}\n",
        "field 'metadata': 'metadata' is reserved by SQLAlchemy's declarative models: "
        "choose another name",
    ),
    Bad(
        "pydantic-reserved",
        "fields: {model_name: str(10)}\n",
        "field 'model_name': 'model_name' is reserved by pydantic's models (the HTTP schemas): "
        "choose another name",
    ),
    Bad(
        "columns-collide-after-flattening",
        "fields: {price: Money, price_amount: 'decimal(10,2)'}\n",
        "field 'price' (Money) and field 'price_amount' would both use the column "
        "'price_amount': rename the field",
    ),
    Bad(
        "member-collides-with-the-parent-column",
        "lists:\n  bids: {value: Bid, fields: {listing_id: uuid}}\n",
        "list 'bids': the column that refers to listings.id and field 'listing_id' would both "
        "use the column 'listing_id': rename the field",
    ),
    Bad(
        "table-of-another-module",
        "lists:\n  bids: {value: Bid, fields: {price: Money}}\n",
        "its table 'listings_bids' is also a table of module 'listings_bids': rename one",
        modules=("listings_bids",),
    ),
    Bad(
        "key-not-a-field",
        "key: code\nfields: {name: str(10)}\n",
        "key 'code' is not one of its fields (name)",
    ),
    Bad(
        "key-of-a-wrong-type",
        "key: price\nfields: {price: Money}\n",
        "key 'price' is a Money: a key is a str(n), int, uuid or date",
    ),
    Bad(
        "default-not-an-int",
        "fields: {count: int = many}\n",
        "field 'count': default 'many' is not a 64-bit integer",
    ),
    Bad(
        "default-not-a-member",
        "fields:\n  status: enum(draft, closed) = open\n",
        "field 'status': default 'open' is not one of draft, closed",
    ),
    Bad(
        "default-too-long",
        "fields: {code: str(3) = abcd}\n",
        "field 'code': default 'abcd' is longer than 3 characters",
    ),
    Bad(
        "value-class-clashes-with-an-import",
        "values:\n  Money: {amount: int}\n",
        "values class 'Money': 'Money' is a class the generated code imports: choose another name",
    ),
    Bad(
        "value-class-clashes-with-a-generated-class",
        "values:\n  ListingView: {street: str(10)}\n",
        "values class 'ListingView': the class name 'ListingView' is one the generated code "
        "makes for Listing: choose another name",
    ),
    Bad(
        "enum-clashes-with-a-value-class",
        "fields:\n  status: enum(draft, closed)\nvalues:\n  ListingStatus: {code: str(10)}\n",
        "the enum ListingStatus: the class name 'ListingStatus' is also values class "
        "'ListingStatus': choose another name",
    ),
    Bad(
        "set-field-clashes-with-its-digest",
        "sets:\n  tags: {value: Tag, fields: {member_digest: text}}\n",
        "set 'tags': the column that identifies a member of the set and field 'member_digest' "
        "would both use the column 'member_digest': rename the field",
    ),
    Bad(
        "collection-not-plural",
        "lists:\n  bid: {value: Bid, fields: {price: Money}}\n",
        "list 'bid': name it in the plural (each member is one 'bid'), e.g. 'bids'",
    ),
    Bad(
        "entities-too-deep",
        "entities:\n  bays:\n    entity: Bay\n    entities: {shelves: {entity: Shelf}}\n",
        "entity 'bays': an entity holds lists and sets, not entities (two levels at most)",
    ),
    Bad(
        "members-too-deep",
        "lists:\n  bids:\n    value: Bid\n    fields: {price: Money}\n"
        "    lists: {notes: {value: Note, fields: {text: str(9)}}}\n",
        "list 'bids': its members are value objects: they hold fields, not lists "
        "(nesting stops here)",
    ),
    Bad(
        "unknown-key",
        "feilds: {name: str(10)}\n",
        "unknown key 'feilds' (use module, aggregate, key, fields, values, lists, sets, entities)",
    ),
    Bad(
        "unique-optional",
        "fields: {email: str(200)? unique}\n",
        "field 'email': a unique field must be required (SQL Server lets a unique index hold "
        "one NULL only)",
    ),
    Bad(
        "unique-in-a-child",
        "entities:\n  bays: {entity: Bay, fields: {label: str(10) unique}}\n",
        "field 'bays.label': only fields of the aggregate itself can be unique",
    ),
    Bad(
        "spec-for-another-module",
        "module: orders\nfields: {name: str(10)}\n",
        "it names module 'orders', not 'listings'",
    ),
    Bad(
        "unreadable-type",
        "fields: {name: 'str(10) required'}\n",
        "field 'name': cannot read 'str(10) required': write TYPE, then '?' if optional, "
        "'unique', '= default' (e.g. 'str(20) unique' or 'int? = 0')",
    ),
]


@pytest.fixture(scope="module")
def bad_spec_projects(
    template_repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[tuple[str, ...], Path]:
    """One committed project per list of modules (a refusal writes nothing, so they are shared)."""
    projects = {}
    for modules in sorted({bad.modules for bad in BAD_SPECS}):
        folder = tmp_path_factory.mktemp("bad-specs") / "project"
        copier_render(template_repo, folder, {"package_name": "acme", "modules": list(modules)})
        assert hooks.git_init_and_commit(folder).done
        projects[modules] = folder
    return projects


def test_there_are_at_least_fifteen_bad_specs() -> None:
    assert len(BAD_SPECS) >= 15
    assert len({bad.id for bad in BAD_SPECS}) == len(BAD_SPECS)


@pytest.mark.parametrize("bad", BAD_SPECS, ids=lambda bad: bad.id)
def test_add_module_refuses_a_bad_spec_in_one_line_and_writes_nothing(
    invoke: Invoke, bad_spec_projects: dict[tuple[str, ...], Path], bad: Bad
) -> None:
    project = bad_spec_projects[bad.modules]
    spec = project.parent / "specs" / "listing.yaml"
    spec.parent.mkdir(exist_ok=True)
    spec.write_text(bad.spec)
    before = tree_hash(project)
    result = invoke(project, "add-module", "listings", "--spec", "../specs/listing.yaml")
    assert_refused(result)
    assert result.stderr.strip() == (
        f"error: spec for module 'listings' (../specs/listing.yaml): {bad.reason}"
    )
    assert tree_hash(project) == before


@pytest.mark.parametrize("bad", BAD_SPECS, ids=lambda bad: bad.id)
def test_copier_refuses_the_same_bad_spec_with_the_same_words_and_writes_nothing(
    template_repo: Path, tmp_path: Path, bad: Bad
) -> None:
    data = {"modules": [*bad.modules, "listings"], "specs": {"listings": bad.spec}}
    data_file = tmp_path / "data.yml"
    data_file.write_text(yaml.safe_dump(data))
    destination = tmp_path / "project"
    copier = [*COPIER_CLI, "copy", "--defaults", "--quiet"]
    result = subprocess.run(
        [*copier, "--data-file", str(data_file), str(template_repo), str(destination)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert last == (
        f"ValueError: Validation error for question 'specs': spec for module 'listings': "
        f"{bad.reason}"
    )
    assert not destination.exists()
