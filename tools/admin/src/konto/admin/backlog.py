"""What is waiting: unsent outbox rows in each service's database, and dead-lettered messages
not yet replayed.

A DLQ's backlog is its end offsets minus the replay group's committed offsets (the beginning
offsets where the group has none), per partition: exactly what `replay-dlq` would re-publish.
"""

import asyncio
from dataclasses import dataclass

# aiokafka ships no type information; FastStream's Kafka broker is built on it.
from aiokafka import AIOKafkaConsumer  # type: ignore[import-untyped]
from aiokafka.admin import AIOKafkaAdminClient  # type: ignore[import-untyped]
from aiokafka.structs import TopicPartition  # type: ignore[import-untyped]

from konto.common.broker import make_broker
from konto.common.mongo import Mongo
from konto.common.outbox import Outbox
from konto.common.settings import ServiceSettings

SERVICES = ("auth", "orgs", "billing", "verification", "notify")
PROBE_SECONDS = 10.0


@dataclass(frozen=True)
class OutboxBacklog:
    service: str
    database: str
    unsent: int | None  # None: the database did not answer
    error: str | None = None


@dataclass(frozen=True)
class DlqBacklog:
    topic: str
    waiting: int

    @property
    def service(self) -> str:
        """The service that owns the topic the messages came from (`konto.<service>.…`)."""
        parts = self.topic.split(".")
        return parts[1] if len(parts) > 2 and parts[0] == "konto" else "?"


async def outbox_backlog(service: str, settings: ServiceSettings) -> OutboxBacklog:
    mongo = Mongo(settings.mongo_url, settings.mongo_db)
    try:
        # The outbox only counts here; its broker is never started.
        outbox = Outbox(mongo, make_broker(settings, "admin"))
        unsent = await asyncio.wait_for(outbox.backlog(), PROBE_SECONDS)
        return OutboxBacklog(service, settings.mongo_db, unsent)
    except Exception as exc:
        return OutboxBacklog(service, settings.mongo_db, None, f"{type(exc).__name__}: {exc}")
    finally:
        await mongo.close()


def is_konto_dlq(topic: str) -> bool:
    """A dead-letter topic of a service's topic (test runs' `konto.test.*` ones are left out)."""
    parts = topic.split(".")
    return (
        topic.endswith(".dlq")
        and len(parts) > 2
        and parts[:2] in (["konto", service] for service in SERVICES)
    )


async def dlq_backlog(
    bootstrap: str, group_id: str, topics: list[str] | None = None
) -> list[DlqBacklog]:
    """Each DLQ's messages the replay group has not replayed; `topics` None: every Konto DLQ
    the broker has."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=group_id, enable_auto_commit=False
    )
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await asyncio.wait_for(consumer.start(), PROBE_SECONDS)
    try:
        await asyncio.wait_for(admin.start(), PROBE_SECONDS)
        existing = set(await admin.list_topics())
        chosen = sorted(t for t in existing if is_konto_dlq(t)) if topics is None else topics
        described = {
            d["topic"]: [p["partition"] for p in d["partitions"]]
            for d in await admin.describe_topics([t for t in chosen if t in existing])
        }
        result = []
        for topic in chosen:
            partitions = described.get(topic)
            if not partitions:
                result.append(DlqBacklog(topic, 0))
                continue
            assigned = [TopicPartition(topic, p) for p in sorted(partitions)]
            ends = await consumer.end_offsets(assigned)
            starts = await consumer.beginning_offsets(assigned)
            waiting = 0
            for tp in assigned:
                committed = await consumer.committed(tp)
                done = starts[tp] if committed is None else max(committed, starts[tp])
                waiting += max(ends[tp] - done, 0)
            result.append(DlqBacklog(topic, waiting))
        return result
    finally:
        await admin.close()
        await consumer.stop()
