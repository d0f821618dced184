"""X-2 / NOT-4 groundwork on the real servers: the idempotent consumer and its dead-letter topic."""

import asyncio
from collections import Counter

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from faststream.kafka import KafkaBroker

from konto.common.broker import consumer_group
from konto.common.consumer import IdempotentConsumer
from konto.common.events import KontoEvent, dlq, parse_event
from konto.common.mongo import Mongo
from konto.common.outbox import Outbox, UnitOfWork
from konto.common.settings import ServiceSettings
from tests.integration.conftest import registered_event
from tests.support.kafka import header_map, produce, read_topic, unique_topic
from tests.support.servers import KAFKA

pytestmark = pytest.mark.servers


async def _wait_until(predicate: object, timeout: float = 20.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        if await predicate():  # type: ignore[operator]
            return
        await asyncio.sleep(0.1)
    raise AssertionError("condition not met in time")


async def _committed(group: str, topic: str) -> int:
    """Sum of the group's committed offsets over the topic's partitions."""
    admin = AIOKafkaAdminClient(bootstrap_servers=KAFKA)
    await admin.start()
    try:
        offsets = await admin.list_consumer_group_offsets(group)
    finally:
        await admin.close()
    return sum(meta.offset for tp, meta in offsets.items() if tp.topic == topic)


async def test_same_event_twice_applies_once_and_commits_X_2(
    mongo: Mongo, broker: KafkaBroker, settings: ServiceSettings
) -> None:
    topic = unique_topic("consumer")
    effects = mongo.db[f"effects_{topic}"]

    async def apply(event: KontoEvent, uow: UnitOfWork) -> None:
        await effects.update_one(
            {"_id": event.subject}, {"$inc": {"applied": 1}}, upsert=True, session=uow.session
        )

    consumer = IdempotentConsumer(
        name=f"test-{topic}",
        mongo=mongo,
        broker=broker,
        outbox=Outbox(mongo, broker, collection=f"outbox_{topic}"),
        handler=apply,
        collection=f"consumed_{topic}",
    )
    await consumer.ensure_indexes()
    group = consumer_group(settings, "test", topic)
    consumer.subscribe(topic, group_id=group)

    twice = registered_event(topic, "u-twice")
    marker = registered_event(topic, "u-twice")  # same key: same partition, after the copies
    for event in (twice, twice, marker):
        await produce(topic, event.to_json(), key=b"u-twice")
    await broker.start()
    try:

        async def marker_done() -> bool:
            return await consumer.consumed.find_one({"event_id": marker.id}) is not None

        await _wait_until(marker_done)
        await asyncio.sleep(0.5)
    finally:
        await broker.stop()
    assert (await effects.find_one({"_id": "u-twice"}) or {})["applied"] == 2  # twice + marker
    assert await consumer.consumed.count_documents({}) == 2
    assert await _committed(group, topic) == 3


async def test_failing_event_goes_to_dlq_after_max_attempts_and_is_committed_X_2(
    mongo: Mongo, broker: KafkaBroker, settings: ServiceSettings
) -> None:
    topic = unique_topic("consumer-dlq")
    attempts: Counter[str] = Counter()
    poison = registered_event(topic, "u-poison")
    healthy = registered_event(topic, "u-poison")

    async def apply(event: KontoEvent, uow: UnitOfWork) -> None:
        attempts[event.id] += 1
        if event.id == poison.id:
            raise ValueError("cannot apply this one")

    consumer = IdempotentConsumer(
        name=f"test-{topic}",
        mongo=mongo,
        broker=broker,
        outbox=Outbox(mongo, broker, collection=f"outbox_{topic}"),
        handler=apply,
        max_attempts=3,
        retry_base_seconds=0.01,
        collection=f"consumed_{topic}",
    )
    await consumer.ensure_indexes()
    group = consumer_group(settings, "test", topic)
    consumer.subscribe(topic, group_id=group)
    await produce(
        topic,
        poison.to_json(),
        key=b"u-poison",
        headers=[("traceparent", b"00-" + b"a" * 32 + b"-" + b"b" * 16 + b"-01")],
    )
    await produce(topic, b"{not json", key=b"u-poison")
    await produce(topic, healthy.to_json(), key=b"u-poison")
    await broker.start()
    try:
        dead = await read_topic(dlq(topic), expect=2, timeout=20.0)

        async def healthy_done() -> bool:
            return await consumer.consumed.find_one({"event_id": healthy.id}) is not None

        await _wait_until(healthy_done)
    finally:
        await broker.stop()
    assert attempts[poison.id] == 3
    assert attempts[healthy.id] == 1
    assert len(dead) == 2
    first = header_map(dead[0])
    assert first["x-konto-error"] == "ValueError: cannot apply this one"
    assert first["x-konto-attempts"] == "3"
    assert first["x-konto-original-topic"] == topic
    assert first["traceparent"].startswith("00-" + "a" * 32)
    assert dead[0].value == poison.to_json()
    assert header_map(dead[1])["x-konto-error"].startswith("malformed event")
    assert await _committed(group, topic) == 3


async def test_events_a_handler_emits_are_published_right_after_commit_X_2(
    mongo: Mongo, broker: KafkaBroker, settings: ServiceSettings
) -> None:
    """No relay runs here: only the consumer's after-commit publish can deliver the event."""
    topic, out_topic = unique_topic("consumer-in"), unique_topic("consumer-out")
    trigger = registered_event(topic, "u-emit")
    follow_up = registered_event(out_topic, "u-emit")

    async def apply(event: KontoEvent, uow: UnitOfWork) -> None:
        uow.emit(follow_up)

    consumer = IdempotentConsumer(
        name=f"test-{topic}",
        mongo=mongo,
        broker=broker,
        outbox=Outbox(mongo, broker, collection=f"outbox_{topic}"),
        handler=apply,
        collection=f"consumed_{topic}",
    )
    await consumer.ensure_indexes()
    consumer.subscribe(topic, group_id=consumer_group(settings, "test", topic))
    await produce(topic, trigger.to_json(), key=b"u-emit")
    await produce(topic, trigger.to_json(), key=b"u-emit")  # redelivered: emits nothing more
    await broker.start()
    try:
        records = await read_topic(out_topic, expect=1, timeout=15.0, settle=2.0)
    finally:
        await broker.stop()
    assert [parse_event(r.value).id for r in records] == [follow_up.id]
    assert await consumer.outbox.backlog() == 0
