"""A heartbeat for long runs: every so often, how far along the run is and what is running.

pytest prints a test's line when it ends; a render-matrix test runs for a minute or more, so
without this a person watching sees nothing move. Registered by ``tests/conftest.py`` in
the process that reports (the xdist controller, or the only process), never in a worker.
"""

import threading
import time

import pytest


class Heartbeat:
    """Every ``interval`` seconds: tests done of all, and the ones running, with their time."""

    def __init__(self, config: pytest.Config, interval: float) -> None:
        self.config = config
        self.interval = interval
        self.started = time.monotonic()
        self.running: dict[str, float] = {}
        self.done = 0
        self.total: int | None = None
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, name="heartbeat", daemon=True)

    def pytest_sessionstart(self) -> None:
        self.thread.start()

    def pytest_sessionfinish(self) -> None:
        self.stop.set()

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.total = len(session.items)

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node: object, ids: list[str]) -> None:
        self.total = len(ids)

    def pytest_runtest_logstart(self, nodeid: str) -> None:
        with self.lock:
            self.running[nodeid] = time.monotonic()

    def pytest_runtest_logfinish(self, nodeid: str) -> None:
        with self.lock:
            self.running.pop(nodeid, None)
            self.done += 1

    def line(self) -> str:
        """``[ 2m10s] 210/468 done; running: A (35 s), B (12 s)``."""
        now = time.monotonic()
        minutes, seconds = divmod(int(now - self.started), 60)
        with self.lock:
            running = sorted(self.running.items(), key=lambda item: item[1])
            done = self.done
        total = "?" if self.total is None else str(self.total)
        names = ", ".join(f"{nodeid} ({now - since:.0f} s)" for nodeid, since in running)
        return f"[{minutes:2d}m{seconds:02d}s] {done}/{total} done; running: {names or '-'}"

    def _beat(self) -> None:
        while not self.stop.wait(self.interval):
            reporter = self.config.pluginmanager.get_plugin("terminalreporter")
            if reporter is not None:
                reporter.write_line(self.line(), cyan=True)
