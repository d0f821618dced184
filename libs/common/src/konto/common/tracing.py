"""W3C trace context carried over HTTP and Kafka headers, so one trace id follows a request
from the first service to the last, and every log line carries it."""

import os
import re
from contextvars import ContextVar, Token

from konto.common.logging import trace_id_var

_traceparent_var: ContextVar[str | None] = ContextVar("traceparent", default=None)
_TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")


def new_traceparent(trace_id: str | None = None) -> str:
    return f"00-{trace_id or os.urandom(16).hex()}-{os.urandom(8).hex()}-01"


def continue_trace(incoming: str | None) -> tuple[Token[str | None], Token[str | None]]:
    """Adopt the caller's trace (a new span id under its trace id) or start a new one."""
    match = _TRACEPARENT.match(incoming or "")
    traceparent = new_traceparent(match.group(1) if match else None)
    return _traceparent_var.set(traceparent), trace_id_var.set(traceparent.split("-")[1])


def end_trace(tokens: tuple[Token[str | None], Token[str | None]]) -> None:
    _traceparent_var.reset(tokens[0])
    trace_id_var.reset(tokens[1])


def current_traceparent() -> str | None:
    return _traceparent_var.get()
