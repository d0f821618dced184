"""Operator commands: `python -m konto.notify.cli add-staff|remove-staff|list-staff|replay-dlq`.

They read the same `KONTO_NOTIFY_*` settings as the service."""

import argparse
import asyncio
import sys

from konto.common import dlq
from konto.common.broker import consumer_group
from konto.common.events import utcnow
from konto.common.mongo import Mongo
from konto.notify.config import NotifySettings
from konto.notify.store.staff import Staff


async def _staff(settings: NotifySettings, command: str, user_id: str | None) -> int:
    mongo = Mongo(settings.mongo_url, settings.mongo_db)
    try:
        staff = Staff(mongo.db)
        if command == "add-staff" and user_id:
            added = await staff.add(user_id, utcnow())
            print(f"{'added' if added else 'already staff'}: {user_id}")
        elif command == "remove-staff" and user_id:
            removed = await staff.remove(user_id)
            print(f"{'removed' if removed else 'not staff'}: {user_id}")
        else:
            for member in await staff.all():
                print(member)
    finally:
        await mongo.close()
    return 0


async def _replay(settings: NotifySettings, topic: str, limit: int | None) -> int:
    # One replay group for notify: a replayed message is committed and never replayed again.
    group = consumer_group(settings, "notify", "dlq-replay")
    replayed = await dlq.replay(settings.kafka_bootstrap, topic, group_id=group, limit=limit)
    for item in replayed:
        print(f"replayed {item.describe()}")
    print(f"{len(replayed)} message(s) replayed from {dlq.dead_letter_topic(topic)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m konto.notify.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, about in (
        ("add-staff", "allow a user id to read the delivery log"),
        ("remove-staff", "revoke a support user id"),
    ):
        sub = commands.add_parser(name, help=about)
        sub.add_argument("user_id")
    commands.add_parser("list-staff", help="print the support staff's user ids")
    replay = commands.add_parser(
        "replay-dlq", help="re-publish <topic>.dlq to the topics its messages came from"
    )
    replay.add_argument("topic", help="e.g. konto.notify.deliveries or konto.auth.events")
    replay.add_argument("--limit", type=int, default=None, help="at most this many messages")
    args = parser.parse_args(argv)
    settings = NotifySettings()
    if args.command == "replay-dlq":
        return asyncio.run(_replay(settings, args.topic, args.limit))
    return asyncio.run(_staff(settings, args.command, getattr(args, "user_id", None)))


if __name__ == "__main__":
    sys.exit(main())
