"""Operations: `python -m konto.billing.cli add-staff|remove-staff|list-staff|
expire-blocked-now|retire-ended-now|lapse-proformas-now`. Reads the same KONTO_BILLING_*
settings as the service."""

import argparse
import asyncio
import sys
from datetime import datetime

from konto.billing.config import BillingSettings, fraud_rules
from konto.billing.service.card_provider import card_processor
from konto.billing.service.common import Stores
from konto.billing.service.fraud_hold import FraudHold
from konto.billing.service.proforma_closing import ProformaClosing
from konto.billing.service.retirement import Retirement
from konto.billing.store.addresses import Addresses
from konto.billing.store.free_grants import FreeGrants
from konto.billing.store.idempotency import IdempotencyRecords
from konto.billing.store.invoice_files import InvoiceFiles
from konto.billing.store.invoice_numbers import InvoiceNumbers
from konto.billing.store.invoices import Invoices
from konto.billing.store.ledger import Ledger
from konto.billing.store.memberships import Memberships
from konto.billing.store.orders import Orders
from konto.billing.store.products import Products
from konto.billing.store.proformas import Proformas
from konto.billing.store.promo_codes import PromoCodes
from konto.billing.store.staff import Staff
from konto.billing.store.users import Users
from konto.common.broker import make_broker
from konto.common.events import utcnow
from konto.common.mongo import Mongo
from konto.common.outbox import Outbox
from konto.common.s3 import ObjectStore


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
            now = datetime.fromisoformat(args.now) if args.now else utcnow()
            broker = make_broker(settings, "billing-cli")
            await broker.connect()
            try:
                hold = _fraud_hold(settings, mongo, Outbox(mongo, broker))
                print(f"blocked orders cancelled: {await hold.expire(now)}")
            finally:
                await broker.stop()
        elif args.command == "retire-ended-now":
            now = datetime.fromisoformat(args.now) if args.now else utcnow()
            broker = make_broker(settings, "billing-cli")
            await broker.connect()
            try:
                retirement = Retirement(stores_over(settings, mongo), Outbox(mongo, broker))
                print(f"products retired: {await retirement.retire_due(now)}")
            finally:
                await broker.stop()
        elif args.command == "lapse-proformas-now":
            now = datetime.fromisoformat(args.now) if args.now else utcnow()
            broker = make_broker(settings, "billing-cli")
            await broker.connect()
            try:
                closing = ProformaClosing(
                    stores_over(settings, mongo),
                    Outbox(mongo, broker),
                    settings.proforma_payment_days,
                )
                print(f"pro-formas lapsed: {await closing.lapse_due(now)}")
            finally:
                await broker.stop()
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
    db = mongo.db
    return Stores(
        memberships=Memberships(db),
        products=Products(db),
        addresses=Addresses(db),
        ledger=Ledger(db),
        invoices=Invoices(db),
        numbers=InvoiceNumbers(db),
        idempotency=IdempotencyRecords(db),
        files=InvoiceFiles(ObjectStore(settings)),
        orders=Orders(db),
        promo_codes=PromoCodes(db),
        staff=Staff(db),
        free_grants=FreeGrants(db),
        users=Users(db),
        proformas=Proformas(db),
    )


if __name__ == "__main__":
    sys.exit(main())
