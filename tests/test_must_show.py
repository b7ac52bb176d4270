"""The foundation's must-show, exactly as a user runs it: copier, then uv in the project."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import REPO, project_env


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        args,
        cwd=cwd,
        env=project_env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert result.returncode == 0, (
        f"{' '.join(args)}:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    )
    return result


@pytest.mark.slow
def test_acme_shop_renders_without_trust_and_passes_with_uv(tmp_path: Path) -> None:
    uv = shutil.which("uv") or pytest.fail("uv is needed: scripts/test installs it")
    destination = tmp_path / "acme"
    run(
        [
            sys.executable, "-m", "copier", "copy", "--defaults", "--vcs-ref", "HEAD",
            "-d", "project_name=Acme Shop", "-d", "package_name=acme_shop",
            "-d", "modules=[orders, billing, user_accounts]",
            str(REPO), str(destination),
        ],
        tmp_path,
    )  # fmt: skip

    run([uv, "sync", "--quiet"], destination)
    tests = run([uv, "run", "pytest", "-q", "-p", "no:cacheprovider"], destination)
    run([uv, "run", "ruff", "check", "."], destination)
    run([uv, "run", "mypy", "--strict", "src"], destination)

    assert " passed" in tests.stdout
    assert "failed" not in tests.stdout
