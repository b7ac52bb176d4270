"""The generated repository layer against hand-written SQLAlchemy ORM code, on one SQLite file.

Renders a project with an ``orders`` module and, inside it, saves then loads 10 000 Order
aggregates with 3 items each, twice per round:

- generated: the unit of work, the module's SQLAlchemy repository, its data mapper and identity
  map (``repository.add`` for each, one commit; ``list_all`` in a new unit of work);
- hand-written: a session, ORM models built from the same aggregates by hand, ``add_all`` and
  commit; a ``select`` with ``joinedload`` and aggregates rebuilt from the rows by hand.

Both start from the same ready-made aggregates and end with the same aggregates loaded, on the
same database file (emptied between runs), alternating; each figure is the median of
``rounds``. The target is a ratio (generated / hand-written) of at most 1.25.
Run: ``python -m bench.repository_bench`` (or everything: ``python -m bench.run``).
"""

import json
import sys
import tempfile
from pathlib import Path

from bench.common import render, run_probe

PROBE = """
import gc, json, statistics, sys, time
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, joinedload
from bench_repo.bootstrap import bootstrap
from bench_repo.config.settings import Settings
from bench_repo.core.domain import Money
from bench_repo.core.infrastructure.database.base import Base
from bench_repo.modules.orders.domain import (
    Order, OrderId, OrderItem, OrderName, OrderRepository, OrderStatus,
)
from bench_repo.modules.orders.infrastructure.orm import OrderItemModel, OrderModel

COUNT, ITEMS, ROUNDS, DATABASE = {count}, {items}, {rounds}, {database!r}
settings = Settings(db_backend="sqlite", database_url=f"sqlite:///{{DATABASE}}")
app = bootstrap(settings)
with app.unit_of_work() as probe:
    engine = probe.session.get_bind()


def aggregates():
    made = []
    for number in range(COUNT):
        order = Order.create(OrderName(f"order {{number}}"))
        for line in range(ITEMS):
            order.add_item(OrderItem(f"item {{line}}", line + 1, Money.of("1.50", "EUR")))
        order.pull_events()
        made.append(order)
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


def generated_save(orders):
    with app.unit_of_work() as uow:
        repository = uow.repository(OrderRepository)
        for order in orders:
            repository.add(order)
        uow.commit()


def generated_load():
    with app.unit_of_work() as uow:
        loaded = uow.repository(OrderRepository).list_all()
    assert len(loaded) == COUNT and all(len(order.items) == ITEMS for order in loaded)


def hand_written_save(orders):
    with Session(engine, expire_on_commit=False) as session:
        for order in orders:
            session.add(OrderModel(
                id=order.id, name=order.name.value, status=order.status.value, version=1,
                items=[
                    OrderItemModel(
                        position=position, description=item.description,
                        quantity=item.quantity, unit_price_amount=item.unit_price.amount,
                        unit_price_currency=item.unit_price.currency,
                    )
                    for position, item in enumerate(order.items)
                ],
            ))
        session.commit()


def hand_written_load():
    with Session(engine) as session:
        rows = session.scalars(
            select(OrderModel).options(joinedload(OrderModel.items))
            .order_by(OrderModel.created_at, OrderModel.id)
        ).unique()
        loaded = [
            Order(
                OrderId(row.id), OrderName(row.name), status=OrderStatus(row.status),
                items=[
                    OrderItem(
                        i.description, i.quantity, Money(i.unit_price_amount, i.unit_price_currency)
                    )
                    for i in row.items
                ],
                version=row.version,
            )
            for row in rows
        ]
    assert len(loaded) == COUNT and all(len(order.items) == ITEMS for order in loaded)


runs = {{"generated": [], "hand-written": []}}
for _ in range(ROUNDS):
    for name, save, load in (
        ("generated", generated_save, generated_load),
        ("hand-written", hand_written_save, hand_written_load),
    ):
        orders = aggregates()
        empty()
        runs[name].append((timed(save, orders), timed(load)))
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

TARGET_RATIO = 1.25


def run(count: int = 10_000, items: int = 3, rounds: int = 3) -> dict[str, object]:
    """Time both ways of saving and loading ``count`` aggregates of ``items`` items each."""
    with tempfile.TemporaryDirectory() as folder:
        project = render(
            Path(folder) / "project",
            {"package_name": "bench_repo", "modules": ["orders"]},
        )
        database = str(Path(folder) / "bench.db")
        probe = PROBE.format(count=count, items=items, rounds=rounds, database=database)
        output = run_probe(project, probe)
    figures: dict[str, object] = json.loads(output)
    return {"aggregates": count, "items each": items, "median of rounds": rounds, **figures}


if __name__ == "__main__":
    figures = run()
    print(json.dumps(figures, indent=2))
    ratio = figures["ratio"]
    sys.exit(0 if isinstance(ratio, float) and ratio <= TARGET_RATIO else 1)
