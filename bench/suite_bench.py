"""The rendered default project's own test suite: how long a developer waits for it.

Timed as the project's developer runs it: in the project's own virtual environment (made by
`uv sync`, so only the project's dependencies and pytest plugins load), with Python writing its
bytecode cache as it does by default (the environment this runs in may set
PYTHONDONTWRITEBYTECODE, which would make every run recompile every module).
"""

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from bench.common import clean_env, median_of, render, wall_time

GOAL_SECONDS = 5.0


def developer_env() -> dict[str, str]:
    """The environment of a developer's shell: no benchmark virtualenv, bytecode cached."""
    drop = {"VIRTUAL_ENV", "PYTHONDONTWRITEBYTECODE"}
    return {k: v for k, v in clean_env().items() if k not in drop}


def project_python(project: Path) -> str:
    """Create the project's environment with `uv sync`; its interpreter."""
    uv = shutil.which("uv")
    if uv is None:
        msg = "uv is needed to create the rendered project's environment (scripts/env.sh)"
        raise SystemExit(msg)
    subprocess.run([uv, "sync", "--quiet"], cwd=project, env=developer_env(), check=True)
    return str(project / ".venv" / "bin" / "python")


def timings(repeats: int = 3) -> dict[str, float]:
    """Render the defaults, then time `pytest -q` in the project (median of ``repeats``)."""
    with tempfile.TemporaryDirectory() as folder:
        project = render(Path(folder) / "project")
        command = [project_python(project), "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        env = developer_env()
        wall_time(command, project, env)  # warm-up: byte-compile, fill OS caches
        return median_of(repeats, lambda: wall_time(command, project, env))


def median_seconds(repeats: int = 3) -> float:
    """The median wall time of the rendered default suite."""
    return timings(repeats)["median"]


if __name__ == "__main__":
    figures = timings()
    print(json.dumps({"rendered default suite (s)": figures, "goal": f"<= {GOAL_SECONDS} s"}))
