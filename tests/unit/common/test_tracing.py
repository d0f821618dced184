"""X-6: OpenTelemetry spans carried over W3C `traceparent` headers, and log lines carrying the
current span's trace and span id."""

import json
import logging
from collections.abc import Iterator

import pytest
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from konto.common.logging import JsonFormatter
from konto.common.tracing import SpanKind, current_traceparent, inject, provider, traced

INCOMING = "00-" + "ab" * 16 + "-" + "cd" * 8 + "-01"


@pytest.fixture(scope="module")
def exporter() -> Iterator[InMemorySpanExporter]:
    memory = InMemorySpanExporter()
    provider().add_span_processor(SimpleSpanProcessor(memory))
    yield memory
    memory.shutdown()  # later tests' spans are not kept


@pytest.fixture
def spans(exporter: InMemorySpanExporter) -> Iterator[InMemorySpanExporter]:
    exporter.clear()
    return exporter


def _log_line() -> dict[str, str]:
    record = logging.LogRecord("konto.test", logging.INFO, __file__, 1, "hello", (), None)
    line: dict[str, str] = json.loads(JsonFormatter("auth").format(record))
    return line


def test_remote_parent_is_continued_and_children_nest_X_6(spans: InMemorySpanExporter) -> None:
    """Server span under the caller's traceparent, a producer span under it, and the header
    that producer writes names the producer span: the chain a login → mail trace follows."""
    with (
        traced("POST /v1/sessions", kind=SpanKind.SERVER, remote={"traceparent": INCOMING}),
        traced("konto.auth.events publish", kind=SpanKind.PRODUCER) as producer,
    ):
        headers = inject({"ce-type": "x"})
        line = _log_line()
    server, publish = sorted(spans.get_finished_spans(), key=lambda s: s.start_time or 0)
    assert server.context is not None
    assert publish.context is not None
    assert server.context.trace_id == int("ab" * 16, 16)
    assert server.parent is not None
    assert server.parent.span_id == int("cd" * 8, 16)
    assert server.kind is SpanKind.SERVER
    assert publish.parent is not None
    assert publish.parent.span_id == server.context.span_id
    assert headers["traceparent"] == f"00-{'ab' * 16}-{publish.context.span_id:016x}-01"
    assert producer.get_span_context().span_id == publish.context.span_id
    assert line["trace_id"] == "ab" * 16
    assert line["span_id"] == f"{publish.context.span_id:016x}"


def test_a_consumer_continues_the_producers_header_X_6(spans: InMemorySpanExporter) -> None:
    with traced("publish", kind=SpanKind.PRODUCER) as producer:
        header = inject({})
    with (
        traced("konto.auth.events process", kind=SpanKind.CONSUMER, remote=header) as consumer,
        traced("smtp send"),
    ):
        inner = current_traceparent()
    assert consumer.get_span_context().trace_id == producer.get_span_context().trace_id
    assert inner is not None
    assert inner.split("-")[1] == f"{producer.get_span_context().trace_id:032x}"
    process = next(s for s in spans.get_finished_spans() if s.name.endswith("process"))
    assert process.parent is not None
    assert process.parent.span_id == producer.get_span_context().span_id


@pytest.mark.parametrize(
    "incoming", ["", "garbage", "01-xyz", "00-" + "0" * 32 + "-" + "1" * 16 + "-01"]
)
def test_invalid_traceparent_starts_a_new_trace_X_6(
    spans: InMemorySpanExporter, incoming: str
) -> None:
    with traced("GET /x", kind=SpanKind.SERVER, remote={"traceparent": incoming}) as span:
        line = _log_line()
    context = span.get_span_context()
    assert context.is_valid
    assert context.trace_id != 0
    assert line["trace_id"] == f"{context.trace_id:032x}"
    [finished] = spans.get_finished_spans()
    assert finished.parent is None


def test_no_span_no_trace_fields_in_the_log_X_6() -> None:
    line = _log_line()
    assert "trace_id" not in line
    assert "span_id" not in line
    assert current_traceparent() is None
