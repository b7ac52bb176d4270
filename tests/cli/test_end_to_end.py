"""`ddd` in real processes: new -> add-module -> the project's gates -> remove-module -> gates."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import project_env, run_gates

DDD = str(Path(sys.executable).parent / "ddd")


def ddd(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed `ddd` console script; fail with its output when it fails."""
    env = project_env()
    env["PATH"] = os.pathsep.join([str(Path(DDD).parent), env.get("PATH", "")])
    result = subprocess.run(
        [DDD, *args], cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=600
    )
    assert result.returncode == 0, f"ddd {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.mark.slow
def test_a_project_grown_and_shrunk_with_ddd_passes_its_own_gates(
    template_repo: Path, tmp_path: Path, mypy_cache: Path
) -> None:
    ddd(tmp_path, "new", "shop", "--template", str(template_repo), "--defaults",
        "--project-name", "Acme Shop", "--module", "orders")  # fmt: skip
    project = tmp_path / "shop"
    assert (project / ".git").is_dir()

    added = ddd(project / "src", "add-module", "user_accounts")
    assert "user_accounts/" in added.stdout
    listed = ddd(project, "list", "--json").stdout
    assert '"aggregate": "UserAccount"' in listed
    assert (project / "migrations/versions/user_accounts_0001.py").is_file()
    run_gates(project, mypy_cache, core=False)
    ddd(project, "doctor")

    ddd(project, "remove-module", "orders")
    assert not (project / "src/acme_shop/modules/orders").exists()
    assert not (project / "migrations/versions/orders_0001.py").exists()
    run_gates(project, mypy_cache, core=False)
