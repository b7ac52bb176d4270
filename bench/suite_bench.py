"""The rendered default project's own test suite: how long a developer waits for it."""

import json
import tempfile
from pathlib import Path

from bench.common import median_of, python, render, wall_time

GOAL_SECONDS = 5.0


def timings(repeats: int = 3) -> dict[str, float]:
    """Render the defaults, then time `pytest -q` in the project (median of ``repeats``)."""
    with tempfile.TemporaryDirectory() as folder:
        project = render(Path(folder) / "project")
        command = [python(), "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        wall_time(command, project)  # warm-up: byte-compile, fill OS caches
        return median_of(repeats, lambda: wall_time(command, project))


def median_seconds(repeats: int = 3) -> float:
    """The median wall time of the rendered default suite."""
    return timings(repeats)["median"]


if __name__ == "__main__":
    figures = timings()
    print(json.dumps({"rendered default suite (s)": figures, "goal": f"<= {GOAL_SECONDS} s"}))
