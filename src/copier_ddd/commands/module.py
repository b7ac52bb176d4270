"""`ddd add-module`, `ddd remove-module`, `ddd list`: the bounded contexts of a project."""

import json
import os
import shutil
import tempfile
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import DddError
from ..output import info, next_steps, note, tree
from ..project import ANSWERS_FILE, Project, find_root, load, with_modules
from ..transaction import Journal, apply, locked
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
    spec: Annotated[
        str | None,
        typer.Option(
            "--spec",
            metavar="FILE",
            help="A YAML aggregate spec (fields, values, lists, sets, entities: see docs/specs.md);"
            " without one the module is bare: an aggregate with an identity and nothing else.",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Write nothing; list what would be written.")
    ] = False,
) -> None:
    """Add a module: the same files the template renders for it, at the project's version.

    Run it anywhere inside a project. The module (and its spec) is recorded in
    .copier-answers.yml, so a later `copier update` (or `ddd update`) updates it like the
    others; no other file is edited (bootstrap discovers modules by convention).
    """
    with _writing(dry_run=dry_run):
        _add_module(name, aggregate, spec, dry_run=dry_run)


def _writing(*, dry_run: bool) -> AbstractContextManager[None]:
    """The project's lock, held from before it is read until after it is written.

    A second `ddd` changing the project at the same time is refused; a dry run writes
    nothing and takes no lock.
    """
    return nullcontext() if dry_run else locked(find_root(Path.cwd()))


def _add_module(name: str, aggregate: str | None, spec: str | None, *, dry_run: bool) -> None:
    from .. import specs as spec_files  # lazy: keeps `ddd --help` instant
    from ..naming import modules_problem
    from ..render import TemplateRenderer
    from ..sources import checkout

    spec_file = spec_files.read(spec) if spec is not None else None
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
    with checkout(project.template_source, project.version) as template:
        problem = modules_problem(
            modules, aggregates, examples=project.examples, template_root=template.root
        )
        specs = dict(project.specs)
        if not problem and spec_file is not None:
            specs[name] = spec_file.text
            problem = spec_files.problem(
                specs, modules, aggregates, {name: spec_file.shown}, template_root=template.root
            )
        if problem:
            raise DddError(problem)
        if template.remark:
            note(f"note: {template.remark}")
        answers = with_modules(project.answers, modules, aggregates)
        if specs or "specs" in answers:
            answers["specs"] = specs
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
    _install(project, rendered, answers_content, f"ddd add-module {name}")
    info(f"Added module '{name}' (aggregate {rendered.aggregate}) in {project.root}:")
    info(tree(written, root="."))
    steps = ["uv run pytest"]
    if (project.root / "alembic.ini").is_file():
        steps.insert(0, "uv run alembic upgrade heads   # its tables, from its own migration")
    steps.append(f"git add -A && git commit -m 'Add the {name} module'   # before `ddd update`")
    next_steps(steps)


def _install(
    project: Project, rendered: "ModuleRender", answers_content: bytes, command: str
) -> None:
    """Write the module all at once: render into a folder inside the project, then move.

    A failure, an interrupt or a kill at any moment leaves no half module: see
    :mod:`copier_ddd.transaction`.
    """
    staging = Path(tempfile.mkdtemp(prefix=".ddd-add-", dir=project.root))
    try:
        for folder in rendered.folders:
            (staging / folder).mkdir(parents=True, exist_ok=True)
        for file in rendered.files.values():
            target = staging / file.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(file.content)
            target.chmod(file.mode)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    roots = sorted(rendered.roots)
    folders: list[PurePosixPath] = []  # the roots' parents the project lacks, outermost first
    for root in roots:
        for parent in reversed(root.parents[:-1]):
            if parent not in folders and not (project.root / parent).exists():
                folders.append(parent)
    journal = Journal(
        command=command,
        staging=staging.name,
        moves=[((PurePosixPath(staging.name) / r).as_posix(), r.as_posix()) for r in roots],
        folders=[f.as_posix() for f in folders],
    )
    apply(project.root, journal, answers_content)


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
    with _writing(dry_run=dry_run):
        _remove_module(name, dry_run=dry_run, force=force)


def _remove_module(name: str, *, dry_run: bool, force: bool) -> None:
    from ..render import TemplateRenderer  # lazy: keeps `ddd --help` instant
    from ..sources import checkout

    project = load(Path.cwd())
    if name not in project.modules:
        have = ", ".join(project.modules) or "none"
        msg = f"there is no module '{name}' in this project (modules: {have}): see `ddd list`"
        raise DddError(msg)
    modules = [m for m in project.modules if m != name]
    aggregates = {m: a for m, a in project.aggregate_names.items() if m != name}
    specs = {m: s for m, s in project.specs.items() if m != name}
    with checkout(project.template_source, project.version) as template:
        if template.remark:
            note(f"note: {template.remark}")
        renderer = TemplateRenderer(template.root, project.root, project.answers)
        rendered = renderer.module(name)
        answers = with_modules(project.answers, modules, aggregates)
        if "specs" in answers:
            answers["specs"] = specs
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
    from ..migrations import removal_problem

    blocked = removal_problem(project, name, rendered.files, force=force)
    if blocked:
        raise DddError(blocked)
    if dry_run:
        info(f"Would delete (dry run, nothing deleted) in {project.root}:")
        info(tree(present, root="."))
        info(f"and remove '{name}' from {ANSWERS_FILE}")
        return
    _uninstall(project, sorted(rendered.roots), answers_content, f"ddd remove-module {name}")
    info(f"Removed module '{name}' from {project.root}:")
    info(tree(present, root="."))
    info(f"and its entry in {ANSWERS_FILE}")
    next_steps(["uv run pytest", f"git add -A && git commit -m 'Remove the {name} module'"])


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


def _uninstall(
    project: Project, roots: list[PurePosixPath], answers_content: bytes, command: str
) -> None:
    """Move the module's folders aside, rewrite the answers, then delete: all or nothing.

    Until the answers file is rewritten, everything removed can be moved back, even after
    a kill: see :mod:`copier_ddd.transaction`.
    """
    trash = Path(tempfile.mkdtemp(prefix=".ddd-remove-", dir=project.root))
    present = [root for root in roots if os.path.lexists(project.root / root)]
    journal = Journal(
        command=command,
        staging=trash.name,
        moves=[(r.as_posix(), f"{trash.name}/{index}") for index, r in enumerate(present)],
    )
    apply(project.root, journal, answers_content)


@user_errors
def list_modules(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List the project's modules: aggregate class, and what its spec gives it (or bare)."""
    from ..naming import module_specs  # lazy: keeps `ddd --help` instant
    from ..specs import parsed

    project = load(Path.cwd())
    compiled = parsed(
        f"a spec in {ANSWERS_FILE}",
        lambda: module_specs(project.modules, project.aggregate_names, project.specs),
    )
    rows = [
        {
            "name": m["name"],
            "aggregate": m.get("aggregate") or m["name"],
            "spec": m["name"] in project.specs,
            "shape": _shape(m),
        }
        for m in compiled
    ]
    if as_json:
        info(json.dumps(rows, indent=2))
        return
    if not rows:
        info("No modules yet: add one with `ddd add-module NAME`.")
        return
    width = max(len("MODULE"), *(len(r["name"]) for r in rows))
    aggregate_width = max(len("AGGREGATE"), *(len(r["aggregate"]) for r in rows))
    info(f"{'MODULE':<{width}}  {'AGGREGATE':<{aggregate_width}}  SHAPE")
    for row in rows:
        info(f"{row['name']:<{width}}  {row['aggregate']:<{aggregate_width}}  {row['shape']}")


def _shape(module: dict[str, object]) -> str:
    """'bare', or what the spec gives the aggregate: 'key code; 4 fields, 1 entity'."""
    if "error" in module:
        return f"spec error: {module['error']}"
    if module.get("bare", True):
        return "bare"
    parts = []
    for part, word in (
        ("fields", "field"),
        ("values", "value object"),
        ("lists", "list"),
        ("sets", "set"),
        ("entities", "entity"),
    ):
        items = module.get(part)
        count = len(items) if isinstance(items, list) else 0
        if count:
            plural = "entities" if word == "entity" else f"{word}s"
            parts.append(f"{count} {word if count == 1 else plural}")
    identity = module.get("key")
    if isinstance(identity, dict) and not identity.get("generated"):
        parts.insert(0, f"key {identity.get('name')}")
    return "spec: " + ", ".join(parts)
