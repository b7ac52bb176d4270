"""Logging, configured in one place: plain text by default, one JSON object a line with
``LOG_FORMAT=json``, at ``LOG_LEVEL``.

Every entrypoint calls :func:`configure_logging` once, before it does any work; nothing else
adds a handler. Log with ``logging.getLogger(__name__)`` as usual.
"""

import logging
import sys
from collections.abc import Callable, Sequence
from typing import Annotated, Literal, TextIO

from pydantic import BeforeValidator

LogFormat = Literal["text", "json"]


def _upper(value: object) -> object:
    return value.upper() if isinstance(value, str) else value


#: ``LOG_LEVEL``, in any case (``debug`` is ``DEBUG``).
LogLevel = Annotated[
    Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"],
    BeforeValidator(_upper),
]

#: The name of the one handler this module installs on the root logger.
HANDLER_NAME = "service"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
TEXT_FORMAT_WITH_REQUEST = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
#: Outside a request (start-up, shutdown) the request id reads as this.
NO_REQUEST = "-"


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record: the id of the request being served, or ``-``."""

    def __init__(self, current: Callable[[], str | None]) -> None:
        super().__init__()
        self._current = current

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep every record; stamp it with the current request id."""
        record.request_id = self._current() or NO_REQUEST
        return True


def build_formatter(log_format: LogFormat, *, with_request_id: bool) -> logging.Formatter:
    """The formatter of ``log_format``: a line of text, or a JSON object.

    A JSON record has ``time`` (ISO 8601, UTC), ``level``, ``logger``, ``message``, the
    ``request_id`` when there is one, ``exc_info`` with the traceback of a logged exception,
    and any ``extra={...}`` fields given to the call.
    """
    if log_format == "json":
        # Imported here: a service that logs text does not load the JSON library.
        from pythonjsonlogger.json import JsonFormatter

        return JsonFormatter(
            "{levelname}{name}{message}",
            style="{",
            rename_fields={"levelname": "level", "name": "logger"},
            timestamp="time",
        )
    return logging.Formatter(TEXT_FORMAT_WITH_REQUEST if with_request_id else TEXT_FORMAT)


def configure_logging(
    *,
    level: str = "INFO",
    log_format: LogFormat = "text",
    request_id: Callable[[], str | None] | None = None,
    adopt: Sequence[str] = (),
    stream: TextIO | None = None,
) -> logging.Handler:
    """Send every log record to ``stream`` (stderr) at ``level``, in ``log_format``.

    ``request_id`` returns the id of the request being served (the HTTP API passes its own);
    ``adopt`` names loggers that bring their own handlers and levels (uvicorn's): their
    records then go through this handler instead, at ``level`` like every other record. One
    that its owner switched off (no handler, not passing records on, as ``uvicorn
    --no-access-log`` leaves ``uvicorn.access``) stays off. Calling it again replaces the
    handler it installed, and only that one: handlers others added to the root logger
    (pytest's, say) stay.
    """
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.set_name(HANDLER_NAME)
    handler.setFormatter(build_formatter(log_format, with_request_id=request_id is not None))
    if request_id is not None:
        handler.addFilter(RequestIdFilter(request_id))
    root = logging.getLogger()
    for previous in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(previous)
        previous.close()
    root.addHandler(handler)
    root.setLevel(level)
    for name in adopt:
        adopted = logging.getLogger(name)
        if not adopted.handlers and not adopted.propagate:
            continue  # switched off by its owner: it writes nothing, and still will not
        for own in list(adopted.handlers):
            adopted.removeHandler(own)
        adopted.propagate = True
        adopted.setLevel(logging.NOTSET)  # the root's level, ``level``, decides
    return handler
