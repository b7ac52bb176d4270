"""The foundation's must-show, exactly as a user runs it: copier, then uv in the project."""

import shutil
import sys
from pathlib import Path

import pytest

from tests.support import REPO, run_command


@pytest.mark.slow
def test_acme_shop_renders_without_trust_and_passes_with_uv(tmp_path: Path) -> None:
    uv = shutil.which("uv") or pytest.fail("uv is needed: scripts/test installs it")
    destination = tmp_path / "acme"
    run_command(
        [
            sys.executable, "-m", "copier", "copy", "--defaults", "--vcs-ref", "HEAD",
            "-d", "project_name=Acme Shop", "-d", "package_name=acme_shop",
            "-d", "modules=[orders, billing, user_accounts]",
            str(REPO), str(destination),
        ],
        tmp_path,
    )  # fmt: skip

    run_command([uv, "sync", "--quiet"], destination)
    tests = run_command([uv, "run", "pytest", "-q", "-p", "no:cacheprovider"], destination)
    run_command([uv, "run", "ruff", "check", "."], destination)
    run_command([uv, "run", "mypy", "--strict", "src"], destination)

    assert " passed" in tests.stdout
    assert "failed" not in tests.stdout
