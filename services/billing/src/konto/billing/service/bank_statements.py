"""Bank transfer, second half (BIL-4, BIL-5): support imports the bank's camt.054 notification;
each booked credit whose reference names an open pro-forma for exactly its amount pays it: the
invoice is issued (gapless number) and the renewal or order fulfilled as for any other method,
in one transaction per credit. A credit is booked once, by the bank's reference for it, and a
statement imported again changes nothing; what did not match is reported and kept for support."""

import uuid
from datetime import datetime
from typing import Any

from konto.billing.domain.bank_matching import Expected, closed_reason, why_unmatched
from konto.billing.domain.camt054 import StatementRejected, Transaction, parse_camt054
from konto.billing.service.common import Stores, field_problem, transact
from konto.billing.service.fulfil import fulfil
from konto.billing.service.invoicing import issue_invoice, new_invoice_id
from konto.billing.service.proformas import stored_lines, stored_taxed
from konto.billing.service.state import announce_state
from konto.billing.service.support import SupportService
from konto.billing.store.bank_statements import BankStatements
from konto.billing.store.proformas import Proformas
from konto.common.errors import Problem
from konto.common.events import utcnow
from konto.common.outbox import Outbox, UnitOfWork


class _Unsettled(Exception):
    """The credit names an open pro-forma but cannot pay it any more; its transaction is
    rolled back and the credit recorded as unmatched instead."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _statement_head(doc: dict[str, Any]) -> dict[str, Any]:
    """What the full report and the list's summary both say of an import."""
    return {
        "id": doc["_id"],
        "message_id": doc["message_id"],
        "version": doc["version"],
        "account": doc["account"],
        "imported_at": doc["imported_at"].isoformat(),
        "imported_by": doc["imported_by"],
    }


def statement_json(doc: dict[str, Any]) -> dict[str, Any]:
    return {
        **_statement_head(doc),
        "matched": doc["matched"],
        "unmatched": doc["unmatched"],
        "duplicates": doc["duplicates"],
        "ignored_debits": doc["ignored_debits"],
    }


def statement_summary(doc: dict[str, Any]) -> dict[str, Any]:
    return {
        **_statement_head(doc),
        "counts": {
            "matched": len(doc["matched"]),
            "unmatched": len(doc["unmatched"]),
            "duplicates": len(doc["duplicates"]),
            "ignored_debits": doc["ignored_debits"],
        },
    }


class BankStatementsService:
    def __init__(
        self,
        stores: Stores,
        outbox: Outbox,
        statements: BankStatements,
        proformas: Proformas,
        support: SupportService,
    ) -> None:
        self.stores = stores
        self.outbox = outbox
        self.statements = statements
        self.proformas = proformas
        self.support = support

    async def import_xml(self, user_id: str, xml: bytes) -> tuple[int, dict[str, Any]]:
        """201 and the report on the first import of a statement; 200 and the same report when
        its message id was imported before."""
        await self.support.require_staff(user_id)
        try:
            statement = parse_camt054(xml)
        except StatementRejected as exc:
            raise field_problem("body", str(exc)) from None
        if earlier := await self.statements.by_message(statement.message_id):
            return 200, statement_json(earlier)
        matched: list[dict[str, Any]] = []
        unmatched: list[dict[str, Any]] = []
        duplicates: list[str] = []
        debits = 0
        for tx in statement.transactions:
            if tx.direction != "CRDT":
                debits += 1  # money going out is not billing's business
                continue
            outcome = await self._book(tx, statement.message_id)
            if outcome is None:
                duplicates.append(tx.entry_id)
            elif outcome["outcome"] == "matched":
                matched.append(_report(outcome))
            else:
                unmatched.append(_report(outcome))
        now = utcnow()
        doc = {
            "_id": str(uuid.uuid4()),
            "message_id": statement.message_id,
            "version": statement.version,
            "account": statement.account,
            # MongoDB keeps milliseconds: the first answer and a re-import's must be equal.
            "imported_at": now.replace(microsecond=now.microsecond // 1000 * 1000),
            "imported_by": user_id,
            "matched": matched,
            "unmatched": unmatched,
            "duplicates": duplicates,
            "ignored_debits": debits,
        }
        kept = await self.statements.put_statement(doc)
        return (201 if kept is doc else 200), statement_json(kept)

    async def get(self, user_id: str, statement_id: str) -> dict[str, Any]:
        await self.support.require_staff(user_id)
        doc = await self.statements.get(statement_id)
        if doc is None:
            raise Problem(404, "Not found", "no such bank statement", code="statement-not-found")
        return statement_json(doc)

    async def list_statements(
        self, user_id: str, *, limit: int, before: str | None
    ) -> dict[str, Any]:
        """Imported statements, newest first, with how many credits each matched and left."""
        await self.support.require_staff(user_id)
        page = await self.statements.page(limit=limit, before=before)
        if page is None:
            raise field_problem("before", "no such statement")
        return {
            "statements": [statement_summary(doc) for doc in page],
            "next_before": page[-1]["_id"] if len(page) == limit else None,
        }

    async def _book(self, tx: Transaction, message_id: str) -> dict[str, Any] | None:
        """The credit's outcome as recorded; None when an earlier import booked it already."""

        async def work(uow: UnitOfWork) -> dict[str, Any] | None:
            session = uow.session
            if await self.statements.credit(tx.entry_id, session):
                return None
            proforma = (
                await self.proformas.by_reference(tx.reference, session) if tx.reference else None
            )
            expected = (
                Expected(
                    proforma["status"], proforma["total"]["minor"], proforma["total"]["currency"]
                )
                if proforma
                else None
            )
            reason = why_unmatched(tx, expected)
            invoice_id = None
            if reason is None:
                assert proforma is not None
                invoice_id = await self._settle(uow, proforma, tx, utcnow())
            record = _credit(tx, message_id, proforma, reason, invoice_id)
            if reason != "not_booked":  # a pending credit comes again, booked, in a later one
                await self.statements.record_credit(record, session)
            return record

        try:
            return await transact(self.outbox, work)
        except _Unsettled as exc:
            return await self._record_unmatched(tx, message_id, exc.reason)

    async def _record_unmatched(
        self, tx: Transaction, message_id: str, reason: str
    ) -> dict[str, Any] | None:
        async def work(uow: UnitOfWork) -> dict[str, Any] | None:
            if await self.statements.credit(tx.entry_id, uow.session):
                return None
            proforma = await self.proformas.by_reference(tx.reference or "", uow.session)
            if proforma and proforma["status"] != "awaiting_payment":
                # Lapsed, cancelled or paid while this credit was being settled.
                record = _credit(tx, message_id, proforma, closed_reason(proforma["status"]), None)
            else:
                record = _credit(tx, message_id, proforma, reason, None)
            await self.statements.record_credit(record, uow.session)
            return record

        return await transact(self.outbox, work)

    async def _settle(
        self, uow: UnitOfWork, proforma: dict[str, Any], tx: Transaction, now: datetime
    ) -> str:
        """Pays the pro-forma: the same effects as paying by balance or card at once."""
        session, org_id = uow.session, proforma["org_id"]
        purpose = proforma["purpose"]
        # Claimed first, so the account state announced below no longer counts it open, and a
        # lapse or cancellation racing with this credit loses (or wins, and this rolls back).
        if not await self.proformas.mark_paid(
            proforma["_id"], entry_id=tx.entry_id, now=now, session=session
        ):
            raise _Unsettled("not_open")
        if purpose["kind"] == "order":
            order = await self.stores.orders.get(org_id, purpose["order_id"], session)
            if order is None or order["status"] != "awaiting_payment":
                raise _Unsettled("order_not_open")
            try:
                _, invoice = await fulfil(
                    self.stores,
                    uow,
                    order=order,
                    buyer_id=proforma["issued_by"],
                    address=proforma["address"],
                    lines=stored_lines(proforma, start=now.date()),  # products run from payment
                    taxed=stored_taxed(proforma),
                    method="bank_transfer",
                    charge_id=None,
                    promo_code=purpose.get("promo_code"),
                    now=now,
                    from_status="awaiting_payment",
                )
            except Problem as exc:
                raise _Unsettled("order_not_open") from exc
            invoice_id: str = invoice["_id"]
        else:
            lines = stored_lines(proforma)
            for line in lines:
                # Guarded by the renewal priced: one paid meanwhile by other means is not paid
                # twice; support refunds the transfer.
                if not await self.stores.products.extend(
                    line.product_id, line.period_from, line.period_to, session
                ):
                    raise _Unsettled("renewal_paid_meanwhile")
            invoice_id = new_invoice_id()
            await issue_invoice(
                self.stores,
                uow,
                invoice_id=invoice_id,
                org_id=org_id,
                user_id=proforma["issued_by"],
                address=proforma["address"],
                lines=lines,
                taxed=stored_taxed(proforma),
                method="bank_transfer",
                charge_id=None,
                now=now,
                extra={"proforma_id": proforma["_id"]},
            )
            await announce_state(self.stores, org_id, uow)
        await self.proformas.attach_invoice(proforma["_id"], invoice_id, session)
        return invoice_id


def _credit(
    tx: Transaction,
    message_id: str,
    proforma: dict[str, Any] | None,
    reason: str | None,
    invoice_id: str | None,
) -> dict[str, Any]:
    return {
        "_id": tx.entry_id,
        "outcome": "matched" if reason is None else "unmatched",
        "reason": reason,
        "message_id": message_id,
        "reference": tx.reference,
        "amount": {"minor": tx.minor, "currency": tx.currency},
        "booked": tx.booked,
        "booked_on": tx.booked_on,
        "debtor": tx.debtor,
        "proforma_id": proforma["_id"] if proforma else None,
        "org_id": proforma["org_id"] if proforma else None,
        "invoice_id": invoice_id,
        "seen_at": utcnow(),
    }


def _report(record: dict[str, Any]) -> dict[str, Any]:
    report = {
        "entry_id": record["_id"],
        "reference": record["reference"],
        "amount": record["amount"],
        "proforma_id": record["proforma_id"],
    }
    if record["outcome"] == "matched":
        return report | {"invoice_id": record["invoice_id"]}
    return report | {"reason": record["reason"], "debtor": record["debtor"]}
