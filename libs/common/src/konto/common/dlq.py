"""Replay a dead-letter topic: each message goes back to the topic it came from, with its
original key and headers, for any service's CLI (`replay-dlq <topic>`).

The replayer is a consumer group of its own: after each re-published message it commits the
next offset, so a second run starts where the first stopped and replays nothing twice. A crash
between publish and commit replays that one message again; consumers are idempotent (X-2), so
that costs a skipped duplicate, never a second effect.
"""

from dataclasses import dataclass

# aiokafka ships no type information; FastStream's Kafka broker is built on it.
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer  # type: ignore[import-untyped]
from aiokafka.structs import (  # type: ignore[import-untyped]
    ConsumerRecord,
    OffsetAndMetadata,
    TopicPartition,
)

from konto.common.events.topics import dlq

# Headers the dead-lettering consumer adds (konto.common.consumer); stripped on replay so the
# message is as it was, except for a note of where it was replayed from.
DEAD_LETTER_HEADER_PREFIX = "x-konto-"
ORIGINAL_TOPIC_HEADER = "x-konto-original-topic"
REPLAYED_FROM_HEADER = "x-konto-replayed-from"


@dataclass(frozen=True)
class Replayed:
    dlq_topic: str
    partition: int
    offset: int
    to_topic: str
    key: str | None
    error: str | None

    def describe(self) -> str:
        return (
            f"{self.dlq_topic}[{self.partition}]@{self.offset} -> {self.to_topic}"
            f" key={self.key} error={self.error!r}"
        )


def dead_letter_topic(topic: str) -> str:
    """`konto.x.events` and `konto.x.events.dlq` both name the DLQ `konto.x.events.dlq`."""
    return topic if topic.endswith(".dlq") else dlq(topic)


def original_topic(record: ConsumerRecord[bytes, bytes], dlq_topic: str) -> str:
    """Where the message came from: its header, else the DLQ name without `.dlq`."""
    for name, value in record.headers:
        if name == ORIGINAL_TOPIC_HEADER and value:
            return str(value.decode())
    return dlq_topic.removesuffix(".dlq")


def replay_headers(record: ConsumerRecord[bytes, bytes], dlq_topic: str) -> list[tuple[str, bytes]]:
    kept = [(k, v) for k, v in record.headers if not k.startswith(DEAD_LETTER_HEADER_PREFIX)]
    where = f"{dlq_topic}/{record.partition}/{record.offset}".encode()
    return [*kept, (REPLAYED_FROM_HEADER, where)]


def _header(record: ConsumerRecord[bytes, bytes], name: str) -> str | None:
    for key, value in record.headers:
        if key == name:
            return str(value.decode(errors="replace"))
    return None


async def replay(
    bootstrap: str,
    topic: str,
    *,
    group_id: str,
    limit: int | None = None,
    poll_seconds: float = 1.0,
) -> list[Replayed]:
    """Re-publish what `<topic>.dlq` holds beyond `group_id`'s committed offsets (at most
    `limit` messages) and return what was replayed. Messages that arrive while it runs wait
    for the next run: it stops at the end offsets it saw when it started."""
    dlq_topic = dead_letter_topic(topic)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True, acks="all")
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=group_id,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        isolation_level="read_committed",
    )
    await producer.start()
    await consumer.start()
    done: list[Replayed] = []
    try:
        partitions = sorted(await producer.partitions_for(dlq_topic))
        assigned = [TopicPartition(dlq_topic, p) for p in partitions]
        consumer.assign(assigned)
        ends = await consumer.end_offsets(assigned)
        pending = {tp for tp in assigned if await consumer.position(tp) < ends[tp]}
        while pending and (limit is None or len(done) < limit):
            batch = await consumer.getmany(*pending, timeout_ms=int(poll_seconds * 1000))
            for tp, records in batch.items():
                for record in records:
                    if record.offset >= ends[tp] or (limit is not None and len(done) >= limit):
                        break
                    to_topic = original_topic(record, dlq_topic)
                    await producer.send_and_wait(
                        to_topic,
                        record.value,
                        key=record.key,
                        headers=replay_headers(record, dlq_topic),
                    )
                    await consumer.commit({tp: OffsetAndMetadata(record.offset + 1, "")})
                    done.append(
                        Replayed(
                            dlq_topic=dlq_topic,
                            partition=tp.partition,
                            offset=record.offset,
                            to_topic=to_topic,
                            key=record.key.decode(errors="replace") if record.key else None,
                            error=_header(record, "x-konto-error"),
                        )
                    )
            pending = {tp for tp in pending if await consumer.position(tp) < ends[tp]}
            if limit is not None and len(done) >= limit:
                break
    finally:
        await consumer.stop()
        await producer.stop()
    return done
