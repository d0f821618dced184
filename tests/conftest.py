import os
import uuid

import pytest

from tests.support.servers import require_servers


@pytest.fixture(scope="session")
def run_id() -> str:
    """Isolates this run's databases, topics and consumer groups from every other run."""
    return os.environ.get("KONTO_TEST_RUN_ID") or uuid.uuid4().hex[:8]


@pytest.fixture(scope="session")
def servers() -> None:
    require_servers()
