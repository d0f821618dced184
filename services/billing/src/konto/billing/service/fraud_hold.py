"""The fraud hold (BIL-6): a suspicious order is paid but held, without products, until the
buyer's identity is verified (a case opened at verification, VER-1). Approved, the order
completes; rejected, or still held after the unlock period, it is cancelled and refunded in
full, exactly once (the order leaves `blocked` by one guarded update)."""

import asyncio
import logging
from datetime import date, datetime
from typing import Any, Literal

from konto.billing.domain.catalog import add_months
from konto.billing.domain.fraud import FraudRules, cancel_after, expiry_cutoff
from konto.billing.domain.ledger import Entry
from konto.billing.domain.money import Money
from konto.billing.domain.orders import PricedOrder
from konto.billing.domain.payments import Line
from konto.billing.domain.vat import Taxed
from konto.billing.service.card import CardProcessor, Charge
from konto.billing.service.common import Stores, money_json, transact
from konto.billing.service.fulfil import fulfil
from konto.billing.service.state import announce_state
from konto.common.errors import Problem
from konto.common.events import (
    Amount,
    CaseDecidedV1,
    KontoEvent,
    OpenCase,
    OpenCaseV1,
    OrderBlocked,
    OrderBlockedV1,
    OrderCancelled,
    OrderCancelledV1,
    utcnow,
)
from konto.common.outbox import Outbox, UnitOfWork

log = logging.getLogger(__name__)
CancelReason = Literal["verification_rejected", "unlock_expired"]


def concerns_billing_cases(event: KontoEvent) -> bool:
    return (
        isinstance(event, CaseDecidedV1)
        and event.data.requested_by == "billing"
        and event.data.reason == "blocked_order"
    )


def _money(value: dict[str, Any]) -> Money:
    return Money(value["minor"], value["currency"])


class FraudHold:
    def __init__(
        self, stores: Stores, outbox: Outbox, card: CardProcessor, rules: FraudRules
    ) -> None:
        self.stores = stores
        self.outbox = outbox
        self.card = card
        self.rules = rules

    async def block(
        self,
        uow: UnitOfWork,
        order: dict[str, Any],
        *,
        buyer_id: str,
        address: dict[str, Any],
        priced: PricedOrder,
        method: str,
        charge_id: str | None,
        promo_code: str | None,
        reasons: list[str],
        now: datetime,
    ) -> dict[str, Any]:
        """Holds the paid order (in the checkout's transaction); what completing it later
        needs is kept with it, the address as it was."""
        taxed = priced.taxed
        held = {
            "buyer_id": buyer_id,
            "address": address,
            "method": method,
            "charge_id": charge_id,
            "promo_code": promo_code,
            "reasons": reasons,
            "blocked_at": now,
            "cancel_after": cancel_after(self.rules, now),
            "lines": [
                {
                    "description": line.description,
                    "months": line.months,
                    "net": money_json(line.net),
                }
                for line in priced.lines
            ],
            "taxed": {
                "net": money_json(taxed.net),
                "vat": money_json(taxed.vat),
                "gross": money_json(taxed.gross),
                "rate_bp": taxed.rate_bp,
            },
        }
        if not await self.stores.orders.hold(order["_id"], held, now, uow.session):
            raise Problem(
                409, "Conflict", "this order was checked out already", code="order-not-open"
            )
        doc = {**order, "status": "blocked", "held": held}
        await self._announce(uow, doc, resent=False)
        return doc

    async def resend(self, org_id: str, order_id: str) -> dict[str, Any]:
        """The unlock mail again (a new event; the verification case stays the same)."""
        order = await self.stores.orders.get(org_id, order_id)
        if order is None:
            raise Problem(404, "Not found", "no such order", code="order-not-found")
        if order["status"] != "blocked":
            raise Problem(409, "Conflict", "this order is not blocked", code="order-not-blocked")

        async def work(uow: UnitOfWork) -> None:
            await self._announce(uow, order, resent=True)

        await transact(self.outbox, work)
        return {"order_id": order_id, "status": "blocked", "resent": True}

    async def _announce(self, uow: UnitOfWork, order: dict[str, Any], *, resent: bool) -> None:
        held = order["held"]
        buyer = await self.stores.users.get(held["buyer_id"]) or {}
        gross = held["taxed"]["gross"]
        uow.emit(
            OrderBlockedV1(
                subject=order["org_id"],
                data=OrderBlocked(
                    org_id=order["org_id"],
                    order_id=order["_id"],
                    buyer_id=held["buyer_id"],
                    buyer_email=buyer.get("email"),
                    locale=buyer.get("locale", "en"),
                    total=Amount(minor=gross["minor"], currency=gross["currency"]),
                    reasons=held["reasons"],
                    cancel_after=held["cancel_after"],
                    resent=resent,
                ),
            )
        )
        if resent:
            return
        if not buyer.get("email"):  # auth's registration event has not reached billing
            log.warning("blocked order %s: buyer's address unknown, no case opened", order["_id"])
            return
        uow.emit(
            OpenCaseV1(
                subject=order["_id"],
                source="konto/billing",
                data=OpenCase(
                    reason="blocked_order",
                    requested_by="billing",
                    reference=order["_id"],
                    user_id=held["buyer_id"],
                    email=buyer["email"],
                    locale=buyer.get("locale", "en"),
                ),
            )
        )

    async def on_case_decided(self, event: KontoEvent, uow: UnitOfWork) -> None:
        if not isinstance(event, CaseDecidedV1) or not concerns_billing_cases(event):
            return
        order = await self.stores.orders.by_id(event.data.reference)
        if order is None or order["status"] != "blocked":
            return  # another service's order id, or decided already
        if event.data.outcome == "approved":
            await self._approve(uow, order, utcnow())
        else:
            _, charge = await self._cancel(uow, order, "verification_rejected", utcnow())
            if charge is not None:
                # Before the commit: a retry of this handler refunds again, which processors
                # answer idempotently per charge; the ledger refund commits once.
                await self.card.refund(charge)

    async def _approve(self, uow: UnitOfWork, order: dict[str, Any], now: datetime) -> None:
        held = order["held"]
        today = now.date()  # the products run from the unlock
        lines = [
            _line(item, stored, today)
            for item, stored in zip(order["lines"], held["lines"], strict=True)
        ]
        taxed = held["taxed"]
        await fulfil(
            self.stores,
            uow,
            order=order,
            buyer_id=held["buyer_id"],
            address=held["address"],
            lines=lines,
            taxed=Taxed(
                net=_money(taxed["net"]),
                vat=_money(taxed["vat"]),
                gross=_money(taxed["gross"]),
                rate_bp=taxed["rate_bp"],
            ),
            method=held["method"],
            charge_id=held["charge_id"],
            promo_code=held["promo_code"],
            now=now,
            from_status="blocked",
        )

    async def _cancel(
        self, uow: UnitOfWork, order: dict[str, Any], reason: CancelReason, now: datetime
    ) -> tuple[bool, Charge | None]:
        """Claims the order (blocked → cancelled) and refunds the balance in this transaction;
        returns whether this call claimed it and the card charge to refund, if any."""
        session, held, org_id = uow.session, order["held"], order["org_id"]
        if not await self.stores.orders.claim_blocked(order["_id"], "cancelled", now, session):
            return False, None
        gross = _money(held["taxed"]["gross"])
        if held["method"] == "balance" and gross.minor:
            await self.stores.ledger.book(
                org_id,
                Entry("refund", gross),
                reference={"order_id": order["_id"], "by": "billing"},
                now=now,
                session=session,
            )
        if held["promo_code"]:
            await self.stores.promo_codes.give_back(held["promo_code"], session)
        await self.stores.free_grants.give_back(order["_id"], session)
        uow.emit(
            OrderCancelledV1(
                subject=org_id,
                data=OrderCancelled(
                    org_id=org_id,
                    order_id=order["_id"],
                    buyer_id=held["buyer_id"],
                    refunded=Amount(minor=gross.minor, currency=gross.currency),
                    reason=reason,
                ),
            )
        )
        await announce_state(self.stores, org_id, uow)
        if held["method"] == "card" and held["charge_id"]:
            return True, Charge(charge_id=held["charge_id"], amount=gross)
        return True, None

    async def expire(self, now: datetime) -> int:
        """Cancels and refunds every order held for the whole unlock period; safe to run in
        several workers at once: each order is claimed by exactly one of them."""
        cancelled = 0
        for order in await self.stores.orders.blocked_before(expiry_cutoff(self.rules, now)):

            async def work(
                uow: UnitOfWork, order: dict[str, Any] = order
            ) -> tuple[bool, Charge | None]:
                return await self._cancel(uow, order, "unlock_expired", now)

            claimed, charge = await transact(self.outbox, work)
            if charge is not None:
                await self.card.refund(charge)  # after the commit, by the claiming worker only
            cancelled += claimed
        return cancelled

    async def run_forever(self, interval_seconds: float) -> None:
        while True:
            try:
                await self.expire(utcnow())
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning(
                    "blocked-order expiry pass failed; the next pass retries", exc_info=True
                )
            await asyncio.sleep(interval_seconds)


def _line(item: dict[str, Any], stored: dict[str, Any], start: date) -> Line:
    return Line(
        product_id="",
        description=stored["description"],
        months=item["months"],
        period_from=start,
        period_to=add_months(start, item["months"]),
        net=_money(stored["net"]),
    )
