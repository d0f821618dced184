"""Operations: `python -m konto.billing.cli add-staff|remove-staff|list-staff|
expire-blocked-now|retire-ended-now|lapse-proformas-now`. Reads the same KONTO_BILLING_*
settings as the service."""

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime

from konto.billing.config import BillingSettings, fraud_rules
from konto.billing.service.card_provider import card_processor
from konto.billing.service.common import Stores
from konto.billing.service.fraud_hold import FraudHold
from konto.billing.service.proforma_closing import ProformaClosing
from konto.billing.service.retirement import Retirement
from konto.billing.store.staff import Staff
from konto.common.broker import make_broker
from konto.common.events import utcnow
from konto.common.mongo import Mongo
from konto.common.outbox import Outbox
from konto.common.s3 import ObjectStore

Job = Callable[[BillingSettings, Mongo, Outbox, datetime], Awaitable[int]]


async def _job(
    settings: BillingSettings, mongo: Mongo, now_text: str | None, done: str, job: Job
) -> None:
    """One run of a scheduled job now, with its own Kafka producer for the events it emits."""
    now = datetime.fromisoformat(now_text) if now_text else utcnow()
    broker = make_broker(settings, "billing-cli")
    await broker.connect()
    try:
        print(f"{done}: {await job(settings, mongo, Outbox(mongo, broker), now)}")
    finally:
        await broker.stop()


async def _expire_blocked(
    settings: BillingSettings, mongo: Mongo, outbox: Outbox, now: datetime
) -> int:
    return await _fraud_hold(settings, mongo, outbox).expire(now)


async def _retire_ended(
    settings: BillingSettings, mongo: Mongo, outbox: Outbox, now: datetime
) -> int:
    return await Retirement(stores_over(settings, mongo), outbox).retire_due(now)


async def _lapse_proformas(
    settings: BillingSettings, mongo: Mongo, outbox: Outbox, now: datetime
) -> int:
    closing = ProformaClosing(stores_over(settings, mongo), outbox, settings.proforma_payment_days)
    return await closing.lapse_due(now)


async def _run(args: argparse.Namespace, settings: BillingSettings) -> int:
    mongo = Mongo(settings.mongo_url, settings.mongo_db)
    try:
        staff = Staff(mongo.db)
        if args.command == "add-staff":
            await staff.add(args.user_id, utcnow())
            print(f"staff added: {args.user_id}")
        elif args.command == "remove-staff":
            removed = await staff.remove(args.user_id)
            print(f"staff {'removed' if removed else 'was not staff'}: {args.user_id}")
        elif args.command == "list-staff":
            for user_id in await staff.all():
                print(user_id)
        elif args.command == "expire-blocked-now":
            await _job(settings, mongo, args.now, "blocked orders cancelled", _expire_blocked)
        elif args.command == "retire-ended-now":
            await _job(settings, mongo, args.now, "products retired", _retire_ended)
        elif args.command == "lapse-proformas-now":
            await _job(settings, mongo, args.now, "pro-formas lapsed", _lapse_proformas)
    finally:
        await mongo.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m konto.billing.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("add-staff", "let a user manage promo codes and free grants"),
        ("remove-staff", "revoke"),
    ):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("user_id")
    commands.add_parser("list-staff", help="the billing support staff's user ids")
    expire = commands.add_parser(
        "expire-blocked-now", help="cancel and refund orders held past the unlock period (BIL-6)"
    )
    expire.add_argument("--now", help="ISO time to judge by (tests, catching up); default now")
    retire = commands.add_parser(
        "retire-ended-now", help="retire cancelled products whose paid period ended (BIL-7)"
    )
    retire.add_argument("--now", help="ISO time to judge by (tests, catching up); default now")
    lapse = commands.add_parser(
        "lapse-proformas-now",
        help="void pro-formas unpaid past the payment period, cancel their orders (BIL-4)",
    )
    lapse.add_argument("--now", help="ISO time to judge by (tests, catching up); default now")
    args = parser.parse_args(argv)
    return asyncio.run(_run(args, BillingSettings()))


def _fraud_hold(settings: BillingSettings, mongo: Mongo, outbox: Outbox) -> FraudHold:
    """The same use case the service's job runs, over this process's own Mongo client and
    outbox (the service's relay publishes what it writes); card refunds go by charge id."""
    stores = stores_over(settings, mongo)
    return FraudHold(stores, outbox, card_processor(settings), fraud_rules(settings))


def stores_over(settings: BillingSettings, mongo: Mongo) -> Stores:
    """Billing's stores over a Mongo client of the caller's (this CLI, a test's workers)."""
    return Stores.over(mongo.db, ObjectStore(settings))


if __name__ == "__main__":
    sys.exit(main())
