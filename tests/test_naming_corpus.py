"""naming.jinja against what the generated code really uses, and a corpus of candidate names.

A name either is refused with one line, or renders a project whose gates pass. The rules are
derived from the generated code and the tools it meets, and these tests keep them so:

- the names the rendered module files import and define (read with ``ast``) are refused as
  aggregates, and so is every aggregate that would make one of them (``Data`` -> ``DataMapper``);
- every reserved word of the six SQL dialects (SQLAlchemy's lists) is in ``SQL_RESERVED``;
- the HTTP application's own routes are refused as modules;
- a corpus of a few hundred candidates (standard-library modules, builtins, typing names, SQL
  words, generated class names, words starting with ``test``) gets a one-line verdict each,
  and a sample of the accepted ones, seeded by the date (or ``NAMING_CORPUS_SEED``, printed
  in the test id), is rendered into one project whose gates run.
"""

import ast
import builtins
import keyword
import os
import random
import sys
import typing
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pytest
from sqlalchemy.dialects.mssql import base as mssql
from sqlalchemy.dialects.mysql import reserved_words as mysql
from sqlalchemy.dialects.oracle import base as oracle
from sqlalchemy.dialects.postgresql import base as postgresql
from sqlalchemy.dialects.sqlite import base as sqlite
from sqlalchemy.sql import compiler

from copier_ddd import naming
from tests.support import render, run_gates

MODULE, AGGREGATE = "notes", "Note"
HOLDER = "things"  # a module whose aggregate a test names

# Names seen to pass the old rules and break a project (issue 11, item 12).
SEEN_MODULES = [
    "sqlite_users",
    "alembic_version",
    "test",
    "tests_x",
    "testimonials",
    "conftest",
    "paths",
    "head",
    "user",
    "group",
    "docs",
    "health",
]
SEEN_AGGREGATES = ["Settings", "Self", "StrEnum", "NewType", "Path"]

SEED = int(os.environ.get("NAMING_CORPUS_SEED") or datetime.now(UTC).strftime("%Y%m%d"))
SAMPLED_MODULES = 2
SAMPLED_AGGREGATES = 1


def aggregate_problem(aggregate: str) -> str:
    return naming.modules_problem([HOLDER], {HOLDER: aggregate})


def assert_one_line(problem: str) -> None:
    assert problem, "accepted"
    assert "\n" not in problem, problem
    assert problem.endswith("."), problem


@pytest.mark.parametrize("name", SEEN_MODULES)
def test_a_module_name_seen_to_break_a_project_is_refused_in_one_line(name: str) -> None:
    assert_one_line(naming.modules_problem([name]))


@pytest.mark.parametrize("name", SEEN_AGGREGATES)
def test_an_aggregate_name_seen_to_break_a_project_is_refused_in_one_line(name: str) -> None:
    assert_one_line(aggregate_problem(name))


@pytest.mark.parametrize("table", ["banking_accounts", "invoicing_invoices"])
def test_a_module_using_the_examples_table_is_refused_with_the_examples_only(table: str) -> None:
    assert naming.modules_problem([table]) == ""
    assert_one_line(naming.modules_problem([table], examples=True))


def test_no_aggregate_or_module_makes_a_variable_that_shadows_a_builtin() -> None:
    """The generated code names variables after the aggregate (``bytearray = a_bytearray()``),
    which ruff's flake8-builtins rules refuse when the name is a builtin's."""
    lowercase = [name for name in dir(builtins) if name.isidentifier() and name.islower()]
    pascal = [name for name in dir(builtins) if is_pascal(name) and not name.startswith("_")]
    assert len(lowercase) > 50, lowercase
    assert len(pascal) > 50, pascal
    shadowing_modules = [
        module
        for name in lowercase
        for module in (name, f"{name}s")
        if naming.aggregate_for(module) == name.capitalize()
    ]
    assert len(shadowing_modules) > 50, shadowing_modules
    for module in shadowing_modules:
        assert_one_line(naming.modules_problem([module]))
    for name in lowercase:
        if "_" not in name:
            assert_one_line(aggregate_problem(name.capitalize()))
    for name in pascal:
        assert_one_line(aggregate_problem(name))


# --- what the rendered code uses ---------------------------------------------------------------


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with one module, every entrypoint."""
    return render(
        tmp_path_factory.mktemp("corpus") / "project",
        {"package_name": "acme", "modules": [MODULE], "entrypoint": "both"},
    )


def module_files(project: Path) -> Iterator[Path]:
    """The Python files rendered for the module: its package, its tests, its migration."""
    for path in sorted(project.rglob("*.py")):
        if MODULE in path.relative_to(project).parts or path.name == f"{MODULE}_0001.py":
            yield path


def bound_names(path: Path) -> set[str]:
    """Every name a file imports, or defines with class, def or an assignment.

    The attributes of a class (enum members, fields) are left out: they live in the class.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    attributes = {
        id(statement)
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        for statement in node.body
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in attributes and isinstance(node, ast.Assign | ast.AnnAssign):
            continue
        if isinstance(node, ast.ImportFrom):
            found |= {alias.asname or alias.name for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            found.add(node.name)
        elif isinstance(node, ast.Assign):
            found |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return found


@cache
def names_of(project: Path) -> frozenset[str]:
    return frozenset(set().union(*(bound_names(path) for path in module_files(project))))


def is_pascal(name: str) -> bool:
    return name.isidentifier() and name[:1].isupper() and "_" not in name


def test_every_class_name_the_module_files_use_is_refused_as_an_aggregate(rendered: Path) -> None:
    used = sorted(n for n in names_of(rendered) if is_pascal(n) and AGGREGATE not in n)
    assert len(used) > 20, used  # the parsing found the imports
    accepted = [name for name in used if not aggregate_problem(name)]
    assert accepted == [], "add them to RESERVED_CLASSES in naming.jinja"


def test_no_aggregate_can_make_a_name_the_module_files_already_use(rendered: Path) -> None:
    """``Data`` + ``Mapper`` = ``DataMapper``: every prefix and suffix the files add counts."""
    names = names_of(rendered)
    derived = [n for n in names if AGGREGATE in n]
    shapes = {(n[: n.index(AGGREGATE)], n[n.index(AGGREGATE) + len(AGGREGATE) :]) for n in derived}
    assert ("", "Mapper") in shapes, sorted(shapes)
    others = [n for n in names if AGGREGATE not in n]
    clashes = []
    for prefix, suffix in sorted(shapes - {("", "")}):
        for name in others:
            if len(name) <= len(prefix) + len(suffix):
                continue
            if not (name.startswith(prefix) and name.endswith(suffix)):
                continue
            candidate = name[len(prefix) : len(name) - len(suffix)]
            if is_pascal(candidate) and not aggregate_problem(candidate):
                clashes.append((candidate, name))
    assert clashes == [], "extend AGGREGATE_SUFFIXES / RESERVED_CLASSES in naming.jinja"


def test_no_module_or_aggregate_makes_a_function_name_the_module_files_already_use(
    rendered: Path,
) -> None:
    names = names_of(rendered)
    snake, plural = AGGREGATE.lower(), MODULE
    aggregate_prefixes = {n[: -len(snake)] for n in names if n.endswith(f"_{snake}")}
    module_prefixes = {n[: -len(plural)] for n in names if n.endswith(f"_{plural}")}
    assert "create_" in aggregate_prefixes, sorted(aggregate_prefixes)
    clashes = []
    for name in sorted(n for n in names if snake not in n and n.islower()):
        for prefix in aggregate_prefixes:
            rest = name.removeprefix(prefix)
            pascal = rest.capitalize()
            if rest != name and rest.isidentifier() and not aggregate_problem(pascal):
                clashes.append((pascal, name))
        for prefix in module_prefixes:
            rest = name.removeprefix(prefix)
            if rest != name and rest.isidentifier() and not naming.modules_problem([rest]):
                clashes.append((rest, name))
    assert clashes == [], "extend RESERVED_FUNCTIONS in naming.jinja"


def test_the_http_applications_own_routes_are_refused_as_modules(rendered: Path) -> None:
    """FastAPI serves /docs, /redoc and /openapi.json; the app adds its own (``@app.get``)."""
    http = rendered / "src/acme/entrypoints/http.py"
    routes = {"docs", "redoc"}
    for node in ast.walk(ast.parse(http.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "app"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            routes.add(node.args[0].value.strip("/").split("/")[0].replace("-", "_"))
    assert "health" in routes, routes
    accepted = [r for r in sorted(routes) if r.isidentifier() and not naming.modules_problem([r])]
    assert accepted == []


def sql_reserved_words() -> set[str]:
    lists = (
        compiler.RESERVED_WORDS,
        postgresql.RESERVED_WORDS,
        mssql.RESERVED_WORDS,
        oracle.RESERVED_WORDS,
        sqlite.SQLiteIdentifierPreparer.reserved_words,
        mysql.RESERVED_WORDS_MYSQL,
        mysql.RESERVED_WORDS_MARIADB,
    )
    return {word.lower() for words in lists for word in words}


def test_every_reserved_word_of_the_six_dialects_is_refused_as_a_module() -> None:
    words = sql_reserved_words()
    assert len(words) > 400
    accepted = sorted(w for w in words if w.isidentifier() and not naming.modules_problem([w]))
    assert accepted == [], "add them to SQL_RESERVED in naming.jinja"


# --- the corpus --------------------------------------------------------------------------------


def snake_of(pascal: str) -> str:
    return "".join(
        f"_{c.lower()}" if c.isupper() and i else c.lower() for i, c in enumerate(pascal)
    )


def module_corpus() -> list[str]:
    stdlib = [n for n in sys.stdlib_module_names if not n.startswith("_")]
    words = [
        *stdlib,
        *keyword.kwlist,
        *keyword.softkwlist,
        *(n for n in dir(builtins) if not n.startswith("_")),
        *(snake_of(n) for n in typing.__all__),
        *sorted(sql_reserved_words()),
        *(snake_of(n) + "s" for n in SEEN_AGGREGATES),
        *SEEN_MODULES,
        "test_orders",
        "testing",
        "tester",
        "orders",
        "invoices",
        "user_accounts",
        "shipments",
        "sqlite",
        "pg_stats",
        "sys_logs",
        "notes_0001",
        "base",
        "current",
        "redoc",
        "all",
    ]
    return sorted({w for w in words if isinstance(w, str)})


def aggregate_corpus() -> list[str]:
    words = [
        *typing.__all__,
        *(n for n in dir(builtins) if n[:1].isupper()),
        *(n.capitalize() for n in dir(builtins) if n.islower() and not n.startswith("_")),
        *SEEN_AGGREGATES,
        "Person",
        "Invoice",
        "Shipment",
        "Data",
        "Created",
        "Testimonial",
        "Tester",
    ]
    return sorted(set(words))


def test_the_corpus_has_a_few_hundred_names_and_both_verdicts() -> None:
    modules, aggregates = module_corpus(), aggregate_corpus()
    assert len(modules) + len(aggregates) > 600
    verdicts = {bool(naming.modules_problem([m])) for m in modules}
    assert verdicts == {True, False}


@pytest.mark.parametrize("name", module_corpus())
def test_a_corpus_module_name_is_refused_in_one_line_or_accepted(name: str) -> None:
    problem = naming.modules_problem([name])
    if problem:
        assert_one_line(problem)


@pytest.mark.parametrize("name", aggregate_corpus())
def test_a_corpus_aggregate_name_is_refused_in_one_line_or_accepted(name: str) -> None:
    problem = aggregate_problem(name)
    if problem:
        assert_one_line(problem)


def sampled_answers(seed: int) -> dict[str, object]:
    """Accepted corpus names, sampled with ``seed``, that can live together in one project."""
    generator = random.Random(seed)  # noqa: S311 - a reproducible sample, not a secret
    modules: list[str] = []
    aggregates: dict[str, str] = {}
    for name in generator.sample(module_corpus(), len(module_corpus())):
        if len(modules) == SAMPLED_MODULES:
            break
        if not naming.modules_problem([*modules, name], aggregates, examples=True):
            modules.append(name)
    for name in generator.sample(aggregate_corpus(), len(aggregate_corpus())):
        if len(aggregates) == SAMPLED_AGGREGATES:
            break
        holder = f"holder_{'abc'[len(aggregates)]}s"
        candidate = {**aggregates, holder: name}
        if not naming.modules_problem([*modules, *candidate], candidate, examples=True):
            aggregates = candidate
    return {
        "package_name": "corpus",
        "modules": [*modules, *aggregates],
        "aggregate_names": aggregates,
        "entrypoint": "both",
        "examples": True,
    }


@pytest.mark.slow
@pytest.mark.parametrize("seed", [SEED], ids=lambda seed: f"seed={seed}")
def test_sampled_accepted_names_render_a_project_whose_gates_pass(
    seed: int, tmp_path: Path, mypy_cache: Path
) -> None:
    """Reproduce a failure with NAMING_CORPUS_SEED=<the seed in the test id>."""
    answers = sampled_answers(seed)
    assert len(answers["modules"]) == SAMPLED_MODULES + SAMPLED_AGGREGATES, answers  # type: ignore[arg-type]
    project = render(tmp_path / "project", answers)
    run_gates(project, mypy_cache, core=False)
