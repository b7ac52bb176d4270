"""How many SQL statements ``list_all()`` sends for 10, 100 and 1000 two-level aggregates.

On the ``warehouses`` module of issue 10's second example (warehouse -> bays -> tags), every
warehouse fully populated by the generated factory; constant is the goal.
"""

import json
import tempfile
from pathlib import Path

from bench.common import render, run_probe
from bench.repository_bench import WAREHOUSES

PROBE = """
import json
from sqlalchemy import event
from bench_queries.bootstrap import bootstrap
from bench_queries.config.settings import Settings
from bench_queries.modules.warehouses.domain import WarehouseRepository
from tests.factories.warehouses import a_warehouse

app = bootstrap(Settings(db_backend="sqlite", database_url="sqlite:///{database}"))
with app.unit_of_work() as probe:
    engine = probe.session.get_bind()
statements = []
event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
counts, stored = {{}}, 0
for size in (10, 100, 1000):
    with app.unit_of_work() as uow:
        repository = uow.repository(WarehouseRepository)
        for number in range(stored, size):
            repository.add(a_warehouse(number))
        uow.commit()
    stored = size
    statements.clear()
    with app.unit_of_work() as uow:
        loaded = uow.repository(WarehouseRepository).list_all()
        assert len(loaded) == size and all(len(w.bays) == 2 for w in loaded)
    counts[size] = len(statements)
app.close()
print(json.dumps(counts))
"""


def statement_counts() -> dict[str, int]:
    """The statement counts of one ``list_all()`` per size; constant is the goal."""
    with tempfile.TemporaryDirectory() as folder:
        project = render(
            Path(folder) / "project",
            {
                "package_name": "bench_queries",
                "modules": ["warehouses"],
                "specs": {"warehouses": WAREHOUSES},
            },
        )
        probe = PROBE.format(database=Path(folder) / "queries.db")
        output = run_probe(project, probe)
    counts: dict[str, int] = json.loads(output)
    return counts


if __name__ == "__main__":
    print(json.dumps({"list_all() statements by N": statement_counts()}, indent=2))
