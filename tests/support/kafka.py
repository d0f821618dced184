"""Read and write raw Kafka records in tests, with aiokafka, bypassing the services."""

import asyncio
import uuid
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.structs import ConsumerRecord

from tests.support.servers import KAFKA


def unique_topic(label: str) -> str:
    return f"konto.test.{label}.{uuid.uuid4().hex[:10]}"


async def read_topic(
    topic: str, *, expect: int, timeout: float = 15.0, settle: float = 1.0
) -> list[ConsumerRecord[bytes, bytes]]:
    """Every record of `topic` from the start: waits for `expect` records, then `settle` more
    seconds so that an extra (duplicate) record would be seen too."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=KAFKA, auto_offset_reset="earliest", enable_auto_commit=False
    )
    await consumer.start()
    records: list[ConsumerRecord[bytes, bytes]] = []
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        settle_until: float | None = None
        while True:
            now = loop.time()
            if settle_until is None and len(records) >= expect:
                settle_until = now + settle
            end = settle_until if settle_until is not None else deadline
            if now >= end:
                break
            batch = await consumer.getmany(timeout_ms=int(min(0.5, end - now) * 1000) + 1)
            for part in batch.values():
                records.extend(part)
    finally:
        await consumer.stop()
    return records


async def produce(
    topic: str,
    value: bytes,
    *,
    key: bytes | None = None,
    headers: list[tuple[str, bytes]] | None = None,
) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=KAFKA, enable_idempotence=True, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(topic, value, key=key, headers=headers or [])
    finally:
        await producer.stop()


def header_map(record: ConsumerRecord[Any, Any]) -> dict[str, str]:
    return {k: v.decode() for k, v in record.headers}
