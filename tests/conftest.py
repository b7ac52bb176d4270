"""Fixtures for rendering projects and checking them."""

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from tests.support import render

Render = Callable[..., Path]


@pytest.fixture(scope="session")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One mypy cache per test process: rendered projects share the third-party part."""
    return tmp_path_factory.mktemp("mypy-cache")


@pytest.fixture
def render_project(tmp_path: Path) -> Render:
    """Render the template with some answers into a fresh folder of this test."""

    def _render(data: Mapping[str, object] | None = None, name: str = "project") -> Path:
        return render(tmp_path / name, data)

    return _render
