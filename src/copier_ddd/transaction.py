"""All or nothing for the commands that change a project's files, even when they are killed.

`ddd add-module` and `ddd remove-module` move whole folders (a module's package, its test
folders, its migration) into or out of a project, then rewrite ``.copier-answers.yml``. A
process can die between any two of those steps (SIGKILL, a closed terminal, a power cut),
and a Python ``except`` never runs then. So a change follows one protocol:

1. hold the project's lock (:func:`locked`) for the whole command: a second `ddd` that
   changes the project is refused, and no `ddd` "recovers" a change that is still running;
2. prepare everything in a staging folder ``.ddd-<operation>-XXXX`` inside the project (the
   same file system, so that every move below is one rename);
3. write the journal ``.ddd-transaction.json`` (complete or absent, flushed to disk): the
   moves it will make, the folders it will create, the digest of the new answers file;
4. create the folders and make the moves, one rename each;
5. commit: replace ``.copier-answers.yml`` in one rename. The change happened iff the
   answers file holds the new content;
6. delete the journal, then the staging folder.

Every `ddd` command that reads a project first calls :func:`recover`: the change of a
journal whose answers were not written is undone (each move made backwards, the created
folders removed), the change of one whose answers were written is finished (its leftovers
deleted); staging folders without a journal are deleted (there is nothing to undo: the
change had not started, or had finished).
Recovery itself can be killed and run again: every step checks what is already done.
"""

import errno
import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from .errors import DddError
from .project import ANSWERS_FILE, outside, write_atomically

if TYPE_CHECKING:
    from .checks import Check
    from .project import Project

JOURNAL = ".ddd-transaction.json"
#: Every file and folder a change puts in the project root starts with this (staging
#: folders, the journal and its temporary file); so do the answers file's temporary files.
PREFIXES = (".ddd-", f".{ANSWERS_FILE}.")
LOCK = "ddd.lock"


@dataclass(frozen=True)
class Journal:
    """What a change is about to do, relative to the project root."""

    command: str  # e.g. "ddd add-module orders", for the recovery message
    staging: str
    moves: list[tuple[str, str]]  # (from, to), in the order they are made
    folders: list[str] = field(default_factory=list)  # created before the moves, parents first
    answers: str = ""  # sha256 of the answers file the change writes (its commit); set by apply

    def to_json(self) -> bytes:
        """The journal file's content."""
        payload = {
            "command": self.command,
            "staging": self.staging,
            "moves": [list(move) for move in self.moves],
            "folders": self.folders,
            "answers": self.answers,
        }
        return (json.dumps(payload, indent=2) + "\n").encode()

    @classmethod
    def read(cls, path: Path) -> "Journal":
        """The journal at ``path``; a clear error when it is not one."""
        try:
            data = json.loads(path.read_bytes())
            return cls(
                command=str(data["command"]),
                staging=_relative(data["staging"]),
                moves=[(_relative(a), _relative(b)) for a, b in data["moves"]],
                folders=[_relative(f) for f in data["folders"]],
                answers=str(data["answers"]),
            )
        except (ValueError, KeyError, TypeError) as error:
            msg = (
                f"{path} is damaged ({error}): it records an interrupted `ddd` change; "
                "compare the project with git (`git status`), then delete the file"
            )
            raise DddError(msg) from None


def _relative(value: object) -> str:
    """A path inside the project, or a ValueError (a journal never names anything else)."""
    path = PurePosixPath(str(value))
    if path.is_absolute() or ".." in path.parts or not path.parts:
        msg = f"{value!r} is not a path inside the project"
        raise ValueError(msg)
    return path.as_posix()


def checksum(content: bytes) -> str:
    """sha256 of ``content``, in hex."""
    return hashlib.sha256(content).hexdigest()


def digest(path: Path) -> str:
    """The checksum of a file's bytes ("" when it does not exist)."""
    try:
        return checksum(path.read_bytes())
    except FileNotFoundError:
        return ""


# --- the lock -------------------------------------------------------------------------------


def lock_path(root: Path) -> Path:
    """Where the project's lock lives: never in the work tree, so git never sees it.

    ``.git/ddd.lock`` in a git repository (every project `ddd new` makes); otherwise a file
    under the user's cache folder, named after the project's absolute path.
    """
    if (root / ".git").is_dir():
        return root / ".git" / LOCK
    from .caching import cache_root  # lazy: imports Jinja's bytecode cache

    name = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:24]
    return cache_root() / "locks" / f"{name}.lock"


@dataclass
class _Hold:
    pid: int
    release: Callable[[], None]
    depth: int = 1


_HELD: dict[Path, _Hold] = {}


def _try_lock(path: Path) -> Callable[[], None] | None:
    """An exclusive lock on ``path`` without waiting: how to release it, or None if taken.

    POSIX ``flock`` (released by the kernel when the process dies, even by SIGKILL): the
    standard library's, because importing filelock costs 30 ms of add-module's 0.5 s.
    filelock where there is no ``fcntl`` (Windows).
    """
    if sys.platform == "win32":
        from filelock import FileLock, Timeout

        lock = FileLock(path)
        try:
            lock.acquire(blocking=False)
        except Timeout:
            return None
        return lock.release
    import fcntl

    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        return None
    except BaseException:
        os.close(descriptor)
        raise
    return lambda: os.close(descriptor)  # closing the last descriptor releases the lock


def _acquire(root: Path) -> bool:
    """Take the lock without waiting (nested in this process); False when another holds it."""
    root = root.resolve()
    hold = _HELD.get(root)
    if hold is not None and hold.pid == os.getpid():
        hold.depth += 1
        return True
    path = lock_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    release = _try_lock(path)
    if release is None:
        return False
    _HELD[root] = _Hold(os.getpid(), release)
    return True


def _release(root: Path) -> None:
    root = root.resolve()
    hold = _HELD[root]
    hold.depth -= 1
    if hold.depth == 0:
        del _HELD[root]
        hold.release()


@contextmanager
def locked(root: Path) -> Iterator[None]:
    """Hold the project's lock; one clear error when another `ddd` holds it."""
    if not _acquire(root):
        msg = (
            f"another `ddd` command is changing {root} right now: wait until it has "
            "finished, then run this one again"
        )
        raise DddError(msg)
    try:
        yield
    finally:
        _release(root)


# --- the change ------------------------------------------------------------------------------


def apply(root: Path, journal: Journal, answers: bytes) -> None:
    """Make ``journal``'s change, then commit it: ``answers`` becomes the answers file.

    Call it holding :func:`locked`, with the staging folder ready. It owns the staging folder
    from here: both it and the journal are gone when it returns. On an exception the change is
    undone first (as :func:`recover` would); if even that fails, the journal stays, and the
    next `ddd` command finishes the recovery.
    """
    escaping = [
        path
        for path in [
            journal.staging,
            *journal.folders,
            *(p for move in journal.moves for p in move),
        ]
        if outside(root, path)
    ]
    if escaping:
        if not outside(root, journal.staging):
            with suppress(OSError):
                _delete(root / journal.staging)
        msg = (
            f"{escaping[0]} is outside the project {root} (absolute, `..` or a symbolic link "
            "out of it): `ddd` writes and deletes only inside the project; nothing was changed"
        )
        raise DddError(msg)
    journal = replace(journal, answers=checksum(answers))  # how recovery knows it committed
    try:
        _write_durably(root / JOURNAL, journal.to_json())
    except BaseException:
        with suppress(OSError):  # nothing was moved yet: the staging folder is all there is
            _delete(root / journal.staging)
        raise
    try:
        for folder in journal.folders:
            (root / folder).mkdir()
        for source, destination in journal.moves:
            (root / source).replace(root / destination)
        # The moves reach the disk before the commit does: fsync the project's folders they
        # changed (those in the staging folder can be lost, it is deleted anyway).
        staged = PurePosixPath(journal.staging)
        changed = {
            (root / path).parent
            for move in journal.moves
            for path in move
            if staged not in PurePosixPath(path).parents
        }
        for parent in sorted(changed):
            _fsync_folder(parent)
        write_atomically(root / ANSWERS_FILE, answers)
    except BaseException:
        # Undo now; if even that fails, keep the first error: the journal stays for recovery.
        with suppress(Exception):
            _settle(root, journal)
        raise
    _finish(root, journal)


def _settle(root: Path, journal: Journal) -> bool:
    """Undo the change, or finish it when its answers were written; True when finished."""
    committed = digest(root / ANSWERS_FILE) == journal.answers
    if not committed:
        for source, destination in reversed(journal.moves):
            there, back = root / destination, root / source
            if os.path.lexists(there) and not os.path.lexists(back):
                back.parent.mkdir(parents=True, exist_ok=True)
                there.replace(back)
        for folder in reversed(journal.folders):
            try:
                (root / folder).rmdir()
            except OSError as error:  # gone already, or holds something that is not ours
                if error.errno not in (errno.ENOENT, errno.ENOTEMPTY):
                    raise
    _finish(root, journal)
    return committed


def _finish(root: Path, journal: Journal) -> None:
    """Delete the journal, then the staging folder (the order recovery relies on)."""
    (root / JOURNAL).unlink(missing_ok=True)
    _delete(root / journal.staging)


def _delete(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _write_durably(path: Path, content: bytes) -> None:
    """Write ``path`` in one rename, flushed to disk with its folder."""
    handle, temporary = tempfile.mkstemp(prefix=f"{path.stem}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    if sys.platform == "win32":  # a folder cannot be opened there; NTFS journals renames
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# --- recovery --------------------------------------------------------------------------------


def leftovers(root: Path) -> list[str]:
    """The names in the project root that an interrupted change may have left."""
    try:
        names = [entry.name for entry in root.iterdir()]
    except OSError:
        return []
    return sorted(name for name in names if name.startswith(PREFIXES))


def recover(root: Path) -> str | None:
    """Undo or finish a change that was interrupted; one line saying what, or None.

    Does nothing when nothing was left behind (the usual case: one listing of the root) or
    when another process holds the lock (its change is not interrupted, it is running).
    """
    if not leftovers(root):
        return None
    if not _acquire(root):
        return None
    try:
        journal_path = root / JOURNAL
        names = ", ".join(leftovers(root))
        message = f"recovered: deleted {names}, left by an interrupted `ddd` command"
        if journal_path.is_file():
            journal = Journal.read(journal_path)
            finished = _settle(root, journal)
            outcome = "had finished; its temporary files were deleted" if finished else "was undone"
            message = f"recovered: an interrupted `{journal.command}` {outcome}"
        for name in leftovers(root):
            _delete(root / name)
    finally:
        _release(root)
    return message


def pending(root: Path) -> str | None:
    """The command of a change under way (its journal exists), or None."""
    path = root / JOURNAL
    if not path.is_file():
        return None
    try:
        return Journal.read(path).command
    except DddError:
        return f"an unreadable {JOURNAL}"


def check_pending(project: "Project") -> "Check":
    """`ddd doctor`: a change under way (a journal that recovery left, the lock being held)."""
    from .checks import Check

    command = pending(project.root)
    if command is None:
        return Check("changes", "ok", "no `ddd` change under way or interrupted")
    detail = (
        f"`{command}` is under way in another process ({JOURNAL}): run `ddd doctor` again "
        "once it has finished"
    )
    return Check("changes", "warn", detail)
