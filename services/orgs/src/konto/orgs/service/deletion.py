"""ORG-7: delete an organization only when billing holds nothing of it any more. orgs keeps a
projection of billing's per-organization state (from billing's events) and checks it here;
deleting ends every membership (each announced, so auth's and billing's projections follow)."""

from typing import Any

from konto.common.errors import Problem
from konto.common.events import AccountStateChangedV1, KontoEvent, utcnow
from konto.common.outbox import Outbox, UnitOfWork
from konto.orgs.domain.deletion import BillingState, Blocker, blockers
from konto.orgs.domain.roles import Action, Role, require
from konto.orgs.events.published import membership_removed, organization_deleted
from konto.orgs.service.common import (
    Actor,
    Stores,
    audit,
    authorize,
    enforced,
    org_not_found,
    transact,
)
from konto.orgs.store.memberships import access_of


class DeletionService:
    def __init__(self, stores: Stores, outbox: Outbox) -> None:
        self.stores = stores
        self.outbox = outbox

    async def on_billing_event(self, event: KontoEvent, uow: UnitOfWork) -> None:
        if not isinstance(event, AccountStateChangedV1):
            return
        data = event.data
        state = BillingState(
            active_products=data.active_products,
            balance_minor=data.balance.minor,
            currency=data.balance.currency,
            open_invoices=data.open_invoices,
            open_proformas=data.open_proformas,
        )
        await self.stores.billing.put(data.org_id, state, event.time, uow.session)

    async def blockers(self, actor: Actor, org_id: str) -> list[Blocker]:
        """What would block a deletion now (a preview for the console)."""
        await authorize(self.stores, org_id, actor, Action.DELETE)
        return blockers(await self.stores.billing.get(org_id))

    async def delete(self, actor: Actor, org_id: str) -> None:
        await authorize(self.stores, org_id, actor, Action.DELETE)

        async def work(uow: UnitOfWork) -> None:
            mine = await self.stores.memberships.get(org_id, actor.user_id, uow.session)
            org = await self.stores.organizations.get(org_id, uow.session)
            if mine is None or org is None or org.get("deleted_at") is not None:
                raise org_not_found()
            with enforced():
                require(Role(mine["role"]), Action.DELETE)
            found = blockers(await self.stores.billing.get(org_id, uow.session))
            if found:
                raise _blocked(found)
            await self._end(uow, org, actor)

        await transact(self.outbox, work)

    async def _end(self, uow: UnitOfWork, org: dict[str, Any], actor: Actor) -> None:
        org_id = org["_id"]
        now = utcnow()
        members = await self.stores.memberships.of_org(org_id, uow.session)
        await self.stores.organizations.mark_deleted(org_id, actor.user_id, now, uow.session)
        await self.stores.memberships.delete_all(org_id, uow.session)
        await audit(
            self.stores,
            uow,
            org_id=org_id,
            actor=actor,
            action="organization.deleted",
            target={"type": "organization", "id": org_id},
            before={"name": org["name"], "members": len(members)},
        )
        # One membership.removed per member: auth's and billing's projections drop the
        # organization from exactly the people who had it.
        for membership in members:
            uow.emit(
                membership_removed(org, membership["user_id"], access_of(membership), actor.user_id)
            )
        uow.emit(organization_deleted(org, actor.user_id))


def _blocked(found: list[Blocker]) -> Problem:
    return Problem(
        409,
        "Deletion blocked",
        "; ".join(b.message for b in found),
        code="deletion-blocked",
        blockers=[b.as_json() for b in found],
    )
