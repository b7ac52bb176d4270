"""The generated repository layer against hand-written SQLAlchemy, on a two-level aggregate.

Renders a project with the ``warehouses`` module of issue 10's second example (a Warehouse
with a natural key, bays as child entities each holding a set of tags: three tables, two
levels) and, inside it, saves then loads ``count`` fully populated warehouses (the generated
factory: 2 bays with an address and 2 tags each) twice per round, on one SQLite file:

- generated: the unit of work, the module's SQLAlchemy repository, its data mapper and identity
  map (``repository.add`` for each, one commit; ``list_all`` in a new unit of work);
- hand-written: a session, the module's ORM rows built from the same aggregates by hand,
  ``add_all`` and commit; a ``select`` with ``selectinload`` at both levels and the aggregates
  rebuilt from the rows by hand.

Both start from the same ready-made aggregates and end with the same aggregates loaded, on the
same database file (emptied between runs), alternating; each figure is the median of
``rounds``. The target is a ratio (generated / hand-written) of at most 1.15.
Run: ``python -m bench.repository_bench`` (or everything: ``python -m bench.run``).
"""

import json
import sys
import tempfile
from pathlib import Path

from bench.common import render, run_probe

REPO = Path(__file__).resolve().parents[1]
WAREHOUSES = (REPO / "tests" / "specs" / "warehouses.yaml").read_text(encoding="utf-8")
TARGET_RATIO = 1.15

PROBE = """
import gc, json, statistics, time
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload
from bench_repo.bootstrap import bootstrap
from bench_repo.config.settings import Settings
from bench_repo.core.infrastructure.database.base import Base
from bench_repo.modules.warehouses.domain import (
    Address, Bay, Tag, Warehouse, WarehouseId, WarehouseRepository,
)
from bench_repo.modules.warehouses.infrastructure.orm import (
    BayTagRow, WarehouseBayRow, WarehouseModel,
)
from tests.factories.warehouses import a_warehouse

COUNT, ROUNDS, DATABASE = {count}, {rounds}, {database!r}
app = bootstrap(Settings(db_backend="sqlite", database_url=f"sqlite:///{{DATABASE}}"))
with app.unit_of_work() as probe:
    engine = probe.session.get_bind()


def aggregates():
    made = [a_warehouse(number) for number in range(COUNT)]
    for warehouse in made:
        warehouse.pull_events()
    return made


def empty():
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(delete(table))


def timed(step, *args):
    gc.collect()  # each step starts without the previous step's garbage
    start = time.perf_counter()
    step(*args)
    return time.perf_counter() - start


def check(loaded):
    assert len(loaded) == COUNT
    assert all(len(w.bays) == 2 and all(len(b.tags) == 2 for b in w.bays) for w in loaded)


def generated_save(warehouses):
    with app.unit_of_work() as uow:
        repository = uow.repository(WarehouseRepository)
        for warehouse in warehouses:
            repository.add(warehouse)
        uow.commit()


def generated_load():
    with app.unit_of_work() as uow:
        check(uow.repository(WarehouseRepository).list_all())


def hand_written_save(warehouses):
    with Session(engine, expire_on_commit=False) as session:
        for w in warehouses:
            session.add(WarehouseModel(
                code=w.code, opened_on=w.opened_on, capacity=w.capacity, rate=w.rate,
                active=w.active, version=1,
                bays=[
                    WarehouseBayRow(
                        label=bay.label, position=position,
                        address_street=bay.address.street if bay.address else None,
                        address_city=bay.address.city if bay.address else None,
                        address_postcode=bay.address.postcode if bay.address else None,
                        tags=[BayTagRow(name=tag.name) for tag in bay.tags],
                    )
                    for position, bay in enumerate(w.bays)
                ],
            ))
        session.commit()


def hand_written_load():
    with Session(engine) as session:
        rows = session.scalars(
            select(WarehouseModel)
            .options(selectinload(WarehouseModel.bays).selectinload(WarehouseBayRow.tags))
            .order_by(WarehouseModel.created_at, WarehouseModel.code)
        )
        loaded = [
            Warehouse(
                WarehouseId(row.code), opened_on=row.opened_on, capacity=row.capacity,
                rate=row.rate, active=row.active, version=row.version,
                bays=[
                    Bay(
                        bay.label,
                        address=Address(
                            street=bay.address_street, city=bay.address_city,
                            postcode=bay.address_postcode,
                        ) if bay.address_street is not None else None,
                        tags=[Tag(name=tag.name) for tag in bay.tags],
                    )
                    for bay in row.bays
                ],
            )
            for row in rows
        ]
    check(loaded)


runs = {{"generated": [], "hand-written": []}}
for _ in range(ROUNDS):
    for name, save, load in (
        ("generated", generated_save, generated_load),
        ("hand-written", hand_written_save, hand_written_load),
    ):
        warehouses = aggregates()
        empty()
        runs[name].append((timed(save, warehouses), timed(load)))
empty()
app.close()
result = {{}}
for name, samples in runs.items():
    save = statistics.median(s for s, _ in samples)
    load = statistics.median(l for _, l in samples)
    total = statistics.median(s + l for s, l in samples)
    result[name] = {{
        "save s": round(save, 3), "load s": round(load, 3), "total s": round(total, 3),
    }}
result["ratio"] = round(result["generated"]["total s"] / result["hand-written"]["total s"], 3)
print(json.dumps(result))
"""


def run(count: int = 2000, rounds: int = 3) -> dict[str, object]:
    """Time both ways of saving and loading ``count`` fully populated warehouses."""
    with tempfile.TemporaryDirectory() as folder:
        project = render(
            Path(folder) / "project",
            {
                "package_name": "bench_repo",
                "modules": ["warehouses"],
                "specs": {"warehouses": WAREHOUSES},
            },
        )
        database = str(Path(folder) / "bench.db")
        probe = PROBE.format(count=count, rounds=rounds, database=database)
        output = run_probe(project, probe)
    figures: dict[str, object] = json.loads(output)
    return {
        "aggregate": "Warehouse -> 2 bays -> 2 tags each (3 tables, 2 levels)",
        "aggregates": count,
        "median of rounds": rounds,
        **figures,
    }


if __name__ == "__main__":
    figures = run()
    print(json.dumps(figures, indent=2))
    ratio = figures["ratio"]
    sys.exit(0 if isinstance(ratio, float) and ratio <= TARGET_RATIO else 1)
