"""X-6: one JSON object per log line, carrying the trace id."""

import json
import logging

import pytest

from konto.common.logging import JsonFormatter
from konto.common.tracing import continue_trace, current_traceparent, end_trace


def test_log_line_is_json_with_trace_id_and_extras_X_6() -> None:
    incoming = "00-" + "ab" * 16 + "-" + "cd" * 8 + "-01"
    tokens = continue_trace(incoming)
    try:
        record = logging.LogRecord(
            "konto.test", logging.INFO, __file__, 1, "hello %s", ("you",), None
        )
        record.event_id = "e-1"
        line = json.loads(JsonFormatter("auth").format(record))
        traceparent = current_traceparent()
    finally:
        end_trace(tokens)
    assert line["message"] == "hello you"
    assert line["service"] == "auth"
    assert line["trace_id"] == "ab" * 16
    assert line["event_id"] == "e-1"
    assert traceparent is not None
    assert traceparent.split("-")[1] == "ab" * 16
    assert traceparent != incoming  # our own span under the caller's trace


@pytest.mark.parametrize("incoming", [None, "", "garbage", "01-xyz"])
def test_bad_traceparent_starts_a_new_trace_X_6(incoming: str | None) -> None:
    tokens = continue_trace(incoming)
    try:
        traceparent = current_traceparent()
    finally:
        end_trace(tokens)
    assert traceparent is not None
    assert len(traceparent.split("-")[1]) == 32
