"""`ddd update` and `ddd doctor`: keep a project in step with its template, and check it."""

import json
import os
import shutil
import tempfile
import warnings
from contextlib import chdir, nullcontext
from pathlib import Path, PurePosixPath
from typing import Annotated

import typer

from ..errors import DddError
from ..output import flush, info, next_steps, tree
from ..project import ANSWERS_FILE, Project, find_root, load
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
    from ..sources import commit_of, git, is_dirty, is_git_repository, repository, updatable

    project = load(Path.cwd())
    source = project.template_source
    if not updatable(source):
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
    template = repository(source)
    target = _target(template, to) if template is not None else to
    if (
        template is not None
        and target is not None
        and commit_of(template, target) is not None
        and commit_of(template, target) == commit_of(template, project.version)
    ):
        info(f"Nothing to update: {project.root} is at template version {project.version}.")
        return
    with tempfile.TemporaryDirectory(prefix="ddd-update-") as scratch:
        trial = Path(scratch) / project.root.name
        cloned = git("clone", "--quiet", "--no-hardlinks", str(project.root), str(trial))
        if cloned.returncode != 0:
            msg = f"cannot make a trial copy of the project: {cloned.stderr.strip()}"
            raise DddError(msg)
        with chdir(project.root):  # copier reads a relative `_src_path` from the project root
            _run_update(trial, target, source)
            kept = _keep_edited_files(project, trial, Path(scratch) / "old")
        changes = _changed(trial)
        conflicts = _conflicts(trial, changes, kept)
        if not changes:
            info(f"Nothing to update: {project.root} matches the template ({project.version}).")
            return
        if dry_run:
            _report(project, changes, conflicts, dry_run=True)
            return
        _install_update(project, trial, changes)
    _report(project, changes, conflicts, dry_run=False)


def _target(template: Path, to: str | None) -> str:
    """The version copier updates to: ``--to``, else the newest release, else HEAD.

    Passed to copier explicitly, so that it does not look for tags again (and warn about
    their absence) on every step of the update.
    """
    from ..sources import git, newest

    if to is not None:
        return to
    return newest(git("tag", "--list", cwd=template).stdout.split()) or "HEAD"


def _run_update(root: Path, to: str | None, source: str) -> None:
    """copier's update of ``root`` (no --trust)."""
    from copier import run_update
    from copier.errors import CopierError, UnsafeTemplateError

    from ..caching import keep_compiled_templates
    from .new import unsafe_message

    flush()
    keep_compiled_templates()
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
    except UnsafeTemplateError as error:
        raise DddError(unsafe_message(source, error)) from None
    except (CopierError, ValueError) as error:
        lines = str(error).strip().splitlines() or [repr(error)]
        msg = f"copier could not update the project: {lines[-1]}"
        raise DddError(msg) from None


def _changed(root: Path) -> list[PurePosixPath]:
    """Every path the update changed in the trial clone: modified, deleted, new."""
    from ..sources import git

    tracked = git("diff", "--no-renames", "--name-only", "-z", "HEAD", cwd=root).stdout
    untracked = git("ls-files", "--others", "--exclude-standard", "-z", cwd=root).stdout
    names = {name for name in (tracked + untracked).split("\0") if name}
    return sorted(PurePosixPath(name) for name in names)


def _keep_edited_files(project: Project, trial: Path, scratch: Path) -> list[PurePosixPath]:
    """Put back the files copier deleted because the new template dropped them, if you edited them.

    copier deletes every file its old version rendered and its new version does not, edited
    or not. A file that differs from what the old version rendered holds your work: it is
    restored, and reported as a conflict for you to decide.
    """
    from ..sources import git

    deleted = git("diff", "--no-renames", "--name-only", "--diff-filter=D", "-z", "HEAD", cwd=trial)
    paths = [PurePosixPath(name) for name in deleted.stdout.split("\0") if name]
    if not paths:
        return []
    old = _render_old(project, scratch)
    kept = []
    for path in paths:
        mine = project.root / path
        rendered = old / path
        if not mine.is_file() or mine.is_symlink():
            continue
        if rendered.is_file() and rendered.read_bytes() == mine.read_bytes():
            continue
        (trial / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(mine, trial / path)
        kept.append(path)
    return kept


def _render_old(project: Project, destination: Path) -> Path:
    """What the project's template version renders for its answers (as copier's update does)."""
    from copier import run_copy

    from ..caching import keep_compiled_templates

    keep_compiled_templates()
    answers = {k: v for k, v in project.answers.items() if not k.startswith("_")}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run_copy(
            project.template_source,
            destination,
            data=answers,
            defaults=True,
            unsafe=False,
            quiet=True,
            vcs_ref=project.version,
        )
    return destination


def _conflicts(
    root: Path, changes: list[PurePosixPath], kept: list[PurePosixPath]
) -> list[tuple[PurePosixPath, str]]:
    """The files the update could not merge, each with why."""
    from ..checks import has_conflict_markers

    found: list[tuple[PurePosixPath, str]] = [
        (p, "kept: you changed it, and the new template dropped it") for p in kept
    ]
    for path in changes:
        file = root / path
        if path.suffix == ".rej":
            found.append((path, "the template's change that did not apply"))
        elif file.is_file() and not file.is_symlink() and has_conflict_markers(file.read_bytes()):
            found.append((path, "conflict markers: your change and the template's overlap"))
    return found


def _install_update(project: Project, trial: Path, changes: list[PurePosixPath]) -> None:
    """Move the update into the project all at once (see :mod:`copier_ddd.transaction`).

    The new files are copied into a staging folder inside the project; the journal lists
    each replaced or deleted file moved aside, each new file moved in; the commit is the
    answers file. A kill at any moment leaves the project at the old version or the new.
    """
    from ..transaction import Journal, apply

    answers_path = PurePosixPath(ANSWERS_FILE)
    answers = (trial / ANSWERS_FILE).read_bytes()
    if answers == (project.root / ANSWERS_FILE).read_bytes():
        msg = (
            "copier changed files without recording a new template version in "
            f"{ANSWERS_FILE}: nothing was changed; run `copier update` yourself to see why"
        )
        raise DddError(msg)
    staging = Path(tempfile.mkdtemp(prefix=".ddd-update-", dir=project.root))
    moves: list[tuple[str, str]] = []
    folders: list[str] = []
    try:
        for path in changes:
            if path == answers_path:
                continue
            new, old = trial / path, project.root / path
            if os.path.lexists(old):
                (staging / "old" / path).parent.mkdir(parents=True, exist_ok=True)
                moves.append((path.as_posix(), f"{staging.name}/old/{path.as_posix()}"))
            if os.path.lexists(new):
                copied = staging / "new" / path
                copied.parent.mkdir(parents=True, exist_ok=True)
                if new.is_symlink():
                    copied.symlink_to(new.readlink())
                else:
                    shutil.copy2(new, copied)
                moves.append((f"{staging.name}/new/{path.as_posix()}", path.as_posix()))
                for parent in reversed(path.parents[:-1]):
                    if parent.as_posix() not in folders and not (project.root / parent).exists():
                        folders.append(parent.as_posix())
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    journal = Journal(command="ddd update", staging=staging.name, moves=moves, folders=folders)
    apply(project.root, journal, answers)
    for path in changes:  # folders the update emptied (as copier removes them)
        for parent in path.parents[:-1]:
            try:
                (project.root / parent).rmdir()
            except OSError:
                break


def _report(
    project: Project,
    changes: list[PurePosixPath],
    conflicts: list[tuple[PurePosixPath, str]],
    *,
    dry_run: bool,
) -> None:
    after = project if dry_run else load(project.root)
    verb = "Would change (dry run, nothing changed)" if dry_run else "Updated"
    info(f"{verb} {project.root}, from template version {project.version}:")
    info(tree(changes, root="."))
    if conflicts:
        info("")
        info("Conflicts to resolve:" if not dry_run else "Would conflict:")
        for path, why in conflicts:
            info(f"  {path}  ({why})")
    if dry_run:
        return
    if conflicts:
        names = ", ".join(str(p) for p, _ in conflicts)
        msg = (
            f"the update to {after.version} left {len(conflicts)} conflicts ({names}): resolve "
            "each (remove the <<<<<<< ======= >>>>>>> markers, apply or delete the .rej files), "
            "run `ddd doctor`, then commit"
        )
        raise DddError(msg)
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
