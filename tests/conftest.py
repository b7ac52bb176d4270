"""Fixtures for rendering projects and checking them.

Projects are rendered with pytest-copie's ``copie`` fixtures (``tests/test_must_show.py``
keeps proving that plain ``copier copy`` needs no ``--trust``). A test that only reads a
project takes ``shared_project``: one render per answers and run, copied once into each test
process (the xdist workers), never modified. A test that changes its project takes
``render_project``: a fresh copy of its own of that same render (copying takes milliseconds
where rendering takes seconds).

Every test runs with ``XDG_CACHE_HOME`` in a folder of the test process (never the user's
``~/.cache``), and copier's renders in the test process keep their compiled templates there,
as `ddd` keeps them (``copier_ddd.caching``): a render after the first costs half as much.
``tests/test_must_show.py`` renders with a plain `copier copy` process, without the cache.
"""

import hashlib
import json
import os
import shutil
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from filelock import FileLock
from pytest_copie.plugin import Copie
from xdist.scheduler import LoadScopeScheduling

from copier_ddd.caching import keep_compiled_templates
from tests.progress import Heartbeat
from tests.support import (
    MYPY_SEEDS,
    REPO,
    find_interpreter,
    is_this_interpreter,
    python_versions,
)

Render = Callable[..., Path]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--heartbeat",
        type=float,
        default=0,
        metavar="SECONDS",
        help="every SECONDS, print how many tests are done and which are running (0: never)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """pytest-copie renders this repository's template, wherever pytest was started."""
    config.option.template = str(REPO)
    if not keep_compiled_templates():
        msg = "copier's Worker no longer builds its jinja_env lazily: see copier_ddd.caching"
        raise pytest.UsageError(msg)
    interval = config.getoption("heartbeat")
    if interval > 0 and not hasattr(config, "workerinput"):
        config.pluginmanager.register(Heartbeat(config, interval), "copier-ddd-heartbeat")


def pytest_report_header() -> list[str]:
    """Which interpreter runs each python_version of the render matrix."""
    lines = []
    for version in python_versions():
        if is_this_interpreter(version):
            found: object = f"{sys.executable} (the tests' own)"
        else:
            found = find_interpreter(version) or "NOT FOUND: the render matrix will fail"
        lines.append(f"python_version {version}: {found}")
    return lines


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slow tests first: the long ones spread over the workers, the short fill the end."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


#: Tests that share a costly module-scoped fixture (named on the right), by the start of their
#: ids: under xdist, the tests of one unit go to one worker, which builds the fixture once
#: (handed out one test at a time, each worker would build it). xdist's own xdist_group marks
#: do not work with pytest 9: `--dist loadgroup` renames the items through an attribute
#: pytest no longer reads.
SHARED_FIXTURE_UNITS = {
    "tests/cli/test_interrupted.py::": "interrupted",  # adding, removing, updating
    "tests/test_bad_input.py::": "bad_input",  # shared, server
    "tests/cli/test_specs.py::test_add_module_refuses_a_bad_spec_": "bad_spec_projects",
    "tests/cli/test_naming_agreement.py::test_a_module_name_gets_": "naming_agreement_project",
    **dict.fromkeys(
        (
            "tests/test_naming_corpus.py::test_every_class_name_the_module_files_use_",
            "tests/test_naming_corpus.py::test_no_aggregate_can_make_a_name_the_module_",
            "tests/test_naming_corpus.py::test_no_module_or_aggregate_makes_a_function_",
            "tests/test_naming_corpus.py::test_the_http_applications_own_routes_",
        ),
        "naming_corpus_rendered",
    ),
}


class SharedFixtureScheduling(LoadScopeScheduling):
    """xdist's load scheduling in the collected order (the slow tests first), one test at a
    time, except that each of SHARED_FIXTURE_UNITS goes to one worker as a whole."""

    def _split_scope(self, nodeid: str) -> str:
        unit = next((u for p, u in SHARED_FIXTURE_UNITS.items() if nodeid.startswith(p)), None)
        return nodeid if unit is None else f"unit:{unit}"


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """Replace the default `--dist load` (an explicit other --dist keeps xdist's own)."""
    if config.getvalue("dist") != "load":
        return None
    config.option.loadscopereorder = False  # the collected order: the slow tests first
    return SharedFixtureScheduling(config, log)


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache folder (compiled templates, template mirrors) for the test process."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def private_cache(shared_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the tests' caches out of the user's ~/.cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(shared_cache))


@pytest.fixture(scope="session")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory, run_folder: Path) -> Path:
    """One mypy cache per test process: rendered projects share the third-party part.

    Not one for all processes: mypy keeps its cache in SQLite and holds a write lock while
    it runs, so a second mypy on the same cache could fail on "database is locked". Instead
    the first process to fill the part of a python_version publishes a copy of it, and the
    others start from that copy rather than from nothing (``tests.support.MYPY_SEEDS``).
    """
    cache = tmp_path_factory.mktemp("mypy-cache")
    MYPY_SEEDS[cache] = run_folder.parent / "mypy-seeds"
    return cache


def rendered(copie: Copie, data: Mapping[str, object] | None) -> Path:
    """Render with ``copie``; a refused render raises copier's error and leaves no file."""
    result = copie.copy(extra_answers=dict(data or {}))
    if result.exception is not None:
        output = copie.test_dir / f"copie{copie.counter - 1:03d}"
        leftovers = sorted(p.name for p in output.iterdir()) if output.exists() else []
        assert leftovers == [], f"a refused render left files behind: {leftovers}"
        raise result.exception
    return Path(result.project_dir)


@pytest.fixture(scope="session")
def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of this run that every test process sees (the xdist workers share it)."""
    base = tmp_path_factory.getbasetemp()  # a worker's is in the controller's
    folder = (base.parent if os.getenv("PYTEST_XDIST_WORKER") else base) / "renders"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def shared_project(
    copie_session: Copie, run_folder: Path, tmp_path_factory: pytest.TempPathFactory
) -> Render:
    """The project for some answers: read it, never change it.

    Rendered once per answers and run: the first test process to need it renders it and
    publishes a copy in ``run_folder``; every other process copies that (under a lock per
    answers, so two never render the same answers at once). Each process reads its own copy.
    A test that needs to change files takes ``render_project``.
    """
    projects: dict[str, Path] = {}

    def _shared(data: Mapping[str, object] | None = None) -> Path:
        key = json.dumps(dict(data or {}), sort_keys=True)
        if key not in projects:
            digest = hashlib.sha256(key.encode()).hexdigest()[:16]
            published = run_folder / digest  # holds the project, under the name it had
            with FileLock(str(run_folder / f"{digest}.lock")):
                if published.is_dir():
                    (original,) = published.iterdir()
                    own = tmp_path_factory.mktemp("shared") / original.name
                    projects[key] = Path(shutil.copytree(original, own, symlinks=True))
                else:
                    projects[key] = rendered(copie_session, data)
                    partial = run_folder / f"{digest}.partial"
                    shutil.copytree(projects[key], partial / projects[key].name, symlinks=True)
                    partial.rename(published)
        return projects[key]

    return _shared


@pytest.fixture
def render_project(shared_project: Render, tmp_path: Path) -> Render:
    """The project for some answers as a fresh copy in ``tmp_path / name``, the test's own."""

    def _render(data: Mapping[str, object] | None = None, name: str = "project") -> Path:
        return Path(shutil.copytree(shared_project(data), tmp_path / name, symlinks=True))

    return _render
