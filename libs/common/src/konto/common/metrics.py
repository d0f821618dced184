"""Prometheus metrics shared by every service (X-6): HTTP traffic and latency, outbox backlog,
Kafka consume lag per consumer, messages written to dead-letter topics, and logins by outcome
(on the routes a service declares with `count_logins`)."""

import time
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest

HTTP_REQUESTS = Counter("konto_http_requests_total", "HTTP requests", ["method", "route", "status"])
HTTP_LATENCY = Histogram(
    "konto_http_request_duration_seconds", "HTTP request latency", ["method", "route"]
)
OUTBOX_BACKLOG = Gauge("konto_outbox_backlog", "Outbox rows not yet published")
KAFKA_CONSUMER_LAG = Gauge(
    "konto_kafka_consumer_lag",
    "Messages behind the end of the partition (highwater - position), per consumer",
    ["consumer", "topic", "partition"],
)
DLQ_MESSAGES = Counter(
    "konto_dlq_messages_total", "Messages written to a dead-letter topic", ["topic"]
)
LOGINS = Counter("konto_logins_total", "Login attempts by outcome", ["outcome"])

# A login route's status code says how the attempt ended (DESIGN: auth's REST paths).
LOGIN_OUTCOMES = {
    201: "success",
    202: "mfa_challenge",
    401: "bad_credentials",
    423: "locked",
    429: "throttled",
}

Refresh = Callable[[], Awaitable[None]]


async def _nothing() -> None:
    return None


def count_logins(app: FastAPI, *paths: str) -> None:
    """Count `POST <path>` answers on these routes in `konto_logins_total` by outcome."""
    app.state.login_routes = {*getattr(app.state, "login_routes", set()), *paths}
    for outcome in LOGIN_OUTCOMES.values():
        LOGINS.labels(outcome)  # every outcome shows from the start, at 0


def install_metrics(app: FastAPI, refresh: Refresh = _nothing) -> None:
    """`refresh` updates the gauges that are read from elsewhere (lag, backlog) per scrape."""

    @app.middleware("http")
    async def _measure(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        path = getattr(route, "path", "unmatched")
        HTTP_REQUESTS.labels(request.method, path, str(response.status_code)).inc()
        HTTP_LATENCY.labels(request.method, path).observe(time.perf_counter() - started)
        if request.method == "POST" and path in getattr(app.state, "login_routes", ()):
            outcome = LOGIN_OUTCOMES.get(response.status_code)
            if outcome:
                LOGINS.labels(outcome).inc()
        return response

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        await refresh()
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
