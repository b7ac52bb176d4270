"""The generated service and the hand-written app in one process, CPU time per request.

The served comparison (``bench.http_bench``) moves by tens of percent from round to round on a
shared machine. This one takes the server, the network and the scheduler out: both apps are
imported into one process (each on its own database), their sync routes run inline, and
requests go through their ASGI interface (httpx's ASGI transport) in alternating slices of
``--slice`` requests, each slice timed with the process's CPU clock. The ratio (hand-written
CPU per request / generated CPU per request, so that above 1 the generated one is cheaper) is
the median of the slices' pairs. What it leaves out: uvicorn, the threadpool, the sockets.

Run: ``python -m bench.http_inprocess`` (``--backend postgresql`` with
``COPIER_DDD_POSTGRESQL_URL`` set).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import http_bench
from bench.common import REPO, render

PROBE = r"""
import asyncio, importlib, json, os, statistics, sys, time

import fastapi.routing
import httpx


async def inline(func, *args, **kwargs):
    return func(*args, **kwargs)


fastapi.routing.run_in_threadpool = inline  # the sync routes on this thread

urls, item = json.loads(sys.argv[1]), json.loads(sys.argv[2])
slices, size = int(sys.argv[3]), int(sys.argv[4])
apps = {}
for name, target in (("generated", "bench_http.main:app"),
                     ("hand-written", "bench.handwritten.app:app")):
    os.environ["DATABASE_URL"] = urls[name]
    module, _, attribute = target.partition(":")
    apps[name] = getattr(importlib.import_module(module), attribute)


async def main():
    clients, shown, orders = {}, {}, {}
    for name, app in apps.items():
        transport = httpx.ASGITransport(app=app)
        clients[name] = httpx.AsyncClient(transport=transport, base_url="http://bench")

    async def new_order(name):
        answer = await clients[name].post("/sales", json={"name": "Bench order"})
        assert answer.status_code == 201, answer.text
        return answer.json()["id"]

    for name in apps:
        shown[name] = await new_order(name)
        for _ in range(3):
            await clients[name].post(f"/sales/{shown[name]}/items", json=item)

    def request(kind, name, n):
        client = clients[name]
        if kind == "GET /sales/{id}":
            return client.get(f"/sales/{shown[name]}")
        if kind == "POST /sales (create)":
            return client.post("/sales", json={"name": "Bench order"})
        return client.post(f"/sales/{orders[name][n % len(orders[name])]}/items", json=item)

    found = {}
    for kind in ("GET /sales/{id}", "POST /sales (create)", "POST /sales/{id}/items (add item)"):
        cpu = {name: [] for name in apps}
        for number in range(slices + 1):  # slice 0 warms up, uncounted
            for name in (list(apps) if number % 2 else list(apps)[::-1]):
                # Orders with a few items each, made before the slice, outside the clock.
                orders[name] = [await new_order(name) for _ in range(size // 4 + 1)]
                started = time.process_time()
                for n in range(size):
                    answer = await request(kind, name, n)
                    assert answer.status_code < 300, answer.text
                if number:
                    cpu[name].append((time.process_time() - started) / size)
        ratios = [h / g for g, h in zip(cpu["generated"], cpu["hand-written"])]
        found[kind] = {
            "CPU ms/request": {n: round(1000 * statistics.median(v), 3) for n, v in cpu.items()},
            "CPU ratio (hand-written / generated)": round(statistics.median(ratios), 3),
            "ratios by slice": [round(r, 3) for r in ratios],
        }
    for client in clients.values():
        await client.aclose()
    print(json.dumps(found))


async def run():
    async with apps["generated"].router.lifespan_context(apps["generated"]):
        async with apps["hand-written"].router.lifespan_context(apps["hand-written"]):
            await main()


asyncio.run(run())
"""


def measure(project: Path, backend: str, urls: dict[str, str], slices: int, size: int) -> object:
    """CPU per request of both apps, in one process, on ``urls``."""
    env = {
        **http_bench.apps(project, backend, urls)[0].env,
        "PYTHONPATH": os.pathsep.join([str(project / "src"), str(REPO)]),
    }
    sizes = [str(slices), str(size)]
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(urls), json.dumps(http_bench.ITEM), *sizes],
        cwd=project,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.splitlines()[-1])


def run(
    slices: int = 10,
    size: int = 200,
    backends: tuple[str, ...] = http_bench.BACKENDS,
    rendered: Path | None = None,
) -> dict[str, object]:
    """Both databases (PostgreSQL when its URL is set); ``rendered``: a project to reuse."""
    found: dict[str, object] = {"slices": slices, "requests per slice": size}
    with tempfile.TemporaryDirectory() as name, http_bench.memory_folder() as databases:
        project = rendered or render(Path(name) / "project", http_bench.DATA)
        if "sqlite" in backends:
            urls = {n: f"sqlite:///{databases / f'{n}.db'}" for n in http_bench.NAMES}
            found["sqlite"] = measure(project, "sqlite", urls, slices, size)
        url = os.environ.get(http_bench.POSTGRESQL_URL)
        if "postgresql" in backends and url:
            pair = http_bench.postgresql_apps(project, url, "inprocess")
            urls = {app.name: app.env["DATABASE_URL"] for app in pair}
            found["postgresql"] = measure(project, "postgresql", urls, slices, size)
    return found


def main() -> None:
    """``python -m bench.http_inprocess [--slices N] [--size N] [--backend B]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slices", type=int, default=10, help="counted slices per app")
    parser.add_argument("--size", type=int, default=200, help="requests per slice")
    parser.add_argument("--backend", choices=http_bench.BACKENDS, action="append")
    parser.add_argument("--project", type=Path, help="a project rendered before, to reuse")
    arguments = parser.parse_args()
    backends = tuple(arguments.backend or http_bench.BACKENDS)
    found = run(arguments.slices, arguments.size, backends, arguments.project)
    print(json.dumps(found, indent=2))


if __name__ == "__main__":
    main()
