"""The prepaid balance (BIL-8): top up by card, withdraw to the default address's IBAN, spend
on payments (see payments); every change is a ledger entry."""

from datetime import datetime
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession

from konto.billing.domain.ledger import Entry, InsufficientBalance
from konto.billing.domain.money import Money
from konto.billing.service.card import CardDeclined, CardProcessor
from konto.billing.service.common import Stores, field_problem, money_json, transact
from konto.billing.service.idempotent import Answer, earlier_answer, fingerprint, replay
from konto.billing.service.state import announce_state
from konto.common.errors import Problem
from konto.common.events import utcnow
from konto.common.outbox import Outbox, UnitOfWork


def entry_json(doc: dict[str, Any]) -> dict[str, Any]:
    return {
        "seq": doc["seq"],
        "kind": doc["kind"],
        "amount": {"minor": doc["minor"], "currency": doc["currency"]},
        "at": doc["at"].isoformat(),
        "reference": {k: doc[k] for k in ("charge_id", "invoice_id", "iban") if k in doc},
    }


def insufficient(exc: InsufficientBalance) -> Problem:
    return Problem(409, "Insufficient balance", str(exc), code="insufficient-balance")


async def spend(
    stores: Stores,
    org_id: str,
    amount: Money,
    reference: dict[str, Any],
    now: datetime,
    session: AsyncClientSession,
) -> None:
    """Pay from the prepaid balance inside the caller's transaction (orders, renewals)."""
    try:
        await stores.ledger.book(
            org_id, Entry("spend", amount), reference=reference, now=now, session=session
        )
    except InsufficientBalance as exc:
        raise insufficient(exc) from None
    except ValueError as exc:
        raise field_problem("method", str(exc)) from None


class BalanceService:
    def __init__(self, stores: Stores, outbox: Outbox, card: CardProcessor) -> None:
        self.stores = stores
        self.outbox = outbox
        self.card = card

    async def show(self, org_id: str, *, limit: int, before: int | None) -> dict[str, Any]:
        total, count = await self.stores.ledger.balance(org_id, "CHF")
        page = await self.stores.ledger.page(org_id, limit=limit, before_seq=before)
        next_before = page[-1]["seq"] if len(page) == limit and page[-1]["seq"] > 1 else None
        return {
            "balance": money_json(total),
            "entry_count": count,
            "entries": [entry_json(e) for e in page],
            "next_before": next_before,
        }

    async def top_up(
        self, org_id: str, user_id: str, amount: Money, card_token: str, key: str
    ) -> Answer:
        print_ = fingerprint("top_up", {"amount": money_json(amount), "card": card_token})
        if done := await earlier_answer(self.stores.idempotency, org_id, key, print_):
            return done
        account = await self.stores.ledger.account(org_id)
        if account and account["currency"] != amount.currency:
            raise field_problem("currency", f"this balance is kept in {account['currency']}")
        try:
            # The processor is idempotent by the same key: a retry never charges twice.
            charge = await self.card.charge(amount, card_token, f"{org_id}:{key}")
        except CardDeclined as exc:
            raise Problem(402, "Payment declined", str(exc), code="card-declined") from exc
        try:
            return await self._book(
                org_id,
                key,
                print_,
                Entry("top_up", amount),
                {"charge_id": charge.charge_id, "by": user_id},
            )
        except Exception:
            await self.card.refund(charge)  # not booked: the card gets its money back
            raise

    async def withdraw(self, org_id: str, user_id: str, amount: Money, key: str) -> Answer:
        print_ = fingerprint("withdraw", {"amount": money_json(amount)})
        if done := await earlier_answer(self.stores.idempotency, org_id, key, print_):
            return done
        address = await self.stores.addresses.default(org_id)
        if address is None or not address.get("iban"):
            raise Problem(
                409,
                "No payout account",
                "the default billing address needs an IBAN to withdraw to",
                code="no-iban",
            )
        # The payout itself (a pain.001 credit transfer) is the bank's side; the entry records
        # where the money goes.
        return await self._book(
            org_id, key, print_, Entry("withdraw", amount), {"iban": address["iban"], "by": user_id}
        )

    async def _book(
        self, org_id: str, key: str, print_: str, entry: Entry, reference: dict[str, Any]
    ) -> Answer:
        async def work(uow: UnitOfWork) -> Answer:
            record = await self.stores.idempotency.get(org_id, key, uow.session)
            if done := replay(record, print_):
                return done
            try:
                after = await self.stores.ledger.book(
                    org_id, entry, reference=reference, now=utcnow(), session=uow.session
                )
            except InsufficientBalance as exc:
                raise insufficient(exc) from None
            except ValueError as exc:
                raise field_problem("currency", str(exc)) from None
            answer = Answer(
                201,
                {
                    "kind": entry.kind,
                    "amount": money_json(entry.amount),
                    "balance": money_json(after),
                    **reference,
                },
            )
            await self.stores.idempotency.put(
                org_id,
                key,
                fingerprint=print_,
                status=answer.status,
                body=answer.body,
                now=utcnow(),
                session=uow.session,
            )
            await announce_state(self.stores, org_id, uow)
            return answer

        return await transact(self.outbox, work)
