"""Spans recorded in memory, for the tracing tests.

OpenTelemetry takes one global tracer provider a process: the first test that asks sets one
that records in memory, and every later one reuses it.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

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
