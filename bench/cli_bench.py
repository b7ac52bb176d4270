"""How fast `ddd` is: `ddd --help`, `ddd new` against a bare `copier copy`, `ddd add-module`
with 1 and 50 modules already in the project, and with a two-level spec. Run from the
repository root:

    .venv/bin/python -m bench.cli_bench [--repeats N]

Prints a table and writes bench/results/cli.json. The template is a snapshot of this working
tree in a clean, tagged git repository (what a user's template looks like).
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.support import git, snapshot_template

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DDD = str(BIN / "ddd")
COPIER = str(BIN / "copier")
RESULTS = REPO / "bench" / "results" / "cli.json"
GOALS = {
    "ddd --help": "<= 0.2 s",
    "ddd new (git init + commit + uv lock)": "",
    "ddd new (git init + commit, no uv)": "within 10% of copier copy",
    "copier copy (bare)": "",
    "ddd add-module, 1 module": "<= 0.5 s",
    "ddd add-module, 50 modules": "<= 0.5 s, <= 1.2x the 1-module figure",
    "ddd add-module --spec (two levels)": "<= 0.5 s",
}
#: The spec add-module is measured with: issue 10's two-level warehouse.
SPEC = REPO / "tests" / "specs" / "warehouses.yaml"


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    """Wall-clock seconds of one successful run."""
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def stats(samples: list[float]) -> dict[str, float]:
    return {
        "median": statistics.median(samples),
        "min": min(samples),
        "max": max(samples),
        "runs": len(samples),
    }


def measure(repeats: int, once: Callable[[int], float]) -> dict[str, float]:
    once(-1)  # warm-up: caches, page cache, compiled templates
    return stats([once(i) for i in range(repeats)])


def measure_side_by_side(
    repeats: int, first: Callable[[int], float], second: Callable[[int], float]
) -> tuple[dict[str, float], dict[str, float]]:
    """Both measures, alternating run by run, so that drift in the machine hits both alike."""
    first(-1), second(-1)  # warm-up
    pairs = [(first(i), second(i)) for i in range(repeats)]
    return stats([a for a, _ in pairs]), stats([b for _, b in pairs])


def without_uv() -> dict[str, str]:
    """An environment whose PATH has git but no uv (so `ddd new` skips `uv lock`)."""
    env = dict(os.environ)
    env["PATH"] = "/usr/bin:/bin"
    return env


MODULE_COUNTS = (1, 10, 50)


Figures = dict[str, dict[str, float]]


def collect(repeats: int) -> tuple[Figures, dict[str, float]]:
    """Every figure of this benchmark, medians of ``repeats`` runs, measured side by side."""
    figures: Figures = {}
    with tempfile.TemporaryDirectory(prefix="ddd-bench-") as scratch:
        work = Path(scratch)
        template = snapshot_template(work / "template")

        figures["ddd --help"] = measure(repeats, lambda _: run([DDD, "--help"], work))

        def copier_copy(i: int) -> float:
            dest = work / f"copied-{i}"
            shutil.rmtree(dest, ignore_errors=True)
            return run([COPIER, "copy", "--quiet", "--defaults", str(template), str(dest)], work)

        def ddd_new(i: int, *, env: dict[str, str] | None, tag: str) -> float:
            dest = work / f"new-{tag}-{i}"
            shutil.rmtree(dest, ignore_errors=True)
            return run(
                [DDD, "new", str(dest), "--template", str(template), "--defaults"], work, env
            )

        # Two seconds a run and a spread of +-0.3 s between runs on a shared machine: at
        # least 9 pairs, so that the ratio of medians is not one noisy run's.
        copier_figure, new_figure = measure_side_by_side(
            max(repeats, 9), copier_copy, lambda i: ddd_new(i, env=without_uv(), tag="git")
        )
        figures["copier copy (bare)"] = copier_figure
        figures["ddd new (git init + commit, no uv)"] = new_figure
        figures["ddd new (git init + commit + uv lock)"] = measure(
            max(3, repeats // 2), lambda i: ddd_new(i, env=None, tag="uv")
        )

        for count in MODULE_COUNTS:
            project = work / f"project-{count}"
            modules = ",".join(f"m{n:02d}" for n in range(count))
            subprocess.run(
                [
                    COPIER,
                    "copy",
                    "--quiet",
                    "--defaults",
                    "-d",
                    f"modules=[{modules}]",
                    str(template),
                    str(project),
                ],
                check=True,
                capture_output=True,
            )
            git(project, "init", "--quiet")
            git(project, "add", "--all")
            git(project, "commit", "--quiet", "-m", "start")

            def add_module(_: int, project: Path = project) -> float:
                seconds = run([DDD, "add-module", "extra"], project)
                git(project, "checkout", "--quiet", ".")
                git(project, "clean", "--quiet", "-fd")
                return seconds

            label = f"ddd add-module, {count} module{'s' if count > 1 else ''}"
            figures[label] = measure(repeats, add_module)
            if count == 1:

                def add_spec_module(_: int, project: Path = project) -> float:
                    seconds = run([DDD, "add-module", "depots", "--spec", str(SPEC)], project)
                    git(project, "checkout", "--quiet", ".")
                    git(project, "clean", "--quiet", "-fd")
                    return seconds

                figures["ddd add-module --spec (two levels)"] = measure(repeats, add_spec_module)

    ratios = {
        "new_vs_copier": figures["ddd new (git init + commit, no uv)"]["median"]
        / figures["copier copy (bare)"]["median"],
        "add_module_50_vs_1": figures["ddd add-module, 50 modules"]["median"]
        / figures["ddd add-module, 1 module"]["median"],
    }
    return figures, ratios


def main() -> None:
    """Run, print a table, write bench/results/cli.json."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=7)
    figures, ratios = collect(parser.parse_args().repeats)
    ratio_new, ratio_add = ratios["new_vs_copier"], ratios["add_module_50_vs_1"]
    print(f"{'measure':<40} {'median':>8} {'min':>8} {'max':>8}  goal")
    for name, figure in figures.items():
        print(
            f"{name:<40} {figure['median']:>7.3f}s {figure['min']:>7.3f}s "
            f"{figure['max']:>7.3f}s  {GOALS.get(name, '')}"
        )
    print(f"ddd new / copier copy: {ratio_new:.2f}x; add-module 50 / 1 modules: {ratio_add:.2f}x")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    payload = {"figures": figures, "ratios": ratios, "python": sys.version.split()[0]}
    RESULTS.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"wrote {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
