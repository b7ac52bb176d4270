"""Bad input, one table: every row is refused the same way, whatever program refuses it.

Each row names what is prepared, the command and a fragment of the message it must print.
``assert_refused_cleanly`` checks every row for the same four things:

1. a failure: a non-zero exit code (HTTP: a 4xx or 5xx status);
2. one clear message holding the fragment: ``ddd`` prints exactly one non-blank line on
   stderr, starting with ``error: ``, and nothing on stdout; the rendered service's command
   line likewise with ``Error: ``; plain ``copier copy`` ends with one ``ValueError: ...``
   line naming the question; an HTTP answer is a JSON object whose only key is ``detail``,
   holding one message (a sentence, or a list of exactly one field error with ``loc``,
   ``msg`` and ``type``);
3. no ``Traceback`` on stdout, stderr, in the body or in the server's log (plain copier
   excepted: see ``UPSTREAM_TRACEBACK``);
4. the files around it byte-identical: every path under the row's sandbox (the project, the
   DEST, the working folder; ``.git`` internals left out) with its mode and content digest,
   before and after (HTTP: the served project, its data files included).

Rows that put a password in a URL also check that it is printed nowhere. Everything runs in
subprocesses, as a user runs it: ``ddd`` and the service's command line from a fresh
interpreter, the HTTP API from uvicorn on a loopback port.
"""

import hashlib
import json
import resource
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import httpx2
import pytest
import yaml
from copier import run_copy

from copier_ddd import hooks
from tests.support import project_env, snapshot_template, uvicorn_serving

PACKAGE = "acme"
HIDDEN = "s3cret-Passw0rd"
LONG_NAME = "a" * 200
# copier's own CLI prints a traceback for a `--data` answer its validator refuses
# (copier-org/copier#1436): the validator's message is its last line. Should copier stop
# doing that, these rows fail and the flag goes.
UPSTREAM_TRACEBACK = True
START_SECONDS = 30.0

Kind = Literal["ddd", "copier", "service", "http"]


def permissions_are_enforced() -> bool:
    """Whether a folder without write permission refuses this user (root ignores it)."""
    with tempfile.TemporaryDirectory() as scratch:
        locked = Path(scratch) / "locked"
        locked.mkdir()
        locked.chmod(0o555)
        try:
            (locked / "probe").touch()
        except PermissionError:
            return True
        finally:
            locked.chmod(0o755)
        return False


ENFORCED = permissions_are_enforced()


@dataclass(frozen=True)
class Sandbox:
    """The folder a row prepares and runs in: its own, deleted afterwards."""

    root: Path

    @property
    def project(self) -> Path:
        return self.root / "project"


Setup = Callable[[Sandbox], None]


@dataclass(frozen=True)
class Case:
    """One row of the matrix."""

    id: str
    kind: Kind
    command: tuple[str, ...]
    expected: str
    #: ddd and copier rows: "project" copies the base project into the sandbox first.
    start: Literal["project", "empty"] = "project"
    #: Where the command runs, relative to the sandbox.
    cwd: str = "project"
    setup: Setup | None = None
    env: Mapping[str, str] = field(default_factory=dict)
    #: Must appear nowhere in what the command prints.
    secret: str | None = None
    #: The largest file the command may write (RLIMIT_FSIZE): a full disk, root or not.
    file_size_limit: int | None = None
    #: HTTP rows: the request body and headers.
    body: bytes | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    streamed: bool = False


# --- what rows prepare -------------------------------------------------------------------


def edit_answers(change: Callable[[dict[str, object]], object]) -> Setup:
    def setup(sandbox: Sandbox) -> None:
        path = sandbox.project / ".copier-answers.yml"
        answers = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(answers)
        path.write_text(yaml.safe_dump(answers), encoding="utf-8")

    return setup


def write_answers(content: bytes) -> Setup:
    def setup(sandbox: Sandbox) -> None:
        (sandbox.project / ".copier-answers.yml").write_bytes(content)

    return setup


def remove(relative: str) -> Setup:
    def setup(sandbox: Sandbox) -> None:
        path = sandbox.project / relative
        shutil.rmtree(path) if path.is_dir() else path.unlink()

    return setup


def make_folder(relative: str, *, with_file: bool = False) -> Setup:
    def setup(sandbox: Sandbox) -> None:
        folder = sandbox.root / relative
        folder.mkdir(parents=True)
        if with_file:
            (folder / "mine.txt").write_text("mine\n", encoding="utf-8")

    return setup


def make_file(relative: str) -> Setup:
    def setup(sandbox: Sandbox) -> None:
        (sandbox.root / relative).write_text("not a folder\n", encoding="utf-8")

    return setup


def edit_readme(sandbox: Sandbox) -> None:
    readme = sandbox.project / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "\nMy change.\n", encoding="utf-8")


def lock(relative: str) -> Setup:
    """Take the write permission off a folder and everything in it."""

    def setup(sandbox: Sandbox) -> None:
        root = sandbox.root / relative
        root.mkdir(exist_ok=True)
        for folder in [root, *(p for p in root.rglob("*") if p.is_dir() and not p.is_symlink())]:
            folder.chmod(0o555)

    return setup


def folder_replaced_by_a_file(relative: str) -> Setup:
    def setup(sandbox: Sandbox) -> None:
        shutil.rmtree(sandbox.project / relative)
        (sandbox.project / relative).write_text("not a folder\n", encoding="utf-8")

    return setup


def data_file(relative: str, change: Callable[[str], str]) -> Setup:
    """Rewrite one of the seeded data files (written by the service itself) with ``change``."""

    def setup(sandbox: Sandbox) -> None:
        path = sandbox.project / "data" / relative
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")

    return setup


def raw_data_file(relative: str, content: bytes) -> Setup:
    def setup(sandbox: Sandbox) -> None:
        (sandbox.project / "data" / relative).write_bytes(content)

    return setup


def migrated_before_the_module(sandbox: Sandbox) -> None:
    """The seeded SQLite database, now managed by Alembic, as it was before the module came."""
    database = sandbox.project / "data" / f"{PACKAGE}.db"
    with sqlite3.connect(database) as connection:
        connection.execute("DROP TABLE notes")
        connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
    connection.close()


def json_rows(change: Callable[[list[dict[str, object]]], object]) -> Callable[[str], str]:
    """Change the stored rows of the ``sales`` table in the json document."""

    def rewrite(text: str) -> str:
        document = json.loads(text)
        change(document["tables"]["sales"])
        return json.dumps(document)

    return rewrite


def csv_cells(change: Callable[[list[list[str]]], object]) -> Callable[[str], str]:
    """Change the cells of ``sales.csv`` (header first) and write them back as CSV."""

    def rewrite(text: str) -> str:
        lines = [line.split(",") for line in text.splitlines()]
        change(lines)
        return "".join(",".join(cells) + "\n" for cells in lines)

    return rewrite


def csv_value(column: str, value: str) -> Callable[[list[list[str]]], object]:
    def change(lines: list[list[str]]) -> None:
        lines[1][lines[0].index(column)] = value

    return change


def set_item(key: str, value: object) -> Callable[[dict[str, object]], object]:
    return lambda mapping: mapping.__setitem__(key, value)


def set_row_value(column: str, value: object) -> Callable[[list[dict[str, object]]], object]:
    return lambda rows: rows[0].__setitem__(column, value)


# --- the rows ----------------------------------------------------------------------------

NEW = ("new", "dest", "--template", "{template}", "--defaults")
NOT_AN_IDENTIFIER = "is not a lowercase Python identifier"


def hostile_module(case_id: str, name: str, expected: str) -> Case:
    return Case(case_id, "ddd", ("add-module", name), expected)


def hostile_package(case_id: str, name: str, expected: str) -> Case:
    command = (*NEW, "--package-name", name)
    return Case(case_id, "ddd", command, expected, start="empty", cwd=".")


def plain_copier(case_id: str, answer: str, expected: str, setup: Setup | None = None) -> Case:
    # The template as a plain folder: copier validates the same, without a git clone.
    command = ("copy", "--defaults", "-d", answer, "{plain_template}", "dest")
    return Case(case_id, "copier", command, expected, start="empty", cwd=".", setup=setup)


def elsewhere(command: str, *args: str) -> Case:
    return Case(
        f"{command} outside a project",
        "ddd",
        (command, *args),
        "is not inside a copier-ddd project",
        start="empty",
        cwd="elsewhere",
        setup=make_folder("elsewhere"),
    )


def service(case_id: str, expected: str, *args: str, **env: str) -> Case:
    secret = HIDDEN if HIDDEN in "".join(env.values()) else None
    command = args or ("sales", "list")
    return Case(case_id, "service", command, expected, env=env, secret=secret)


# Writing commands: a damaged file must stop them before they write anything.
CREATE = ("sales", "create", "Another")


def corrupt_json(
    case_id: str, setup: Setup, expected: str, command: tuple[str, ...] = CREATE
) -> Case:
    return Case(case_id, "service", command, expected, setup=setup, env={"DB_BACKEND": "json"})


def corrupt_csv(
    case_id: str, setup: Setup, expected: str, command: tuple[str, ...] = CREATE
) -> Case:
    return Case(case_id, "service", command, expected, setup=setup, env={"DB_BACKEND": "csv"})


def http(
    case_id: str,
    request: str,
    expected: str,
    body: bytes | None = None,
    *,
    streamed: bool = False,
) -> Case:
    method, path = request.split(" ", 1)
    headers = {"content-type": "application/json"} if body is not None else {}
    return Case(
        case_id,
        "http",
        (method, path),
        expected,
        body=body,
        headers=headers,
        streamed=streamed,
    )


def item(**fields: object) -> bytes:
    return json.dumps({"description": "Pen", "quantity": 1, "unit_price": "1.20"} | fields).encode()


PG_UNREACHABLE = f"postgresql+psycopg://app:{HIDDEN}@127.0.0.1:1/app"
READ_ONLY_NEW = (
    Case(
        "new into a read-only folder",
        "ddd",
        ("new", "locked/dest", "--template", "{template}", "--defaults"),
        "Permission denied",
        start="empty",
        cwd=".",
        setup=lock("locked"),
    )
    if ENFORCED
    else Case(
        "new into a folder under a regular file (root ignores read-only permissions)",
        "ddd",
        ("new", "locked/dest", "--template", "{template}", "--defaults"),
        "Not a directory",
        start="empty",
        cwd=".",
        setup=make_file("locked"),
    )
)
READ_ONLY_ADD = (
    Case(
        "add-module in a read-only project",
        "ddd",
        ("add-module", "billing"),
        "Permission denied",
        setup=lock("project"),
    )
    if ENFORCED
    else Case(
        "add-module where a folder it writes into is a regular file "
        "(root ignores read-only permissions)",
        "ddd",
        ("add-module", "billing"),
        "Not a directory",
        setup=folder_replaced_by_a_file("tests/performance"),
    )
)

CASES: tuple[Case, ...] = (
    # Hostile module names, `ddd add-module` in a project that has `notes`.
    hostile_module("module: keyword", "class", "module name 'class' is a Python keyword"),
    hostile_module("module: soft keyword", "match", "module name 'match' is a Python keyword"),
    hostile_module("module: hyphen", "bill-ing", f"'bill-ing' {NOT_AN_IDENTIFIER}"),
    hostile_module("module: capitals", "Billing", f"'Billing' {NOT_AN_IDENTIFIER}"),
    hostile_module("module: path traversal", "../evil", f"'../evil' {NOT_AN_IDENTIFIER}"),
    hostile_module("module: absolute path", "/abs", f"'/abs' {NOT_AN_IDENTIFIER}"),
    hostile_module("module: reserved core", "core", "'core' is reserved by the project layout"),
    hostile_module("module: reserved tests", "tests", "'tests' is reserved by the project layout"),
    hostile_module("module: stdlib", "os", "would shadow the standard-library module 'os'"),
    hostile_module("module: installed", "sqlalchemy", "would shadow the installed package"),
    hostile_module("module: empty", "", "module name is empty"),
    hostile_module("module: 200 characters", LONG_NAME, "is 200 characters long: use at most 30"),
    hostile_module("module: non-ASCII", "café", f"'café' {NOT_AN_IDENTIFIER}"),
    hostile_module("module: existing", "notes", "module 'notes' already exists"),
    hostile_module("module: shared table", "notes_items", "would use the same table"),
    hostile_module("module: SQL reserved word", "user", "table 'user': it is a reserved word"),
    hostile_module("module: SQLite's prefix", "sqlite_users", "names starting with 'sqlite_'"),
    hostile_module("module: Alembic's table", "alembic_version", "Alembic keeps that table"),
    hostile_module("module: Alembic's syntax", "head", "a word of Alembic's revision syntax"),
    hostile_module("module: pytest's prefix", "testimonials", "starts with 'test'"),
    hostile_module("module: an HTTP route", "health", "a route the HTTP application has"),
    hostile_module("module: aggregate Path", "paths", "the aggregate name 'Path'"),
    Case(
        "module: aggregate Settings",
        "ddd",
        ("add-module", "configs", "--aggregate", "Settings"),
        "'Settings' for module 'configs' clashes with a class",
    ),
    Case(
        "module: aggregate not PascalCase",
        "ddd",
        ("add-module", "people", "--aggregate", "person"),
        "'person' for module 'people' is not a PascalCase class name",
    ),
    Case(
        "module: listed twice in new",
        "ddd",
        (*NEW, "--module", "orders", "--module", "orders"),
        "module 'orders' is listed twice",
        start="empty",
        cwd=".",
    ),
    Case(
        "module: soft keyword in new",
        "ddd",
        (*NEW, "--module", "match"),
        "module name 'match' is a Python keyword",
        start="empty",
        cwd=".",
    ),
    # Hostile package names, `ddd new`: DEST stays absent.
    hostile_package("package: keyword", "class", "package_name 'class' is a Python keyword"),
    hostile_package("package: hyphen", "my-shop", f"'my-shop' {NOT_AN_IDENTIFIER}"),
    hostile_package("package: capitals", "Shop", f"'Shop' {NOT_AN_IDENTIFIER}"),
    hostile_package("package: path traversal", "../evil", f"'../evil' {NOT_AN_IDENTIFIER}"),
    hostile_package("package: stdlib", "os", "would shadow the standard-library module 'os'"),
    hostile_package("package: installed", "sqlalchemy", "would shadow the installed package"),
    hostile_package("package: empty", "", "package_name is empty"),
    hostile_package("package: 200 characters", LONG_NAME, "is 200 characters long"),
    hostile_package("package: non-ASCII", "café", f"'café' {NOT_AN_IDENTIFIER}"),
    # Plain `copier copy` with bad answers: the validators, nothing written.
    plain_copier("copier: keyword package", "package_name=class", "is a Python keyword"),
    plain_copier("copier: duplicate modules", "modules=[orders, orders]", "is listed twice"),
    plain_copier("copier: path traversal", "modules=[../evil]", NOT_AN_IDENTIFIER),
    plain_copier("copier: non-ASCII package", "package_name=café", NOT_AN_IDENTIFIER),
    plain_copier(
        "copier: bad answer into a non-empty DEST",
        "modules=[Bad-Name]",
        NOT_AN_IDENTIFIER,
        setup=make_folder("dest", with_file=True),
    ),
    # ddd outside a project.
    elsewhere("add-module", "billing"),
    elsewhere("remove-module", "notes"),
    elsewhere("list"),
    elsewhere("update"),
    elsewhere("doctor"),
    # A missing or corrupted .copier-answers.yml.
    Case(
        "answers missing: add-module",
        "ddd",
        ("add-module", "billing"),
        "is not inside a copier-ddd project",
        setup=remove(".copier-answers.yml"),
    ),
    Case(
        "answers missing: doctor",
        "ddd",
        ("doctor",),
        "is not inside a copier-ddd project",
        setup=remove(".copier-answers.yml"),
    ),
    Case(
        "answers not YAML: add-module",
        "ddd",
        ("add-module", "billing"),
        "is not valid YAML (line",
        setup=write_answers(b"modules: [notes\n_src_path: x\n"),
    ),
    Case(
        "answers not UTF-8: doctor",
        "ddd",
        ("doctor",),
        "is not valid YAML",
        setup=write_answers(b"\xff\xfe\x00modules"),
    ),
    Case(
        "answers empty: list",
        "ddd",
        ("list",),
        "does not hold copier answers",
        setup=write_answers(b""),
    ),
    Case(
        "answers a list: list",
        "ddd",
        ("list",),
        "does not hold copier answers",
        setup=write_answers(b"- notes\n"),
    ),
    Case(
        "answers wrong type, modules a number: remove-module",
        "ddd",
        ("remove-module", "notes"),
        "`modules` is not a list of names",
        setup=edit_answers(set_item("modules", 5)),
    ),
    Case(
        "answers wrong type, package_name a list: doctor",
        "ddd",
        ("doctor",),
        "no package_name",
        setup=edit_answers(set_item("package_name", [1])),
    ),
    Case(
        "answers wrong type, aggregate_names a list: list",
        "ddd",
        ("list",),
        "`aggregate_names` is not a mapping",
        setup=edit_answers(set_item("aggregate_names", ["Note"])),
    ),
    Case(
        "answers unknown _src_path: add-module",
        "ddd",
        ("add-module", "billing"),
        "no copier.yml there",
        setup=edit_answers(set_item("_src_path", "/nonexistent/copier-ddd")),
    ),
    Case(
        "answers unknown _src_path: update",
        "ddd",
        ("update",),
        "needs a git template",
        setup=edit_answers(set_item("_src_path", "/nonexistent/copier-ddd")),
    ),
    Case(
        "answers hostile _commit: update",
        "ddd",
        ("update",),
        "`_commit` is not a git version",
        setup=edit_answers(set_item("_commit", "--upload-pack=touch pwned")),
    ),
    # git: a dirty tree, no repository.
    Case(
        "update with a dirty git tree",
        "ddd",
        ("update",),
        "uncommitted changes (README.md)",
        setup=edit_readme,
    ),
    Case(
        "update outside git",
        "ddd",
        ("update",),
        "is not a git repository",
        setup=remove(".git"),
    ),
    # Read-only folders and a full disk (RLIMIT_FSIZE binds root too).
    READ_ONLY_NEW,
    READ_ONLY_ADD,
    Case(
        "add-module on a full disk",
        "ddd",
        ("add-module", "billing"),
        "File too large",
        file_size_limit=0,
    ),
    Case(
        "remove-module on a full disk",
        "ddd",
        ("remove-module", "notes"),
        "File too large",
        file_size_limit=0,
    ),
    Case(
        "new on a full disk",
        "ddd",
        ("new", "dest", "--template", "{plain_template}", "--defaults"),
        "File too large",
        start="empty",
        cwd=".",
        file_size_limit=12_000,
    ),
    # A non-empty DEST.
    Case(
        "new into a non-empty DEST",
        "ddd",
        NEW,
        "dest is not empty",
        start="empty",
        cwd=".",
        setup=make_folder("dest", with_file=True),
    ),
    Case(
        "new into a DEST that is a file",
        "ddd",
        NEW,
        "dest is a file",
        start="empty",
        cwd=".",
        setup=make_file("dest"),
    ),
    # The rendered service's command line: configuration.
    service("service: unknown DB_BACKEND", "DB_BACKEND: Input should be", DB_BACKEND="nosql"),
    service("service: unknown LOG_FORMAT", "LOG_FORMAT: Input should be 'text'", LOG_FORMAT="xml"),
    service("service: unknown LOG_LEVEL", "LOG_LEVEL: Input should be 'DEBUG'", LOG_LEVEL="loud"),
    service(
        "service: DATABASE_URL not a URL",
        "DATABASE_URL is not a database URL",
        DB_BACKEND="postgresql",
        DATABASE_URL="not a url",
    ),
    service(
        "service: DATABASE_URL with a bad port",
        "DATABASE_URL is not a database URL",
        DB_BACKEND="postgresql",
        DATABASE_URL=f"postgresql://app:{HIDDEN}@localhost:port/app",
    ),
    service(
        "service: DATABASE_URL of another backend",
        "DB_BACKEND=sqlite needs a sqlite DATABASE_URL",
        DB_BACKEND="sqlite",
        DATABASE_URL=f"postgresql+psycopg://app:{HIDDEN}@localhost/app",
    ),
    service(
        "service: DATABASE_URL with an unknown driver",
        "the database driver for postgresql+nodriver is not installed",
        DB_BACKEND="postgresql",
        DATABASE_URL=f"postgresql+nodriver://app:{HIDDEN}@localhost/app",
    ),
    service(
        "service: SQLite folder under a regular file",
        "data/.gitkeep, the folder of the SQLite database",
        DB_BACKEND="sqlite",
        DATABASE_URL="sqlite:///data/.gitkeep/app.db",
    ),
    service(
        "service: unreachable postgresql",
        "cannot reach the database at postgresql+psycopg://app:***@127.0.0.1:1/app",
        DB_BACKEND="postgresql",
        DATABASE_URL=PG_UNREACHABLE,
    ),
    service(
        "service: postgresql with a bad option",
        'invalid sslmode value: "bogus"',
        DB_BACKEND="postgresql",
        DATABASE_URL=f"{PG_UNREACHABLE}?sslmode=bogus",
    ),
    Case(
        "service: a module whose migrations have not run",
        "service",
        ("notes", "list"),
        "has no table notes: apply the migrations with `alembic upgrade heads`",
        setup=migrated_before_the_module,
        env={"DB_BACKEND": "sqlite"},
    ),
    # The rendered service on a full disk: the data as it was (RLIMIT_FSIZE binds root too).
    *(
        Case(
            f"service: {backend} on a full disk",
            "service",
            CREATE,
            expected,
            env={"DB_BACKEND": backend},
            file_size_limit=0,
        )
        for backend, expected in (
            ("json", "cannot write"),
            ("csv", "cannot write"),
            ("sqlite", "the database could not store the change"),
        )
    ),
    # The rendered service: corrupted data files (seeded by the service, then damaged).
    corrupt_json(
        "json: truncated",
        data_file("acme.json", lambda text: text[: len(text) // 2]),
        "data/acme.json: not valid JSON",
    ),
    corrupt_json(
        "json: not UTF-8",
        raw_data_file("acme.json", b'\xff\xfe{"tables": {}}'),
        "data/acme.json: not UTF-8 text",
    ),
    corrupt_json(
        "json: not a document of tables",
        raw_data_file("acme.json", b"[1, 2]\n"),
        'expected an object with a "tables" object',
    ),
    corrupt_json(
        "json: rows not a list",
        data_file("acme.json", lambda _: '{"tables": {"sales": {}}}'),
        "table sales is not a list of rows",
    ),
    corrupt_json(
        "json: a number of the wrong type",
        data_file("acme.json", json_rows(set_row_value("version", "seven"))),
        "column version: invalid literal for int()",
    ),
    corrupt_json(
        "json: an object in a text column",
        data_file("acme.json", json_rows(set_row_value("name", {"nested": 1}))),
        "column name: a dict is not a column value",
    ),
    corrupt_json(
        "json: a missing value",
        data_file("acme.json", json_rows(lambda rows: rows[0].pop("status"))),
        "column status: a value is required",
    ),
    corrupt_json(
        "json: a value the domain refuses",
        data_file("acme.json", json_rows(set_row_value("name", " "))),
        "cannot be read (a name must not be empty",
        ("sales", "list"),
    ),
    corrupt_csv(
        "csv: bad header",
        data_file("acme_csv/sales.csv", csv_cells(lambda lines: lines[0].__setitem__(1, "title"))),
        "sales.csv: table sales, row 1 has unknown columns title",
    ),
    corrupt_csv(
        "csv: wrong column count",
        data_file("acme_csv/sales.csv", csv_cells(lambda lines: lines[1].pop())),
        "sales.csv: row 1 has 5 values for 6 columns",
    ),
    corrupt_csv(
        "csv: bad number",
        data_file("acme_csv/sales.csv", csv_cells(csv_value("version", "one"))),
        "column version: invalid literal for int()",
    ),
    corrupt_csv(
        "csv: bad id",
        data_file("acme_csv/sales.csv", csv_cells(csv_value("id", "not-a-uuid"))),
        "column id: badly formed hexadecimal UUID string",
    ),
    corrupt_csv(
        "csv: unknown status",
        data_file("acme_csv/sales.csv", csv_cells(csv_value("status", "weird"))),
        "'weird' is not a valid OrderStatus",
        ("sales", "list"),
    ),
    corrupt_csv(
        "csv: unbalanced quote",
        data_file("acme_csv/sales.csv", csv_cells(csv_value("name", '"Fir"st'))),
        "sales.csv: not valid CSV",
    ),
    corrupt_csv(
        "csv: not UTF-8",
        raw_data_file("acme_csv/sales.csv", b"id,name\n\xff\xfe\n"),
        "sales.csv: not UTF-8 text",
    ),
    corrupt_csv(
        "csv: a key twice",
        data_file("acme_csv/sales.csv", csv_cells(lambda lines: lines.append(lines[1]))),
        "row 2 repeats key",
    ),
    # HTTP bodies: malformed, too large, of the wrong types; bad ids.
    http("http: truncated JSON", "POST /sales", "JSON decode error", b'{"name": '),
    http("http: not UTF-8", "POST /sales", "JSON decode error", b"\xff\xfe"),
    http("http: JSON null", "POST /sales", "a valid dictionary", b"null"),
    http("http: a list, not an object", "POST /sales", "a valid dictionary", b'["name"]'),
    http("http: empty body", "POST /sales", "Field required", b""),
    http(
        "http: nested too deep",
        "POST /sales",
        "error parsing the body",
        b'{"name": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    ),
    http(
        "http: declared too large",
        "POST /sales",
        "must be at most 65536 bytes",
        b'{"name": "' + b"x" * 70_000 + b'"}',
    ),
    http(
        "http: streamed too large",
        "POST /sales",
        "must be at most 65536 bytes",
        b'{"name": "' + b"x" * 70_000 + b'"}',
        streamed=True,
    ),
    http("http: name a number", "POST /sales", "a valid string", b'{"name": 5}'),
    http("http: name a list", "POST /sales/{id}/rename", "a valid string", b'{"name": ["x"]}'),
    http("http: missing field", "POST /sales", "Field required", b"{}"),
    http("http: unknown field", "POST /sales", "Extra inputs", b'{"name": "x", "admin": true}'),
    http(
        "http: name too long",
        "POST /sales",
        "at most 100 characters",
        b'{"name": "%s"}' % (b"x" * 101),
    ),
    http(
        "http: name on two lines", "POST /sales", "printable text on one line", b'{"name": "a\\nb"}'
    ),
    http("http: lone surrogate", "POST /sales", "a valid string", b'{"name": "\\ud800"}'),
    http("http: quantity text", "POST /sales/{id}/items", "a valid integer", item(quantity="many")),
    http("http: price text", "POST /sales/{id}/items", "a valid decimal", item(unit_price="abc")),
    http(
        "http: price NaN",
        "POST /sales/{id}/items",
        "a finite number",
        b'{"description": "Pen", "quantity": 1, "unit_price": NaN}',
    ),
    http(
        "http: price too precise",
        "POST /sales/{id}/items",
        "2 decimal places",
        item(unit_price="1.001"),
    ),
    http(
        "http: quantity huge",
        "POST /sales/{id}/items",
        "less than or equal to 10000",
        item(quantity=10**30),
    ),
    http("http: bad UUID in path", "GET /sales/not-a-uuid", "a valid UUID"),
    http("http: bad UUID in a POST path", "POST /sales/123/archive", "a valid UUID"),
    http("http: unknown id", "GET /sales/00000000-0000-4000-8000-000000000000", "was not found"),
    http(
        "http: an item whose subtotal passes the money limit",
        "POST /sales/{id}/items",
        "amount must be between 0 and 1,000,000,000,000",
        item(quantity=10_000, unit_price="999999999999.99"),
    ),
)


# --- running a row -----------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What a command did: exit code (or HTTP status) and what it printed (or answered)."""

    code: int
    stdout: str
    stderr: str


def tree(root: Path) -> dict[str, str]:
    """Every path under ``root`` with its type, mode and content digest (.git internals out)."""
    found = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if ".git" in relative.parts[:-1]:
            continue
        info = path.lstat()
        if stat.S_ISREG(info.st_mode):
            content = hashlib.sha256(path.read_bytes()).hexdigest()
        elif stat.S_ISLNK(info.st_mode):
            content = str(path.readlink())
        else:
            content = ""
        found[relative.as_posix()] = f"{oct(info.st_mode)} {content}"
    return found


def restore_permissions(root: Path) -> None:
    for folder in [root, *(p for p in root.rglob("*") if p.is_dir() and not p.is_symlink())]:
        folder.chmod(folder.stat().st_mode | stat.S_IWUSR)


def limited(size: int | None) -> Callable[[], None] | None:
    """A pre-exec hook: files may grow to ``size`` bytes, writing more fails with EFBIG."""
    if size is None:
        return None

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return apply


def run(args: list[str], cwd: Path, env: Mapping[str, str], case: Case) -> Outcome:
    result = subprocess.run(
        args,
        cwd=cwd,
        env=dict(env),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        preexec_fn=limited(case.file_size_limit),
    )
    return Outcome(result.returncode, result.stdout, result.stderr)


@dataclass(frozen=True)
class Shared:
    """What the rows of one test process share: read-only originals."""

    template: Path
    plain_template: Path
    project: Path
    cache: Path


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Shared:
    """A tagged template repository, a plain copy, and a committed project seeded with data."""
    root = tmp_path_factory.mktemp("bad-input")
    template = snapshot_template(root / "template" / "copier-ddd")
    plain = root / "plain-template"
    shutil.copytree(template, plain, ignore=shutil.ignore_patterns(".git"))
    project = root / "base" / "project"
    run_copy(
        str(template),
        project,
        data={
            "package_name": PACKAGE,
            "modules": ["notes"],
            "entrypoint": "both",
            # The rows below use the sales example (an Order with a name and priced items).
            "examples": True,
        },
        defaults=True,
        unsafe=False,
        quiet=True,
    )
    assert hooks.git_init_and_commit(project).done
    # Data files written by the service itself (git-ignored), both backends at once.
    seeds = [
        subprocess.Popen(
            [sys.executable, "-m", PACKAGE, "sales", "create", "First"],
            cwd=project,
            env=service_env({"DB_BACKEND": backend}, project),
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
        )
        for backend in ("json", "csv", "sqlite")
    ]
    for seed in seeds:
        _, errors = seed.communicate(timeout=120)
        assert seed.returncode == 0, errors
    shared = Shared(template, plain, project, root / "cache")
    # Fill ddd's template cache, so that every row reaches the step it is about (a full disk
    # must meet the module's files, not a cold cache).
    warm = subprocess.run(
        [*DDD, "add-module", "billing", "--dry-run"],
        cwd=project,
        env=ddd_env(shared),
        capture_output=True,
        text=True,
        check=False,
    )
    assert warm.returncode == 0, warm.stderr
    return shared


DDD = (sys.executable, "-c", "from copier_ddd.cli import main; main()")


def ddd_env(shared: Shared) -> dict[str, str]:
    return project_env() | {"XDG_CACHE_HOME": str(shared.cache), "PYTHONDONTWRITEBYTECODE": "1"}


def service_env(extra: Mapping[str, str], project: Path) -> dict[str, str]:
    return project_env() | {
        "PYTHONPATH": str(project / "src"),
        "PYTHONDONTWRITEBYTECODE": "1",
        **extra,
    }


def run_case(case: Case, shared: Shared, sandbox: Sandbox) -> Outcome:
    args = [
        part.format(template=shared.template, plain_template=shared.plain_template)
        for part in case.command
    ]
    cwd = sandbox.root / case.cwd
    if case.kind == "ddd":
        return run([*DDD, *args], cwd, ddd_env(shared), case)
    if case.kind == "copier":
        env = project_env() | {"PYTHONDONTWRITEBYTECODE": "1"}
        return run([sys.executable, "-m", "copier", *args], cwd, env, case)
    env = service_env(case.env, sandbox.project)
    return run([sys.executable, "-m", PACKAGE, *args], cwd, env, case)


# --- the one assertion -------------------------------------------------------------------


def message_lines(case: Case, outcome: Outcome) -> list[str]:
    """The error messages the row printed (see the module docstring for each program)."""
    if case.kind == "http":
        body = json.loads(outcome.stdout)
        assert isinstance(body, dict), body
        assert set(body) == {"detail"}, body
        detail = body["detail"]
        if isinstance(detail, str):
            return [detail]
        assert all(set(entry) == {"loc", "msg", "type"} for entry in detail), detail
        return [f"{entry['msg']} ({'.'.join(map(str, entry['loc']))})" for entry in detail]
    lines = [line for line in outcome.stderr.splitlines() if line.strip()]
    if case.kind == "copier":
        return [line for line in lines if line.startswith("ValueError: ")]
    assert outcome.stdout.strip() == "", f"a refusal prints no result:\n{outcome.stdout}"
    prefix = "error: " if case.kind == "ddd" else "Error: "
    assert all(line.startswith(prefix) for line in lines), lines
    return lines


def assert_refused_cleanly(
    case: Case,
    outcome: Outcome,
    before: Mapping[str, str],
    after: Mapping[str, str],
) -> None:
    """Non-zero exit, one clear message, no traceback, the same files: for every row."""
    printed = (
        f"exit {outcome.code}\n--- stdout/body\n{outcome.stdout}\n--- stderr/log\n{outcome.stderr}"
    )
    assert outcome.code >= 400 if case.kind == "http" else outcome.code != 0, printed
    messages = message_lines(case, outcome)
    assert len(messages) == 1, printed
    assert case.expected in messages[0], printed
    if case.kind == "copier":
        assert messages[0].startswith("ValueError: Validation error for question"), printed
    traceback_allowed = case.kind == "copier" and UPSTREAM_TRACEBACK
    assert ("Traceback" in outcome.stdout + outcome.stderr) == traceback_allowed, printed
    if case.secret is not None:
        assert case.secret not in outcome.stdout + outcome.stderr, printed
    changed = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
    assert changed == [], f"changed: {changed}\n{printed}"


def cases(kinds: set[Kind]) -> list[Case]:
    return [case for case in CASES if case.kind in kinds]


@pytest.mark.parametrize("case", cases({"ddd", "copier", "service"}), ids=lambda case: case.id)
def test_a_command_refuses_bad_input_cleanly(case: Case, shared: Shared, tmp_path: Path) -> None:
    sandbox = Sandbox(tmp_path / "sandbox")
    sandbox.root.mkdir()
    if case.start == "project" or case.kind == "service":
        shutil.copytree(shared.project, sandbox.project, symlinks=True)
    if case.setup is not None:
        case.setup(sandbox)
    before = tree(sandbox.root)
    try:
        outcome = run_case(case, shared, sandbox)
        after = tree(sandbox.root)
    finally:
        restore_permissions(sandbox.root)
    assert_refused_cleanly(case, outcome, before, after)


# --- HTTP --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Server:
    """uvicorn serving a copy of the project, its log, and the id of one stored sales Order."""

    client: httpx2.Client
    project: Path
    log: Path
    note_id: str


@pytest.fixture(scope="module")
def server(shared: Shared, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("served")
    project = root / "project"
    shutil.copytree(shared.project, project, symlinks=True)
    log = root / "uvicorn.log"  # outside the project, whose tree must not change
    env = service_env({"DB_BACKEND": "sqlite"}, project)
    with uvicorn_serving(project, f"{PACKAGE}.main:app", env, log, START_SECONDS) as client:
        created = client.post("/sales", json={"name": "First"})
        assert created.status_code == 201, created.text
        yield Server(client, project, log, created.json()["id"])


def streamed(content: bytes) -> Iterator[bytes]:
    """A body sent in chunks, with no declared length."""
    for start in range(0, len(content), 16_384):
        yield content[start : start + 16_384]


@pytest.mark.parametrize("case", cases({"http"}), ids=lambda case: case.id)
def test_an_http_request_is_refused_cleanly(case: Case, server: Server) -> None:
    method, path = case.command
    path = path.replace("{id}", server.note_id)
    content = case.body
    before = tree(server.project)
    logged = server.log.stat().st_size
    response = server.client.request(
        method,
        path,
        content=streamed(content) if case.streamed and content is not None else content,
        headers=dict(case.headers),
    )
    server.client.get("/health")  # the server has finished (and logged) the request
    log = server.log.read_bytes()[logged:].decode("utf-8", errors="replace")
    outcome = Outcome(response.status_code, response.text, log)
    assert_refused_cleanly(case, outcome, before, tree(server.project))
