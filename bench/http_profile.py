"""Where the time of one kind of request goes, in the generated service and the hand-written app.

Runs each app in a process of its own (the environment ``bench.http_bench`` serves it with),
drives ``--requests`` requests through its ASGI interface (httpx's ASGI transport, no
server, no network), with the sync routes run inline so that cProfile sees them, and prints
the functions that took the most time, and the Python function calls per request.

Run: ``python -m bench.http_profile create`` (or ``get``, ``add-item``), ``--backend
postgresql`` with ``COPIER_DDD_POSTGRESQL_URL`` set.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import http_bench
from bench.common import render

PROFILE = r"""
import asyncio, cProfile, gc, io, json, pstats, sys, time
from importlib import import_module

import fastapi.routing
import httpx

async def inline(func, *args, **kwargs):
    return func(*args, **kwargs)

fastapi.routing.run_in_threadpool = inline  # the sync routes on this thread, for cProfile

module, _, name = sys.argv[1].partition(":")
kind, count, top = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
item, callers, dump = json.loads(sys.argv[5]), sys.argv[6], sys.argv[7]
app = getattr(import_module(module), name)


async def main():
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        async def new_order():
            answer = await client.post("/sales", json={"name": "Bench order"})
            return answer.json()["id"]

        shown = await new_order()
        for _ in range(3):
            await client.post(f"/sales/{shown}/items", json=item)
        orders = [await new_order() for _ in range(count // 5 + 1)]
        requests = {
            "get": lambda n: client.get(f"/sales/{shown}"),
            "create": lambda n: client.post("/sales", json={"name": "Bench order"}),
            "add-item": lambda n: client.post(f"/sales/{orders[n % len(orders)]}/items", json=item),
        }[kind]
        for n in range(20):  # warm-up
            await requests(n)
        collected = {0: [0, 0.0], 1: [0, 0.0], 2: [0, 0.0]}
        started = {}

        def timed(phase, info):
            if phase == "start":
                started["at"] = time.perf_counter()
            else:
                collected[info["generation"]][0] += 1
                collected[info["generation"]][1] += time.perf_counter() - started["at"]

        gc.callbacks.append(timed)
        profile = cProfile.Profile()
        profile.enable()
        for n in range(count):
            answer = await requests(n)
            assert answer.status_code < 300, answer.text
        profile.disable()
        gc.callbacks.remove(timed)
        print("garbage collections (generation: count, ms per request):", {
            generation: (n, round(1000 * seconds / count, 3))
            for generation, (n, seconds) in collected.items()
        }, f"objects tracked: {len(gc.get_objects())}")
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        print(f"calls/request: {stats.total_calls / count:.0f}, "
              f"ms/request (profiled): {1000 * stats.total_tt / count:.2f}")
        stats.sort_stats("tottime").print_stats(top)
        stats.sort_stats("cumulative").print_stats(top)
        if callers:
            stats.print_callers(callers)
        if dump:
            stats.dump_stats(dump)
        print(out.getvalue())

async def run():
    async with app.router.lifespan_context(app):
        await main()

asyncio.run(run())
"""


def main() -> None:
    """Profile one kind of request in both apps; print both profiles."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=("get", "create", "add-item"))
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--top", type=int, default=30, help="functions shown")
    parser.add_argument("--backend", choices=http_bench.BACKENDS, default="sqlite")
    parser.add_argument("--only", choices=http_bench.NAMES, help="profile only this app")
    parser.add_argument("--callers", default="", help="show who calls the functions matching this")
    parser.add_argument("--dump", type=Path, help="write each app's stats here (<app>.prof)")
    parser.add_argument("--project", type=Path, help="a project rendered before, to reuse")
    arguments = parser.parse_args()
    if arguments.dump is not None:
        arguments.dump.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as name, http_bench.memory_folder() as databases:
        project = arguments.project or render(Path(name) / "project", http_bench.DATA)
        if arguments.backend == "sqlite":
            urls = {n: f"sqlite:///{databases / f'{n}.db'}" for n in http_bench.NAMES}
            pair = http_bench.apps(project, "sqlite", urls)
        else:
            url = os.environ[http_bench.POSTGRESQL_URL]
            pair = http_bench.postgresql_apps(project, url, "profile")
        for app in pair:
            if arguments.only and app.name != arguments.only:
                continue
            print(f"==== {app.name}, {arguments.kind}, {arguments.backend}", flush=True)
            command = [sys.executable, "-c", PROFILE, app.target, arguments.kind]
            command += [str(arguments.requests), str(arguments.top), json.dumps(http_bench.ITEM)]
            dump = "" if arguments.dump is None else str(arguments.dump / f"{app.name}.prof")
            command += [arguments.callers, dump]
            subprocess.run(command, cwd=app.cwd, env=dict(app.env), check=True)


if __name__ == "__main__":
    main()
