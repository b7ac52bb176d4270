"""Tests that configure logging (or run a tool that does) leave it as they found it."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO

#: Loggers a test may hand to ``configure_logging(adopt=...)``.
ADOPTABLE = ("uvicorn", "uvicorn.error", "uvicorn.access", "tests.adopted")


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


@contextmanager
def loggers_kept_enabled() -> Iterator[None]:
    """Undo a ``dictConfig`` inside the block that disables the loggers existing before it.

    import-linter's entry point does that: it would silence every logger of the service that
    the tests had created by then.
    """
    loggers = [
        lg for lg in logging.Logger.manager.loggerDict.values() if isinstance(lg, logging.Logger)
    ]
    enabled = [lg for lg in loggers if not lg.disabled]
    try:
        yield
    finally:
        for lg in enabled:
            lg.disabled = False
