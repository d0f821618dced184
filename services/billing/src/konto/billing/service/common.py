"""What the use cases share: the stores, the retried transaction, error shapes."""

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import OperationFailure

from konto.billing.domain.money import Money
from konto.billing.domain.payments import Line
from konto.billing.domain.vat import Taxed
from konto.billing.store.addresses import Addresses
from konto.billing.store.free_grants import FreeGrants
from konto.billing.store.idempotency import IdempotencyRecords
from konto.billing.store.invoice_files import InvoiceFiles
from konto.billing.store.invoice_numbers import InvoiceNumbers
from konto.billing.store.invoices import Invoices
from konto.billing.store.ledger import Conflict, Ledger
from konto.billing.store.memberships import Memberships
from konto.billing.store.orders import Orders
from konto.billing.store.products import Products
from konto.billing.store.proformas import Proformas
from konto.billing.store.promo_codes import PromoCodes
from konto.billing.store.staff import Staff
from konto.billing.store.users import Users
from konto.common.errors import Problem
from konto.common.outbox import Outbox, UnitOfWork
from konto.common.s3 import ObjectStore

T = TypeVar("T")
MAX_ATTEMPTS = 12


@dataclass(frozen=True)
class Stores:
    memberships: Memberships
    products: Products
    addresses: Addresses
    ledger: Ledger
    invoices: Invoices
    numbers: InvoiceNumbers
    idempotency: IdempotencyRecords
    files: InvoiceFiles
    orders: Orders
    promo_codes: PromoCodes
    staff: Staff
    free_grants: FreeGrants
    users: Users
    proformas: Proformas

    @classmethod
    def over(cls, db: AsyncDatabase[dict[str, Any]], files: ObjectStore) -> "Stores":
        """Billing's stores over one database and bucket: the service's, or a CLI's own."""
        return cls(
            memberships=Memberships(db),
            products=Products(db),
            addresses=Addresses(db),
            ledger=Ledger(db),
            invoices=Invoices(db),
            numbers=InvoiceNumbers(db),
            idempotency=IdempotencyRecords(db),
            files=InvoiceFiles(files),
            orders=Orders(db),
            promo_codes=PromoCodes(db),
            staff=Staff(db),
            free_grants=FreeGrants(db),
            users=Users(db),
            proformas=Proformas(db),
        )


async def transact(outbox: Outbox, work: Callable[[UnitOfWork], Awaitable[T]]) -> T:
    """Run `work` in one unit of work, again from the start when a concurrent transaction
    conflicted with it (write conflict, or a guard of ours that found its read outdated)."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            async with outbox.unit_of_work() as uow:
                result = await work(uow)
            return result
        except Conflict:
            pass
        except OperationFailure as exc:
            if not exc.has_error_label("TransientTransactionError") and exc.code != 112:
                raise
        await asyncio.sleep(random.uniform(0.01, 0.05) * attempt)  # noqa: S311 jitter
    raise Problem(409, "Conflict", "too many concurrent changes; try again", code="busy")


def field_problem(field: str, message: str, status: int = 422) -> Problem:
    """The same shape as FastAPI's validation errors, for rules checked past the schema."""
    return Problem(
        status,
        "Invalid request",
        f"check these fields: {field}",
        code="validation-error",
        errors=[{"field": field, "message": message, "type": "value_error"}],
    )


def money_json(money: Money) -> dict[str, Any]:
    return {"minor": money.minor, "currency": money.currency}


def priced_lines_json(lines: list[Line], taxed: Taxed) -> dict[str, Any]:
    """The lines and totals as an invoice and a pro-forma store them alike."""
    return {
        "lines": [
            {
                "product_id": line.product_id,
                "description": line.description,
                "months": line.months,
                "period_from": line.period_from.isoformat(),
                "period_to": line.period_to.isoformat(),
                "net": money_json(line.net),
            }
            for line in lines
        ],
        "net": money_json(taxed.net),
        "vat": money_json(taxed.vat),
        "vat_rate_bp": taxed.rate_bp,
        "total": money_json(taxed.gross),
    }


def priced_lines_view(doc: dict[str, Any]) -> dict[str, Any]:
    """What `priced_lines_json` stored, for an invoice's or a pro-forma's JSON answer."""
    return {key: doc[key] for key in ("lines", "net", "vat", "vat_rate_bp", "total")}
