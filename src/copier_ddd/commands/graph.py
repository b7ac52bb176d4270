"""`ddd graph`: a diagram of the modules, their layers and the imports between them.

Mermaid in Markdown by default; an SVG or PNG image drawn by Graphviz's ``dot`` with
``--format svg`` / ``png``.

The picture is read from the code, the syntax tree of every file under ``src/<package>/``,
never from a description, so it cannot go stale. Imports under ``if TYPE_CHECKING:`` never
run and are left out; imports made with ``importlib`` (the composition root's discovery of
modules) are not seen. Arrows that break one of the architecture rules of the rendered
project's import-linter contracts are drawn in red and listed under the diagram.
"""

import ast
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer

from ..errors import DddError
from ..output import info, note
from ..project import Project, load, write_atomically
from . import user_errors

CORE = "core"
TOP = ""
LAYERS = ("entrypoints", "infrastructure", "application", "domain")
CORE_LAYERS = ("infrastructure", "application", "domain")
MODULE_ROOT = "module"
#: Frameworks and drivers a domain or an application layer must not import.
FRAMEWORKS = frozenset(
    {
        "fastapi",
        "httpx",
        "pydantic",
        "pydantic_settings",
        "sqlalchemy",
        "starlette",
        "typer",
        "uvicorn",
    },
)
RED = "stroke:#d62728,stroke-width:3px,color:#d62728"


def register(app: typer.Typer) -> None:
    """Add this group's commands to ``app``."""
    app.command("graph")(graph)


@dataclass(frozen=True, order=True)
class Box:
    """One node: a layer of a module, a layer of the core, or a top-level part of the package."""

    group: str  # CORE, a module's name, or TOP
    part: str  # a layer, MODULE_ROOT, or the top-level module's name

    @property
    def node_id(self) -> str:
        """An identifier Mermaid accepts."""
        if self.group == TOP:
            return f"top_{self.part}"
        prefix = "core" if self.group == CORE else f"mod_{self.group}"
        return f"{prefix}_{self.part}"

    @property
    def is_module(self) -> bool:
        """Part of a bounded context under ``modules/``."""
        return self.group not in (CORE, TOP)

    def __str__(self) -> str:
        return self.part if self.group == TOP else f"{self.group}.{self.part}"


@dataclass(frozen=True)
class Imports:
    """What the code imports: edges between boxes, and frameworks imported by inner layers."""

    edges: Counter[tuple[Box, Box]]
    frameworks: dict[Box, set[str]]
    boxes: set[Box]


def box_of(package: str, dotted: str) -> Box:
    """The box a dotted module name of ``package`` belongs to."""
    parts = dotted.split(".")[1:] if dotted != package else []
    if not parts:
        return Box(TOP, package)
    head, *rest = parts
    if head == "modules" and rest:
        module, *inner = rest
        layer = inner[0] if inner and inner[0] in LAYERS else MODULE_ROOT
        return Box(module, layer)
    if head == CORE:
        return Box(CORE, rest[0] if rest and rest[0] in CORE_LAYERS else CORE)
    return Box(TOP, head)


def source_modules(package_dir: Path, package: str) -> dict[str, Path]:
    """Every Python file of the package, by its dotted module name."""
    found = {}
    for path in sorted(package_dir.rglob("*.py")):
        relative = path.relative_to(package_dir).with_suffix("")
        parts = [package, *relative.parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _imports_that_run(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement, except those only type checkers see."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
        else:
            stack.extend(ast.iter_child_nodes(node))


def _targets(
    node: ast.Import | ast.ImportFrom,
    current: str,
    is_package: bool,
    known: set[str],
) -> Iterator[str]:
    """The dotted names an import statement brings in (submodules when they exist)."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    base = node.module or ""
    if node.level:
        anchor = current.split(".") if is_package else current.split(".")[:-1]
        anchor = anchor[: len(anchor) - (node.level - 1)]
        base = ".".join([*anchor, *([node.module] if node.module else [])])
    for alias in node.names:
        submodule = f"{base}.{alias.name}"
        yield submodule if submodule in known else base


def read_imports(package_dir: Path, package: str) -> Imports:
    """Parse every file of the package; collect the imports that cross a box's border."""
    files = source_modules(package_dir, package)
    known = set(files)
    edges: Counter[tuple[Box, Box]] = Counter()
    frameworks: dict[Box, set[str]] = {}
    boxes = {box_of(package, name) for name in files}
    for name, path in files.items():
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        except (SyntaxError, UnicodeDecodeError) as error:
            line = getattr(error, "lineno", None)
            where = f" (line {line})" if line else ""
            msg = f"cannot read {path}{where}: it is not valid Python; fix it and run again"
            raise DddError(msg) from None
        source = box_of(package, name)
        is_package = path.name == "__init__.py"
        for node in _imports_that_run(tree):
            for target in _targets(node, name, is_package, known):
                top = target.split(".")[0]
                if top == package:
                    destination = box_of(package, target)
                    if destination != source:
                        edges[source, destination] += 1
                        boxes.add(destination)
                elif top in FRAMEWORKS and source.part in ("domain", "application"):
                    frameworks.setdefault(source, set()).add(top)
    return Imports(edges, frameworks, boxes)


def broken_rule(source: Box, target: Box) -> str | None:
    """The architecture rule an import from ``source`` to ``target`` breaks, if any."""
    if source.is_module and target.is_module and source.group != target.group:
        return "a module never imports another module"
    if source.group == CORE and target.is_module:
        return "the core imports no module"
    same_group = source.group == target.group
    if source.part == "domain":
        allowed = target == Box(CORE, "domain") or (
            same_group and target.part in ("domain", MODULE_ROOT)
        )
        return None if allowed else "a domain imports only the standard library and core.domain"
    outer = {"infrastructure", "entrypoints", "bootstrap", "main", "__main__"}
    if source.part == "application" and target.part in outer:
        return "application imports no infrastructure nor entrypoints"
    if source.part == "infrastructure" and target.part == "entrypoints":
        return "infrastructure imports no entrypoints"
    return None


def _is_package_root(box: Box, package: str) -> bool:
    """An ``__init__`` that only makes a package: a module's, the core's, ``modules/``'s."""
    return box.part in (MODULE_ROOT, CORE, "modules", package)


def _group_order(group: str, modules: list[str]) -> tuple[int, int, str]:
    if group == CORE:
        return (0, 0, group)
    if group == TOP:
        return (2, 0, group)
    return (1, modules.index(group) if group in modules else len(modules), group)


def _layer_order(box: Box) -> tuple[int, str]:
    order = (*LAYERS, MODULE_ROOT, CORE)
    return (order.index(box.part) if box.part in order else len(order), box.part)


@dataclass(frozen=True)
class Picture:
    """What the diagram shows, whatever draws it: groups of boxes, and arrows."""

    groups: list[tuple[str, list[Box]]]
    arrows: list[tuple[Box, Box, int, str | None]]  # source, target, count, rule broken
    broken: list[str]

    @staticmethod
    def of(project: Project, imports: Imports) -> "Picture":
        """The boxes worth drawing (package roots only when an arrow touches them)."""
        linked = {box for edge in imports.edges for box in edge}
        shown = {
            box
            for box in imports.boxes
            if box in linked or not _is_package_root(box, project.package)
        }
        names = sorted(
            {box.group for box in shown},
            key=lambda group: _group_order(group, project.modules),
        )
        groups = [
            (group, sorted((b for b in shown if b.group == group), key=_layer_order))
            for group in names
        ]
        arrows = []
        broken = []
        for (source, target), count in sorted(imports.edges.items()):
            rule = broken_rule(source, target)
            arrows.append((source, target, count, rule))
            if rule is not None:
                broken.append(f"{source} imports {target}: {rule}")
        for box, frameworks in sorted(imports.frameworks.items()):
            broken.append(
                f"{box} imports {', '.join(sorted(frameworks))}: "
                f"a {box.part} layer imports no framework",
            )
        return Picture(groups, arrows, broken)


def _title(group: str) -> str:
    return "core" if group == CORE else f"module {group}"


def _cluster_id(group: str) -> str:
    return "core" if group == CORE else f"mod_{group}"


def mermaid(picture: Picture) -> str:
    """The diagram as Markdown (a ``mermaid`` block)."""
    lines = ["```mermaid", "flowchart TD"]
    for group, members in picture.groups:
        if group == TOP:
            lines.extend(f'    {box.node_id}["{box.part}"]' for box in members)
            continue
        lines.append(f'    subgraph {_cluster_id(group)}["{_title(group)}"]')
        lines.extend(f'        {box.node_id}["{box.part}"]' for box in members)
        lines.append("    end")
    red_links = []
    for index, (source, target, count, rule) in enumerate(picture.arrows):
        label = f"|{count}|" if count > 1 else ""
        lines.append(f"    {source.node_id} -->{label} {target.node_id}")
        if rule is not None:
            red_links.append(index)
    if red_links:
        lines.append(f"    linkStyle {','.join(map(str, red_links))} {RED}")
    lines.append("```")
    return "\n".join(lines)


def image(project: Project, picture: Picture, image_format: str) -> bytes:
    """The diagram drawn by Graphviz's ``dot``, as SVG or PNG bytes."""
    import graphviz  # only `ddd graph --format svg/png` needs it

    drawing = graphviz.Digraph(
        name=project.package,
        graph_attr={
            "label": f"{project.package}: modules, layers and imports",
            "labelloc": "t",
            "fontname": "Helvetica",
        },
        node_attr={"shape": "box", "style": "rounded", "fontname": "Helvetica"},
        edge_attr={"fontname": "Helvetica"},
    )
    for group, members in picture.groups:
        if group == TOP:
            for box in members:
                drawing.node(box.node_id, box.part)
            continue
        with drawing.subgraph(name=f"cluster_{_cluster_id(group)}") as cluster:
            cluster.attr(label=_title(group), style="rounded")
            for box in members:
                cluster.node(box.node_id, box.part)
    for source, target, count, rule in picture.arrows:
        attributes = {"label": str(count)} if count > 1 else {}
        if rule is not None:
            attributes |= {"color": "#d62728", "fontcolor": "#d62728", "penwidth": "3"}
        drawing.edge(source.node_id, target.node_id, **attributes)
    try:
        return bytes(drawing.pipe(format=image_format))
    except graphviz.ExecutableNotFound:
        msg = (
            f"--format {image_format} needs Graphviz's `dot` program, which is not on PATH: "
            "install Graphviz (e.g. `apt-get install graphviz`), or use --format md"
        )
        raise DddError(msg) from None


def document(project: Project, diagram: str, broken: list[str]) -> str:
    """The Markdown page: a title, how it was made, the diagram and the verdict."""
    verdict = (
        ["## Rules broken", "", *(f"- {line}" for line in broken)]
        if broken
        else ["No import breaks an architecture rule."]
    )
    return "\n".join(
        [
            f"# Architecture graph of `{project.package}`",
            "",
            f"Generated by `ddd graph` from the imports in `src/{project.package}/` (imports "
            "under `if TYPE_CHECKING:` never run and are left out). An arrow is one part "
            "importing another; its number counts the imported names when more than one. "
            "Red arrows break a rule of `docs/architecture.md`.",
            "",
            diagram,
            "",
            *verdict,
            "",
        ],
    )


FORMATS = {"md": ".md", "svg": ".svg", "png": ".png"}


def chosen_format(image_format: str | None, output: Path | None) -> str:
    """The format asked for, or the one the output file's suffix names (Markdown otherwise)."""
    by_suffix = {suffix: name for name, suffix in FORMATS.items()}
    if image_format is None:
        if output is None:
            return "md"
        if output.suffix not in by_suffix:
            msg = f"{output} must end in {', '.join(FORMATS.values())}, or give --format"
            raise DddError(msg)
        return by_suffix[output.suffix]
    if image_format not in FORMATS:
        msg = f"--format {image_format} is unknown; use one of: {', '.join(FORMATS)}"
        raise DddError(msg)
    if output is None and image_format != "md":
        msg = f"--format {image_format} writes an image: give --output FILE{FORMATS[image_format]}"
        raise DddError(msg)
    if output is not None and output.suffix != FORMATS[image_format]:
        msg = (
            f"{output} must end in {FORMATS[image_format]} for --format {image_format}, "
            f"e.g. docs/architecture-graph{FORMATS[image_format]}"
        )
        raise DddError(msg)
    return image_format


@user_errors
def graph(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the diagram to FILE (e.g. docs/architecture-graph.md or .svg) instead "
            "of printing it.",
        ),
    ] = None,
    image_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="md (a Mermaid diagram in Markdown), svg or png (an image drawn by Graphviz's "
            "`dot`); default: from the suffix of --output, else md.",
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option("--check", help="Exit with status 1 when an import breaks a rule."),
    ] = False,
) -> None:
    """Draw the project's modules, layers and the imports between them, from the code.

    As Mermaid in Markdown, or as an SVG or PNG image. Arrows that break an architecture rule
    are red and listed.
    """
    project = load(Path.cwd())
    kind = chosen_format(image_format, output)
    if not project.package_dir.is_dir():
        msg = f"{project.package_dir} does not exist: is this project's package_name right?"
        raise DddError(msg)
    target = None
    if output is not None:
        target = (output if output.is_absolute() else Path.cwd() / output).resolve()
        if not target.is_relative_to(project.root):
            msg = f"{output} is outside the project ({project.root}): write under docs/"
            raise DddError(msg)
    imports = read_imports(project.package_dir, project.package)
    picture = Picture.of(project, imports)
    if kind == "md":
        content = document(project, mermaid(picture), picture.broken).encode("utf-8")
    else:
        content = image(project, picture, kind)
    if target is None:
        info(content.decode("utf-8").rstrip("\n"))
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, content)
        note(f"Wrote {target.relative_to(project.root)}.")
        if kind != "md":  # an image cannot be grepped: the broken rules go to stderr too
            for line in picture.broken:
                note(f"broken: {line}")
    modules = len({box.group for box in imports.boxes if box.is_module})
    note(
        f"{modules} module(s), {len(imports.edges)} import arrow(s), "
        f"{len(picture.broken)} broken rule(s).",
    )
    if check and picture.broken:
        raise typer.Exit(1)
