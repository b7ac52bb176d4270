"""`ddd update` and `ddd doctor`: keep a project in step with its template, and check it."""

import json
import tempfile
import warnings
from contextlib import nullcontext
from pathlib import Path, PurePosixPath
from typing import Annotated

import typer

from ..errors import DddError
from ..output import flush, info, next_steps, note, tree
from ..project import Project, find_root, load
from . import user_errors

_SHOWN = 5


def register(app: typer.Typer) -> None:
    """Add this group's commands to ``app``."""
    app.command("update")(update)
    app.command("doctor")(doctor)


@user_errors
def update(
    to: Annotated[
        str | None,
        typer.Option("--to", metavar="REF", help="The template version (tag or commit)."),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Change nothing; show what the update would change."),
    ] = False,
) -> None:
    """Update the project and all its modules to a newer template version (`copier update`).

    Your changes are kept: copier replays them on the new version. The project must be a
    git repository with everything committed. A second `ddd` changing the project at the
    same time is refused; a dry run works on a copy and takes no lock.
    """
    from ..transaction import locked

    with nullcontext() if dry_run else locked(find_root(Path.cwd())):
        _update(to, dry_run=dry_run)


def _update(to: str | None, *, dry_run: bool) -> None:
    from ..sources import git, is_dirty, is_git_repository, updatable

    project = load(Path.cwd())
    if not updatable(project.source):
        msg = (
            f"cannot update: the project was made from {project.source}, which is not a git "
            "repository; `copier update` needs a git template (a git clone or URL)"
        )
        raise DddError(msg)
    if project.version is None:
        msg = "cannot update: .copier-answers.yml records no template version (`_commit`)"
        raise DddError(msg)
    if not is_git_repository(project.root):
        msg = (
            f"{project.root} is not a git repository, and `copier update` needs one to keep your "
            "changes: run `git init && git add -A && git commit -m 'Start'` first"
        )
        raise DddError(msg)
    if is_dirty(project.root):
        changed = git("status", "--porcelain", cwd=project.root).stdout.splitlines()
        example = ", ".join(line[3:] for line in changed[:_SHOWN])
        msg = (
            f"the project has uncommitted changes ({example}): commit them "
            "(`git add -A && git commit`) or stash them, then run `ddd update` again"
        )
        raise DddError(msg)
    if dry_run:
        with tempfile.TemporaryDirectory(prefix="ddd-update-") as scratch:
            trial = Path(scratch) / project.root.name
            cloned = git("clone", "--quiet", "--no-hardlinks", str(project.root), str(trial))
            if cloned.returncode != 0:
                msg = f"cannot make a trial copy of the project: {cloned.stderr.strip()}"
                raise DddError(msg)
            changes = _run_update(trial, to)
        _report(project, changes, dry_run=True)
        return
    changes = _run_update(project.root, to)
    _report(project, changes, dry_run=False)


def _run_update(root: Path, to: str | None) -> list[str]:
    """copier's update (no --trust); the ``git status`` lines it leaves."""
    from copier import run_update
    from copier.errors import CopierError

    from ..sources import git

    flush()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            run_update(
                root,
                vcs_ref=to,
                defaults=True,
                overwrite=True,
                unsafe=False,
                skip_answered=True,
                quiet=True,
            )
    except (CopierError, ValueError) as error:
        lines = str(error).strip().splitlines() or [repr(error)]
        msg = f"copier could not update the project: {lines[-1]}"
        raise DddError(msg) from None
    status = git("status", "--porcelain", "--untracked-files=all", cwd=root)
    return status.stdout.splitlines()


def _report(project: Project, changes: list[str], *, dry_run: bool) -> None:
    after = load(project.root) if not dry_run else project
    paths = [PurePosixPath(line[3:].split(" -> ")[-1]) for line in changes]
    rejected = [p for p in paths if p.suffix == ".rej"]
    conflicted = [
        p
        for p in paths
        if not dry_run
        and (project.root / p).is_file()
        and b"<<<<<<< " in (project.root / p).read_bytes()
    ]
    if not paths:
        info(f"Nothing to update: {project.root} matches the template ({after.version}).")
        return
    verb = "Would change (dry run, nothing changed)" if dry_run else "Updated"
    info(f"{verb} {project.root}, from template version {project.version}:")
    info(tree(paths, root="."))
    if rejected or conflicted:
        names = ", ".join(str(p) for p in [*rejected, *conflicted])
        note(f"conflicts: your changes and the template's overlap in {names}: resolve them")
    if not dry_run:
        next_steps(
            [
                "git diff            # review what changed",
                "uv run pytest",
                f"git add -A && git commit -m 'Update from the template ({after.version})'",
            ]
        )


@user_errors
def doctor(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of lines.")] = False,
) -> None:
    """Check the project: layout, answers, modules, architecture rules, template version.

    Exits non-zero when a check fails (warnings do not fail).
    """
    from ..checks import CHECKS
    from ..transaction import check_pending

    project = load(Path.cwd())
    results = [check(project) for check in (*CHECKS, check_pending)]
    failed = any(r.status == "fail" for r in results)
    if as_json:
        payload = {
            "project": str(project.root),
            "ok": not failed,
            "checks": [r.as_dict() for r in results],
        }
        info(json.dumps(payload, indent=2))
    else:
        for result in results:
            info(f"{result.status:<4}  {result.name}: {result.detail}")
        info("")
        info("doctor: some checks failed" if failed else "doctor: all checks passed")
    if failed:
        raise typer.Exit(1)
