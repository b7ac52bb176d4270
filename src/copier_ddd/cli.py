"""The `ddd` command line: one Typer app, one file per command group under ``commands/``.

Importing this module is cheap (Typer and the standard library): copier, Jinja and the
renderer are imported by the commands that use them, so `ddd --help` answers at once.
"""

from importlib import import_module

import typer

app = typer.Typer(
    name="ddd",
    help=(
        "Start and grow Domain-Driven-Design, hexagonal Python services from the copier-ddd "
        "template. Run `ddd COMMAND --help` for a command's options."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

# The command groups, in the order `ddd --help` lists them. Each module under commands/ has
# `register(app)`; adding a command file is adding its name here.
COMMAND_GROUPS = (
    "new",
    "module",
    "project",
    "graph",
)

for _group in COMMAND_GROUPS:
    import_module(f"copier_ddd.commands.{_group}").register(app)


def main() -> None:
    """Console-script entry point (`ddd`)."""
    app()
