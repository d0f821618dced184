"""One process per service for the whole e2e session, each with this run's own databases and
consumer groups; every service verifies tokens against this run's auth."""

from collections.abc import Iterator

import pytest

from tests.support.processes import ServiceProcess, start_service

pytestmark = pytest.mark.servers


@pytest.fixture(scope="session")
def auth(servers: None, run_id: str) -> Iterator[ServiceProcess]:
    service = start_service("auth", run_id)
    yield service
    service.stop()


def _start_with_auth(name: str, auth: ServiceProcess, run_id: str) -> Iterator[ServiceProcess]:
    prefix = f"KONTO_{name.upper()}_"
    service = start_service(
        name, run_id, extra_env={f"{prefix}JWKS_URL": f"{auth.url}/.well-known/jwks.json"}
    )
    yield service
    service.stop()


@pytest.fixture(scope="session")
def orgs(auth: ServiceProcess, run_id: str) -> Iterator[ServiceProcess]:
    yield from _start_with_auth("orgs", auth, run_id)


@pytest.fixture(scope="session")
def billing(auth: ServiceProcess, run_id: str) -> Iterator[ServiceProcess]:
    yield from _start_with_auth("billing", auth, run_id)


@pytest.fixture(scope="session")
def verification(auth: ServiceProcess, run_id: str) -> Iterator[ServiceProcess]:
    yield from _start_with_auth("verification", auth, run_id)


@pytest.fixture(scope="session")
def notify(auth: ServiceProcess, run_id: str) -> Iterator[ServiceProcess]:
    yield from _start_with_auth("notify", auth, run_id)
