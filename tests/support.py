"""Rendering the template and running a rendered project's own gates."""

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx2
from copier import run_copy

REPO = Path(__file__).resolve().parents[1]

# What every rendered project must pass, run with this interpreter's tools.
GATES: tuple[tuple[str, ...], ...] = (
    ("ruff", "format", "--check", "."),
    ("ruff", "check", "."),
    ("mypy",),
    ("lint-imports", "--no-cache"),
    ("pytest", "-q", "-p", "no:cacheprovider"),
)
# `lint-imports` on the project's sources (what `uv sync` + `uv run lint-imports` do).
LINT_IMPORTS = (
    "import sys; sys.path.insert(0, 'src'); "
    "from importlinter.cli import lint_imports_command; lint_imports_command()"
)


def render(destination: Path, data: Mapping[str, object] | None = None) -> Path:
    """Render the working tree of the template into ``destination``, answering with defaults.

    ``unsafe`` stays False: rendering must never need ``--trust``.
    """
    run_copy(
        str(REPO),
        destination,
        data=dict(data or {}),
        defaults=True,
        unsafe=False,
        quiet=True,
        vcs_ref="HEAD",
    )
    return destination


def project_env() -> dict[str, str]:
    """The environment a rendered project's tools run in: no stray settings."""
    env = {k: v for k, v in os.environ.items() if k not in {"DB_BACKEND", "DATABASE_URL"}}
    env.pop("PYTHONPATH", None)
    return env


def run_command(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``args`` in ``cwd`` with the project environment; fail with the output on error."""
    result = subprocess.run(
        args,
        cwd=cwd,
        env=project_env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert result.returncode == 0, (
        f"`{' '.join(args)}` failed in {cwd.name} (exit {result.returncode}):\n"
        f"{result.stdout[-6000:]}\n{result.stderr[-3000:]}"
    )
    return result


def run_tool(project: Path, *args: str, mypy_cache: Path | None = None) -> None:
    """Run ``python -m <args>`` inside ``project``."""
    command = [sys.executable, "-m", *args]
    if args[0] == "mypy" and mypy_cache is not None:
        command += ["--cache-dir", str(mypy_cache)]
    if args[0] == "lint-imports":
        command = [sys.executable, "-c", LINT_IMPORTS, *args[1:]]
    run_command(command, project)


def run_gates(project: Path, mypy_cache: Path) -> None:
    """ruff format --check, ruff check, mypy --strict (from the project's config), pytest."""
    for gate in GATES:
        run_tool(project, *gate, mypy_cache=mypy_cache)


def text_files(project: Path) -> list[Path]:
    """Every rendered file that is text."""
    found = []
    for path in sorted(project.rglob("*")):
        if path.is_file() and ".git" not in path.parts:
            try:
                path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
            found.append(path)
    return found


def git(cwd: Path, *args: str) -> str:
    """Run git in ``cwd`` as a test user; return its output."""
    result = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@localhost", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def snapshot_template(destination: Path) -> Path:
    """The template files of this working tree, in a git repository of their own."""
    destination.mkdir(parents=True)
    for source in [REPO / "copier.yml", *sorted(REPO.glob("*.jinja"))]:  # the macros copier imports
        shutil.copy2(source, destination / source.name)
    shutil.copytree(
        REPO / "template",
        destination / "template",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    git(destination, "init", "--quiet", "--initial-branch=main")
    git(destination, "add", "--all")
    git(destination, "commit", "--quiet", "-m", "v1")
    git(destination, "tag", "v1")
    return destination


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def uvicorn_serving(
    project: Path,
    app: str,
    env: Mapping[str, str],
    log: Path,
    start_seconds: float = 30.0,
) -> Iterator[httpx2.Client]:
    """``uvicorn APP`` from ``project`` in its own process on a free loopback port.

    Its output goes to ``log``; the client is yielded once /health answers; the server is
    always stopped.
    """
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", app, "--port", str(port), "--host", "127.0.0.1"]
    with log.open("w") as output:
        server = subprocess.Popen(
            [*command, "--log-level", "warning"],
            cwd=project,
            env=dict(env),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        with httpx2.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            deadline = time.monotonic() + start_seconds
            while True:
                assert server.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "uvicorn did not answer in time"
                try:
                    client.get("/health")
                    break
                except httpx2.TransportError:
                    time.sleep(0.1)
            yield client
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
