"""The generated service and the hand-written app served by uvicorn: instructions per request.

``bench.http_instructions`` counts the app alone, its routes run inline. This counts what a
served request costs the server process: uvicorn reading and writing the sockets, anyio's
threadpool, the app, the collector, every thread of the process summed. Each app runs under
uvicorn (one worker, no access log) under Valgrind's callgrind, counting switched off; orders
are made and each kind of request warmed up over HTTP, then counting is switched on
(``callgrind_control -i on``) for ``--requests`` requests of one kind sent from
``http_bench.CONNECTIONS`` keep-alive connections at once, and the counts are dumped and
switched off again. What callgrind cannot see: the kernel's work (sockets, the journal's
syncs) and what threads lose waiting for each other, since Valgrind runs one thread at a
time. The ratio is hand-written / generated, as everywhere in ``bench``.

Run: ``python -m bench.http_served_instructions [--backend sqlite] [--requests 200]``; it
needs ``valgrind`` (Debian's package).
"""

import argparse
import http.client
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from http import HTTPStatus
from pathlib import Path

from bench import http_bench
from bench.common import render
from bench.http_instructions import KINDS

GOAL = http_bench.GOAL
#: Under Valgrind a request takes about fifty times as long: uvicorn must keep idle
#: connections open across that, and start-up takes minutes.
KEEP_ALIVE_SECONDS = 600
START_SECONDS = 300
WARM_UP = 30


def post_or_get(connection: http.client.HTTPConnection, load: http_bench.Load, order: str) -> int:
    """Send one request of ``load`` for ``order`` on ``connection``; its status."""
    body = None if load.body is None else json.dumps(load.body)
    headers = {} if body is None else {"Content-Type": "application/json"}
    connection.request(load.method, load.path.replace("{id}", order), body, headers)
    response = connection.getresponse()
    response.read()
    return response.status


def send(port: int, load: http_bench.Load, orders: Sequence[str], count: int) -> list[int]:
    """``count`` requests from CONNECTIONS connections at once, spread over ``orders``."""
    numbers = itertools.count()
    lock = threading.Lock()
    statuses: list[int] = []

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=KEEP_ALIVE_SECONDS)
        while True:
            with lock:
                n = next(numbers)
            if n >= count:
                return
            statuses.append(post_or_get(connection, load, orders[n % len(orders)]))

    clients = [threading.Thread(target=client) for _ in range(http_bench.CONNECTIONS)]
    for thread in clients:
        thread.start()
    for thread in clients:
        thread.join()
    return statuses


def control(pid: int, *options: str) -> None:
    subprocess.run(["callgrind_control", *options, str(pid)], check=True, capture_output=True)


def counted(app: http_bench.App, kind: http_bench.Load, count: int, folder: Path) -> dict[str, int]:
    """Instructions per request of one kind, and how many were refused, for one app.

    A process of its own for each kind: callgrind's counts go wrong once its counting has
    been switched on and off more than once in a process with threads.
    """
    folder.mkdir(parents=True)
    port = http_bench.free_port()
    command = [
        "valgrind", "--tool=callgrind", "--instr-atstart=no", "--separate-threads=yes",
        f"--callgrind-out-file={folder}/out.%p",
        sys.executable, "-m", "uvicorn", app.target, "--host", "127.0.0.1", "--port", str(port),
        "--no-access-log", "--log-level", "warning",
        "--timeout-keep-alive", str(KEEP_ALIVE_SECONDS),
    ]  # fmt: skip
    with (folder / "server.log").open("wb") as log:
        env = {**app.env, "PYTHONHASHSEED": "0"}
        server = subprocess.Popen(command, cwd=app.cwd, env=env, stdout=log, stderr=log)
        try:
            deadline = time.monotonic() + START_SECONDS
            while http_bench.call_or_none(port) != HTTPStatus.NOT_FOUND:
                if server.poll() is not None or time.monotonic() > deadline:
                    msg = f"{app.name} did not start under callgrind: see {folder}/server.log"
                    raise RuntimeError(msg)
                time.sleep(0.5)
            if kind is http_bench.ADD_ITEM:
                orders = [http_bench.new_order(port) for _ in range(100)]
            else:
                orders = [http_bench.new_order(port, items=3)]
            send(port, kind, orders, WARM_UP)
            control(server.pid, "-i", "on")
            statuses = send(port, kind, orders, count)
            control(server.pid, "--dump=measured")
        finally:
            server.terminate()
            server.wait(timeout=120)
    total = 0
    for dump in folder.glob(f"out.{server.pid}.*-*"):
        text = dump.read_text(errors="replace")
        if re.search(r"^desc: Trigger: dump measured$", text, re.MULTILINE):
            found = re.search(r"^(?:summary|totals): (\d+)", text, re.MULTILINE)
            total += int(found.group(1)) if found else 0
    if not total:
        msg = f"{app.name}: callgrind wrote no counts for {kind.name}; see {folder}"
        raise RuntimeError(msg)
    refused = sum(1 for status in statuses if status >= HTTPStatus.MULTIPLE_CHOICES)
    return {"instructions/request": total // count, "refused": refused}


def compare(pair: list[http_bench.App], count: int, folder: Path) -> dict[str, object]:
    """Both apps' counts and the ratio, for each kind of request."""
    found = {
        app.name: {
            kind.name: counted(app, kind, count, folder / app.name / f"kind-{number}")
            for number, kind in enumerate(KINDS)
        }
        for app in pair
    }
    generated, hand_written = (found[name] for name in http_bench.NAMES)
    return {
        kind.name: {
            "instructions/request": {
                name: found[name][kind.name]["instructions/request"] for name in http_bench.NAMES
            },
            "refused (409, changed meanwhile)": {
                name: found[name][kind.name]["refused"] for name in http_bench.NAMES
            },
            "ratio": round(
                hand_written[kind.name]["instructions/request"]
                / generated[kind.name]["instructions/request"],
                3,
            ),
        }
        for kind in KINDS
    }


def run(count: int, backends: Sequence[str], rendered: Path | None) -> dict[str, object]:
    """SQLite, and PostgreSQL when its URL is set; ``rendered``: a project to reuse."""
    if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
        return {"not measured": "valgrind is not installed (apt-get install valgrind)"}
    result: dict[str, object] = {"requests counted per kind": count, "goal": GOAL}
    with tempfile.TemporaryDirectory() as name, http_bench.memory_folder() as databases:
        folder = Path(name)
        project = rendered or render(folder / "project", http_bench.DATA)
        if "sqlite" in backends:
            urls = {name: f"sqlite:///{databases / f'{name}.db'}" for name in http_bench.NAMES}
            pair = http_bench.apps(project, "sqlite", urls)
            result["sqlite"] = compare(pair, count, folder / "sqlite")
        url = os.environ.get(http_bench.POSTGRESQL_URL)
        if "postgresql" not in backends:
            pass
        elif not url:
            result["postgresql"] = f"not measured: {http_bench.POSTGRESQL_URL} is not set"
        else:
            pair = http_bench.postgresql_apps(project, url, "served_instructions")
            result["postgresql"] = compare(pair, count, folder / "postgresql")
    return result


def main() -> None:
    """``python -m bench.http_served_instructions [--requests N] [--backend sqlite]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="requests counted per kind")
    parser.add_argument("--backend", choices=http_bench.BACKENDS, action="append")
    parser.add_argument("--project", type=Path, help="a project rendered before, to reuse")
    arguments = parser.parse_args()
    figures = run(arguments.requests, arguments.backend or http_bench.BACKENDS, arguments.project)
    print(json.dumps(figures, indent=2))
    if "not measured" in figures:
        sys.exit(f"bench.http_served_instructions: {figures['not measured']}")


if __name__ == "__main__":
    main()
