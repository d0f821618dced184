"""orgs' projection of billing's per-organization state (ORG-7), from
`konto.billing.account.state_changed.v1`: billing announces the state whole after each change,
keyed by organization, so the latest event read is the current state."""

from datetime import datetime
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from konto.orgs.domain.deletion import BillingState


class BillingAccounts:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.col = db["billing_accounts"]

    async def put(
        self, org_id: str, state: BillingState, at: datetime, session: AsyncClientSession
    ) -> None:
        await self.col.update_one(
            {"_id": org_id},
            {
                "$set": {
                    "active_products": state.active_products,
                    "balance_minor": state.balance_minor,
                    "currency": state.currency,
                    "open_invoices": state.open_invoices,
                    "open_proformas": state.open_proformas,
                    "updated_at": at,
                }
            },
            upsert=True,
            session=session,
        )

    async def get(
        self, org_id: str, session: AsyncClientSession | None = None
    ) -> BillingState | None:
        doc = await self.col.find_one({"_id": org_id}, session=session)
        if doc is None:
            return None
        return BillingState(
            active_products=doc["active_products"],
            balance_minor=doc["balance_minor"],
            currency=doc["currency"],
            open_invoices=doc["open_invoices"],
            open_proformas=doc.get("open_proformas", 0),  # absent in rows of older events
        )
