"""Raw Kafka reads and writes for fault tests on a given broker: every record of Konto's topics,
re-publishing records as they are, and how far each consumer group is behind."""

import asyncio
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.coordinator.protocol import ConsumerProtocolMemberMetadata
from aiokafka.structs import ConsumerRecord, TopicPartition

Record = ConsumerRecord[bytes, bytes]


def konto_topics(bootstrap: str) -> list[str]:
    """Every topic the services write (events and commands), dead-letter topics left out."""
    return asyncio.run(_konto_topics(bootstrap))


def all_records(bootstrap: str, topics: list[str]) -> list[Record]:
    """Every record of `topics` up to their current ends."""
    return asyncio.run(_all_records(bootstrap, topics))


def republish(bootstrap: str, records: list[Record]) -> None:
    """Each record once more to its topic: same value, key and headers (so the same partition)."""
    asyncio.run(_republish(bootstrap, records))


def consumer_lag(bootstrap: str) -> dict[str, int]:
    """Per consumer group, the records of its subscribed topics it has not committed yet."""
    return asyncio.run(_consumer_lag(bootstrap))


async def _konto_topics(bootstrap: str) -> list[str]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    await consumer.start()
    try:
        names: set[str] = await consumer.topics()
    finally:
        await consumer.stop()
    return sorted(t for t in names if t.startswith("konto.") and not t.endswith(".dlq"))


async def _partitions(
    admin: AIOKafkaAdminClient, topics: list[str], wait: float = 0.0
) -> list[TopicPartition]:
    """Every partition of `topics`, waiting up to `wait` seconds for all of them to be listed
    (a broker just restarted may not list them at first)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    while True:
        described = await admin.describe_topics(topics)
        known = {t["topic"]: [p["partition"] for p in t["partitions"]] for t in described}
        if all(known.get(topic) for topic in topics) or loop.time() > deadline:
            break
        await asyncio.sleep(0.5)
    return [
        TopicPartition(topic, partition)
        for topic in topics
        for partition in sorted(known.get(topic, []))
    ]


async def _all_records(bootstrap: str, topics: list[str]) -> list[Record]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        partitions = await _partitions(admin, topics, wait=30)
    finally:
        await admin.close()
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, auto_offset_reset="earliest"
    )
    await consumer.start()
    records: list[Record] = []
    try:
        consumer.assign(partitions)
        ends: dict[TopicPartition, int] = await consumer.end_offsets(partitions)
        await consumer.seek_to_beginning(*partitions)
        remaining = {tp for tp, end in ends.items() if end > 0}
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 60
        while remaining:
            if loop.time() > deadline:
                raise AssertionError(f"could not read {sorted(map(str, remaining))} to the end")
            batch = await consumer.getmany(timeout_ms=500)
            for tp, part in batch.items():
                records.extend(r for r in part if r.offset < ends[tp])
            for tp in list(remaining):
                if await consumer.position(tp) >= ends[tp]:
                    remaining.discard(tp)
    finally:
        await consumer.stop()
    return records


async def _republish(bootstrap: str, records: list[Record]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True, acks="all")
    await producer.start()
    try:
        sent = [
            await producer.send(r.topic, r.value, key=r.key, headers=list(r.headers))
            for r in records
        ]
        await asyncio.gather(*sent)
    finally:
        await producer.stop()


async def _consumer_lag(bootstrap: str) -> dict[str, int]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await admin.start()
    await consumer.start()
    try:
        groups = [group for group, *_ in await admin.list_consumer_groups()]
        lag: dict[str, int] = {}
        for group in groups:
            topics = await _subscriptions(admin, group)
            if not topics:
                continue
            partitions = await _partitions(admin, sorted(topics))
            ends: dict[TopicPartition, int] = await consumer.end_offsets(partitions)
            committed = await admin.list_consumer_group_offsets(group)
            lag[group] = sum(
                end - (committed[tp].offset if tp in committed else 0) for tp, end in ends.items()
            )
        return lag
    finally:
        await consumer.stop()
        await admin.close()


async def _subscriptions(admin: AIOKafkaAdminClient, group: str) -> set[str]:
    """The topics the group's live members subscribe to, from their join metadata (second to
    last in a member entry, whatever the response version)."""
    topics: set[str] = set()
    for response in await admin.describe_consumer_groups([group]):
        for described in response.groups:
            members: list[Any] = described[5]
            for member in members:
                metadata = ConsumerProtocolMemberMetadata.decode(member[-2])
                topics.update(metadata.subscription)
    return topics
