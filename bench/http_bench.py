"""The generated HTTP service against a hand-written FastAPI + SQLAlchemy app (issue 13).

Renders a project with the examples (``entrypoint: http``) and serves its ``/sales`` routes
and those of ``bench/handwritten/app.py`` (the same routes, tables, statements, validation,
version check and body limit, written by hand) with one uvicorn worker each, on loopback.
Each is loaded in turn with a fixed number of keep-alive connections (``wrk`` when it is
installed, else the Python load generator below), in interleaved rounds (generated,
hand-written, generated, ...), so that the ratio holds on a noisy machine even when the
absolute rates move. Measured:

- ``GET /sales/{id}`` of an order with 3 items, over SQLite;
- ``POST /sales`` (create) and ``POST /sales/{id}/items`` (add an item, spread over orders
  made for each round so no order fills up or sees two writers at once), over SQLite, and over
  PostgreSQL when ``COPIER_DDD_POSTGRESQL_URL`` is set (each app in a schema of its own).

Before loading, both apps answer the same requests once while every statement they send
reaches the database is recorded (SQLite's trace callback: BEGIN, COMMIT and pings included);
the figures count only when the two sequences are the same. The goal is a ratio
(generated / hand-written requests per second) of at least 0.95 for each.
Run: ``python -m bench.http_bench`` (or ``python -m bench.run --only http``).
"""

import contextlib
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import IO

from bench.common import REPO, clean_env, render

GOAL = 0.95
PACKAGE = "bench_http"
DATA = {"package_name": PACKAGE, "modules": [], "entrypoint": "http", "examples": True}
CONNECTIONS = 8
ITEM = {"description": "Pen", "quantity": 2, "unit_price": "1.20"}
#: Orders made before each add-item round: requests spread over them, a few items each.
ORDERS_PER_ROUND = 300
POSTGRESQL_URL = "COPIER_DDD_POSTGRESQL_URL"
NAMES = ("generated", "hand-written")
BACKENDS = ("sqlite", "postgresql")
#: The share of answers that may be refusals: SQLite lets one of two concurrent writers fail
#: at once ("database is locked", answered 503), whichever app it serves.
MAX_FAILED = 0.01


@dataclass(frozen=True)
class App:
    """One of the two services: how uvicorn finds it, from where, with which environment."""

    name: str
    target: str
    cwd: Path
    env: Mapping[str, str]


@dataclass(frozen=True)
class Load:
    """One kind of request: its method, path and body (``{id}`` rotates over ``ids``)."""

    name: str
    method: str
    path: str
    body: Mapping[str, object] | None = None


GET = Load("GET /sales/{id}", "GET", "/sales/{id}")
CREATE = Load("POST /sales (create)", "POST", "/sales", {"name": "Bench order"})
ADD_ITEM = Load("POST /sales/{id}/items (add item)", "POST", "/sales/{id}/items", ITEM)


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def call(port: int, method: str, path: str, body: object = None) -> tuple[int, object]:
    """One request with the standard library: (status, decoded JSON body or None)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=data,
        method=method,
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - http://
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        return error.code, None


def cpu_seconds(pid: int) -> float | None:
    """The CPU time (user + system) process ``pid`` has used, or None where /proc is missing."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Server:
    """A running app: where it listens and which process serves it."""

    port: int
    pid: int


@contextlib.contextmanager
def served(app: App) -> Iterator[Server]:
    """Run ``app`` under uvicorn (one worker, no access log) until the block ends."""
    port = free_port()
    command = [
        sys.executable, "-m", "uvicorn", app.target, "--host", "127.0.0.1",
        "--port", str(port), "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(command, cwd=app.cwd, env=dict(app.env), stdout=log, stderr=log)
        try:
            yield Server(wait_for(app, server, port, log), server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)


def wait_for(app: App, server: "subprocess.Popen[bytes]", port: int, log: IO[bytes]) -> int:
    """``port`` once ``server`` answers there; its output in the error when it never does."""
    deadline = time.monotonic() + 60
    while call_or_none(port) != HTTPStatus.NOT_FOUND:
        if server.poll() is not None or time.monotonic() > deadline:
            log.seek(0)
            output = log.read().decode(errors="replace")
            msg = f"{app.name} did not start:\n{output}"
            raise RuntimeError(msg)
        time.sleep(0.1)
    return port


def call_or_none(port: int) -> int | None:
    """The status of a GET of an order that does not exist, or None while nothing answers."""
    try:
        return call(port, "GET", f"/sales/{uuid.UUID(int=0)}")[0]
    except OSError:
        return None


def new_order(port: int, items: int = 0) -> str:
    """Create an order with ``items`` items through the API; its id."""
    status, created = call(port, "POST", "/sales", {"name": "Bench order"})
    if status != HTTPStatus.CREATED or not isinstance(created, dict):
        msg = f"creating an order answered {status}"
        raise RuntimeError(msg)
    order = str(created["id"])
    for _ in range(items):
        status, _ = call(port, "POST", f"/sales/{order}/items", ITEM)
        if status != HTTPStatus.CREATED:
            msg = f"adding an item answered {status}"
            raise RuntimeError(msg)
    return order


# -- load generators ---------------------------------------------------------------------------

WRK_SCRIPT = """
local ids = {}
for line in io.lines(os.getenv("BENCH_IDS")) do ids[#ids + 1] = line end
local method, path = os.getenv("BENCH_METHOD"), os.getenv("BENCH_PATH")
local body = os.getenv("BENCH_BODY")
local headers = {["Content-Type"] = "application/json"}
local n = 0
request = function()
  n = n + 1
  local target = path:gsub("{id}", ids[(n % #ids) + 1])
  if body == "" then return wrk.format(method, target, headers) end
  return wrk.format(method, target, headers, body)
end
"""


def wrk_rate(port: int, load: Load, ids: list[str], seconds: float, folder: Path) -> float:
    """Requests/s ``wrk`` reaches (1 thread, CONNECTIONS connections); errors fail."""
    script, ids_file = folder / "load.lua", folder / "ids.txt"
    script.write_text(WRK_SCRIPT)
    ids_file.write_text("\n".join(ids or ["-"]) + "\n")
    env = {
        **os.environ,
        "BENCH_IDS": str(ids_file),
        "BENCH_METHOD": load.method,
        "BENCH_PATH": load.path,
        "BENCH_BODY": "" if load.body is None else json.dumps(load.body),
    }
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{max(1, round(seconds))}s", "-s", str(script)]
    result = subprocess.run(
        [*command, f"http://127.0.0.1:{port}"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    output = result.stdout
    total = re.search(r"(\d+) requests in", output)
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if "Socket errors" in output or (
        total and failed and int(failed[1]) > MAX_FAILED * int(total[1])
    ):
        msg = f"too many errors under load ({load.name}):\n{output}"
        raise RuntimeError(msg)
    found = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if found is None:
        msg = f"no rate in wrk's output:\n{output}"
        raise RuntimeError(msg)
    return float(found[1])


def python_rate(port: int, load: Load, ids: list[str], seconds: float, _: Path) -> float:
    """Requests/s of CONNECTIONS keep-alive connections, one thread each (no wrk here)."""
    body = b"" if load.body is None else json.dumps(load.body).encode()
    counts = [0] * CONNECTIONS
    errors: list[str] = []
    stop = time.monotonic() + seconds

    def client(index: int) -> None:
        # Each connection cycles through ids of its own: no two write to one order at once.
        mine = ids[index::CONNECTIONS] or [""]
        with socket.create_connection(("127.0.0.1", port)) as connection:
            reader = connection.makefile("rb")
            n = 0
            while time.monotonic() < stop:
                path = load.path.replace("{id}", mine[n % len(mine)])
                n += 1
                head = (
                    f"{load.method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
                )
                connection.sendall(head.encode() + body)
                status = int(reader.readline().split()[1])
                length = 0
                while (line := reader.readline()) not in (b"\r\n", b""):
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                reader.read(length)
                if status >= HTTPStatus.MULTIPLE_CHOICES:
                    errors.append(f"{load.name}: {status}")
                counts[index] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if len(errors) > MAX_FAILED * sum(counts):
        msg = f"too many errors under load: {errors[:3]}"
        raise RuntimeError(msg)
    return sum(counts) / (time.monotonic() - started)


Rate = Callable[[int, Load, list[str], float, Path], float]


def load_generator() -> tuple[str, Rate]:
    """``wrk`` when it is on PATH (``apt-get install wrk``), else the Python one."""
    if shutil.which("wrk"):
        return f"wrk, 1 thread, {CONNECTIONS} connections", wrk_rate
    return f"Python threads, {CONNECTIONS} connections (wrk not found)", python_rate


# -- the same SQL ------------------------------------------------------------------------------

TRACE_PROBE = r"""
import json, os, re, sys, tempfile, threading
from importlib import import_module

from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool

#: (thread, statement), in the order they were sent.
sent = []
if os.environ["DATABASE_URL"].startswith("sqlite"):

    @event.listens_for(Engine, "connect")
    def trace(dbapi_connection, _):
        def record(sql):
            sent.append((threading.current_thread().name, sql))

        dbapi_connection.set_trace_callback(record)

else:
    # libpq's trace of the wire protocol (psycopg 3), one file per connection. libpq writes
    # each message the client sends out as it sends it; read at checkout and checkin, they
    # are the statements of the thread that had the connection.
    from psycopg import pq

    MESSAGE = re.compile(r"^([FB])\t\d+\t(\w+)\t?(.*?)(?=^[FB]\t\d+\t|\Z)", re.M | re.S)
    PARSE = re.compile(r'\s*"([^"]*)" "(.*)" \d+(?: \w+)*\s*\Z', re.S)
    BIND = re.compile(r'\s*"[^"]*" "([^"]*)"')
    traces = {}

    @event.listens_for(Engine, "connect")
    def trace(dbapi_connection, _):
        file = tempfile.TemporaryFile()
        dbapi_connection.pgconn.trace(file.fileno())
        dbapi_connection.pgconn.set_trace_flags(
            pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE
        )
        traces[id(dbapi_connection)] = dict(file=file, read=0, prepared={}, thread=None)

    def collect(dbapi_connection):
        state = traces.get(id(dbapi_connection))
        if state is None:
            return
        file = state["file"]
        file.seek(state["read"])
        data = file.read()
        # libpq writes out what the client sends before sending it, whole; an answer may be
        # cut short, so its last unfinished line waits for the next read.
        complete = data[: data.rfind(b"\n") + 1]
        state["read"] += len(complete)
        thread = state["thread"] or threading.current_thread().name
        for side, kind, rest in MESSAGE.findall(complete.decode(errors="replace")):
            if side != "F":
                continue
            if kind == "Query":
                sent.append((thread, rest.strip()[1:-1]))
            elif kind == "Parse" and (parsed := PARSE.match(rest)):
                state["prepared"][parsed[1]] = parsed[2]
            elif kind == "Bind" and (bound := BIND.match(rest)):
                sent.append((thread, state["prepared"].get(bound[1], "?")))

    @event.listens_for(Pool, "checkout")
    def checked_out(dbapi_connection, record, proxy):
        collect(dbapi_connection)
        if id(dbapi_connection) in traces:
            traces[id(dbapi_connection)]["thread"] = threading.current_thread().name

    @event.listens_for(Pool, "checkin")
    def checked_in(dbapi_connection, record):
        if dbapi_connection is not None and id(dbapi_connection) in traces:
            collect(dbapi_connection)
            traces[id(dbapi_connection)]["thread"] = None

module, _, name = sys.argv[1].partition(":")
app = getattr(import_module(module), name)
item = json.loads(sys.argv[2])
with TestClient(app) as client:
    order = client.post("/sales", json={"name": "First"}).json()["id"]
    client.post(f"/sales/{order}/items", json=item)
    client.get(f"/sales/{order}")
    found = {}
    for kind, method, path, body in (
        ("create", "POST", "/sales", {"name": "Second"}),
        ("get", "GET", f"/sales/{order}", None),
        ("add item", "POST", f"/sales/{order}/items", item),
    ):
        sent.clear()
        answer = client.request(method, path, json=body)
        assert answer.status_code < 300, answer.text
        # The outbox's retry sweep runs once a second on a thread of its own: not the request.
        found[kind] = [sql for thread, sql in sent if thread != "outbox-retries"]
print(json.dumps(found))
"""

#: What differs between two runs of the same statement: the values written into it.
VALUES = re.compile(r"'[^']*'|\b\d+(\.\d+)?\b|X'[0-9A-F]+'")


def statements(app: App) -> dict[str, list[str]]:
    """The statements each request sends to ``app``'s database, values masked: SQLite's
    trace callback, or libpq's trace of the wire protocol for PostgreSQL.
    """
    result = subprocess.run(
        [sys.executable, "-c", TRACE_PROBE, app.target, json.dumps(ITEM)],
        cwd=app.cwd,
        env=dict(app.env),
        check=True,
        capture_output=True,
        text=True,
    )
    traced: dict[str, list[str]] = json.loads(result.stdout.splitlines()[-1])
    return {
        kind: [VALUES.sub("?", " ".join(sql.split())) for sql in sent]
        for kind, sent in traced.items()
    }


# -- the run -----------------------------------------------------------------------------------


def apps(project: Path, backend: str, urls: Mapping[str, str]) -> list[App]:
    """The generated service and the hand-written app, each on its own database."""
    base = {**clean_env(), "LOG_LEVEL": "WARNING"}
    generated = {
        **base,
        "PYTHONPATH": str(project / "src"),
        "DB_BACKEND": backend,
        "DATABASE_URL": urls["generated"],
    }
    hand_written = {**base, "PYTHONPATH": str(REPO), "DATABASE_URL": urls["hand-written"]}
    return [
        App("generated", f"{PACKAGE}.main:app", project, generated),
        App("hand-written", "bench.handwritten.app:app", REPO, hand_written),
    ]


def compare(
    pair: list[App], loads: list[Load], rounds: int, seconds: float, folder: Path, rate: Rate
) -> dict[str, dict[str, object]]:
    """Requests/s of each app for each load, interleaved rounds, medians and ratios."""
    samples: dict[str, dict[str, list[float]]] = {
        load.name: {app.name: [] for app in pair} for load in loads
    }
    cpu: dict[str, dict[str, list[float]]] = {
        load.name: {app.name: [] for app in pair} for load in loads
    }
    with served(pair[0]) as first, served(pair[1]) as second:
        servers = {pair[0].name: first, pair[1].name: second}
        shown = {name: new_order(server.port, items=3) for name, server in servers.items()}
        for load in loads:
            for round_number in range(rounds + 1):  # round 0 warms both up, uncounted
                # Alternate who goes first, so neither always follows the same neighbour.
                for app in pair if round_number % 2 else pair[::-1]:
                    server = servers[app.name]
                    if load is ADD_ITEM:
                        ids = [new_order(server.port) for _ in range(ORDERS_PER_ROUND)]
                    else:
                        ids = [shown[app.name]]
                    before = cpu_seconds(server.pid)
                    measured = rate(server.port, load, ids, seconds, folder)
                    after = cpu_seconds(server.pid)
                    if round_number:
                        samples[load.name][app.name].append(measured)
                        if before is not None and after is not None:
                            requests = measured * seconds
                            cpu[load.name][app.name].append((after - before) / requests)
    return {load.name: figure(samples[load.name], cpu[load.name]) for load in loads}


def figure(rates: Mapping[str, list[float]], cpu: Mapping[str, list[float]]) -> dict[str, object]:
    """Medians of one load: requests/s, server CPU per request, and generated/hand-written.

    The ratio is the median of the rounds' ratios: each round's two runs are next to each
    other in time, so a slower stretch of a noisy machine slows both.
    """
    paired = [g / h for g, h in zip(rates["generated"], rates["hand-written"], strict=True)]
    found: dict[str, object] = {
        "requests/s": {name: round(statistics.median(values)) for name, values in rates.items()},
        "ratio": round(statistics.median(paired), 3),
        "ratios by round": [round(r, 3) for r in paired],
    }
    if all(cpu.values()):
        found["server CPU ms/request"] = {
            name: round(1000 * statistics.median(values), 3) for name, values in cpu.items()
        }
        per_request = [h / g for g, h in zip(cpu["generated"], cpu["hand-written"], strict=True)]
        found["CPU ratio (hand-written / generated CPU per request)"] = round(
            statistics.median(per_request), 3
        )
    return found


def postgresql_urls(url: str, purpose: str) -> dict[str, str]:
    """A fresh schema per app (``bench_http_<purpose>_<app>``, dropped first) in the database
    at ``url``: the app's URL then names it as its search path.
    """
    from sqlalchemy import create_engine, text

    schemas = {name: f"bench_http_{purpose}_{name.replace('-', '_')}" for name in NAMES}
    engine = create_engine(url)
    with engine.begin() as connection:
        for schema in schemas.values():
            connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            connection.execute(text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    separator = "&" if "?" in url else "?"
    return {
        name: f"{url}{separator}options=-csearch_path%3D{schema}"
        for name, schema in schemas.items()
    }


CREATE_TABLES = f"""
from sqlalchemy import create_engine
from {PACKAGE}.bootstrap import discover_modules
from {PACKAGE}.core.infrastructure.database.base import Base
import os
discover_modules()
engine = create_engine(os.environ["DATABASE_URL"])
Base.metadata.create_all(engine)
engine.dispose()
"""


def postgresql_apps(project: Path, url: str, purpose: str) -> list[App]:
    """The two apps, each on a fresh schema of the PostgreSQL database at ``url``.

    The generated service leaves a server database's tables to its migrations: they are made
    here from its models. The hand-written app makes its own.
    """
    pair = apps(project, "postgresql", postgresql_urls(url, purpose))
    subprocess.run(
        [sys.executable, "-c", CREATE_TABLES], cwd=project, env=dict(pair[0].env), check=True
    )
    return pair


@contextlib.contextmanager
def memory_folder() -> Iterator[Path]:
    """A temporary folder in RAM (/dev/shm) where there is one, for the SQLite files: the
    figures then measure the services, not the disk's fsync.
    """
    shm = Path("/dev/shm")  # noqa: S108 - a private temporary folder below it
    with tempfile.TemporaryDirectory(dir=shm if shm.is_dir() else None) as folder:
        yield Path(folder)


def same_statements(pair: list[App]) -> dict[str, object]:
    """What each app sends per request, and whether the two are the same."""
    traced = {app.name: statements(app) for app in pair}
    return {"same": traced["generated"] == traced["hand-written"], "statements": traced}


def run(
    rounds: int = 5, seconds: float = 2.0, backends: Sequence[str] = BACKENDS
) -> dict[str, object]:
    """Every comparison: SQLite, and PostgreSQL when its URL is set.

    For each database, the statements are compared first (on databases of their own), then
    both apps are loaded on fresh ones.
    """
    generator, rate = load_generator()
    result: dict[str, object] = {
        "load generator": generator,
        "server": "uvicorn, 1 worker, no access log, LOG_LEVEL=WARNING",
        "rounds": rounds,
        "seconds per round": seconds,
    }
    loads = [GET, CREATE, ADD_ITEM]
    checks: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as name, memory_folder() as databases:
        folder = Path(name)
        project = render(folder / "project", DATA)
        if "sqlite" in backends:
            traced = {n: f"sqlite:///{databases / f'trace-{n}.db'}" for n in NAMES}
            checks["sqlite"] = same_statements(apps(project, "sqlite", traced))
            sqlite = {n: f"sqlite:///{databases / f'{n}.db'}" for n in NAMES}
            pair = apps(project, "sqlite", sqlite)
            result["sqlite"] = compare(pair, loads, rounds, seconds, folder, rate)
        url = os.environ.get(POSTGRESQL_URL)
        if "postgresql" not in backends:
            pass
        elif not url:
            result["postgresql"] = f"not measured: {POSTGRESQL_URL} is not set"
        else:
            checks["postgresql"] = same_statements(postgresql_apps(project, url, "trace"))
            pair = postgresql_apps(project, url, "load")
            result["postgresql"] = compare(pair, loads, rounds, seconds, folder, rate)
    result["same statements"] = bool(checks) and all(
        bool(check["same"]) for check in checks.values() if isinstance(check, dict)
    )
    result["statements"] = checks
    return result


def ratios(figures: Mapping[str, object]) -> dict[str, float]:
    """``"sqlite, GET /sales/{id}": 0.97``, ... for every figure measured."""
    found: dict[str, float] = {}
    for backend in ("sqlite", "postgresql"):
        by_load = figures.get(backend)
        if isinstance(by_load, dict):
            for load, figure in by_load.items():
                found[f"{backend}, {load}"] = float(figure["ratio"])
    return found


def main() -> None:
    """``python -m bench.http_bench [--rounds N] [--seconds S] [--backend sqlite]``."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="counted rounds per request")
    parser.add_argument("--seconds", type=float, default=2.0, help="seconds of load per run")
    parser.add_argument(
        "--backend", choices=BACKENDS, action="append", help="only this database (repeatable)"
    )
    arguments = parser.parse_args()
    measured = run(arguments.rounds, arguments.seconds, arguments.backend or BACKENDS)
    print(json.dumps(measured, indent=2))
    found = ratios(measured)
    met = bool(measured.get("same statements")) and all(r >= GOAL for r in found.values())
    sys.exit(0 if found and met else 1)


if __name__ == "__main__":
    main()
