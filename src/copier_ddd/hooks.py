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
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

FIRST_COMMIT_MESSAGE = "Start from copier-ddd"


@dataclass(frozen=True)
class StepResult:
    """What one step did, in one line."""

    name: str
    done: bool
    detail: str


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)


def _last_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = (result.stderr or result.stdout).strip().splitlines()
    return lines[-1] if lines else f"exit code {result.returncode}"


def git_init_and_commit(project: Path) -> StepResult:
    """Make the project a git repository with everything in a first commit."""
    if shutil.which("git") is None:
        return StepResult("git", done=False, detail="git is not installed: skipped")
    if (project / ".git").exists():
        return StepResult("git", done=False, detail="already a git repository: left as it is")
    for args in (
        ["git", "init", "--quiet", "--initial-branch=main"],
        ["git", "add", "--all"],
        [
            "git",
            "-c",
            "user.name=copier-ddd",
            "-c",
            "user.email=copier-ddd@localhost",
            "commit",
            "--quiet",
            "--no-verify",
            "-m",
            FIRST_COMMIT_MESSAGE,
        ],
    ):
        result = _run(args, project)
        if result.returncode != 0:
            failed = " ".join(args[:2])
            return StepResult("git", done=False, detail=f"`{failed}` failed: {_last_line(result)}")
    return StepResult(
        "git", done=True, detail=f"initialised, first commit '{FIRST_COMMIT_MESSAGE}'"
    )


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
