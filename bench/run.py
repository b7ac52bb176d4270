"""Every speed goal of copier-ddd, measured in one run: ``python -m bench.run``.

Prints one table and writes bench/results/latest.json. Each figure is a median over repeated
runs; every comparison (``ddd new`` against ``copier copy``, add-module at 1/10/50 modules, the
generated repository layer against hand-written SQLAlchemy, the generated HTTP service against a
hand-written FastAPI app) is measured side by side in this run, so the ratios hold on a noisy
machine even when the absolute times move. ``--only http`` runs just the HTTP comparison,
``--only others`` everything else.
"""

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from bench import (
    cli_bench,
    http_bench,
    http_instructions,
    http_served_instructions,
    memory_bench,
    messaging_bench,
    queries_bench,
    repository_bench,
    suite_bench,
)

RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"


Row = tuple[str, str, str, bool]


def goals(
    cli: cli_bench.Figures,
    ratios: dict[str, float],
    suite_seconds: dict[int, float],
    repository_ratio: float,
    statements: dict[str, int],
) -> list[Row]:
    """(measure, figure, goal, met) for every goal of issues 5 and 10."""
    adds = {
        n: cli[f"ddd add-module, {n} module{'s' if n > 1 else ''}"]["median"] for n in (1, 10, 50)
    }
    help_time = cli["ddd --help"]["median"]
    new, add = ratios["new_vs_copier"], ratios["add_module_50_vs_1"]
    curve = ", ".join(f"{n}: {seconds:.3f} s" for n, seconds in adds.items())
    counts = "/".join(str(count) for count in statements.values())
    suite = suite_seconds[1]
    per_module = suite_bench.per_extra_module(suite_seconds)
    suites = "/".join(f"{seconds:.2f}" for seconds in suite_seconds.values())
    return [
        ("ddd --help", f"{help_time:.3f} s", "<= 0.2 s", help_time <= 0.2),
        ("ddd new / copier copy", f"{new:.2f}x", "<= 1.10x", new <= 1.1),
        ("ddd add-module at 1/10/50 modules", curve, "<= 0.5 s", max(adds.values()) <= 0.5),
        ("add-module 50 / 1 modules", f"{add:.2f}x", "<= 1.20x", add <= 1.2),
        ("rendered default test suite", f"{suite:.2f} s", "<= 5 s", suite <= 5.0),
        (
            "suite at 1/5/10 modules, per extra module",
            f"{suites} s, +{per_module:.2f} s",
            "<= +0.5 s",
            per_module <= suite_bench.GOAL_PER_MODULE,
        ),
        (
            "repository layer / hand-written (2 levels)",
            f"{repository_ratio:.2f}x",
            "<= 1.15x",
            repository_ratio <= repository_bench.TARGET_RATIO,
        ),
        (
            "list_all() statements, 2 levels, N=10/100/1000",
            counts,
            "constant",
            len(set(statements.values())) == 1,
        ),
    ]


def messaging_figure(figures: object) -> str:
    """Events/s and latency of one delivery mode, or why it was not measured."""
    if not isinstance(figures, dict):
        return str(figures)
    return (
        f"{figures['events/s']} events/s, p50 {figures['p50 ms']} ms, "
        f"p99 {figures['p99 ms']} ms ({figures['events']} events)"
    )


def messaging_rows(messaging: dict[str, object]) -> list[Row]:
    """The outbox's goal: what it adds to a use case's commit."""
    commit = messaging["commit"]
    if not isinstance(commit, dict):
        return [("commit with / without outbox", str(commit), "<= 1.30x", False)]
    ratio = float(commit["ratio"])
    figure = f"{commit['with outbox ms']} / {commit['without outbox ms']} ms = {ratio:.2f}x"
    return [("commit with / without outbox", figure, "<= 1.30x", ratio <= 1.3)]


def ratio_rows(measured: dict[str, object], what: str, key: str, unit: str) -> list[Row]:
    """One row per database and request: ``key``'s two figures and the ratio, goal 0.95."""
    rows: list[Row] = []
    for backend in http_bench.BACKENDS:
        figures = measured.get(backend)
        if not isinstance(figures, dict):
            rows.append((f"HTTP {backend}{what}", str(figures), "", True))
            continue
        for load, figure in figures.items():
            pair = figure[key]
            ratio = float(figure["ratio"])
            shown = f"{pair['generated']:,} / {pair['hand-written']:,}{unit}, {ratio:.2f}x"
            goal = f">= {http_bench.GOAL:.2f}x"
            rows.append((f"HTTP {backend}{what}: {load}", shown, goal, ratio >= http_bench.GOAL))
    return rows


def http_rows(http: dict[str, object]) -> list[Row]:
    """The HTTP goals: the same statements, and requests/s generated / hand-written >= 0.95."""
    same = bool(http.get("same statements"))
    rows: list[Row] = [
        ("HTTP: same statements per request", "yes" if same else "NO", "same", same),
    ]
    return rows + ratio_rows(http, "", "requests/s", " req/s")


def instruction_rows(counted: dict[str, object]) -> list[Row]:
    """Instructions per request, hand-written / generated >= 0.95 (steady on a busy machine)."""
    if "not measured" in counted:
        return [("HTTP instructions/request", f"not measured: {counted['not measured']}", "", True)]
    return ratio_rows(counted, ", instructions", "instructions/request", "")


def served_instruction_rows(counted: dict[str, object]) -> list[Row]:
    """The same, served by uvicorn: every thread of the server process counted."""
    if "not measured" in counted:
        message = f"not measured: {counted['not measured']}"
        return [("HTTP served instructions/request", message, "", True)]
    return ratio_rows(counted, ", served instructions", "instructions/request", "")


def write(results: dict[str, Any]) -> None:
    """Write the figures to bench/results/latest.json, keeping the parts not run this time."""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    kept: dict[str, Any] = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    measured = {row["measure"] for row in results["goals"]}
    earlier = [row for row in kept.get("goals", []) if row["measure"] not in measured]
    RESULTS.write_text(
        json.dumps({**kept, **results, "goals": [*earlier, *results["goals"]]}, indent=2) + "\n"
    )
    print(f"wrote {RESULTS}")


def show(rows: list[Row], notes: list[tuple[str, str]]) -> None:
    """Print the table of goals, then the figures without a goal."""
    width = max(len(row[0]) for row in [*rows, *((n, "", "", True) for n, _ in notes)])
    print(f"{'measure':<{width}}  {'figure (median)':<36}  {'goal':<9}  met")
    for measure, figure, goal, met in rows:
        print(f"{measure:<{width}}  {figure:<36}  {goal:<9}  {'yes' if met else 'NO'}")
    for measure, figure in notes:
        print(f"{measure:<{width}}  {figure}")


def main() -> int:
    """Run every benchmark, print the table, write the JSON; exit 1 when a goal is missed."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5, help="runs per figure (median)")
    parser.add_argument(
        "--only", choices=("http", "others"), help="run only the HTTP comparison, or all but it"
    )
    arguments = parser.parse_args()
    repeats = arguments.repeats
    rows: list[Row] = []
    notes: list[tuple[str, str]] = []
    results: dict[str, Any] = {"repeats": repeats, "python": sys.version.split()[0]}
    if arguments.only != "http":
        figures, ratios = cli_bench.collect(repeats)
        suite = suite_bench.by_modules(repeats)
        repository = repository_bench.run(rounds=repeats)
        statements = queries_bench.statement_counts()
        memory = memory_bench.rates(repeats=repeats)
        messaging = messaging_bench.run(rounds=repeats)
        rows.extend(goals(figures, ratios, suite, float(str(repository["ratio"])), statements))
        rows.extend(messaging_rows(messaging))
        notes.extend((f"in-memory {operation}", f"{rate:,}") for operation, rate in memory.items())
        notes.extend(
            (f"outbox, {mode}", messaging_figure(messaging[mode]))
            for mode in ("embedded", "rabbitmq, 2 workers")
        )
        results.update(
            {
                "cli": {"figures": figures, "ratios": ratios},
                "rendered suite (s) by modules": suite,
                "repository": repository,
                "list_all() statements by N": statements,
                "in-memory repository (ops/s)": memory,
                "messaging": messaging,
            }
        )
    if arguments.only != "others":
        http = http_bench.run(rounds=repeats)
        rows.extend(http_rows(http))
        results["http"] = http
        counted = http_instructions.run()
        rows.extend(instruction_rows(counted))
        results["http instructions"] = counted
        served = http_served_instructions.run(200, http_bench.BACKENDS, None)
        rows.extend(served_instruction_rows(served))
        results["http served instructions"] = served
    show(rows, notes)
    results["goals"] = [
        dict(zip(("measure", "figure", "goal", "met"), row, strict=True)) for row in rows
    ]
    write(results)
    return 0 if all(row[3] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
