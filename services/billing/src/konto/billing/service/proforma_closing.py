"""Closing unpaid pro-formas (BIL-4): one not paid within `PROFORMA_PAYMENT_DAYS` lapses (a job
every `PROFORMA_LAPSE_INTERVAL_SECONDS`), and a member may cancel one, or the order awaiting it,
before paying. Either way the pro-forma is void, its order cancelled, the promo-code use and
free grants the checkout took given back, and orgs told the new account state (ORG-7). The
pro-forma leaves `awaiting_payment` by one guarded update, so with several workers, a member
and a bank credit racing, each pro-forma is closed (or paid) exactly once."""

import asyncio
import logging
from datetime import datetime
from typing import Any, Literal

from konto.billing.domain.proformas import is_lapsed, lapse_cutoff
from konto.billing.service.common import Stores, transact
from konto.billing.service.orders import order_json
from konto.billing.service.proformas import proforma_json
from konto.billing.service.state import announce_state
from konto.common.errors import Problem
from konto.common.events import (
    Amount,
    ProformaCancelled,
    ProformaCancelledV1,
    ProformaLapsed,
    ProformaLapsedV1,
    utcnow,
)
from konto.common.outbox import Outbox, UnitOfWork

log = logging.getLogger(__name__)
Closing = Literal["lapsed", "cancelled"]
PAGE = 100


def _not_awaiting(what: str) -> Problem:
    return Problem(
        409, "Conflict", f"this {what} is not awaiting payment", code="not-awaiting-payment"
    )


class ProformaClosing:
    def __init__(self, stores: Stores, outbox: Outbox, payment_days: int) -> None:
        self.stores = stores
        self.outbox = outbox
        self.payment_days = payment_days

    async def lapse_due(self, now: datetime) -> int:
        """Lapses every pro-forma unpaid for the whole payment period by `now`; returns how
        many this call lapsed (another worker's share is not counted)."""
        lapsed, cutoff = 0, lapse_cutoff(now, self.payment_days)
        while True:
            # Each page's pro-formas leave `awaiting_payment` (here or in another worker), so
            # the next page is new ones, until a short page says the backlog is done.
            page = await self.stores.proformas.awaiting_since(cutoff, limit=PAGE)
            due = [
                doc
                for doc in page
                if is_lapsed(doc["status"], doc["issued_at"], self.payment_days, now)
            ]
            for doc in due:

                async def work(uow: UnitOfWork, doc: dict[str, Any] = doc) -> bool:
                    return await self._close(uow, doc, "lapsed", None, now)

                lapsed += await transact(self.outbox, work)
            if len(page) < PAGE or not due:
                return lapsed

    async def cancel_proforma(self, org_id: str, user_id: str, proforma_id: str) -> dict[str, Any]:
        """A member withdraws an unpaid pro-forma (a renewal's, or an order's with the order)."""
        doc = await self.stores.proformas.get(org_id, proforma_id)
        if doc is None:
            raise Problem(404, "Not found", "no such pro-forma invoice", code="proforma-not-found")
        return await self._cancel(doc, user_id, "pro-forma invoice")

    async def cancel_order(self, org_id: str, user_id: str, order_id: str) -> dict[str, Any]:
        """A member cancels an order checked out by bank transfer, before paying it."""
        order = await self.stores.orders.get(org_id, order_id)
        if order is None:
            raise Problem(404, "Not found", "no such order", code="order-not-found")
        if order["status"] != "awaiting_payment":
            raise _not_awaiting("order")
        doc = await self.stores.proformas.get(org_id, order["proforma_id"])
        assert doc is not None  # issued in the checkout's transaction
        return await self._cancel(doc, user_id, "order")

    async def _cancel(self, doc: dict[str, Any], user_id: str, what: str) -> dict[str, Any]:
        now = utcnow()

        async def work(uow: UnitOfWork) -> bool:
            return await self._close(uow, doc, "cancelled", user_id, now)

        if not await transact(self.outbox, work):
            raise _not_awaiting(what)  # paid, lapsed or cancelled meanwhile
        closed = await self.stores.proformas.get(doc["org_id"], doc["_id"])
        assert closed is not None
        answer: dict[str, Any] = {"proforma": proforma_json(closed)}
        order_id = doc["purpose"].get("order_id")
        if order_id:
            order = await self.stores.orders.get(doc["org_id"], order_id)
            assert order is not None
            answer["order"] = order_json(order)
        return answer

    async def _close(
        self,
        uow: UnitOfWork,
        doc: dict[str, Any],
        status: Closing,
        by: str | None,
        now: datetime,
    ) -> bool:
        """In one transaction: the pro-forma void, its order cancelled, what the checkout took
        given back, the event and the account state. False when it was not open any more."""
        session, org_id = uow.session, doc["org_id"]
        if not await self.stores.proformas.close(
            doc["_id"], status, by=by, now=now, session=session
        ):
            return False
        purpose = doc["purpose"]
        order_id: str | None = purpose.get("order_id")
        if order_id and await self.stores.orders.cancel_awaiting(order_id, now, session):
            if purpose.get("promo_code"):
                await self.stores.promo_codes.give_back(purpose["promo_code"], session)
            await self.stores.free_grants.give_back(order_id, session)
        closed: dict[str, Any] = {
            "proforma_id": doc["_id"],
            "org_id": org_id,
            "number": doc["number"],
            "total": Amount(minor=doc["total"]["minor"], currency=doc["total"]["currency"]),
            "order_id": order_id,
            "issued_by": doc["issued_by"],
        }
        if status == "lapsed":
            lapsed = ProformaLapsed(
                **closed, issued_at=doc["issued_at"], payment_days=self.payment_days
            )
            uow.emit(ProformaLapsedV1(subject=org_id, data=lapsed))
        else:
            assert by is not None
            cancelled = ProformaCancelled(**closed, cancelled_by=by)
            uow.emit(ProformaCancelledV1(subject=org_id, data=cancelled))
        await announce_state(self.stores, org_id, uow)
        return True

    async def run_forever(self, interval_seconds: float) -> None:
        while True:
            try:
                await self.lapse_due(utcnow())
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("pro-forma lapse pass failed; the next pass retries", exc_info=True)
            await asyncio.sleep(interval_seconds)
