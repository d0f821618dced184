"""Find auth's events on Kafka in e2e tests: every run shares `konto.auth.events`, so a test
looks for its own user's events by type and subject."""

import asyncio

from aiokafka import AIOKafkaConsumer

from konto.common.events import AUTH_EVENTS, Event, parse_event
from tests.support.servers import KAFKA


async def events_of(
    subject: str, event_type: str, *, expect: int = 1, timeout: float = 20.0
) -> list[Event]:
    """The events of `event_type` about `subject`, once `expect` of them are there (or the
    timeout passes: then whatever was found)."""
    consumer = AIOKafkaConsumer(
        AUTH_EVENTS, bootstrap_servers=KAFKA, auto_offset_reset="earliest", enable_auto_commit=False
    )
    await consumer.start()
    found: list[Event] = []
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline and len(found) < expect:
            batch = await consumer.getmany(timeout_ms=500)
            for records in batch.values():
                for record in records:
                    if record.key != subject.encode():
                        continue
                    event = parse_event(record.value)
                    if event.type == event_type:
                        found.append(event)
    finally:
        await consumer.stop()
    return found


def wait_for_events(
    subject: str, event_type: str, *, expect: int = 1, timeout: float = 20.0
) -> list[Event]:
    """`events_of` for synchronous tests."""
    return asyncio.run(events_of(subject, event_type, expect=expect, timeout=timeout))
