"""Every entrypoint renders what it promises; `both` serves HTTP and runs the console script."""

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import Render
from tests.support import free_port, project_env, uvicorn_serving

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
    "cli": {
        "entrypoints/cli.py",
        "entrypoints/options.py",
        "main.py",
        "__main__.py",
        "modules/orders/entrypoints/cli.py",
    },
    "http": {
        "entrypoints/http.py",
        "entrypoints/http_observability.py",
        "main.py",
        "modules/orders/entrypoints/http.py",
    },
    "both": {
        "entrypoints/cli.py",
        "entrypoints/options.py",
        "entrypoints/http.py",
        "entrypoints/http_observability.py",
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
        assert "app = observed(build_app(" in (package / "main.py").read_text()


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


def run_python(project: Path, env: dict[str, str], *args: str) -> str:
    """``python <args>`` in a fresh interpreter in ``project``; its output, once it succeeded."""
    result = subprocess.run(
        [sys.executable, *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def run_cli(project: Path, env: dict[str, str], *args: str) -> str:
    """``shop <args>`` in a fresh interpreter, as the console script runs."""
    return run_python(project, env, "-m", "shop", *args)


#: Imports the HTTP app and the console script, boots the application, prints what is loaded.
LOADED_PROBE = """
import json, sys
import shop.entrypoints.cli
from shop.bootstrap import bootstrap, load_settings
from shop.main import app
bootstrap(load_settings()).close()
print(json.dumps(sorted({name.partition(".")[0] for name in sys.modules})))
"""
#: The libraries of adapters a service may not use: the broker's, the file backends', JSON logs'.
ADAPTER_LIBRARIES = {"kombu", "filelock", "pythonjsonlogger"}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("settings", "used"),
    [
        ({}, set()),
        ({"BROKER_URL": "memory://"}, {"kombu"}),
        ({"DB_BACKEND": "json", "LOG_FORMAT": "json"}, {"filelock", "pythonjsonlogger"}),
        ({"DB_BACKEND": "csv"}, {"filelock"}),
    ],
)
def test_a_service_loads_the_libraries_of_the_adapters_its_settings_choose_and_no_other(
    render_project: Render,
    tmp_path: Path,
    settings: dict[str, str],
    used: set[str],
) -> None:
    project = render_project(MUST_SHOW)
    env = environment(project, tmp_path / "orders.db") | {"DATA_DIR": str(tmp_path), **settings}

    loaded = json.loads(run_python(project, env, "-c", LOADED_PROBE).splitlines()[-1])

    assert set(loaded) & ADAPTER_LIBRARIES == used


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


def run_healthcheck(
    project: Path, env: dict[str, str], url: str
) -> subprocess.CompletedProcess[str]:
    """The container's health check, as its HEALTHCHECK runs it."""
    return subprocess.run(
        [sys.executable, "container/scripts/healthcheck.py"],
        cwd=project,
        env=env | {"HEALTHCHECK_URL": url},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_the_container_healthcheck_asks_the_running_server_instead_of_booting_another(
    render_project: Render,
    tmp_path: Path,
) -> None:
    project = render_project(MUST_SHOW | {"with_docker": True})
    env = environment(project, tmp_path / "orders.db")

    with uvicorn_serving(project, "shop.main:app", env, tmp_path / "uvicorn.log") as http:
        url = str(http.base_url).rstrip("/") + "/health"
        served = run_healthcheck(project, env, url)
    nobody = run_healthcheck(project, env, url)

    assert served.returncode == 0, served.stderr
    assert nobody.returncode == 1
    assert nobody.stderr.startswith("unhealthy: http://127.0.0.1:")


def test_the_command_line_uses_the_project_data_from_any_of_its_folders(
    render_project: Render,
) -> None:
    project = render_project(WITH_SALES)
    env = project_env() | {"PYTHONPATH": str(project / "src")}

    order_id = run_cli(project / "tests", env, "sales", "create", "From a subfolder").strip()
    listed = run_cli(project, env, "sales", "list")

    assert order_id in listed
    assert (project / "data" / "shop.db").is_file()
    assert not (project / "tests" / "data").exists()


@pytest.mark.slow
def test_uvicorn_logs_json_lines_that_carry_each_request_id(
    render_project: Render,
    tmp_path: Path,
) -> None:
    project = render_project(MUST_SHOW | {"entrypoint": "http"})
    hidden = "s3cret-Pa55word"
    env = project_env() | {
        "PYTHONPATH": str(project / "src"),
        "DB_BACKEND": "postgresql",
        "DATABASE_URL": f"postgresql+psycopg://orders_user:{hidden}@127.0.0.1:9/app",
        "LOG_FORMAT": "json",
    }
    log = tmp_path / "uvicorn.log"

    with uvicorn_serving(project, "shop.main:app", env, log) as http:
        health = http.get("/health", headers={"X-Request-ID": "order-42"})
        ready = http.get("/ready", headers={"X-Request-ID": "order-43"})
        replaced = http.get("/health", headers={"X-Request-ID": "not sane"})

    assert (health.status_code, health.headers["X-Request-ID"]) == (200, "order-42")
    assert (ready.status_code, ready.headers["X-Request-ID"]) == (503, "order-43")
    for detail in ("orders_user", hidden, "127.0.0.1", ":9"):
        assert detail not in ready.text
    assert replaced.headers["X-Request-ID"] not in {"", "not sane"}
    text = log.read_text()
    records = [json.loads(line) for line in text.splitlines()]
    assert all({"time", "level", "logger", "message"} <= set(r) for r in records), text
    # Why it is not ready goes to the log (password masked), stamped with that request's id.
    [not_ready] = [r for r in records if r["message"].startswith("not ready: ")]
    assert not_ready["request_id"] == "order-43"
    assert "orders_user:***@127.0.0.1:9" in not_ready["message"]
    assert hidden not in text


@pytest.mark.slow
def test_uvicorn_access_lines_follow_log_level_and_no_access_log(
    render_project: Render,
    tmp_path: Path,
) -> None:
    project = render_project(MUST_SHOW | {"entrypoint": "http"})
    env = environment(project, tmp_path / "orders.db")
    info = ("--log-level", "info")  # uvicorn's own level: LOG_LEVEL overrules it
    runs = {
        "at INFO": ({"LOG_LEVEL": "INFO"}, ()),
        "at WARNING": ({"LOG_LEVEL": "WARNING"}, info),
        "with --no-access-log": ({"LOG_LEVEL": "INFO"}, (*info, "--no-access-log")),
    }
    access: dict[str, list[str]] = {}
    for name, (settings, options) in runs.items():
        log = tmp_path / f"{name}.log"
        serving = uvicorn_serving(project, "shop.main:app", env | settings, log, options=options)
        with serving as http:
            assert http.get("/health", headers={"X-Request-ID": "order-42"}).status_code == 200
        access[name] = [line for line in log.read_text().splitlines() if "uvicorn.access" in line]

    # LOG_LEVEL decides for uvicorn's loggers too (whatever uvicorn's --log-level says: the
    # first run's is warning), and an access log uvicorn was told not to write stays unwritten.
    assert any("order-42" in line and "GET /health" in line for line in access["at INFO"])
    assert access["at WARNING"] == []
    assert access["with --no-access-log"] == []


@pytest.mark.slow
@pytest.mark.parametrize("entrypoint", ["http", "cli"])
def test_a_bad_logging_setting_stops_the_service_in_one_line(
    render_project: Render,
    tmp_path: Path,
    entrypoint: str,
) -> None:
    project = render_project(MUST_SHOW | {"entrypoint": entrypoint})
    env = environment(project, tmp_path / "orders.db") | {"LOG_FORMAT": "xml"}
    command = (
        ["-m", "uvicorn", "shop.main:app", "--port", str(free_port())]
        if entrypoint == "http"
        else ["-m", "shop", "orders", "list"]
    )

    result = subprocess.run(
        [sys.executable, *command],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )

    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "Error: LOG_FORMAT: Input should be 'text' or 'json'",
    ]
