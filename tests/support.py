"""Rendering the template and running a rendered project's own gates."""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import httpx2
import yaml
from copier import run_copy
from filelock import FileLock

REPO = Path(__file__).resolve().parents[1]
#: copier's command line in a process of its own that keeps its compiled templates in the test
#: process's cache, as `ddd` does (``copier_ddd.caching``): the same program and words, without
#: compiling the template's macro files again on each run. ``tests/test_must_show.py`` and
#: ``tests/test_bad_input.py`` run the plain ``python -m copier``.
COPIER_CLI = (
    sys.executable,
    "-c",
    "from copier_ddd.caching import keep_compiled_templates; keep_compiled_templates(); "
    "from copier._cli import CopierApp; CopierApp.run()",
)
#: Where the environments for the other python_versions live (reused from run to run).
INTERPRETER_ENVS = REPO / ".venvs"

# What every rendered project must pass, run with this interpreter's tools. The project's
# property tests run with its `quick` hypothesis profile (a tenth of the examples): every
# combination runs all of its tests, and the combinations marked full (FULL_EXPLORATION)
# explore as much as a user's own run does.
# A rendered project's plain `pytest` leaves its `slow` tests out (fork-and-kill faults, query
# scaling, the embedded backends other than memory and its own); its CI runs them with
# `-m slow`, and every run of a rendered suite here selects both.
EVERY_TEST = ("-m", "slow or not slow")
GATES: tuple[tuple[str, ...], ...] = (
    ("ruff", "format", "--check", "."),
    ("ruff", "check", "."),
    ("mypy",),
    ("lint-imports", "--no-cache"),
    ("pytest", "-q", "-p", "no:cacheprovider", *EVERY_TEST, "--hypothesis-profile", "quick"),
)
FULL_EXPLORATION = ("--hypothesis-profile", "default")
# The rendered suites that test the core alone, on its test-only model and messages: the same
# code in every project of one python_version and entrypoint, whatever its modules. The render
# matrix runs them once for each python_version and entrypoint it renders (in the first such
# project); every other test leaves them out (``core=False``) rather than run them again.
CORE_SUITES = ("tests/core", "tests/messaging")
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


def passed_live(project: Path, env: Mapping[str, str], *args: str, timeout: int = 900) -> list[str]:
    """Run the project's own pytest on ``args`` with ``env`` (the live servers' URLs) added:
    every test must pass and none be skipped. The ids of the tests that passed."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-rA", "-p", "no:cacheprovider", *EVERY_TEST, *args],
        cwd=project,
        env={**project_env(), **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert "SKIPPED" not in result.stdout
    return re.findall(r"^PASSED (\S+)", result.stdout, flags=re.MULTILINE)


#: A test process's mypy cache -> the folder of the run where the first warmed copy of each of
#: its parts (one per python_version) is published for the other processes
#: (``tests/conftest.py``'s ``mypy_cache``).
MYPY_SEEDS: dict[Path, Path] = {}


def _seed_mypy_cache(cache: Path) -> None:
    """Copy into ``cache`` each part another process published and ``cache`` lacks."""
    seeds = MYPY_SEEDS.get(cache)
    if seeds is None or not seeds.is_dir():
        return
    for part in seeds.iterdir():
        if part.is_dir() and not part.name.startswith(".") and not (cache / part.name).exists():
            shutil.copytree(part, cache / part.name)


def _publish_mypy_cache(cache: Path) -> None:
    """Publish each part of ``cache`` no process has published yet (renamed in whole)."""
    seeds = MYPY_SEEDS.get(cache)
    if seeds is None:
        return
    seeds.mkdir(exist_ok=True)
    for part in cache.iterdir():
        if part.is_dir() and not (seeds / part.name).exists():
            partial = seeds / f".{part.name}.{os.getpid()}"
            shutil.copytree(part, partial)
            try:
                partial.rename(seeds / part.name)
            except OSError:  # another process published it first
                shutil.rmtree(partial)


def run_tool(
    project: Path,
    *args: str,
    mypy_cache: Path | None = None,
    python: Path | None = None,
) -> None:
    """Run ``python -m <args>`` inside ``project`` (this interpreter unless ``python``)."""
    executable = str(python or sys.executable)
    command = [executable, "-m", *args]
    if args[0] == "mypy" and mypy_cache is not None:
        command += ["--cache-dir", str(mypy_cache)]
        _seed_mypy_cache(mypy_cache)
    if args[0] == "lint-imports":
        command = [executable, "-c", LINT_IMPORTS, *args[1:]]
    run_command(command, project)
    if args[0] == "mypy" and mypy_cache is not None:
        _publish_mypy_cache(mypy_cache)


def run_gates(
    project: Path,
    mypy_cache: Path,
    python: Path | None = None,
    *,
    full: bool = False,
    core: bool = True,
) -> None:
    """ruff format --check, ruff check, mypy --strict (from the project's config), pytest.

    ``full``: the property tests explore as much as by default (see GATES). ``core=False``:
    pytest leaves out CORE_SUITES.
    """
    for gate in GATES:
        extra: tuple[str, ...] = ()
        if gate[0] == "pytest":
            extra += FULL_EXPLORATION if full else ()
            extra += () if core else tuple(f"--ignore={suite}" for suite in CORE_SUITES)
        run_tool(project, *gate, *extra, mypy_cache=mypy_cache, python=python)


def python_versions() -> list[str]:
    """Every ``python_version`` the template offers (its choices in copier.yml)."""
    questions = yaml.safe_load((REPO / "copier.yml").read_text(encoding="utf-8"))
    return [str(choice) for choice in questions["python_version"]["choices"]]


def _reports_version(candidate: str, version: str) -> bool:
    probe = "import sys; print(f'{sys.version_info.major}.{sys.version_info.minor}')"
    try:
        result = subprocess.run(
            [candidate, "-c", probe], capture_output=True, text=True, check=False, timeout=30
        )
    except OSError:
        return False
    return result.returncode == 0 and result.stdout.strip() == version


def _pyenv_root() -> Path:
    if root := os.environ.get("PYENV_ROOT"):
        return Path(root)
    if shutil.which("pyenv"):
        result = subprocess.run(["pyenv", "root"], capture_output=True, text=True, check=False)
        if result.returncode == 0 and result.stdout.strip():
            return Path(result.stdout.strip())
    return Path.home() / ".pyenv"


@cache
def find_interpreter(version: str) -> Path | None:
    """A CPython ``version`` (``3.12``) of this machine, or None.

    Looked for on PATH (``python3.12``; a pyenv shim of a version that is not selected
    fails its probe and is passed over), in pyenv's versions folder, then among the
    interpreters uv knows (never downloaded). Each candidate must report ``version``.
    """
    candidates: list[str] = []
    if found := shutil.which(f"python{version}"):
        candidates.append(found)
    pyenv = sorted((_pyenv_root() / "versions").glob(f"{version}.*/bin/python{version}"))
    candidates.extend(str(path) for path in reversed(pyenv))
    uv = shutil.which("uv")
    if uv is not None:
        result = subprocess.run(
            [uv, "python", "find", "--no-python-downloads", version],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode == 0 and result.stdout.strip():
            candidates.append(result.stdout.strip())
    for candidate in candidates:
        if _reports_version(candidate, version):
            return Path(candidate)
    return None


def is_this_interpreter(version: str) -> bool:
    """Whether the tests themselves run on Python ``version``."""
    return f"{sys.version_info.major}.{sys.version_info.minor}" == version


def interpreter_env(version: str) -> Path:
    """The python of an environment on Python ``version`` with the dev tools of uv.lock.

    The tests' own interpreter for its version; for another one, ``.venvs/python<version>``
    synced by uv for that interpreter, offline from uv's cache when it holds every wheel
    (online otherwise). Fails, naming where it looked, when the machine has no such Python.
    """
    if is_this_interpreter(version):
        return Path(sys.executable)
    interpreter = find_interpreter(version)
    if interpreter is None:
        msg = (
            f"no Python {version} on this machine (looked for python{version} on PATH, in "
            f"{_pyenv_root() / 'versions'}, and among uv's interpreters): the render matrix "
            f"runs every python_version under its own interpreter; install Python {version}"
        )
        raise LookupError(msg)
    environment = INTERPRETER_ENVS / f"python{version}"
    INTERPRETER_ENVS.mkdir(exist_ok=True)
    uv = shutil.which("uv") or str(Path(sys.executable).parent / "uv")
    env = project_env() | {"UV_PROJECT_ENVIRONMENT": str(environment)}
    env.pop("VIRTUAL_ENV", None)
    # --compile-bytecode: with PYTHONDONTWRITEBYTECODE set (as on CI machines), every process
    # would otherwise compile SQLAlchemy, pydantic and hypothesis from source again.
    sync = [uv, "sync", "--quiet", "--locked", "--compile-bytecode", "--python", str(interpreter)]
    with FileLock(str(INTERPRETER_ENVS / f"python{version}.lock")):
        offline = subprocess.run(
            [*sync, "--offline"], cwd=REPO, env=env, capture_output=True, text=True, check=False
        )
        if offline.returncode != 0:
            online = subprocess.run(
                sync, cwd=REPO, env=env, capture_output=True, text=True, check=False
            )
            assert online.returncode == 0, f"uv sync for Python {version}:\n{online.stderr}"
    python = environment / "bin" / "python"
    assert _reports_version(str(python), version), f"{python} is not Python {version}"
    return python


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
    options: Sequence[str] = (),
) -> Iterator[httpx2.Client]:
    """``uvicorn APP [OPTIONS]`` from ``project`` in its own process on a free loopback port.

    Its output goes to ``log``; the client is yielded once /health answers; the server is
    always stopped.
    """
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", app, "--port", str(port), "--host", "127.0.0.1"]
    with log.open("w") as output:
        server = subprocess.Popen(
            [*command, "--log-level", "warning", *options],
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
