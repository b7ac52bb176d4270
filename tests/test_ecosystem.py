"""Container, CI, editor and pre-commit files: present when asked, valid, and doing their job."""

import json
import os
import shutil
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from tests.conftest import Render

BIN = Path(sys.executable).parent
SERVER_BACKENDS = ["postgresql", "mariadb", "mysql", "mssql", "oracle"]


def tool(name: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a command-line tool installed next to this interpreter."""
    return subprocess.run(
        [str(BIN / name), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.mark.parametrize("db_backend", ["sqlite", "memory", *SERVER_BACKENDS])
def test_the_compose_file_follows_the_compose_spec(shared_project: Render, db_backend: str) -> None:
    project = shared_project({"db_backend": db_backend, "entrypoint": "both"})
    compose = project / "container/docker-compose.yaml"

    result = tool(
        "check-jsonschema", "--builtin-schema", "vendor.compose-spec", str(compose), cwd=project
    )

    assert result.returncode == 0, result.stdout + result.stderr
    services = yaml.safe_load(compose.read_text())["services"]
    expected = db_backend if db_backend in SERVER_BACKENDS else "postgresql"
    assert set(services) == {"app", "worker", "rabbitmq", "postgresql", expected}
    assert services["app"]["environment"]["DB_BACKEND"] == expected
    assert expected in services["app"]["environment"]["DATABASE_URL"].split("@")[1]
    assert services["app"]["environment"]["BROKER_URL"].startswith("amqp://app:")
    healthy = {"condition": "service_healthy"}
    assert services["app"]["depends_on"] == {expected: healthy, "rabbitmq": healthy}
    assert services["worker"]["environment"] == services["app"]["environment"]
    assert services["worker"]["depends_on"] == services["app"]["depends_on"]
    assert services["worker"]["command"][-1].endswith(".worker")
    assert all("healthcheck" in services[name] for name in services if name != "app")
    dockerfile = (project / "container/Dockerfile").read_text()
    assert f"ARG DB_EXTRA={expected}\n" in dockerfile
    extras = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    assert expected in extras["optional-dependencies"]


@pytest.mark.parametrize("entrypoint", ["cli", "http", "both", "none"])
def test_the_dockerfile_passes_hadolint_and_runs_as_a_non_root_user(
    shared_project: Render,
    entrypoint: str,
) -> None:
    project = shared_project({"entrypoint": entrypoint, "modules": ["orders"]})
    dockerfile = project / "container/Dockerfile"

    result = tool("hadolint", "--no-color", str(dockerfile), cwd=project)

    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line.strip() for line in dockerfile.read_text().splitlines()]
    assert sum(line.startswith("FROM python:") for line in lines) == 2
    users = [line for line in lines if line.startswith("USER ")]
    assert users[-1] == "USER ${APP_UID}:${APP_UID}"
    assert "ARG APP_UID=10001" in lines
    assert any("container/scripts/healthcheck.py" in line for line in lines)
    assert (project / "container/scripts/healthcheck.py").is_file()
    exposes = any(line.startswith("EXPOSE 8000") for line in lines)
    assert exposes == (entrypoint in {"http", "both"})


def fake_alembic(folder: Path, log: Path) -> Path:
    """An ``alembic`` on PATH that only records that it ran, and with what."""
    folder.mkdir()
    script = folder / "alembic"
    script.write_text(f'#!/bin/sh\necho "alembic $*" >> "{log}"\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return folder


@pytest.mark.skipif(shutil.which("sh") is None, reason="needs a POSIX shell")
@pytest.mark.parametrize("has_alembic_ini", [True, False], ids=["migrations", "no-migrations"])
def test_the_entrypoint_migrates_first_then_runs_the_command(
    shared_project: Render,
    tmp_path: Path,
    *,
    has_alembic_ini: bool,
) -> None:
    project = shared_project({"modules": ["orders"]})
    workdir = tmp_path / "app"
    workdir.mkdir()
    if has_alembic_ini:
        (workdir / "alembic.ini").write_text("[alembic]\n")
    log = tmp_path / "log"
    env = os.environ | {
        "PATH": f"{fake_alembic(tmp_path / 'bin', log)}{os.pathsep}{os.environ['PATH']}"
    }
    entrypoint = project / "container/scripts/entrypoint.sh"

    result = subprocess.run(
        ["sh", str(entrypoint), "sh", "-c", f'echo command >> "{log}"'],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )

    assert result.returncode == 0, result.stderr
    expected = ["alembic upgrade heads", "command"] if has_alembic_ini else ["command"]
    assert log.read_text().splitlines() == expected


def test_a_failed_migration_stops_the_container(shared_project: Render, tmp_path: Path) -> None:
    project = shared_project({"modules": ["orders"]})
    (tmp_path / "alembic.ini").write_text("[alembic]\n")
    failing = tmp_path / "bin"
    failing.mkdir()
    (failing / "alembic").write_text("#!/bin/sh\nexit 3\n")
    (failing / "alembic").chmod(0o755)
    env = os.environ | {"PATH": f"{failing}{os.pathsep}{os.environ['PATH']}"}

    result = subprocess.run(
        ["sh", str(project / "container/scripts/entrypoint.sh"), "echo", "served"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )

    assert result.returncode == 3
    assert "served" not in result.stdout


def test_the_ci_workflow_is_valid_and_runs_every_gate(shared_project: Render) -> None:
    project = shared_project({"python_version": "3.12"})
    workflow = project / ".github/workflows/ci.yml"

    result = tool(
        "check-jsonschema",
        "--builtin-schema",
        "vendor.github-workflows",
        str(workflow),
        cwd=project,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    job = yaml.safe_load(workflow.read_text())["jobs"]["checks"]
    commands = " ; ".join(step.get("run", "") for step in job["steps"])
    for gate in ("ruff format --check", "ruff check", "mypy", "lint-imports", "pytest -m slow"):
        assert f"uv run {gate}" in commands
    assert job["services"]["postgresql"]["image"].startswith("postgres:")
    assert "TEST_POSTGRESQL_URL" in job["env"]
    assert any(step.get("with", {}).get("python-version") == "3.12" for step in job["steps"])


def test_pre_commit_runs_ruff_and_mypy(shared_project: Render) -> None:
    project = shared_project()

    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())

    hooks = {hook["id"]: hook["entry"] for repo in config["repos"] for hook in repo["hooks"]}
    assert {"ruff-format", "ruff-check", "mypy", "lint-imports"} <= set(hooks)
    assert all(entry.startswith("uv run ") for entry in hooks.values())


@pytest.mark.parametrize(
    ("entrypoint", "expected"),
    [
        ("cli", {"CLI", "Tests"}),
        ("http", {"API", "Tests"}),
        ("both", {"CLI", "API", "Tests"}),
        ("none", {"Tests"}),
    ],
)
def test_vscode_launches_what_the_entrypoint_offers(
    shared_project: Render,
    entrypoint: str,
    expected: set[str],
) -> None:
    project = shared_project({"entrypoint": entrypoint, "package_name": "acme"})

    launch = json.loads((project / ".vscode/launch.json").read_text())
    settings = json.loads((project / ".vscode/settings.json").read_text())
    extensions = json.loads((project / ".vscode/extensions.json").read_text())

    kinds = {configuration["name"].split(":")[0] for configuration in launch["configurations"]}
    assert kinds == expected
    modules = {configuration["module"] for configuration in launch["configurations"]}
    assert "pytest" in modules
    assert ("uvicorn" in modules) == ("API" in expected)
    assert settings["python.defaultInterpreterPath"].endswith(".venv/bin/python")
    assert "charliermarsh.ruff" in extensions["recommendations"]


def test_nothing_of_docker_ci_or_vscode_when_declined(shared_project: Render) -> None:
    project = shared_project({"with_docker": False, "with_ci": False, "with_vscode": False})

    unwanted = [
        "container/Dockerfile",
        "container/docker-compose.yaml",
        "container/scripts/entrypoint.sh",
        ".dockerignore",
        ".github",
        ".pre-commit-config.yaml",
        ".vscode",
    ]
    assert [path for path in unwanted if (project / path).exists()] == []
    assert (project / "container/scripts/healthcheck.py").is_file()
