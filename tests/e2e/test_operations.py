"""X-6: every service answers health, readiness, metrics, OpenAPI and AsyncAPI, and is not
ready while Kafka or MongoDB cannot be reached."""

import time
from collections.abc import Iterator

import httpx
import pytest

from tests.support.processes import ServiceProcess, free_port, start_service

pytestmark = pytest.mark.servers

SERVICES = ["auth", "orgs", "billing", "verification", "notify"]


@pytest.fixture(scope="module")
def suite(servers: None, run_id: str) -> Iterator[dict[str, ServiceProcess]]:
    started: dict[str, ServiceProcess] = {}
    try:
        for name in SERVICES:
            started[name] = start_service(name, f"{run_id}ops")
        yield started
    finally:
        for service in started.values():
            service.stop()


@pytest.mark.parametrize("name", SERVICES)
def test_operational_endpoints_X_6(suite: dict[str, ServiceProcess], name: str) -> None:
    url = suite[name].url
    assert httpx.get(f"{url}/healthz").json() == {"status": "ok"}
    ready = httpx.get(f"{url}/readyz")
    assert ready.status_code == 200
    checks = ready.json()["checks"]
    assert checks | {"mongo": True, "kafka": True, "started": True} == checks
    assert all(checks.values())
    metrics = httpx.get(f"{url}/metrics").text
    assert "konto_http_requests_total" in metrics
    assert "konto_outbox_backlog" in metrics
    assert httpx.get(f"{url}/openapi.json").json()["info"]["title"] == f"Konto {name}"
    asyncapi = httpx.get(f"{url}/asyncapi.json").json()
    assert asyncapi["asyncapi"].startswith("3.")


def test_asyncapi_documents_topics_in_and_out_X_1(suite: dict[str, ServiceProcess]) -> None:
    auth_doc = httpx.get(f"{suite['auth'].url}/asyncapi.json").text
    notify_doc = httpx.get(f"{suite['notify'].url}/asyncapi.json").text
    assert "konto.auth.events" in auth_doc
    assert "konto.auth.user.registered.v1" in auth_doc
    assert "konto.auth.events" in notify_doc


def _wait_not_ready(service: ServiceProcess, failing: str) -> dict[str, object]:
    deadline = time.monotonic() + 20
    body: dict[str, object] = {}
    while time.monotonic() < deadline:
        response = httpx.get(f"{service.url}/readyz", timeout=10)
        body = response.json()
        if response.status_code == 503 and failing in str(body.get("detail")):
            return body
        time.sleep(0.3)
    raise AssertionError(f"expected 503 naming {failing}, last answer {body}")


@pytest.mark.parametrize(
    ("setting", "value", "failing"),
    [
        ("KAFKA_BOOTSTRAP", "127.0.0.1:{port}", "kafka"),
        ("MONGO_URL", "mongodb://127.0.0.1:{port}/", "mongo"),
    ],
)
def test_not_ready_while_a_dependency_is_unreachable_X_6(
    servers: None, run_id: str, setting: str, value: str, failing: str
) -> None:
    closed = free_port()  # nothing listens there
    service = start_service(
        "orgs",
        f"{run_id}down",
        extra_env={f"KONTO_ORGS_{setting}": value.format(port=closed)},
        wait_ready=False,
    )
    try:
        assert httpx.get(f"{service.url}/healthz").status_code == 200
        body = _wait_not_ready(service, failing)
        assert body["checks"][failing] is False  # type: ignore[index]
        assert httpx.get(f"{service.url}/readyz").headers["content-type"] == (
            "application/problem+json"
        )
    finally:
        service.stop()
