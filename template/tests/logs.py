"""Tests that configure logging leave the process's logging as they found it."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO

#: Loggers a test may hand to ``configure_logging(adopt=...)``.
ADOPTABLE = ("uvicorn", "uvicorn.access", "tests.adopted")


@contextmanager
def restored_logging() -> Iterator[StringIO]:
    """Yield a stream to log into; afterwards, put the root and adoptable loggers back."""
    loggers = [logging.getLogger(), *(logging.getLogger(name) for name in ADOPTABLE)]
    saved = [(lg, list(lg.handlers), lg.level, lg.propagate) for lg in loggers]
    try:
        yield StringIO()
    finally:
        for lg, handlers, level, propagate in saved:
            lg.handlers[:] = handlers
            lg.setLevel(level)
            lg.propagate = propagate


def lines(stream: StringIO) -> list[str]:
    """The lines written to ``stream`` so far."""
    return stream.getvalue().splitlines()
