"""X-6 over the real servers: one OpenTelemetry trace from `POST /v1/sessions` on auth, through
the outbox publish and the Kafka headers, to notify's consumer and its SMTP send; JSON logs
carry the trace id; every service's /metrics shows the platform metrics.

auth and notify run here as processes of their own with `OTEL_TRACES_EXPORTER=console`, so
their finished spans land in their log files next to the JSON log lines."""

import json
import os
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.support import mailpit
from tests.support.identity import FIREFOX, PASSWORD, register
from tests.support.processes import ServiceProcess, start_service

pytestmark = pytest.mark.servers

PLATFORM_METRICS = (
    "konto_http_requests_total",
    "konto_http_request_duration_seconds",
    "konto_outbox_backlog",
    "konto_kafka_consumer_lag",
    "konto_dlq_messages_total",
    "konto_logins_total",
)


@pytest.fixture(scope="module")
def traced_pair(servers: None, run_id: str) -> Iterator[tuple[ServiceProcess, ServiceProcess]]:
    """auth and notify exporting spans to stdout, on databases and groups of their own."""
    own = f"{run_id}obs"
    auth = start_service("auth", own, extra_env={"OTEL_TRACES_EXPORTER": "console"})
    try:
        notify = start_service(
            "notify",
            own,
            extra_env={
                "OTEL_TRACES_EXPORTER": "console",
                "KONTO_NOTIFY_JWKS_URL": f"{auth.url}/.well-known/jwks.json",
            },
        )
    except Exception:
        auth.stop()
        raise
    yield auth, notify
    notify.stop()
    auth.stop()


def _lines(service: ServiceProcess) -> list[dict[str, Any]]:
    found = []
    for line in service.log.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            try:
                found.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    return found


def _spans(service: ServiceProcess, trace_id: str) -> dict[str, dict[str, Any]]:
    """Finished spans of this trace by name (console exporter lines carry `context`)."""
    return {
        line["name"]: line
        for line in _lines(service)
        if line.get("context", {}).get("trace_id") == f"0x{trace_id}"
    }


def _ancestors(span: dict[str, Any], spans: dict[str, dict[str, Any]]) -> list[str]:
    by_id = {each["context"]["span_id"]: each for each in spans.values()}
    names, parent = [], span["parent_id"]
    while parent in by_id:
        names.append(by_id[parent]["name"])
        parent = by_id[parent]["parent_id"]
    return names


def _wait_for_span(service: ServiceProcess, trace_id: str, name: str) -> dict[str, Any]:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        spans = _spans(service, trace_id)
        if name in spans:
            return spans[name]
        time.sleep(0.2)
    raise AssertionError(f"no span {name!r} of trace {trace_id} in {service.log}")


def test_one_trace_from_login_to_smtp_send_X_6(
    traced_pair: tuple[ServiceProcess, ServiceProcess],
) -> None:
    auth, notify = traced_pair
    email = f"trace.{uuid.uuid4().hex[:8]}@example.ch"
    register(auth, email)
    trace_id, caller_span = os.urandom(16).hex(), os.urandom(8).hex()
    answer = httpx.post(
        f"{auth.url}/v1/sessions",
        json={"email": email, "password": PASSWORD},
        headers={"user-agent": FIREFOX, "traceparent": f"00-{trace_id}-{caller_span}-01"},
    )
    assert answer.status_code == 201, answer.text
    assert answer.headers["traceparent"].split("-")[1] == trace_id

    # At least one: another test run's notify on the shared topic may send one too.
    mails = mailpit.wait_for_count(email, 1, timeout=20)
    assert {mail["Subject"] for mail in mails} == {"New sign-in to your Konto account"}

    # The consumer's span ends last, after the SMTP send and the commit.
    _wait_for_span(notify, trace_id, "konto.auth.events process")
    _wait_for_span(auth, trace_id, "POST /v1/sessions")
    spans = {**_spans(auth, trace_id), **_spans(notify, trace_id)}
    login, smtp = spans["POST /v1/sessions"], spans["smtp send"]
    assert login["parent_id"] == f"0x{caller_span}"
    assert login["kind"] == "SpanKind.SERVER"
    assert login["resource"]["attributes"]["service.name"] == "konto-auth"
    assert smtp["kind"] == "SpanKind.CLIENT"
    assert smtp["resource"]["attributes"]["service.name"] == "konto-notify"
    # The chain, parent by parent: SMTP send → notify's consumer → auth's publish (through the
    # Kafka header) → the login request's span → the caller.
    chain = _ancestors(smtp, spans)
    assert chain[:2] == ["konto.auth.events process", "konto.auth.events publish"]
    assert "POST /v1/sessions" in chain
    assert spans["konto.auth.events process"]["kind"] == "SpanKind.CONSUMER"
    assert spans["konto.auth.events publish"]["kind"] == "SpanKind.PRODUCER"

    # The JSON log lines written while handling the login event carry the same trace id.
    logged = [line for line in _lines(notify) if line.get("trace_id") == trace_id]
    assert any(
        line.get("message") == "delivery" and line.get("status") == "sent" for line in logged
    )
    assert all(len(line["span_id"]) == 16 for line in logged)


def test_metrics_show_logins_and_consumer_lag_X_6(
    traced_pair: tuple[ServiceProcess, ServiceProcess],
) -> None:
    auth, notify = traced_pair
    email = f"metrics.{uuid.uuid4().hex[:8]}@example.ch"
    register(auth, email)
    wrong = httpx.post(f"{auth.url}/v1/sessions", json={"email": email, "password": "wrong!"})
    assert wrong.status_code == 401
    auth_metrics = httpx.get(f"{auth.url}/metrics").text
    assert 'konto_logins_total{outcome="bad_credentials"}' in auth_metrics
    bad = _sample(auth_metrics, 'konto_logins_total{outcome="bad_credentials"}')
    assert bad >= 1
    notify_metrics = httpx.get(f"{notify.url}/metrics").text
    assert 'konto_kafka_consumer_lag{consumer="notify.' in notify_metrics


def _sample(text: str, series: str) -> float:
    for line in text.splitlines():
        if line.startswith(series + " "):
            return float(line.split()[-1])
    raise AssertionError(f"{series} not in /metrics")


@pytest.mark.parametrize("name", ["auth", "orgs", "billing", "verification", "notify"])
def test_every_service_exposes_the_platform_metrics_X_6(
    request: pytest.FixtureRequest, name: str
) -> None:
    service: ServiceProcess = request.getfixturevalue(name)
    text = httpx.get(f"{service.url}/metrics").text
    declared = {line.split()[2] for line in text.splitlines() if line.startswith("# TYPE ")}
    missing = [m for m in PLATFORM_METRICS if not {m, m.removesuffix("_total")} & declared]
    assert not missing, f"{name}: /metrics lacks {missing}"
    assert _sample(text, "konto_outbox_backlog") >= 0
