from collections.abc import AsyncIterator

import pytest
from faststream.kafka import KafkaBroker

from konto.common.broker import make_broker
from konto.common.events import UserRegistered, UserRegisteredV1
from konto.common.mongo import Mongo
from konto.common.settings import ServiceSettings
from tests.support.servers import KAFKA, MONGO_URL

pytestmark = pytest.mark.servers


@pytest.fixture(scope="session")
async def mongo(servers: None, run_id: str) -> AsyncIterator[Mongo]:
    mongo = Mongo(MONGO_URL, f"t{run_id}_integration")
    yield mongo
    await mongo.client.drop_database(mongo.db.name)
    await mongo.close()


@pytest.fixture
def settings(run_id: str) -> ServiceSettings:
    return ServiceSettings(kafka_bootstrap=KAFKA, kafka_group_prefix=f"t{run_id}.")


@pytest.fixture
def broker(settings: ServiceSettings) -> KafkaBroker:
    """Not started: a test registers its subscribers first, then starts it."""
    return make_broker(settings, "test")


def registered_event(topic: str, user_id: str = "u-1") -> UserRegisteredV1:
    """A real event type routed to a per-test topic, so tests never share a topic."""
    scoped = type("ScopedUserRegisteredV1", (UserRegisteredV1,), {"topic": topic})
    event: UserRegisteredV1 = scoped(
        subject=user_id,
        data=UserRegistered(
            user_id=user_id,
            email=f"{user_id}@example.ch",
            name="Test",
            mobile="+41791234567",
            locale="en",
        ),
    )
    return event
