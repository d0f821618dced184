"""X-6: the Prometheus metrics every service exposes on /metrics, and logins counted by outcome
on the routes a service declares (auth: `POST /v1/sessions`, `POST /v1/sessions/mfa`)."""

from fastapi import FastAPI, Response
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY

from konto.common.metrics import count_logins, install_metrics

NEW_METRICS = (
    "konto_http_requests_total",
    "konto_http_request_duration_seconds",
    "konto_outbox_backlog",
    "konto_kafka_consumer_lag",
    "konto_dlq_messages_total",
    "konto_logins_total",
)


def _app() -> FastAPI:
    app = FastAPI()
    install_metrics(app)

    @app.post("/v1/sessions")
    async def login(status: int) -> Response:
        return Response(status_code=status)

    @app.post("/v1/other")
    async def other() -> Response:
        return Response(status_code=201)

    count_logins(app, "/v1/sessions")
    return app


def _logins(outcome: str) -> float:
    return REGISTRY.get_sample_value("konto_logins_total", {"outcome": outcome}) or 0.0


def test_logins_are_counted_by_outcome_X_6() -> None:
    client = TestClient(_app())
    before = {
        o: _logins(o)
        for o in ("success", "bad_credentials", "locked", "throttled", "mfa_challenge")
    }
    for status in (201, 201, 202, 401, 423, 429, 422):
        client.post("/v1/sessions", params={"status": status})
    client.post("/v1/other")  # not a login route
    assert _logins("success") - before["success"] == 2
    assert _logins("mfa_challenge") - before["mfa_challenge"] == 1
    assert _logins("bad_credentials") - before["bad_credentials"] == 1
    assert _logins("locked") - before["locked"] == 1
    assert _logins("throttled") - before["throttled"] == 1


def test_metrics_endpoint_lists_every_metric_X_6() -> None:
    text = TestClient(_app()).get("/metrics").text
    declared = {line.split()[2] for line in text.splitlines() if line.startswith("# TYPE ")}
    for name in NEW_METRICS:
        assert {name, name.removesuffix("_total")} & declared, name
    assert 'konto_logins_total{outcome="locked"}' in text
