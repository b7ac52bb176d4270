"""How the commands talk: plain lines, file trees and next steps (no colour needed)."""

import sys
from collections.abc import Iterable, Sequence
from pathlib import PurePosixPath

import typer

from .errors import DddError

_Tree = dict[str, "_Tree"]


def info(message: str = "") -> None:
    """One line on standard output."""
    typer.echo(message)


def note(message: str) -> None:
    """A remark that is not the command's result, on standard error."""
    typer.echo(message, err=True)


def fail(error: DddError) -> typer.Exit:
    """Print ``error`` as one line on standard error; the caller raises what this returns.

    A message of several lines (a failed subprocess quoting its output) is joined with "; ".
    """
    lines = [line.strip() for line in error.message.splitlines() if line.strip()]
    typer.echo(f"error: {'; '.join(lines)}", err=True)
    return typer.Exit(error.exit_code)


def tree(paths: Iterable[PurePosixPath | str], *, root: str, max_depth: int | None = None) -> str:
    """``paths`` (files, relative to ``root``) drawn as a tree.

    Below ``max_depth`` a folder is summarised as ``name/ (N files)``.
    """
    nested: _Tree = {}
    for path in sorted(PurePosixPath(p) for p in paths):
        node = nested
        for part in path.parts:
            node = node.setdefault(part, {})
    lines = [root.rstrip("/") + "/"]
    _draw(nested, "", 1, max_depth, lines)
    return "\n".join(lines)


def _count_files(node: _Tree) -> int:
    return sum(_count_files(child) if child else 1 for child in node.values())


def _draw(node: _Tree, prefix: str, depth: int, max_depth: int | None, lines: list[str]) -> None:
    # Folders first, then files, each alphabetically: the order `tree` users expect.
    names = sorted(node, key=lambda name: (not node[name], name))
    for index, name in enumerate(names):
        last = index == len(names) - 1
        child = node[name]
        branch = "└── " if last else "├── "
        if not child:
            lines.append(f"{prefix}{branch}{name}")
            continue
        if max_depth is not None and depth >= max_depth:
            count = _count_files(child)
            lines.append(f"{prefix}{branch}{name}/ ({count} file{'s' if count != 1 else ''})")
            continue
        lines.append(f"{prefix}{branch}{name}/")
        _draw(child, prefix + ("    " if last else "│   "), depth + 1, max_depth, lines)


def next_steps(steps: Sequence[str]) -> None:
    """The commands to run next, one per line."""
    info("")
    info("Next steps:")
    for step in steps:
        info(f"  {step}")


def flush() -> None:
    """Make sure everything reached the terminal before a subprocess writes to it."""
    sys.stdout.flush()
    sys.stderr.flush()
