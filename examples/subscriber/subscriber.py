"""Print Konto's auth events as typed objects: a subscriber needs only `konto-events` (pydantic)
and a Kafka client.

    python subscriber.py --bootstrap 127.0.0.1:9092 [--group my-team] [--from-start]
                         [--max-events N] [--timeout SECONDS]
"""

import argparse
import asyncio

from aiokafka import AIOKafkaConsumer  # type: ignore[import-untyped]
from pydantic import TypeAdapter, ValidationError

from konto.events import AUTH_EVENTS, KontoEvent, UserRegisteredV1

events: TypeAdapter[KontoEvent] = TypeAdapter(KontoEvent)


def describe(event: KontoEvent) -> str:
    if isinstance(event, UserRegisteredV1):  # typed: event.data is a UserRegistered
        return f"{type(event).__name__} user={event.data.user_id} email={event.data.email}"
    return f"{type(event).__name__} subject={event.subject}"


async def run(args: argparse.Namespace) -> int:
    consumer = AIOKafkaConsumer(
        AUTH_EVENTS,
        bootstrap_servers=args.bootstrap,
        group_id=args.group,
        auto_offset_reset="earliest" if args.from_start else "latest",
    )
    await consumer.start()
    seen, listening = 0, False
    try:
        deadline = asyncio.get_running_loop().time() + args.timeout
        while seen < args.max_events and asyncio.get_running_loop().time() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            if not listening and consumer.assignment():
                for partition in consumer.assignment():  # fixes where "latest" starts
                    await consumer.position(partition)
                print(f"listening on {AUTH_EVENTS}", flush=True)
                listening = True
            for record in (r for records in batch.values() for r in records):
                try:
                    event = events.validate_json(record.value)
                except ValidationError as exc:  # a newer type than this package knows
                    print(f"skipped offset {record.offset}: {exc.errors()[0]['msg']}", flush=True)
                    continue
                print(describe(event), flush=True)
                seen += 1
    finally:
        await consumer.stop()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description="Print konto.auth.events as typed events")
    parser.add_argument("--bootstrap", default="127.0.0.1:9092")
    parser.add_argument("--group", default="example-subscriber")
    parser.add_argument("--from-start", action="store_true", help="read the topic's history")
    parser.add_argument("--max-events", type=int, default=10**9, help="stop after N events")
    parser.add_argument("--timeout", type=float, default=float("inf"), help="stop after N s")
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    raise SystemExit(main())
