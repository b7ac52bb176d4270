"""What the benchmarks share: rendering a project, timing commands, medians."""

import os
import statistics
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def render(destination: Path, data: Mapping[str, object] | None = None) -> Path:
    """Render the template's working tree into ``destination`` with default answers."""
    from copier.errors import DirtyLocalWarning  # only the benchmarks that render pay for it

    from tests.support import render as render_working_tree

    with warnings.catch_warnings():
        # Rendering the working tree, uncommitted changes included, is the point here.
        warnings.simplefilter("ignore", DirtyLocalWarning)
        return render_working_tree(destination, data)


def run_probe(project: Path, code: str) -> str:
    """Run Python ``code`` inside a rendered ``project`` (its src on the path); its stdout."""
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=project,
        env={**clean_env(), "PYTHONPATH": str(project / "src")},
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def clean_env() -> dict[str, str]:
    """The environment without settings that would change what a project does."""
    return {k: v for k, v in os.environ.items() if k not in {"DB_BACKEND", "DATABASE_URL"}}


def wall_time(command: list[str], cwd: Path, env: Mapping[str, str] | None = None) -> float:
    """Seconds one run of ``command`` takes (in ``env``, by default ours); it must succeed."""
    start = time.perf_counter()
    environment = clean_env() if env is None else env
    subprocess.run(command, cwd=cwd, env=environment, check=True, capture_output=True)
    return time.perf_counter() - start


def median_of(repeats: int, measure: Callable[[], float]) -> dict[str, float]:
    """Median, min and max of ``repeats`` measurements."""
    samples = [measure() for _ in range(repeats)]
    return {
        "median": statistics.median(samples),
        "min": min(samples),
        "max": max(samples),
        "runs": float(repeats),
    }
