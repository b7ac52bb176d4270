"""`ddd add-module`, `ddd remove-module`, `ddd list`: the bounded contexts of a project."""

import json
import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import DddError
from ..output import info, next_steps, note, tree
from ..project import ANSWERS_FILE, Project, load, with_modules, write_atomically
from . import user_errors

if TYPE_CHECKING:
    from ..render import ModuleRender

_SHOWN = 8  # files named in a refusal before "and N more"


def register(app: typer.Typer) -> None:
    """Add this group's commands to ``app``."""
    app.command("add-module")(add_module)
    app.command("remove-module")(remove_module)
    app.command("list")(list_modules)


@user_errors
def add_module(
    name: Annotated[str, typer.Argument(help="The module (bounded context), e.g. orders.")],
    aggregate: Annotated[
        str | None,
        typer.Option(
            "--aggregate",
            metavar="PascalName",
            help="The aggregate class, when the derived one is wrong (people -> Person).",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Write nothing; list what would be written.")
    ] = False,
) -> None:
    """Add a module: the same files the template renders for it, at the project's version.

    Run it anywhere inside a project. The module is recorded in .copier-answers.yml, so a
    later `copier update` (or `ddd update`) updates it like the others; no other file is
    edited (bootstrap discovers modules by convention).
    """
    from ..naming import modules_problem  # lazy: keeps `ddd --help` instant
    from ..render import TemplateRenderer
    from ..sources import checkout

    project = load(Path.cwd())
    if name in project.modules:
        msg = (
            f"module '{name}' already exists in this project: choose another name, or "
            f"remove it first with `ddd remove-module {name}`"
        )
        raise DddError(msg)
    modules = [*project.modules, name]
    aggregates = dict(project.aggregate_names)
    if aggregate is not None:
        aggregates[name] = aggregate
    with checkout(project.source, project.version) as template:
        problem = modules_problem(modules, aggregates, template_root=template.root)
        if problem:
            raise DddError(problem)
        if template.remark:
            note(f"note: {template.remark}")
        answers = with_modules(project.answers, modules, aggregates)
        renderer = TemplateRenderer(template.root, project.root, answers)
        rendered = renderer.module(name)
        answers_content = renderer.answers_file(answers)
    taken = sorted(str(r) for r in rendered.roots if (project.root / r).exists())
    if taken:
        msg = (
            f"module '{name}' is not in {ANSWERS_FILE} but {', '.join(taken)} already "
            "exist: move them away, or pick another name"
        )
        raise DddError(msg)
    written = [*rendered.files, PurePosixPath(ANSWERS_FILE)]
    if dry_run:
        info(f"Would write (dry run, nothing written) in {project.root}:")
        info(tree(written, root="."))
        return
    _install(project, rendered, answers_content)
    info(f"Added module '{name}' (aggregate {rendered.aggregate}) in {project.root}:")
    info(tree(written, root="."))
    steps = ["uv run pytest"]
    if (project.root / "alembic.ini").is_file():
        steps.insert(0, "uv run alembic upgrade heads   # its tables, from its own migration")
    steps.append(f"git add -A && git commit -m 'Add the {name} module'   # before `ddd update`")
    next_steps(steps)


def _install(project: Project, rendered: "ModuleRender", answers_content: bytes) -> None:
    """Write the module all at once: render into a folder inside the project, then move.

    A failure or an interrupt moves back what was already moved: no half module.
    """
    staging = Path(tempfile.mkdtemp(prefix=".ddd-add-", dir=project.root))
    moved: list[Path] = []
    created: list[Path] = []
    try:
        for folder in rendered.folders:
            (staging / folder).mkdir(parents=True, exist_ok=True)
        for file in rendered.files.values():
            target = staging / file.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(file.content)
            target.chmod(file.mode)
        for root in sorted(rendered.roots):
            destination = project.root / root
            for parent in reversed(destination.parents):
                if not parent.exists():
                    parent.mkdir()
                    created.append(parent)
            (staging / root).replace(destination)
            moved.append(destination)
        write_atomically(project.root / ANSWERS_FILE, answers_content)
    except BaseException:
        for destination in reversed(moved):
            destination.replace(staging / destination.relative_to(project.root))
        for parent in reversed(created):
            parent.rmdir()
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


@user_errors
def remove_module(
    name: Annotated[str, typer.Argument(help="The module to remove.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Delete nothing; list what would be deleted.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Remove it even if its files differ from the template's."),
    ] = False,
) -> None:
    """Remove a module: its package, its tests and its entry in .copier-answers.yml.

    Refuses when the module's files differ from what the template renders (you changed or
    added some), and names them, unless --force.
    """
    from ..render import TemplateRenderer  # lazy: keeps `ddd --help` instant
    from ..sources import checkout

    project = load(Path.cwd())
    if name not in project.modules:
        have = ", ".join(project.modules) or "none"
        msg = f"there is no module '{name}' in this project (modules: {have}): see `ddd list`"
        raise DddError(msg)
    modules = [m for m in project.modules if m != name]
    aggregates = {m: a for m, a in project.aggregate_names.items() if m != name}
    with checkout(project.source, project.version) as template:
        if template.remark:
            note(f"note: {template.remark}")
        renderer = TemplateRenderer(template.root, project.root, project.answers)
        rendered = renderer.module(name)
        answers = with_modules(project.answers, modules, aggregates)
        answers_content = renderer.answers_file(answers)
    present = _files_under(project.root, rendered.roots)
    differing = [
        f"{path} ({'changed' if path in rendered.files else 'not from the template'})"
        for path in present
        if path not in rendered.files
        or (project.root / path).read_bytes() != rendered.files[path].content
    ]
    if differing and not force:
        shown = ", ".join(differing[:_SHOWN])
        more = f" and {len(differing) - _SHOWN} more" if len(differing) > _SHOWN else ""
        msg = (
            f"module '{name}' has files that differ from what the template renders: "
            f"{shown}{more}; keep them, or remove the module anyway with --force"
        )
        raise DddError(msg)
    if dry_run:
        info(f"Would delete (dry run, nothing deleted) in {project.root}:")
        info(tree(present, root="."))
        info(f"and remove '{name}' from {ANSWERS_FILE}")
        return
    _uninstall(project, sorted(rendered.roots), answers_content)
    info(f"Removed module '{name}' from {project.root}:")
    info(tree(present, root="."))
    info(f"and its entry in {ANSWERS_FILE}")
    steps = ["uv run pytest", f"git add -A && git commit -m 'Remove the {name} module'"]
    if (project.root / "alembic.ini").is_file():
        note(
            f"note: a database with the tables of '{name}' needs `uv run alembic downgrade "
            f"{name}@base` BEFORE the removal (restore the module with git to run it)"
        )
    next_steps(steps)


def _files_under(root: Path, folders: set[PurePosixPath]) -> list[PurePosixPath]:
    """Files under these project folders, without Python's caches."""
    found = []
    for folder in sorted(folders):
        for directory, names, files in os.walk(root / folder):
            names[:] = sorted(n for n in names if n != "__pycache__")
            for file in sorted(files):
                path = Path(directory) / file
                if path.suffix not in {".pyc", ".pyo"}:
                    found.append(PurePosixPath(path.relative_to(root).as_posix()))
    return found


def _uninstall(project: Project, roots: list[PurePosixPath], answers_content: bytes) -> None:
    """Move the module's folders aside, rewrite the answers, then delete: all or nothing."""
    trash = Path(tempfile.mkdtemp(prefix=".ddd-remove-", dir=project.root))
    moved: list[tuple[Path, Path]] = []
    try:
        for index, root in enumerate(roots):
            source = project.root / root
            if source.exists():
                aside = trash / str(index)
                source.replace(aside)
                moved.append((source, aside))
        write_atomically(project.root / ANSWERS_FILE, answers_content)
    except BaseException:
        for source, aside in reversed(moved):
            aside.replace(source)
        shutil.rmtree(trash, ignore_errors=True)
        raise
    shutil.rmtree(trash, ignore_errors=True)


@user_errors
def list_modules(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List the project's modules with their aggregate classes."""
    from ..naming import aggregate_for  # lazy: keeps `ddd --help` instant

    project = load(Path.cwd())
    rows = [
        {"name": m, "aggregate": aggregate_for(m, project.aggregate_names)} for m in project.modules
    ]
    if as_json:
        info(json.dumps(rows, indent=2))
        return
    if not rows:
        info("No modules yet: add one with `ddd add-module NAME`.")
        return
    width = max(len("MODULE"), *(len(r["name"]) for r in rows))
    info(f"{'MODULE':<{width}}  AGGREGATE")
    for row in rows:
        info(f"{row['name']:<{width}}  {row['aggregate']}")
