"""`ddd new`: render a project, validated before anything is written, then git init + lock."""

import sys
import warnings
from pathlib import Path, PurePosixPath
from typing import Annotated

import typer

from ..errors import DddError
from ..output import flush, info, next_steps, note, tree
from . import user_errors


def register(app: typer.Typer) -> None:
    """Add this group's commands to ``app``."""
    app.command("new")(new)


@user_errors
def new(
    dest: Annotated[Path, typer.Argument(help="The folder to create (new or empty).")],
    template: Annotated[
        str | None,
        typer.Option(
            "--template",
            metavar="SRC",
            help="A template path or git URL (default: the template copier-ddd ships).",
        ),
    ] = None,
    defaults: Annotated[
        bool, typer.Option("--defaults", help="Answer every question not given with its default.")
    ] = False,
    project_name: Annotated[
        str | None, typer.Option("--project-name", help="The human name, e.g. 'Acme Shop'.")
    ] = None,
    package_name: Annotated[
        str | None,
        typer.Option("--package-name", help="The Python package (derived from the name)."),
    ] = None,
    module: Annotated[
        list[str] | None,
        typer.Option("--module", metavar="NAME", help="A module (bounded context); repeat it."),
    ] = None,
    db: Annotated[
        str | None, typer.Option("--db", metavar="BACKEND", help="The default DB_BACKEND.")
    ] = None,
    entrypoint: Annotated[
        str | None,
        typer.Option("--entrypoint", metavar="STYLE", help="cli, http, both or none."),
    ] = None,
    python: Annotated[
        str | None,
        typer.Option("--python", metavar="X.Y", help="The lowest Python version supported."),
    ] = None,
    spec: Annotated[
        list[str] | None,
        typer.Option(
            "--spec",
            metavar="FILE",
            help="A module from a YAML aggregate spec (docs/specs.md); repeat it. The module is "
            "named by the file's `module:` key, else by its stem (specs/listings.yaml: listings).",
        ),
    ] = None,
    aggregate: Annotated[
        list[str] | None,
        typer.Option(
            "--aggregate",
            metavar="MODULE=Class",
            help="The aggregate class of a module when the derived one is wrong (people=Person).",
        ),
    ] = None,
    examples: Annotated[
        bool | None,
        typer.Option("--examples/--no-examples", help="Add the worked example modules?"),
    ] = None,
    docker: Annotated[
        bool | None,
        typer.Option("--docker/--no-docker", help="Add a container (Dockerfile, compose)?"),
    ] = None,
    ci: Annotated[
        bool | None, typer.Option("--ci/--no-ci", help="Add a GitHub Actions workflow?")
    ] = None,
    vscode: Annotated[
        bool | None, typer.Option("--vscode/--no-vscode", help="Add VS Code settings?")
    ] = None,
) -> None:
    """Create a project from the template: validated first, then rendered, then git init.

    Every answer is checked with the template's own validators before anything is written.
    Without --defaults, copier asks the questions you did not answer with options.
    """
    from ..naming import answer_problems  # lazy: keeps `ddd --help` instant
    from ..sources import (
        bundled_template,
        checkout,
        is_dirty,
        is_url,
        latest_version,
        updatable,
    )
    from ..specs import problem as spec_problem

    _refuse_non_empty(dest)
    if not defaults and not sys.stdin.isatty():
        msg = (
            "there is no terminal to ask the questions on: add --defaults (with options such as "
            "--project-name and --module for the answers you want)"
        )
        raise DddError(msg)
    bundled = template is None
    source = str(bundled_template()) if template is None else template
    if not is_url(source):  # recorded as `_src_path`: must work from any folder later
        source = str(Path(source).expanduser().resolve())
    aggregate_names = _aggregate_names(aggregate or [])
    answers: dict[str, object] = {
        key: value
        for key, value in {
            "project_name": project_name,
            "package_name": package_name,
            "modules": list(module) if module else None,
            "aggregate_names": aggregate_names or None,
            "db_backend": db,
            "entrypoint": entrypoint,
            "python_version": python,
            "examples": examples,
            "with_docker": docker,
            "with_ci": ci,
            "with_vscode": vscode,
        }.items()
        if value is not None
    }
    if not is_url(source) and not (Path(source).expanduser() / "copier.yml").is_file():
        msg = f"there is no copier template at {source} (no copier.yml): check --template"
        raise DddError(msg)
    # The version copier will render: this checkout's work tree for the bundled template,
    # otherwise the newest release tag (copier's default), validated and rendered alike.
    version = None if bundled else latest_version(source)
    with checkout(source, version) as local:
        specs, files = _specs(spec or [], template_root=local.root)
        modules = [*(module or []), *(m for m in specs if m not in (module or []))]
        if specs:
            answers["modules"] = modules
        problems = answer_problems(answers, template_root=local.root, every_default=defaults)
        if not problems and specs:
            problem = spec_problem(specs, modules, aggregate_names, files, template_root=local.root)
            problems = [problem] if problem else []
            answers["specs"] = specs
    if problems:
        listed = "; ".join(p.rstrip(".") for p in problems)
        msg = f"{len(problems)} answers are refused: {listed}" if len(problems) > 1 else listed
        raise DddError(msg)
    can_update = updatable(source)
    if bundled and can_update and not is_url(source) and is_dirty(Path(source)):
        note(f"note: the template in {source} has uncommitted changes: they are included")
    _render(source, dest, answers, defaults=defaults, vcs_ref="HEAD" if bundled else version)
    _finish(dest, source, updatable=can_update)


def _aggregate_names(pairs: list[str]) -> dict[str, str]:
    """``--aggregate people=Person`` options as a mapping."""
    names: dict[str, str] = {}
    for pair in pairs:
        module, equals, name = pair.partition("=")
        if not equals or not module.strip() or not name.strip():
            msg = f"--aggregate takes MODULE=Class, such as people=Person, got '{pair}'"
            raise DddError(msg)
        names[module.strip()] = name.strip()
    return names


def _specs(paths: list[str], *, template_root: Path) -> tuple[dict[str, object], dict[str, str]]:
    """The spec of each module named by ``--spec`` files, and the file each came from."""
    from ..specs import module_of, read

    specs: dict[str, object] = {}
    files: dict[str, str] = {}
    for path in paths:
        spec = read(path)
        module = module_of(spec, template_root=template_root)
        if module in specs:
            msg = f"spec files {files[module]} and {path} are both for module '{module}': give one"
            raise DddError(msg)
        specs[module] = spec.text
        files[module] = path
    return specs, files


def _refuse_non_empty(dest: Path) -> None:
    if dest.exists() and not dest.is_dir():
        msg = f"{dest} is a file: give a new or empty folder as DEST"
        raise DddError(msg)
    if dest.is_dir() and any(dest.iterdir()):
        msg = f"{dest} is not empty: give a new or empty folder as DEST (nothing was written)"
        raise DddError(msg)


def _render(
    source: str,
    dest: Path,
    answers: dict[str, object],
    *,
    defaults: bool,
    vcs_ref: str | None,
) -> None:
    """copier's own rendering, without --trust (the template needs none)."""
    from copier import run_copy
    from copier.errors import CopierAnswersInterrupt, CopierError, UnsafeTemplateError

    from ..caching import keep_compiled_templates

    keep_compiled_templates()
    existed = dest.exists()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the dirty-template warning is said above
            run_copy(
                source,
                dest,
                data=answers,
                defaults=defaults,
                unsafe=False,
                quiet=True,
                vcs_ref=vcs_ref,
            )
    except CopierAnswersInterrupt:
        _clean(dest, existed=existed)
        msg = "interrupted: nothing was written"
        raise DddError(msg) from None
    except UnsafeTemplateError as error:
        _clean(dest, existed=existed)
        raise DddError(unsafe_message(source, error)) from None
    except (CopierError, ValueError) as error:
        _clean(dest, existed=existed)
        reason = str(error).strip().splitlines()[-1] if str(error).strip() else repr(error)
        msg = f"copier could not render {source}: {reason}"
        raise DddError(msg) from None


def unsafe_message(source: str, error: Exception) -> str:
    """Why ``ddd`` refuses a template that needs copier's ``--trust`` (which it never passes)."""
    first = (str(error).strip().splitlines() or ["it uses unsafe features"])[0].rstrip(".")
    features = first.split(":", 1)[-1].strip() if ":" in first else first
    return (
        f"the template {source} runs code on your machine ({features}), and `ddd` renders "
        "only templates that need no trust: read what it runs, and if you trust it, use "
        "plain `copier copy --trust` (or `copier update --trust`) instead"
    )


def _clean(dest: Path, *, existed: bool) -> None:
    import shutil

    if existed:
        for child in dest.iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    else:
        shutil.rmtree(dest, ignore_errors=True)


def _finish(dest: Path, source: str, *, updatable: bool) -> None:
    from ..hooks import run_all
    from ..project import load

    written = [
        PurePosixPath(p.relative_to(dest).as_posix())
        for p in sorted(dest.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(dest).parts
    ]
    info(f"Created {dest} from {source}:")
    info(tree(written, root=str(dest), max_depth=3))
    flush()
    for step in run_all(dest):
        info(f"{'done' if step.done else 'skip'}  {step.name}: {step.detail}")
    if updatable:
        info(f"Updates: `ddd update` (or `copier update`) takes new versions from {source}.")
    else:
        info(
            f"Updates: {source} is not a git repository, so `copier update` cannot update this "
            "project; to be able to, create it with `--template` pointing at a git clone or "
            "URL of copier-ddd."
        )
    project = load(dest)
    script = project.package.replace("_", "-")
    steps = [f"cd {dest}", "uv sync", "uv run pytest"]
    if project.answers.get("entrypoint") in {"cli", "both"}:
        steps.append(f"uv run {script} --help")
    steps.append("ddd add-module NAME   # grow it one bounded context at a time")
    next_steps(steps)
