"""Post-generation steps for a freshly rendered project.

`ddd new` runs these after copier has written the project; they are plain Python, not copier
`_tasks`, so rendering never needs `--trust`. Run by hand with
`python hooks/post_generate.py PROJECT_DIR` (a thin wrapper around this module).

Steps, each reported on one line:
1. `git init` + a first commit, so that `copier update` can later compute what you changed;
2. `uv lock`, when uv is on PATH, so the first `uv sync` is reproducible.
"""

from __future__ import annotations

import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

FIRST_COMMIT_MESSAGE = "Start from copier-ddd"
FIRST_COMMIT_AUTHOR = "copier-ddd <copier-ddd@localhost>"


@dataclass(frozen=True)
class StepResult:
    """What one step did, in one line."""

    name: str
    done: bool
    detail: str


def _run(
    args: list[str], cwd: Path, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(args, cwd=cwd, input=stdin, capture_output=True, check=False)


def _last_line(result: subprocess.CompletedProcess[bytes]) -> str:
    lines = (result.stderr or result.stdout).decode(errors="replace").strip().splitlines()
    return lines[-1] if lines else f"exit code {result.returncode}"


def _git_failed(step: str, result: subprocess.CompletedProcess[bytes]) -> StepResult:
    return StepResult("git", done=False, detail=f"`git {step}` failed: {_last_line(result)}")


def git_init_and_commit(project: Path) -> StepResult:
    """Make the project a git repository with everything in a first commit.

    The commit is written with `git fast-import`, which stores the objects in one pack file:
    `git add --all` would write a loose object per file in up to 256 new folders, which took
    0.25 s of `ddd new` on a slow file system against 0.04 s this way. The result is the same
    commit and index: every file `git add --all` would take (.gitignore applies), with its
    executable bit.
    """
    if shutil.which("git") is None:
        return StepResult("git", done=False, detail="git is not installed: skipped")
    if (project / ".git").exists():
        return StepResult("git", done=False, detail="already a git repository: left as it is")
    init = _run(["git", "init", "--quiet", "--initial-branch=main"], project)
    if init.returncode != 0:
        return _git_failed("init", init)
    listed = _run(["git", "ls-files", "--others", "--exclude-standard", "-z"], project)
    if listed.returncode != 0:
        return _git_failed("ls-files", listed)
    paths = sorted(name for name in listed.stdout.decode().split("\0") if name)
    stream = _fast_import_stream(project, paths)
    imported = _run(["git", "fast-import", "--quiet", "--date-format=now"], project, stream)
    if imported.returncode != 0:
        return _git_failed("fast-import", imported)
    reset = _run(["git", "reset", "--quiet"], project)  # the index, from the new commit
    if reset.returncode != 0:
        return _git_failed("reset", reset)
    return StepResult(
        "git", done=True, detail=f"initialised, first commit '{FIRST_COMMIT_MESSAGE}'"
    )


def _fast_import_stream(project: Path, paths: list[str]) -> bytes:
    """One commit on main holding ``paths`` (git fast-import's input format)."""
    message = f"{FIRST_COMMIT_MESSAGE}\n".encode()
    chunks = [
        b"commit refs/heads/main\n",
        f"committer {FIRST_COMMIT_AUTHOR} now\n".encode(),
        b"data %d\n%s" % (len(message), message),
    ]
    for name in paths:
        path = project / name
        if path.is_symlink():
            mode, content = b"120000", str(path.readlink()).encode()
        else:
            executable = path.stat().st_mode & stat.S_IXUSR
            mode, content = (b"100755" if executable else b"100644"), path.read_bytes()
        chunks.append(b"M %s inline %s\n" % (mode, _quoted(name)))
        chunks.append(b"data %d\n%s\n" % (len(content), content))
    return b"".join(chunks)


def _quoted(name: str) -> bytes:
    """A path as fast-import reads it: C-style quoted when it could be misread."""
    if not name.startswith('"') and "\n" not in name:
        return name.encode()
    escaped = name.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'.encode()


def uv_lock(project: Path) -> StepResult:
    """Resolve the dependencies into uv.lock, when uv is available."""
    if shutil.which("uv") is None:
        return StepResult("uv lock", done=False, detail="uv is not installed: skipped")
    result = _run(["uv", "lock", "--quiet"], project)
    if result.returncode != 0:
        return StepResult("uv lock", done=False, detail=f"failed: {_last_line(result)}")
    return StepResult("uv lock", done=True, detail="wrote uv.lock")


def run_all(project: Path, *, lock: bool = True) -> list[StepResult]:
    """Every step, in order; the lock file is committed when git ran."""
    results = []
    if lock:
        results.append(uv_lock(project))
    results.append(git_init_and_commit(project))
    return results


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: `python hooks/post_generate.py PROJECT_DIR`."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not Path(args[0]).is_dir():
        sys.stderr.write("usage: python hooks/post_generate.py PROJECT_DIR\n")
        return 2
    for result in run_all(Path(args[0])):
        sys.stdout.write(f"{'done' if result.done else 'skip'}  {result.name}: {result.detail}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
