"""The rendered default project's own test suite: how long a developer waits for it."""

import tempfile
from pathlib import Path

from bench.common import median_of, python, render, wall_time

GOAL_SECONDS = 5.0


def run(repeats: int = 3) -> dict[str, object]:
    """Render the defaults, then time `pytest -q` in the project (median of ``repeats``)."""
    with tempfile.TemporaryDirectory() as folder:
        project = render(Path(folder) / "project")
        command = [python(), "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        wall_time(command, project)  # warm-up: byte-compile, fill OS caches
        timing = median_of(repeats, lambda: wall_time(command, project))
    return {
        "rendered default suite (s)": timing,
        "goal": f"<= {GOAL_SECONDS} s",
        "met": timing["median"] <= GOAL_SECONDS,
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
