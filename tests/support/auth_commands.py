"""Find the commands auth sends to other services (notify's SMS codes, verification's cases)
on their shared Kafka topics, by the command's subject (the Kafka key: auth uses the user id)."""

import asyncio
from collections.abc import Callable

from aiokafka import AIOKafkaConsumer

from konto.common.crypto import SecretBox
from konto.common.events import Event, SendSmsCodeV1, parse_event
from tests.support.servers import KAFKA

DEV_COMMAND_KEY = "a29udG8tZGV2LW9ubHktZW5jcnlwdGlvbi1rZXkhISE="


async def _commands(
    topic: str, subject: str | None, match: Callable[[Event], bool], timeout: float
) -> list[Event]:
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=KAFKA, auto_offset_reset="earliest", enable_auto_commit=False
    )
    await consumer.start()
    found: list[Event] = []
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline and not found:
            batch = await consumer.getmany(timeout_ms=500)
            for records in batch.values():
                for record in records:
                    if subject is not None and record.key != subject.encode():
                        continue
                    event = parse_event(record.value)
                    if match(event):
                        found.append(event)
    finally:
        await consumer.stop()
    return found


def wait_for_command(topic: str, subject: str, event_type: str, timeout: float = 20.0) -> Event:
    found = asyncio.run(_commands(topic, subject, lambda e: e.type == event_type, timeout))
    assert found, f"no {event_type} about {subject} on {topic} within {timeout} s"
    return found[-1]


def find_command(topic: str, match: Callable[[Event], bool], timeout: float = 20.0) -> Event:
    """The first command on `topic` that `match` accepts, whatever its key."""
    found = asyncio.run(_commands(topic, None, match, timeout))
    assert found, f"no matching command on {topic} within {timeout} s"
    return found[0]


def opened_code(command: Event) -> str:
    """What notify does with an SMS code command: open it with the shared key."""
    assert isinstance(command, SendSmsCodeV1)
    box = SecretBox.from_base64(DEV_COMMAND_KEY)
    return box.open(command.data.sealed_code, command.subject.encode()).decode()
