"""The architecture rules of pyproject.toml ([tool.importlinter]) hold for the code as it is."""

from pathlib import Path

from importlinter.cli import lint_imports

from tests.logs import loggers_kept_enabled

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def test_every_import_contract_is_kept() -> None:
    with loggers_kept_enabled():
        exit_code = lint_imports(config_filename=str(PYPROJECT), no_cache=True, no_logo=True)

    assert exit_code == 0, "an import breaks an architecture rule: see the report above"
