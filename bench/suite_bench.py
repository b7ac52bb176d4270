"""The rendered project's own test suite: how long a developer waits for it, by module count.

Timed as the project's developer runs it: in the project's own virtual environment (made by
`uv sync`, so only the project's dependencies and pytest plugins load), with Python writing its
bytecode cache as it does by default (the environment this runs in may set
PYTHONDONTWRITEBYTECODE, which would make every run recompile every module).

One module is the default project (a bare ``notes``); 5 and 10 modules add modules with issue
10's two-level warehouse spec (bays holding tags), so each extra module brings its own tables,
factory and generated tests.
"""

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from bench.common import clean_env, median_of, render, wall_time
from bench.repository_bench import WAREHOUSES

GOAL_SECONDS = 5.0
GOAL_PER_MODULE = 0.5
SIZES = (1, 5, 10)
#: The issue's warehouse spec without its class name: each module derives its own.
SPEC = "\n".join(line for line in WAREHOUSES.splitlines() if not line.startswith("aggregate:"))


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


def answers(modules: int) -> dict[str, object]:
    """The default answers, plus ``modules - 1`` warehouse-shaped modules."""
    if modules == 1:
        return {}
    extra = [f"depots_{chr(ord('a') + n)}" for n in range(modules - 1)]
    return {"modules": ["notes", *extra], "specs": dict.fromkeys(extra, SPEC)}


def timings(modules: int = 1, repeats: int = 3) -> dict[str, float]:
    """Render a project with ``modules`` modules, then time `pytest -q` in it (median)."""
    with tempfile.TemporaryDirectory() as folder:
        project = render(Path(folder) / "project", answers(modules))
        command = [project_python(project), "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        env = developer_env()
        wall_time(command, project, env)  # warm-up: byte-compile, fill OS caches
        return median_of(repeats, lambda: wall_time(command, project, env))


def median_seconds(repeats: int = 3) -> float:
    """The median wall time of the rendered default suite (one module)."""
    return timings(1, repeats)["median"]


def by_modules(repeats: int = 3) -> dict[int, float]:
    """The median suite time at 1, 5 and 10 modules."""
    return {modules: timings(modules, repeats)["median"] for modules in SIZES}


def per_extra_module(seconds: dict[int, float]) -> float:
    """What each module beyond the first adds, from the 1 and 10 module figures."""
    return (seconds[SIZES[-1]] - seconds[SIZES[0]]) / (SIZES[-1] - SIZES[0])


if __name__ == "__main__":
    figures = by_modules()
    print(
        json.dumps(
            {
                "suite (s) by modules": figures,
                "per extra module (s)": round(per_extra_module(figures), 3),
                "goal": f"<= {GOAL_SECONDS} s at 1 module, <= +{GOAL_PER_MODULE} s per module",
            },
        ),
    )
