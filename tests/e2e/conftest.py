from collections.abc import Iterator

import pytest

from tests.support.processes import ServiceProcess, start_service

pytestmark = pytest.mark.servers


@pytest.fixture(scope="session")
def auth(servers: None, run_id: str) -> Iterator[ServiceProcess]:
    service = start_service("auth", run_id)
    yield service
    service.stop()


@pytest.fixture(scope="session")
def notify(servers: None, run_id: str) -> Iterator[ServiceProcess]:
    service = start_service("notify", run_id)
    yield service
    service.stop()
