"""Helpers shared by the tests."""

import multiprocessing
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.pool import Pool

from sqlalchemy import Engine, event


@contextmanager
def counted_queries() -> Iterator[list[str]]:
    """Collect the SQL statements every engine runs inside the block."""
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(Engine, "before_cursor_execute", record)


def worker_processes(count: int) -> Pool:
    """A pool of ``count`` separate worker processes.

    Forked where the platform can fork: a forked worker inherits this process's imports and
    starts in milliseconds instead of the half second a fresh interpreter needs. It shares
    nothing else with the test: each worker builds its own application from its arguments,
    so what it reads and writes goes through the files or the database, as in production.
    """
    can_fork = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if can_fork else "spawn")
    return context.Pool(count)
