"""OpenTelemetry traces for every service: W3C trace context carried over HTTP and Kafka
headers, so one trace follows a request from the first service to the last (X-6).

Spans are always recorded (every log line carries their trace and span id, see logging.py);
they leave the process only when an exporter is configured through the standard OpenTelemetry
variables: `OTEL_TRACES_EXPORTER=otlp` (with `OTEL_EXPORTER_OTLP_ENDPOINT`, OTLP over HTTP) or
`console` (one JSON object per span on stdout). The default, `none`, exports nothing.
"""

import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import Token
from dataclasses import dataclass
from typing import Literal

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
)
from opentelemetry.trace import Span, SpanKind
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from opentelemetry.util.types import AttributeValue
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = [
    "SpanKind",
    "TracingSettings",
    "configure_tracing",
    "continue_trace",
    "current_traceparent",
    "end_trace",
    "inject",
    "provider",
    "traced",
]

TRACER_NAME = "konto"
_PROPAGATOR = TraceContextTextMapPropagator()
_provider: TracerProvider | None = None


class TracingSettings(BaseSettings):
    """The standard OpenTelemetry variables, read once per process for every service."""

    model_config = SettingsConfigDict(env_prefix="OTEL_", extra="ignore", frozen=True)

    traces_exporter: Literal["none", "otlp", "console"] = "none"
    # Base URL of an OTLP/HTTP collector; spans go to `<endpoint>/v1/traces`. Unset: the
    # exporter's own default (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, else localhost:4318).
    exporter_otlp_endpoint: str | None = None


def _one_line(span: ReadableSpan) -> str:
    return str(span.to_json(indent=None)) + "\n"


def configure_tracing(service: str, settings: TracingSettings | None = None) -> TracerProvider:
    """Install this process's tracer provider (once; later calls return the first one)."""
    global _provider
    if _provider is not None:
        return _provider
    settings = settings or TracingSettings()
    _provider = TracerProvider(resource=Resource.create({"service.name": f"konto-{service}"}))
    if settings.traces_exporter == "otlp":
        # Imported here: the OTLP client is only loaded by processes that export.
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        endpoint = settings.exporter_otlp_endpoint
        _provider.add_span_processor(
            BatchSpanProcessor(
                OTLPSpanExporter(endpoint=f"{endpoint.rstrip('/')}/v1/traces" if endpoint else None)
            )
        )
    elif settings.traces_exporter == "console":
        # Synchronous, so a span is in the log the moment it ends (tests read it there).
        _provider.add_span_processor(
            SimpleSpanProcessor(ConsoleSpanExporter(out=sys.stdout, formatter=_one_line))
        )
    trace.set_tracer_provider(_provider)
    return _provider


def provider() -> TracerProvider:
    """The process's provider; a process that never configured one gets a non-exporting one."""
    return _provider or configure_tracing("konto", TracingSettings(traces_exporter="none"))


def _parent(remote: Mapping[str, str] | None) -> Context | None:
    """`None`: the current span is the parent. A carrier: the caller's span it names, or a new
    trace when it holds no valid `traceparent`."""
    if remote is None:
        return None
    return _PROPAGATOR.extract(dict(remote), context=Context())


@contextmanager
def traced(
    name: str,
    *,
    kind: SpanKind = SpanKind.INTERNAL,
    remote: Mapping[str, str] | None = None,
    attributes: Mapping[str, AttributeValue] | None = None,
) -> Iterator[Span]:
    """Run the block in a new current span: under the current span, or under the one named by
    `remote` (incoming HTTP or Kafka headers) for work that starts at a process boundary."""
    tracer = provider().get_tracer(TRACER_NAME)
    with tracer.start_as_current_span(
        name, context=_parent(remote), kind=kind, attributes=attributes
    ) as span:
        yield span


def inject(carrier: dict[str, str]) -> dict[str, str]:
    """Write the current span's `traceparent` into outgoing headers."""
    _PROPAGATOR.inject(carrier)
    return carrier


def current_traceparent() -> str | None:
    return inject({}).get("traceparent")


@dataclass(frozen=True)
class Continued:
    span: Span
    token: Token[Context]


def continue_trace(incoming: str | None, name: str = "continued") -> Continued:
    """`traced` for code that cannot wrap a block: a span under the caller's `traceparent`
    (or a new trace), current until `end_trace`."""
    span = (
        provider()
        .get_tracer(TRACER_NAME)
        .start_span(name, context=_parent({"traceparent": incoming or ""}))
    )
    return Continued(span, otel_context.attach(trace.set_span_in_context(span)))


def end_trace(continued: Continued) -> None:
    continued.span.end()
    otel_context.detach(continued.token)
