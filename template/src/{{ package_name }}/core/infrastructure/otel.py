"""The adapter to OpenTelemetry: the packages of the ``otel`` extra, used by tracing.py.

Imported only with ``OTEL_ENABLED=true``: see tracing.py.
"""

from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from sqlalchemy import Engine


def build_tracer_provider(service_name: str) -> TracerProvider:
    """A tracer provider that batches spans to the OTLP/HTTP exporter, named for the service.

    The exporter reads OpenTelemetry's own ``OTEL_EXPORTER_OTLP_*`` variables (where, with
    which headers); by default it sends to ``http://localhost:4318``.
    """
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: service_name}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    return provider


def install_tracer_provider(service_name: str) -> None:
    """Make spans go somewhere, unless a tracer provider was set before.

    ``opentelemetry-instrument`` (or a test) may have set one: it is kept.
    """
    if not isinstance(trace.get_tracer_provider(), TracerProvider):
        trace.set_tracer_provider(build_tracer_provider(service_name))


def trace_engine(engine: Engine) -> None:
    """A span for every statement ``engine`` sends, and for every connection it opens.

    OpenTelemetry's SQLAlchemy instrumentor is one per process: the engine built last is the
    one traced (a process builds one; tests build many). Its package declares SQLAlchemy
    below 2.1, which this project may run: the check is skipped, and
    tests/integration/test_tracing.py proves the spans still arrive.
    """
    instrumentor = SQLAlchemyInstrumentor()
    if instrumentor.is_instrumented_by_opentelemetry:
        instrumentor.uninstrument()
    instrumentor.instrument(engine=engine, skip_dep_check=True)
