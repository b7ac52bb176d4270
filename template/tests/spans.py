"""Spans recorded in memory, for the tracing tests; and a process without OpenTelemetry.

OpenTelemetry takes one global tracer provider a process: the first test that asks sets one
that records in memory, and every later one reuses it.
"""

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from types import ModuleType

import pytest
from opentelemetry import trace
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

SQLALCHEMY_SCOPE = "opentelemetry.instrumentation.sqlalchemy"


@cache
def _exporter() -> InMemorySpanExporter:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    return exporter


@contextmanager
def recorded_spans() -> Iterator[InMemorySpanExporter]:
    """The spans finished inside the block; no engine stays traced after it."""
    exporter = _exporter()
    exporter.clear()
    try:
        yield exporter
    finally:
        instrumentor = SQLAlchemyInstrumentor()
        if instrumentor.is_instrumented_by_opentelemetry:
            instrumentor.uninstrument()
        exporter.clear()


class _Uninstalled(MetaPathFinder):
    """Finds no OpenTelemetry package, as in an environment without the `otel` extra."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> ModuleSpec | None:
        del path, target
        if fullname.partition(".")[0] == "opentelemetry":
            msg = f"No module named {fullname!r}"
            raise ModuleNotFoundError(msg, name=fullname)
        return None


def without_opentelemetry(monkeypatch: pytest.MonkeyPatch, *adapters: str) -> None:
    """Until the test ends, OpenTelemetry and the ``adapters`` importing it cannot be imported."""
    for name in list(sys.modules):
        if name.partition(".")[0] == "opentelemetry" or name in adapters:
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(sys, "meta_path", [_Uninstalled(), *sys.meta_path])
