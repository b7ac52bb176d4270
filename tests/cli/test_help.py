"""`ddd --help`: every command listed, and nothing heavy imported to print it."""

import subprocess
import sys
from importlib import import_module

import pytest
import typer
from typer.testing import CliRunner

from copier_ddd.cli import COMMAND_GROUPS, app

COMMANDS = ["new", "add-module", "remove-module", "list", "update", "doctor"]


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in COMMANDS:
        assert f"  {command} " in result.stdout, command


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_explains_itself(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage: ddd " in result.stdout


def test_new_offers_exactly_the_documented_options() -> None:
    result = CliRunner().invoke(app, ["new", "--help"])
    for option in ["--template", "--defaults", "--project-name", "--package-name", "--module",
                   "--db", "--entrypoint", "--python"]:  # fmt: skip
        assert option in result.stdout, option


def test_help_imports_neither_copier_nor_jinja() -> None:
    code = (
        "import sys\n"
        "from copier_ddd.cli import app\n"
        "heavy = {'copier', 'jinja2', 'yaml', 'pydantic'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_each_command_group_registers_its_commands_on_any_app() -> None:
    for group in COMMAND_GROUPS:
        fresh = typer.Typer()
        import_module(f"copier_ddd.commands.{group}").register(fresh)
        assert fresh.registered_commands, group


def test_an_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(app, ["grow"])
    assert result.exit_code == 2
    assert "No such command" in result.output
