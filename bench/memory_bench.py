"""In-memory repository operations per second on a two-level aggregate, through the unit of work."""

import json
import statistics
import tempfile
from pathlib import Path

from bench.common import render, run_probe
from bench.repository_bench import WAREHOUSES

# Runs inside a rendered project (package "bench_memory") with issue 10's warehouse module.
PROBE = """
import json, time
from bench_memory.bootstrap import bootstrap
from bench_memory.config.settings import Settings
from bench_memory.modules.warehouses.domain import WarehouseRepository
from tests.factories.warehouses import a_warehouse, change_deepest

N = {count}
app = bootstrap(Settings(db_backend="memory"))
ids = []
start = time.perf_counter()
for number in range(N):
    with app.unit_of_work() as uow:
        warehouse = a_warehouse(number)
        uow.repository(WarehouseRepository).add(warehouse)
        uow.commit()
    ids.append(warehouse.id)
added = time.perf_counter() - start
start = time.perf_counter()
for warehouse_id in ids:
    with app.unit_of_work() as uow:
        uow.repository(WarehouseRepository).get(warehouse_id)
got = time.perf_counter() - start
start = time.perf_counter()
with app.unit_of_work() as uow:
    listed = len(uow.repository(WarehouseRepository).list_all())
listing = time.perf_counter() - start
start = time.perf_counter()
for warehouse_id in ids:
    with app.unit_of_work() as uow:
        change_deepest(uow.repository(WarehouseRepository).get(warehouse_id))
        uow.commit()
changed = time.perf_counter() - start
assert listed == N
print(json.dumps({{
    "add+commit per s": N / added,
    "get per s": N / got,
    "change deepest+commit per s": N / changed,
    "list_all aggregates per s": N / listing,
}}))
"""


def rates(count: int = 1000, repeats: int = 3) -> dict[str, int]:
    """Add, get, change (deepest level) and list ``count`` warehouses, each in its own unit of work.

    Each rate is the median of ``repeats`` fresh processes.
    """
    samples: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory() as folder:
        project = render(
            Path(folder) / "project",
            {
                "package_name": "bench_memory",
                "modules": ["warehouses"],
                "specs": {"warehouses": WAREHOUSES},
            },
        )
        for _ in range(repeats):
            output = run_probe(project, PROBE.format(count=count))
            samples.append(json.loads(output))
    return {name: round(statistics.median(s[name] for s in samples)) for name in samples[0]}


if __name__ == "__main__":
    print(json.dumps({"in-memory repository (ops/s)": rates()}, indent=2))
