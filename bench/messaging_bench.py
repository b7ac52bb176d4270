"""The outbox: throughput and latency from commit to handled, and what it adds to a commit.

Renders a project (no module needed) and, inside it, with an event and consumer of the probe's
own on one SQLite file:

- embedded: one process; each use case commits one integration event and the relay hands it
  to its consumer in process, in the consumer's own unit of work (inbox included);
- through RabbitMQ (when ``COPIER_DDD_RABBITMQ_URL`` is set, as ``scripts/services start``
  exports it): the use cases publish to the broker, two worker processes consume;
- the commit's cost: a use case that inserts one row and commits, against the same use case
  that also publishes one integration event (its outbox row written in the same transaction;
  delivery left to the relay), alternating, median of each. Goal: <= 1.3x.

Latency is from just before the use case's commit to the moment the consumer's handler runs,
on the wall clock (the workers are other processes). Run: ``python -m bench.messaging_bench``.
"""

import json
import os
import sys
import tempfile
from pathlib import Path

from bench.common import render, run_probe

PROBE = """
import json, multiprocessing, statistics, threading, time, gc
from dataclasses import dataclass
from typing import ClassVar
from sqlalchemy import Column, Integer, MetaData, Table, insert
from bench_bus.bootstrap import bootstrap
from bench_bus.config.settings import Settings
from bench_bus.core.application.messagebus import Handles
from bench_bus.core.domain.messages import IntegrationEvent
from bench_bus.core.infrastructure.worker import run_worker

EVENTS, COMMITS, ROUNDS, FOLDER, BROKER = {events}, {commits}, {rounds}, {folder!r}, {broker!r}
rows = Table("bench_rows", MetaData(), Column("id", Integer, primary_key=True))


@dataclass(frozen=True, kw_only=True)
class Measured(IntegrationEvent):
    name: ClassVar[str] = "bench.measured"
    sent: float


class Consume:
    def __init__(self, dependencies):
        self.latencies = []

    def __call__(self, event, unit_of_work):
        self.latencies.append(time.time() - event.sent)


def application(database, **changes):
    settings = Settings(db_backend="sqlite", database_url=f"sqlite:///{{FOLDER}}/{{database}}")
    consume = Consume(None)
    app = bootstrap(
        settings.model_copy(update=changes),
        handlers=[Handles(Measured, lambda _: consume, consumer="bench.consume")],
    )
    with app.unit_of_work() as uow:
        rows.create(uow.session.get_bind(), checkfirst=True)
    return app, consume


def send(app, count):
    for _ in range(count):
        with app.unit_of_work() as uow:
            uow.publish(Measured(sent=time.time()))
            uow.commit()


def figures(latencies, seconds):
    ordered = sorted(latencies)
    return {{
        "events": len(ordered),
        "events/s": round(len(ordered) / seconds, 1),
        "p50 ms": round(1000 * ordered[len(ordered) // 2], 2),
        "p99 ms": round(1000 * ordered[int(len(ordered) * 0.99) - 1], 2),
    }}


result = {{}}
app, consume = application("embedded.db")
start = time.perf_counter()
send(app, EVENTS)
result["embedded"] = figures(consume.latencies, time.perf_counter() - start)
app.close()

if BROKER:
    prefix = f"bench_{{int(time.time())}}"
    app, _ = application("broker.db", broker_url=BROKER, broker_prefix=prefix)
    out = f"{{FOLDER}}/latencies"

    def work(number):
        worker_app, worker_consume = application(
            "broker.db", broker_url=BROKER, broker_prefix=prefix
        )
        run_worker(worker_app.messages, threading.Event(), idle_seconds=3.0)
        with open(f"{{out}}.{{number}}", "w") as file:
            json.dump({{"latencies": worker_consume.latencies, "end": worker_consume.last}}, file)

    Consume.last = 0.0
    original = Consume.__call__

    def timed_call(self, event, unit_of_work):
        original(self, event, unit_of_work)
        Consume.last = time.time()

    Consume.__call__ = timed_call
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=work, args=(n,)) for n in range(2)]
    for worker in workers:
        worker.start()
    time.sleep(1.0)  # the workers are connected
    start = time.time()
    send(app, EVENTS)
    for worker in workers:
        worker.join()
    latencies, end = [], 0.0
    for number in range(2):
        with open(f"{{out}}.{{number}}") as file:
            got = json.load(file)
        latencies += got["latencies"]
        end = max(end, got["end"])
    result["rabbitmq, 2 workers"] = figures(latencies, end - start)
    app.close()

app, _ = application("commit.db")
bus = app.messages
bus.relay = lambda deliveries: None  # the commit alone: delivery is the relay's later work


def use_case(publish):
    with app.unit_of_work() as uow:
        uow.session.execute(insert(rows))
        if publish:
            uow.publish(Measured(sent=0.0))
        uow.commit()


samples = {{"without": [], "with": []}}
for _ in range(ROUNDS):
    for name, publish in (("without", False), ("with", True)):
        gc.collect()
        start = time.perf_counter()
        for _ in range(COMMITS):
            use_case(publish)
        samples[name].append((time.perf_counter() - start) / COMMITS)
without = statistics.median(samples["without"])
with_outbox = statistics.median(samples["with"])
result["commit"] = {{
    "without outbox ms": round(1000 * without, 3),
    "with outbox ms": round(1000 * with_outbox, 3),
    "ratio": round(with_outbox / without, 3),
}}
app.close()
print(json.dumps(result))
"""

TARGET_RATIO = 1.3


def run(events: int = 1000, commits: int = 100, rounds: int = 5) -> dict[str, object]:
    """Measure the embedded relay, the broker (when running) and the outbox's commit cost."""
    broker = os.getenv("COPIER_DDD_RABBITMQ_URL", "")
    with tempfile.TemporaryDirectory() as folder:
        project = render(Path(folder) / "project", {"package_name": "bench_bus", "modules": []})
        probe = PROBE.format(
            events=events,
            commits=commits,
            rounds=rounds,
            folder=folder,
            broker=broker,
        )
        figures: dict[str, object] = json.loads(run_probe(project, probe))
    if not broker:
        figures["rabbitmq, 2 workers"] = "not measured: COPIER_DDD_RABBITMQ_URL is unset"
    return figures


if __name__ == "__main__":
    results = run()
    print(json.dumps(results, indent=2))
    commit = results["commit"]
    ratio = commit["ratio"] if isinstance(commit, dict) else None
    sys.exit(0 if isinstance(ratio, float) and ratio <= TARGET_RATIO else 1)
