"""Every entrypoint renders what it promises; `both` serves HTTP and runs the console script."""

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import Render
from tests.support import project_env, uvicorn_serving

MUST_SHOW = {
    "package_name": "shop",
    "modules": ["orders"],
    "entrypoint": "both",
    "db_backend": "sqlite",
}
# The routes and commands below are the `sales` example's (an Order with a name): a generated
# module's own are tested inside every rendered project (tests/e2e/<module>/).
WITH_SALES = MUST_SHOW | {"examples": True}

ENTRYPOINT_FILES = {
    "cli": {"entrypoints/cli.py", "main.py", "__main__.py", "modules/orders/entrypoints/cli.py"},
    "http": {"entrypoints/http.py", "main.py", "modules/orders/entrypoints/http.py"},
    "both": {
        "entrypoints/cli.py",
        "entrypoints/http.py",
        "main.py",
        "__main__.py",
        "modules/orders/entrypoints/cli.py",
        "modules/orders/entrypoints/http.py",
    },
    "none": set(),
}
ALL_ENTRYPOINT_FILES = set().union(*ENTRYPOINT_FILES.values())


@pytest.mark.parametrize("entrypoint", ENTRYPOINT_FILES)
def test_each_entrypoint_renders_its_files_and_no_other(
    render_project: Render,
    entrypoint: str,
) -> None:
    project = render_project(MUST_SHOW | {"entrypoint": entrypoint})
    package = project / "src/shop"

    present = {name for name in ALL_ENTRYPOINT_FILES if (package / name).is_file()}

    assert present == ENTRYPOINT_FILES[entrypoint]
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    names = {requirement.split(">")[0] for requirement in pyproject["dependencies"]}
    assert (
        {"fastapi", "uvicorn"} <= names
        if entrypoint in {"http", "both"}
        else "fastapi" not in names
    )
    assert ("typer" in names) == (entrypoint in {"cli", "both"})
    scripts = pyproject.get("scripts", {})
    assert scripts == ({"shop": "shop.entrypoints.cli:main"} if "typer" in names else {})
    if entrypoint in {"http", "both"}:
        assert "app = build_app()" in (package / "main.py").read_text()


def environment(project: Path, database: Path) -> dict[str, str]:
    return project_env() | {
        "PYTHONPATH": str(project / "src"),
        "DB_BACKEND": "sqlite",
        "DATABASE_URL": f"sqlite:///{database}",
    }


@pytest.mark.slow
def test_both_serves_orders_over_real_http_on_loopback(
    render_project: Render,
    tmp_path: Path,
) -> None:
    project = render_project(WITH_SALES)
    env = environment(project, tmp_path / "orders.db")

    with uvicorn_serving(project, "shop.main:app", env, project / "uvicorn.log") as http:
        created = http.post("/sales", json={"name": "First order"})
        order_id = created.json()["id"]
        shown = http.get(f"/sales/{order_id}")
        unknown = http.get("/sales/00000000-0000-4000-8000-000000000000")
        bad_body = http.post("/sales", json={"title": "no name"})
        broken = http.post(
            "/sales", content=b'{"name": ', headers={"content-type": "application/json"}
        )
        health = http.get("/health")

    assert created.status_code == 201
    assert (shown.status_code, shown.json()["name"]) == (200, "First order")
    assert unknown.status_code == 404
    assert bad_body.status_code == 422
    assert 400 <= broken.status_code < 500
    assert (health.status_code, health.json()) == (200, {"status": "ok"})


def run_cli(project: Path, env: dict[str, str], *args: str) -> str:
    """``shop <args>`` in a fresh interpreter, as the console script runs."""
    result = subprocess.run(
        [sys.executable, "-m", "shop", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.mark.slow
def test_both_creates_and_lists_orders_across_processes_and_shares_them_with_http(
    render_project: Render,
    tmp_path: Path,
) -> None:
    project = render_project(WITH_SALES)
    env = environment(project, tmp_path / "orders.db")

    order_id = run_cli(project, env, "sales", "create", "From the command line").strip()
    listed = run_cli(project, env, "sales", "list")
    with uvicorn_serving(project, "shop.main:app", env, project / "uvicorn.log") as http:
        over_http = http.get(f"/sales/{order_id}")

    assert order_id in listed
    assert "From the command line" in listed
    assert over_http.json()["name"] == "From the command line"
