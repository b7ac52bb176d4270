"""Killed at any moment, `ddd add-module` and `ddd remove-module` leave no module or a whole one.

SIGKILL cannot be caught: what protects the project is the journal those commands write and
the recovery every `ddd` command runs first (``copier_ddd.transaction``). These tests kill
real `ddd` processes:

- before each change they make to the file system, one by one: a forked child counts its own
  mkdir, open-for-writing, chmod, rename, unlink and rmdir calls once the install (or
  uninstall) starts, and kills itself with SIGKILL before change number k, for every k;
- at delays spread over the run time of the console command;

then run `ddd list`, and compare the whole tree (every path, mode and byte) with the tree
before the command and with the tree an uninterrupted run leaves in a twin project.
"""

import ctypes
import functools
import gc
import io
import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from copier_ddd import hooks
from copier_ddd.cli import app
from copier_ddd.commands import module as module_command
from copier_ddd.commands import project as project_command
from copier_ddd.project import ANSWERS_FILE
from copier_ddd.transaction import JOURNAL, PREFIXES
from tests.cli.conftest import MODULE_INIT, Invoke, assert_refused, copier_render, tree_hash
from tests.support import git, snapshot_template

MODULE = "billing"
# Changes to the file system, as the os module makes them (pathlib, shutil and tempfile
# call these); opening a file counts when it opens for writing.
CHANGING = ("mkdir", "rmdir", "unlink", "remove", "rename", "replace", "chmod", "truncate")
WRITING_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
SHARDS = 3  # the kill points of one command, spread over this many tests (xdist runs them)
RECOVERIES = {
    "undone": "was undone",
    "finished": "had finished; its temporary files were deleted",
    "leftovers": "left by an interrupted `ddd` command",
}

FORK = multiprocessing.get_context("fork")


@dataclass(frozen=True)
class Command:
    """A `ddd` command, a committed project to run it in, and that project after a full run."""

    args: tuple[str, ...]
    before: Path
    after: Path
    hashes: dict[str, str]
    points: int  # where it can be killed: before each of its changes, and after the last
    commit_point: int  # the first kill point at which the answers file is already rewritten

    @property
    def adds(self) -> bool:
        return self.args[0] == "add-module"


def copy(project: Path, destination: Path) -> Path:
    shutil.copytree(project, destination, symlinks=True)
    return destination


def reset(project: Path) -> None:
    """Back to the project's last commit (the tree before the command)."""
    git(project, "checkout", "--quiet", "--", ".")
    git(project, "clean", "--quiet", "-fd")


def run_ddd(cwd: Path, *args: str) -> None:
    """One uninterrupted `ddd` run in this process (for the fixtures, outside any test)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(cwd)
        result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output


def prepare(args: tuple[str, ...], before: Path, scratch: Path) -> Command:
    """Run the command once uninterrupted on a twin, once counting its changes on another."""
    after = copy(before, scratch / f"{before.name}-after")
    run_ddd(after, *args)
    hashes = {"before": tree_hash(before), "after": tree_hash(after)}
    counted = copy(before, scratch / f"{before.name}-counted")
    code, points, commit_point = fork_ddd(counted, args, kill_at=None)
    assert code == 0
    assert tree_hash(counted) == hashes["after"], "counting changed what the command does"
    assert points > 20, f"only {points} changes counted: is the counting wired?"
    assert 1 < commit_point <= points
    return Command(args, before, after, hashes, points, commit_point)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory, shared_cache: Path) -> Iterator[Path]:
    """This module's scratch folder, with the tests' cache (the autouse fixture is per test)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(shared_cache))
        yield tmp_path_factory.mktemp("interrupted")


@pytest.fixture(scope="module")
def adding(template_repo: Path, folder: Path) -> Command:
    """`ddd add-module billing` in a committed project that has the module notes."""
    before = copier_render(
        template_repo, folder / "one", {"package_name": "acme", "modules": ["notes"]}
    )
    assert hooks.git_init_and_commit(before).done
    return prepare(("add-module", MODULE), before, folder)


@pytest.fixture(scope="module")
def removing(adding: Command, folder: Path) -> Command:
    """`ddd remove-module billing` in a committed project that has notes and billing."""
    before = copy(adding.after, folder / "two")
    git(before, "add", "--all")
    git(before, "commit", "--quiet", "-m", "Add the billing module")
    return prepare(("remove-module", MODULE), before, folder)


@pytest.fixture(params=["add-module", "remove-module"])
def command(request: pytest.FixtureRequest) -> Command:
    fixture = "adding" if request.param == "add-module" else "removing"
    prepared: Command = request.getfixturevalue(fixture)
    return prepared


# --- a `ddd` that kills itself ----------------------------------------------------------------


class Steps:
    """Counts the changes made while armed; SIGKILL before the change number ``kill_at``.

    ``seen`` and ``committed`` are shared memory: the parent reads them even after a kill.
    ``committed`` is the first change before which the answers file was already rewritten.
    """

    def __init__(self, seen: ctypes.c_int, committed: ctypes.c_int, kill_at: int | None) -> None:
        self.seen = seen
        self.committed = committed
        self.kill_at = kill_at
        self.armed = False
        self.answers = Path(ANSWERS_FILE).read_bytes()

    def step(self) -> None:
        if not self.armed:
            return
        self.seen.value += 1
        if not self.committed.value and Path(ANSWERS_FILE).read_bytes() != self.answers:
            self.committed.value = self.seen.value
        if self.seen.value == self.kill_at:
            os.kill(os.getpid(), signal.SIGKILL)


def count_changes(steps: Steps) -> None:
    """Route the os module's changing calls (and io.open for writing) through ``steps``."""

    def counted(
        function: Callable[..., object], changes: Callable[..., bool]
    ) -> Callable[..., object]:
        @functools.wraps(function)
        def wrapper(*args: object, **kwargs: object) -> object:
            if changes(*args, **kwargs):
                steps.step()
            return function(*args, **kwargs)

        return wrapper

    for name in CHANGING:
        setattr(os, name, counted(getattr(os, name), lambda *_a, **_k: True))

    def opens_for_writing(_path: object, flags: int, *_a: object, **_k: object) -> bool:
        return bool(flags & WRITING_FLAGS)

    def writes(_file: object, mode: str = "r", *_a: object, **_k: object) -> bool:
        return any(letter in mode for letter in "wax+")

    os.open = counted(os.open, opens_for_writing)
    io.open = counted(io.open, writes)


def armed(steps: Steps, function: Callable[..., None]) -> Callable[..., None]:
    """``function`` with the counting on; returning from it is the last kill point."""

    @functools.wraps(function)
    def wrapper(*args: object, **kwargs: object) -> None:
        steps.armed = True
        function(*args, **kwargs)
        steps.step()

    return wrapper


def ddd_child(
    project: Path,
    args: tuple[str, ...],
    shared: tuple[ctypes.c_int, ctypes.c_int],
    kill_at: int | None,
) -> None:
    """The body of a forked `ddd` process (its exit code is the command's)."""
    gc.freeze()  # the collector leaves the parent's objects alone: no copy of their pages
    os.chdir(project)
    steps = Steps(*shared, kill_at)
    count_changes(steps)
    module_command._install = armed(steps, module_command._install)
    module_command._uninstall = armed(steps, module_command._uninstall)
    result = CliRunner().invoke(app, list(args))
    sys.exit(result.exit_code)


def fork(target: Callable[..., None], *args: object) -> multiprocessing.process.BaseProcess:
    """Start ``target(*args)`` in a forked process."""
    child = FORK.Process(target=target, args=args)
    with warnings.catch_warnings():
        # Python 3.12+ warns that forking a process with threads (pytest-xdist's) may
        # deadlock the child; the child only runs `ddd` and exits.
        warnings.simplefilter("ignore", DeprecationWarning)
        child.start()
    return child


def fork_ddd(project: Path, args: tuple[str, ...], kill_at: int | None) -> tuple[int, int, int]:
    """Run `ddd ARGS` in a forked process: its exit code (-9: killed), changes, commit point."""
    shared = (FORK.Value("i", 0, lock=False), FORK.Value("i", 0, lock=False))
    child = fork(ddd_child, project, args, shared, kill_at)
    child.join(timeout=60)
    assert child.exitcode is not None, "the forked ddd did not finish"
    return child.exitcode, shared[0].value, shared[1].value


# --- what a killed command may leave --------------------------------------------------------


def leftovers(project: Path) -> list[str]:
    """What a change leaves in the project root while it runs (staging, journal, temporaries)."""
    return sorted(p.name for p in project.iterdir() if p.name.startswith(PREFIXES))


def recover_and_check(invoke: Invoke, project: Path, command: Command) -> tuple[str, str]:
    """Run `ddd list`: the tree is the one before or the one after; (which, what recovery said)."""
    left = leftovers(project)
    result = invoke(project, "list", "--json")
    assert result.exit_code == 0, result.output
    said = result.stderr.strip()
    if left:
        assert said.startswith("recovered: "), (left, said)
        assert len(said.splitlines()) == 1, said
    else:
        assert said == "", said
    assert leftovers(project) == []
    state = tree_hash(project)
    outcome = next((name for name, value in command.hashes.items() if value == state), "half")
    assert outcome != "half", f"{project.name}: neither the tree before nor the tree after"
    listed = MODULE in [row["name"] for row in json.loads(result.stdout)]
    assert listed == (outcome == ("after" if command.adds else "before"))
    kind = next((k for k, text in RECOVERIES.items() if text in said), "none")
    return outcome, kind


def kill_and_recover(
    invoke: Invoke, command: Command, project: Path, kill_at: int
) -> tuple[str, str]:
    """Kill the command before its change ``kill_at``, recover; leave the project as before."""
    code, reached, _ = fork_ddd(project, command.args, kill_at)
    assert code == -signal.SIGKILL, f"change {kill_at} of {command.points}: exit {code}"
    assert reached == kill_at
    outcome, kind = recover_and_check(invoke, project, command)
    assert outcome == ("after" if kill_at >= command.commit_point else "before"), kill_at
    if outcome == "after":
        reset(project)  # a bad reset fails the next kill: neither tree before nor after
    return outcome, kind


# --- the tests --------------------------------------------------------------------------------


@pytest.mark.parametrize("shard", range(SHARDS))
def test_a_command_killed_before_any_of_its_changes_leaves_no_module_or_a_whole_one(
    invoke: Invoke, command: Command, tmp_path: Path, shard: int
) -> None:
    project = copy(command.before, tmp_path / "killed")
    seen = {
        kill_and_recover(invoke, command, project, kill_at)
        for kill_at in range(1 + shard, command.points + 1, SHARDS)
    }
    # Both ends were reached, and the kills came in the staging folder (leftovers only) and
    # between the first move and the commit (undone).
    assert {outcome for outcome, _ in seen} == {"before", "after"}
    assert {kind for _, kind in seen} >= {"leftovers", "undone"}


@pytest.mark.parametrize(
    ("offset", "outcome", "said"),
    [(-1, "before", "undone"), (0, "after", "finished")],
    ids=["just-before-the-commit", "just-after-the-commit"],
)
def test_the_answers_file_decides_whether_recovery_undoes_or_finishes_a_change(
    invoke: Invoke, command: Command, tmp_path: Path, offset: int, outcome: str, said: str
) -> None:
    project = copy(command.before, tmp_path / "killed")
    kill_at = command.commit_point + offset
    assert kill_and_recover(invoke, command, project, kill_at) == (outcome, said)


def test_a_folder_the_command_created_is_removed_when_it_is_undone(
    invoke: Invoke, adding: Command, tmp_path: Path
) -> None:
    bare = copy(adding.before, tmp_path / "bare")
    shutil.rmtree(bare / "tests/performance")
    git(bare, "add", "--all")
    git(bare, "commit", "--quiet", "-m", "No performance tests")
    command = prepare(adding.args, bare, tmp_path)
    assert (command.after / "tests/performance" / MODULE).is_dir()
    assert not (command.after / "tests/performance/__init__.py").exists()
    project = copy(bare, tmp_path / "killed")
    outcome = kill_and_recover(invoke, command, project, command.commit_point - 1)
    assert outcome == ("before", "undone")
    assert not (project / "tests/performance").exists()


def ddd_command() -> list[str]:
    script = Path(sys.executable).parent / "ddd"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from copier_ddd.cli import main; main()"]


def test_the_ddd_command_killed_at_any_time_leaves_no_module_or_a_whole_one(
    invoke: Invoke, adding: Command, tmp_path: Path
) -> None:
    ddd = [*ddd_command(), *adding.args]
    timed = copy(adding.before, tmp_path / "timed")
    start = time.perf_counter()
    subprocess.run(ddd, cwd=timed, check=True, capture_output=True)
    duration = time.perf_counter() - start
    assert tree_hash(timed) == adding.hashes["after"]
    outcomes = []
    for index, fraction in enumerate((0.05, 0.5, 0.7, 0.8, 0.87, 0.93, 0.98, 1.5)):
        project = copy(adding.before, tmp_path / f"killed-{index}")
        process = subprocess.Popen(
            ddd, cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(duration * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait()
        outcomes.append(recover_and_check(invoke, project, adding)[0])
    # The first kill comes before any change, the last after the command has finished.
    assert outcomes[0] == "before", outcomes
    assert outcomes[-1] == "after", outcomes


def test_a_second_ddd_is_refused_while_a_change_is_under_way_and_nothing_is_recovered(
    invoke: Invoke, adding: Command, tmp_path: Path
) -> None:
    project = copy(adding.before, tmp_path / "busy")
    paused, resume = FORK.Event(), FORK.Event()
    halfway = project / "src/acme/modules" / MODULE

    def pause_halfway(function: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(function)
        def wrapper(*args: object, **kwargs: object) -> None:
            real = os.replace

            def replace(*moved: object, **options: object) -> None:
                real(*moved, **options)
                if halfway.exists() and (project / JOURNAL).exists() and not paused.is_set():
                    paused.set()
                    assert resume.wait(timeout=60)

            os.replace = replace
            function(*args, **kwargs)

        return wrapper

    def child() -> None:
        os.chdir(project)
        module_command._install = pause_halfway(module_command._install)
        sys.exit(CliRunner().invoke(app, list(adding.args)).exit_code)

    process = fork(child)
    try:
        assert paused.wait(timeout=60), "the first add-module never reached its moves"
        halfway_tree = tree_hash(project)
        assert halfway_tree not in adding.hashes.values()

        for args in (("add-module", "orders"), ("remove-module", "notes"), ("update",)):
            refused = invoke(project, *args)
            assert_refused(refused, "another `ddd` command is changing", "wait until")
            assert tree_hash(project) == halfway_tree
        listed = invoke(project, "list")
        assert listed.exit_code == 0, listed.output
        assert "recovered" not in listed.output
        doctor = invoke(project, "doctor", "--json")
        changes = {c["name"]: c for c in json.loads(doctor.stdout)["checks"]}["changes"]
        assert changes["status"] == "warn"
        assert f"`ddd add-module {MODULE}` is under way" in changes["detail"]
        assert tree_hash(project) == halfway_tree
    finally:
        resume.set()
        process.join(timeout=60)
    assert process.exitcode == 0
    assert tree_hash(project) == adding.hashes["after"]
    assert leftovers(project) == []
    doctor = invoke(project, "doctor", "--json")
    changes = {c["name"]: c for c in json.loads(doctor.stdout)["checks"]}["changes"]
    assert changes["status"] == "ok"


def test_a_python_error_halfway_is_undone_at_once_without_waiting_for_recovery(
    invoke: Invoke, adding: Command, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = copy(adding.before, tmp_path / "failing")
    real = Path.replace
    moved_in: list[list[Path]] = []

    def a_move_fails_halfway(self: Path, target: Path) -> Path:
        ours = [p for p in project.rglob(f"*{MODULE}*") if ".ddd-" not in str(p)]
        if (project / JOURNAL).exists() and ours and not moved_in:
            moved_in.append(ours)
            raise OSError(28, "No space left on device", str(target))
        return real(self, target)

    monkeypatch.setattr(Path, "replace", a_move_fails_halfway)
    result = invoke(project, *adding.args)
    assert_refused(result, "No space left on device")
    assert moved_in, "the error never came halfway through the moves"
    assert leftovers(project) == []
    assert tree_hash(project) == adding.hashes["before"]


@pytest.mark.parametrize(
    "journal",
    [
        b"{ half a journal",
        b'{"command": "ddd add-module x", "staging": "../outside", "moves": [], '
        b'"folders": [], "answers": ""}',
    ],
    ids=["not-json", "a-path-outside-the-project"],
)
def test_a_damaged_journal_is_named_with_what_to_do_and_nothing_is_touched(
    invoke: Invoke, adding: Command, tmp_path: Path, journal: bytes
) -> None:
    project = copy(adding.before, tmp_path / "damaged")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside/keep.txt").write_text("not the project's\n")
    (project / JOURNAL).write_bytes(journal)
    before = tree_hash(tmp_path)
    result = invoke(project, "list")
    assert_refused(result, JOURNAL, "is damaged", "git status", "delete the file")
    assert tree_hash(tmp_path) == before


def test_the_lock_stays_out_of_the_tree_with_or_without_git(
    invoke: Invoke, adding: Command, tmp_path: Path, shared_cache: Path
) -> None:
    with_git = copy(adding.before, tmp_path / "with-git")
    assert invoke(with_git, *adding.args).exit_code == 0
    assert tree_hash(with_git) == adding.hashes["after"]
    assert (with_git / ".git/ddd.lock").is_file()

    without_git = copy(adding.before, tmp_path / "without-git")
    shutil.rmtree(without_git / ".git")
    locks = shared_cache / "copier-ddd" / "locks"
    known = set(locks.iterdir()) if locks.is_dir() else set()
    assert invoke(without_git, *adding.args).exit_code == 0
    assert tree_hash(without_git) == adding.hashes["after"]  # .git aside, the same tree
    assert len(set(locks.iterdir()) - known) == 1


# --- `ddd update` -----------------------------------------------------------------------------
#
# `ddd update` runs copier on a clone of the project in a temporary folder, then moves the
# result in with a journal (`_install_update`). A kill during copier's run leaves the project
# as it was (copier never touched it); the kills below come before each change of the move.
# The child runs only the move: copier, which starts threads and subprocesses, is not safe
# to run in a process forked from pytest-xdist's threads.


@dataclass(frozen=True)
class Update:
    """A committed project at v1, its twin updated to v2 (uncommitted), the kill points."""

    before: Path
    after: Path
    hashes: dict[str, str]
    points: int
    commit_point: int


def install_child(
    project: Path,
    trial: Path,
    shared: tuple[ctypes.c_int, ctypes.c_int],
    kill_at: int | None,
) -> None:
    """A forked process that moves the update of ``trial`` into ``project``."""
    from copier_ddd.project import load
    from copier_ddd.transaction import locked

    os.chdir(project)
    steps = Steps(*shared, kill_at)
    count_changes(steps)
    install = armed(steps, project_command._install_update)
    with locked(project):
        install(load(project), trial, project_command._changed(trial))
    sys.exit(0)


def fork_install(project: Path, trial: Path, kill_at: int | None) -> tuple[int, int, int]:
    shared = (FORK.Value("i", 0, lock=False), FORK.Value("i", 0, lock=False))
    child = fork(install_child, project, trial, shared, kill_at)
    child.join(timeout=60)
    assert child.exitcode is not None, "the forked install did not finish"
    return child.exitcode, shared[0].value, shared[1].value


@pytest.fixture(scope="module")
def updating(folder: Path) -> Update:
    """`ddd update` from v1 to a v2 that changes, drops and adds files."""
    template = snapshot_template(folder / "template-v2" / "copier-ddd")
    before = copier_render(
        template, folder / "three", {"package_name": "acme", "modules": ["notes", MODULE]}
    )
    assert hooks.git_init_and_commit(before).done
    init = template / MODULE_INIT
    init.write_text(init.read_text().replace('aggregate."""', 'aggregate (v2)."""'))
    (template / "template/docs/architecture.md.jinja").unlink()
    (template / "template/docs/glossary.md").write_text("# Glossary\n")
    git(template, "add", "--all")
    git(template, "commit", "--quiet", "-m", "v2")
    git(template, "tag", "v2")
    after = copy(before, folder / "three-after")
    run_ddd(after, "update")
    assert (after / "docs/glossary.md").is_file()
    assert not (after / "docs/architecture.md").exists()
    assert "_commit: v2" in (after / ANSWERS_FILE).read_text()
    hashes = {"before": tree_hash(before), "after": tree_hash(after)}
    counted = copy(before, folder / "three-counted")
    code, points, commit_point = fork_install(counted, after, None)
    assert code == 0
    assert tree_hash(counted) == hashes["after"]
    assert points > 10, points
    assert 1 < commit_point <= points
    return Update(before, after, hashes, points, commit_point)


def test_update_killed_before_any_of_its_changes_leaves_the_old_version_or_the_new(
    invoke: Invoke, updating: Update, tmp_path: Path
) -> None:
    project = copy(updating.before, tmp_path / "killed")
    seen = set()
    for kill_at in range(1, updating.points + 1):
        code, reached, _ = fork_install(project, updating.after, kill_at)
        assert code == -signal.SIGKILL, f"change {kill_at} of {updating.points}: exit {code}"
        assert reached == kill_at
        result = invoke(project, "list")
        assert result.exit_code == 0, result.output
        assert leftovers(project) == []
        state = tree_hash(project)
        outcome = next((name for name, value in updating.hashes.items() if value == state), "half")
        assert outcome == ("after" if kill_at >= updating.commit_point else "before"), kill_at
        seen.add(outcome)
        if outcome == "after":
            reset(project)
    assert seen == {"before", "after"}


@pytest.mark.parametrize(
    ("offset", "outcome", "said", "detail"),
    [
        (-1, "before", "was undone", "version v2 is available (project at v1)"),
        (0, "after", "had finished", "v2 in .copier-answers.yml is not committed (HEAD has v1)"),
    ],
    ids=["just-before-the-commit", "just-after-the-commit"],
)
def test_doctor_after_a_killed_update_says_what_happened_and_where_the_project_is(
    invoke: Invoke,
    updating: Update,
    tmp_path: Path,
    offset: int,
    outcome: str,
    said: str,
    detail: str,
) -> None:
    project = copy(updating.before, tmp_path / "killed")
    code, _, _ = fork_install(project, updating.after, updating.commit_point + offset)
    assert code == -signal.SIGKILL
    result = invoke(project, "doctor", "--json")
    assert f"recovered: an interrupted `ddd update` {said}" in result.stderr
    assert tree_hash(project) == updating.hashes[outcome]
    check = {c["name"]: c for c in json.loads(result.stdout)["checks"]}["template"]
    assert check["status"] == "warn"
    assert detail in check["detail"]


def test_update_killed_while_copier_runs_leaves_the_project_untouched(
    invoke: Invoke, updating: Update, tmp_path: Path
) -> None:
    """copier works on a clone: a kill in the middle of its run changes nothing here."""
    project = copy(updating.before, tmp_path / "killed")
    code = (
        "import os, signal, sys, copier\n"
        "from copier_ddd.cli import app\n"
        "real = copier.run_update\n"
        "def killed(root, **options):\n"
        "    real(root, **options)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)  # copier is done, nothing was moved yet\n"
        "copier.run_update = killed\n"
        "app(['update'])\n"
    )
    # SIGKILL leaves the scratch folder of the update (outside the project) behind: in here.
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    killed = subprocess.run(
        [sys.executable, "-c", code],
        cwd=project,
        env={**os.environ, "TMPDIR": str(scratch)},
        capture_output=True,
        check=False,
        timeout=300,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert tree_hash(project) == updating.hashes["before"]
    assert git(project, "status", "--porcelain") == ""
