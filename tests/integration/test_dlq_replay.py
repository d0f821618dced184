"""NOT-4 / X-2 on the real servers: `konto.common.dlq.replay` brings a dead letter back to its
topic with its key and headers, once; the fixed consumer then applies it exactly once."""

import asyncio
from collections import Counter

import pytest
from faststream.kafka import KafkaBroker

from konto.common import dlq
from konto.common.broker import consumer_group
from konto.common.consumer import IdempotentConsumer
from konto.common.events import KontoEvent
from konto.common.mongo import Mongo
from konto.common.outbox import Outbox, UnitOfWork
from konto.common.settings import ServiceSettings
from tests.integration.conftest import registered_event
from tests.support.kafka import header_map, produce, read_topic, unique_topic
from tests.support.servers import KAFKA

pytestmark = [pytest.mark.servers, pytest.mark.timeout(90)]

TRACEPARENT = b"00-" + b"c" * 32 + b"-" + b"d" * 16 + b"-01"


async def test_poison_message_replays_from_dlq_and_applies_once_NOT_4(
    mongo: Mongo, broker: KafkaBroker, settings: ServiceSettings
) -> None:
    topic = unique_topic("dlq-replay")
    applied: Counter[str] = Counter()
    broken = True

    async def apply(event: KontoEvent, uow: UnitOfWork) -> None:
        if broken:
            raise ValueError("handler bug")
        applied[event.id] += 1

    consumer = IdempotentConsumer(
        name=f"test-{topic}",
        mongo=mongo,
        broker=broker,
        outbox=Outbox(mongo, broker, collection=f"outbox_{topic}"),
        handler=apply,
        max_attempts=2,
        retry_base_seconds=0.01,
        collection=f"consumed_{topic}",
    )
    await consumer.ensure_indexes()
    consumer.subscribe(topic, group_id=consumer_group(settings, "test", topic))
    poison = registered_event(topic, "u-replay")
    await produce(topic, poison.to_json(), key=b"u-replay", headers=[("traceparent", TRACEPARENT)])
    await broker.start()
    try:
        [dead] = await read_topic(dlq.dead_letter_topic(topic), expect=1, timeout=20)
        assert header_map(dead)["x-konto-error"] == "ValueError: handler bug"
        broken = False  # the fix is deployed

        group = f"{settings.kafka_group_prefix}test-replay-{topic}"
        [replayed] = await dlq.replay(KAFKA, topic, group_id=group)
        assert (replayed.to_topic, replayed.key) == (topic, "u-replay")
        assert replayed.error == "ValueError: handler bug"
        assert await dlq.replay(KAFKA, topic, group_id=group) == []  # committed: not again

        records = await read_topic(topic, expect=2, timeout=20)
        for _ in range(100):
            if applied[poison.id]:
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(0.5)
    finally:
        await broker.stop()
    assert applied == Counter({poison.id: 1})
    original, again = records
    assert again.key == original.key == b"u-replay"
    assert again.value == original.value
    headers = header_map(again)
    assert headers["traceparent"] == TRACEPARENT.decode()
    assert headers["x-konto-replayed-from"] == f"{topic}.dlq/{dead.partition}/{dead.offset}"
    assert not any(name in headers for name in ("x-konto-error", "x-konto-original-topic"))
