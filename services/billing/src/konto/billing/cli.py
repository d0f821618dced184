"""Operations: `python -m konto.billing.cli add-staff|remove-staff|list-staff|
expire-blocked-now`. Reads the same KONTO_BILLING_* settings as the service."""

import argparse
import asyncio
import sys
from datetime import datetime

from konto.billing.config import BillingSettings, fraud_rules
from konto.billing.service.card import TestCardProcessor
from konto.billing.service.common import Stores
from konto.billing.service.fraud_hold import FraudHold
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
    args = parser.parse_args(argv)
    return asyncio.run(_run(args, BillingSettings()))


def _fraud_hold(settings: BillingSettings, mongo: Mongo, outbox: Outbox) -> FraudHold:
    """The same use case the service's job runs, over this process's own Mongo client and
    outbox (the service's relay publishes what it writes)."""
    db = mongo.db
    stores = Stores(
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
    )
    # The card double keeps no state across processes; a real adapter refunds by charge id.
    return FraudHold(stores, outbox, TestCardProcessor(), fraud_rules(settings))


if __name__ == "__main__":
    sys.exit(main())
