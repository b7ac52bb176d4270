"""The project's Alembic migrations, for `ddd remove-module`: it must leave them able to run.

Removing a module deletes the first revision of its Alembic branch. Two things would then
break `alembic upgrade heads`:

- a database that has applied a revision being deleted (alembic cannot locate it);
- a migration that stays and revises, or depends on, a revision being deleted.

:func:`removal_problem` finds both before anything is removed. The database is asked by the
project's own interpreter (its ``.venv`` when there is one) with the URL its ``migrations/env.py``
uses, read-only: a SQLite file that does not exist is not created, it has applied nothing.
"""

import ast
import configparser
import json
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from .project import Project

VERSIONS = PurePosixPath("migrations/versions")

# Run in the project root by the project's interpreter: prints the revisions the database
# is at (a JSON list). The URL as migrations/env.py reads it: alembic.ini's sqlalchemy.url,
# else the settings' DATABASE_URL.
_CURRENT = """
import json, sys
from pathlib import Path
sys.path.insert(0, "src")
url = sys.argv[2]
if not url:
    from importlib import import_module
    url = import_module(sys.argv[1] + ".config.settings").Settings().database_url
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool
parsed = make_url(url)
database = parsed.database or ""
if parsed.get_backend_name() == "sqlite" and (
    database in ("", ":memory:") or database.startswith("file:") or not Path(database).is_file()
):
    print("[]")
    raise SystemExit(0)
from alembic.runtime.migration import MigrationContext
engine = create_engine(url, poolclass=NullPool)
try:
    with engine.connect() as connection:
        heads = MigrationContext.configure(connection).get_current_heads()
finally:
    engine.dispose()
print(json.dumps(sorted(heads)))
"""


def _assigned(path: Path, names: Iterable[str]) -> dict[str, object]:
    """The literal values a migration file assigns to ``names`` (``revision`` ...)."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (SyntaxError, UnicodeDecodeError, OSError):
        return {}
    wanted = set(names)
    found: dict[str, object] = {}
    for node in tree.body:
        target: ast.expr | None = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        if isinstance(target, ast.Name) and target.id in wanted:
            try:
                found[target.id] = ast.literal_eval(value)
            except ValueError:
                continue
    return found


def _revisions(value: object) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, list | tuple):
        return {str(v) for v in value}
    return set()


def _interpreter(root: Path) -> str:
    for candidate in (root / ".venv" / "bin" / "python", root / ".venv" / "Scripts" / "python.exe"):
        if candidate.is_file():
            return str(candidate)
    return sys.executable


def _configured_url(root: Path) -> str:
    parser = configparser.ConfigParser(defaults={"here": str(root)})
    try:
        parser.read(root / "alembic.ini", encoding="utf-8")
        return parser.get("alembic", "sqlalchemy.url", fallback="").strip()
    except configparser.Error:
        return ""


def applied(project: Project) -> tuple[set[str], str]:
    """The revisions the project's database is at, and "" ; or an empty set and why not."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    try:
        result = subprocess.run(
            [
                _interpreter(project.root),
                "-c",
                _CURRENT,
                project.package,
                _configured_url(project.root),
            ],
            cwd=project.root,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return set(), str(error)
    if result.returncode != 0:
        lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
        return set(), lines[-1] if lines else f"exit {result.returncode}"
    try:
        return {str(r) for r in json.loads(result.stdout.strip().splitlines()[-1])}, ""
    except (ValueError, IndexError):
        return set(), f"unexpected answer {result.stdout.strip()[:80]!r}"


def removal_problem(
    project: Project, module: str, removed: Iterable[PurePosixPath], *, force: bool
) -> str:
    """Why removing these files would leave the migrations unable to run, or ``""``."""
    if not (project.root / "alembic.ini").is_file():
        return ""
    removed = set(removed)
    revisions: set[str] = set()
    for path in removed:
        if path.parent == VERSIONS and path.suffix == ".py":
            revisions |= _revisions(_assigned(project.root / path, ["revision"]).get("revision"))
    if not revisions:
        return ""
    folder = project.root / VERSIONS
    for kept in sorted(folder.glob("*.py")) if folder.is_dir() else []:
        relative = PurePosixPath(kept.relative_to(project.root).as_posix())
        if relative in removed:
            continue
        values = _assigned(kept, ["down_revision", "depends_on"])
        needed = set().union(*(_revisions(v) for v in values.values())) & revisions
        if needed:
            return (
                f"{relative} revises or depends on {', '.join(sorted(needed))}, the migration of "
                f"module '{module}': remove or rewrite that migration first, or Alembic cannot run "
                "(--force does not change this)"
            )
    heads, unknown = applied(project)
    at = sorted(heads & revisions)
    if at:
        return (
            f"the database has the tables of module '{module}' (revision {', '.join(at)} is "
            f"applied): drop them first with `uv run alembic downgrade {module}@base`, then "
            "remove the module; removed first, `alembic upgrade heads` could no longer run"
        )
    if unknown and not force:
        return (
            f"cannot tell whether the database has the tables of module '{module}' ({unknown}): "
            "run `uv sync` in the project (and make the database reachable), or, if no database "
            "has them, remove the module with --force"
        )
    return ""
