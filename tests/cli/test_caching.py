"""Compiled templates kept between renders: the same output, never another environment's code."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment
from jinja2.sandbox import SandboxedEnvironment

from copier_ddd import caching
from tests.cli.conftest import copier_render, files_of

TEMPLATES = {"page.txt": "<% 'kept' %>[{{ 'a' }}]\n  {% if true %}x{% endif %}\n"}
# Environments that compile page.txt differently, each with what it renders.
SETTINGS: list[tuple[dict[str, object], str]] = [
    ({}, "<% 'kept' %>[a]\n  x"),
    ({"keep_trailing_newline": True}, "<% 'kept' %>[a]\n  x\n"),
    ({"trim_blocks": True, "lstrip_blocks": True}, "<% 'kept' %>[a]\nx"),
    ({"variable_start_string": "<%", "variable_end_string": "%>"}, "kept[{{ 'a' }}]\n  x"),
]


def test_environments_that_compile_a_template_differently_never_share_its_entry() -> None:
    for _ in range(2):  # the second round reads every entry the first one wrote
        for options, expected in SETTINGS:
            environment = Environment(
                autoescape=True,  # the output holds nothing to escape
                loader=DictLoader(TEMPLATES),
                bytecode_cache=caching.bytecode_cache(),
                **options,  # type: ignore[arg-type]
            )
            assert environment.get_template("page.txt").render() == expected, options
    entries = list((caching.cache_root() / "jinja").iterdir())
    assert len(entries) >= len(SETTINGS)


def test_a_changed_template_is_compiled_again() -> None:
    def rendered(source: str) -> str:
        environment = SandboxedEnvironment(
            loader=DictLoader({"page.txt": source}), bytecode_cache=caching.bytecode_cache()
        )
        return environment.get_template("page.txt").render()

    assert rendered("one") == "one"
    assert rendered("two") == "two"


def test_copier_keeps_its_compiled_templates_and_renders_what_a_plain_copier_renders(
    template_repo: Path, tmp_path: Path
) -> None:
    answers = {"package_name": "acme", "modules": ["notes"]}
    assert caching.keep_compiled_templates()  # once per process: the tests' conftest did it
    assert caching.keep_compiled_templates()
    copier_render(template_repo, tmp_path / "first", answers)
    entries = {path.name for path in (caching.cache_root() / "jinja").iterdir()}
    assert len(entries) > 50  # every template file and the macro files
    cached = copier_render(template_repo, tmp_path / "cached", answers)
    assert {path.name for path in (caching.cache_root() / "jinja").iterdir()} == entries

    plain = tmp_path / "plain"
    script = (
        "import json, sys\nfrom copier import run_copy\n"
        "run_copy(sys.argv[1], sys.argv[2], data=json.loads(sys.argv[3]),"
        " defaults=True, unsafe=False, quiet=True)\n"
    )
    command = [sys.executable, "-c", script, str(template_repo), str(plain), json.dumps(answers)]
    subprocess.run(command, check=True, timeout=300)
    assert files_of(cached) == files_of(plain)


def test_no_cache_when_its_folder_cannot_be_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))

    assert caching.bytecode_cache() is None
