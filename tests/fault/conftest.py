"""One private Kafka and MongoDB-wire server for the whole fault session (the tests kill and
restart them; the shared ones stay untouched), and the services on them, started as tests
first need them. Mailpit, S3 and the SMS sink are the shared ones: the session's notify mails
from its own sender to its own address domain only."""

from collections.abc import Iterator

import pytest

from tests.support.fault_servers import PrivateServers
from tests.support.fault_stack import SERVICES, FaultStack


@pytest.fixture(scope="session")
def private_servers(
    servers: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PrivateServers]:
    private = PrivateServers.on_free_ports(tmp_path_factory.mktemp("fault-servers"))
    try:
        private.start()
        yield private
    finally:
        private.stop()


@pytest.fixture(scope="session")
def fault_session(private_servers: PrivateServers, run_id: str) -> Iterator[FaultStack]:
    stack = FaultStack(private_servers, f"{run_id}f")
    yield stack
    stack.stop_all()


def _whole(stack: FaultStack, *services: str) -> FaultStack:
    """The session's stack with `services` running and everything ready, whatever an earlier
    test left behind."""
    stack.servers.start()
    stack.ensure(*services)
    stack.wait_ready()
    return stack


@pytest.fixture
def stack(fault_session: FaultStack) -> FaultStack:
    """auth and notify (and whatever else an earlier test started)."""
    return _whole(fault_session, "auth", "notify")


@pytest.fixture
def full_stack(fault_session: FaultStack) -> FaultStack:
    return _whole(fault_session, *SERVICES)
