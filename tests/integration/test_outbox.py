"""X-2 on the real servers: a state change and its event commit together (outbox)."""

import asyncio
from datetime import timedelta

import pytest
from faststream.kafka import KafkaBroker

from konto.common.events import parse_event
from konto.common.mongo import Mongo
from konto.common.outbox import Outbox
from tests.integration.conftest import registered_event
from tests.support.kafka import header_map, read_topic, unique_topic

pytestmark = pytest.mark.servers


async def test_commit_publishes_at_once_and_marks_sent_X_2(
    mongo: Mongo, broker: KafkaBroker
) -> None:
    topic = unique_topic("outbox")
    outbox = Outbox(mongo, broker, collection=f"outbox_{topic}")
    await broker.start()
    try:
        event = registered_event(topic)
        async with outbox.unit_of_work() as uow:
            await mongo.db["users_x2"].insert_one({"_id": event.id}, session=uow.session)
            uow.emit(event)
        records = await read_topic(topic, expect=1)
    finally:
        await broker.stop()
    assert [parse_event(r.value).id for r in records] == [event.id]
    assert records[0].key == b"u-1"
    assert header_map(records[0])["ce-type"] == "konto.auth.user.registered.v1"
    assert await outbox.backlog() == 0


async def test_rolled_back_change_publishes_nothing_X_2(mongo: Mongo, broker: KafkaBroker) -> None:
    topic = unique_topic("outbox-abort")
    outbox = Outbox(mongo, broker, collection=f"outbox_{topic}")
    await broker.start()
    try:
        doomed = registered_event(topic, "u-doomed")
        with pytest.raises(RuntimeError):
            async with outbox.unit_of_work() as uow:
                await mongo.db["users_x2"].insert_one({"_id": doomed.id}, session=uow.session)
                uow.emit(doomed)
                raise RuntimeError("validation failed after the write")
        marker = registered_event(topic, "u-marker")
        async with outbox.unit_of_work() as uow:
            uow.emit(marker)
        records = await read_topic(topic, expect=1)
    finally:
        await broker.stop()
    assert [parse_event(r.value).id for r in records] == [marker.id]
    assert await mongo.db["users_x2"].find_one({"_id": doomed.id}) is None


async def test_crash_between_commit_and_publish_relay_sends_once_X_2(
    mongo: Mongo, broker: KafkaBroker, settings: object
) -> None:
    """The process dies after commit, before the fast path: the row stays unsent. Two relays
    (two replicas) then race for it; the lease lets exactly one publish it."""
    topic = unique_topic("outbox-crash")
    collection = f"outbox_{topic}"
    writer = Outbox(mongo, broker, collection=collection)
    event = registered_event(topic)
    async with mongo.transaction() as session:
        await writer.stage(session, [event])  # committed; publish_now never runs
    assert await writer.backlog() == 1

    other_broker = KafkaBroker("127.0.0.1:9092", enable_idempotence=True, acks="all")
    relay_a, relay_b = writer, Outbox(mongo, other_broker, collection=collection)
    await asyncio.gather(broker.start(), other_broker.start())
    try:
        sent = await asyncio.gather(
            relay_a.relay_once(timedelta(0)), relay_b.relay_once(timedelta(0))
        )
        again = await relay_a.relay_once(timedelta(0))
        records = await read_topic(topic, expect=1, settle=2.0)
    finally:
        await asyncio.gather(broker.stop(), other_broker.stop())
    assert sorted(sent) == [0, 1]
    assert again == 0
    assert [parse_event(r.value).id for r in records] == [event.id]
    assert await writer.backlog() == 0


async def test_relay_leaves_fresh_rows_to_the_fast_path_X_2(
    mongo: Mongo, broker: KafkaBroker
) -> None:
    topic = unique_topic("outbox-grace")
    outbox = Outbox(mongo, broker, collection=f"outbox_{topic}")
    async with mongo.transaction() as session:
        await outbox.stage(session, [registered_event(topic)])
    await broker.start()
    try:
        assert await outbox.relay_once(timedelta(seconds=60)) == 0
    finally:
        await broker.stop()
    assert await outbox.backlog() == 1
