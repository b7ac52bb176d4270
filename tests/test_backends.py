"""Every db_backend answer renders a project that passes its gates; SQL servers run live.

The live test needs the servers of `scripts/services start` (PostgreSQL, MariaDB), whose URLs
arrive as COPIER_DDD_POSTGRESQL_URL, COPIER_DDD_MARIADB_URL and COPIER_DDD_MYSQL_URL. Without
them it is skipped on a developer's machine and FAILS in CI (CI=true): CI must prove them.
"""

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import Render
from tests.support import EVERY_TEST, passed_live, project_env, run_gates

BACKENDS = ["memory", "json", "csv", "sqlite", "postgresql", "mariadb", "mysql", "mssql", "oracle"]
DRIVERS = {
    "postgresql": "psycopg[binary]",
    "mariadb": "pymysql",
    "mysql": "pymysql",
    "mssql": "pymssql",
    "oracle": "oracledb",
}
SUITES = ("tests/contract", "tests/integration")
SPECS = Path(__file__).resolve().parent / "specs"
SERVERS = {
    "postgresql": "COPIER_DDD_POSTGRESQL_URL",
    "mariadb": "COPIER_DDD_MARIADB_URL",
    "mysql": "COPIER_DDD_MYSQL_URL",
}
# Answers besides db_backend: vary the modules so long and multi-word names meet each backend.
OTHER_ANSWERS: dict[str, dict[str, object]] = {
    "json": {"modules": ["orders", "user_accounts"]},
    "csv": {"modules": ["extremely_long_module_names_xy"]},
    "postgresql": {"modules": ["orders", "billing"]},
    "mariadb": {"modules": ["people"], "aggregate_names": {"people": "Person"}},
}


def requirement_names(requirements: list[str]) -> list[str]:
    return [re.split(r"[<>=!~ ]", requirement, maxsplit=1)[0] for requirement in requirements]


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_answer_sets_the_default_backend_and_its_driver(
    backend: str,
    render_project: Render,
) -> None:
    project = render_project({"db_backend": backend})

    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    main = requirement_names(pyproject["project"]["dependencies"])
    extras = pyproject["project"]["optional-dependencies"]
    assert {name: requirement_names(extras[name]) for name in DRIVERS} == {
        name: [driver] for name, driver in DRIVERS.items()
    }
    drivers_in_main = [driver for driver in set(DRIVERS.values()) if driver in main]
    assert drivers_in_main == ([DRIVERS[backend]] if backend in DRIVERS else [])
    for name in (".env", ".env.example"):
        settings = dict(
            line.split("=", 1)
            for line in (project / name).read_text().splitlines()
            if line and not line.startswith("#")
        )
        assert settings["DB_BACKEND"] == backend
        url = settings["DATABASE_URL"]
        dialect = backend if backend in DRIVERS else "sqlite"
        assert url.split(":", 1)[0].split("+", 1)[0] == dialect
        assert "change-me" in url or url.startswith("sqlite")


@pytest.mark.slow
@pytest.mark.parametrize("backend", [b for b in BACKENDS if b not in {"sqlite", "memory"}])
def test_a_project_defaulting_to_each_backend_passes_its_gates(
    backend: str,
    render_project: Render,
    mypy_cache: Path,
) -> None:
    project = render_project({"db_backend": backend, **OTHER_ANSWERS.get(backend, {})})

    run_gates(project, mypy_cache, core=False)


def live_urls() -> dict[str, str]:
    """The given servers' URLs, as the rendered contract suite reads them."""
    missing = [variable for variable in SERVERS.values() if not os.getenv(variable)]
    if missing:
        if os.getenv("CI") == "true":
            pytest.fail(f"CI must run the live backend tests, but {', '.join(missing)} is unset")
        pytest.skip(f'no database servers: run `eval "$(scripts/services start)"` ({missing})')
    return {f"TEST_{name.upper()}_URL": os.environ[var] for name, var in SERVERS.items()}


@pytest.mark.slow
def test_contract_and_integration_suites_pass_live_on_postgresql_and_mariadb(
    render_project: Render,
) -> None:
    """A bare module and a two-level spec module (child entities holding sets and lists of
    value objects): every contract and integration test runs, and passes, on each server."""
    urls = live_urls()
    project = render_project(
        {
            "db_backend": "postgresql",
            "modules": ["orders", "courses"],
            "specs": {"courses": (SPECS / "courses.yaml").read_text()},
        },
    )

    collect = (sys.executable, "-m", "pytest", "--co", "-q", "-p", "no:cacheprovider", *EVERY_TEST)
    collected = subprocess.run(
        [*collect, *SUITES],
        cwd=project,
        env={**project_env(), **urls},
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    ).stdout
    passed = passed_live(project, urls, *SUITES)

    for backend in SERVERS:
        expected = {line for line in collected.splitlines() if f"[{backend}" in line}
        on_server = {test for test in passed if f"[{backend}" in test}
        # Both modules' contract tests and the migration tests, on this server.
        assert {"orders", "courses", "test_migrations"} <= {
            part for test in expected for part in re.split(r"[/:.]", test)
        }, sorted(expected)
        assert on_server == expected, sorted(expected - on_server)
