"""Use cases of ORG-2 and ORG-3: list members, change a member's role and access, remove one
(or leave). The rules are the domain's; this adds loading, the audit row and the events."""

from dataclasses import dataclass
from typing import Any

from konto.common.errors import Problem
from konto.common.events import utcnow
from konto.common.outbox import Outbox, UnitOfWork
from konto.orgs.domain.roles import (
    Action,
    Role,
    check_change,
    check_remove,
    normalize_access,
    require,
)
from konto.orgs.events.published import membership_changed, membership_removed
from konto.orgs.service.common import (
    Actor,
    Stores,
    audit,
    authorize,
    enforced,
    org_not_found,
    transact,
)
from konto.orgs.store.memberships import access_fields, access_of


@dataclass(frozen=True)
class AccessChange:
    """Fields left None keep their current value."""

    role: Role | None = None
    products: list[str] | None = None
    billing: bool | None = None


def _member_not_found() -> Problem:
    return Problem(404, "Not found", "no such member", code="member-not-found")


class MembersService:
    def __init__(self, stores: Stores, outbox: Outbox) -> None:
        self.stores = stores
        self.outbox = outbox

    async def of_org(self, actor: Actor, org_id: str) -> list[dict[str, Any]]:
        """Memberships joined with the people projection (e-mail and name may still be missing
        for someone whose registration event orgs has not read yet)."""
        await authorize(self.stores, org_id, actor, Action.LIST_MEMBERS)
        memberships = await self.stores.memberships.of_org(org_id)
        people = await self.stores.people.by_ids([m["user_id"] for m in memberships])
        return [
            {
                **m,
                "email": people.get(m["user_id"], {}).get("email"),
                "name": people.get(m["user_id"], {}).get("name"),
            }
            for m in memberships
        ]

    async def change(
        self, actor: Actor, org_id: str, user_id: str, change: AccessChange
    ) -> dict[str, Any]:
        org, _ = await authorize(self.stores, org_id, actor, Action.CHANGE_MEMBER)

        async def work(uow: UnitOfWork) -> dict[str, Any]:
            mine = await self._actor_membership(org_id, actor, uow)
            target = await self.stores.memberships.get(org_id, user_id, uow.session)
            if target is None:
                raise _member_not_found()
            before = access_of(target)
            role = change.role or before.role
            after = normalize_access(
                role,
                change.products if change.products is not None else list(before.products),
                change.billing if change.billing is not None else before.billing,
            )
            legal_reps = await self.stores.memberships.count_role(
                org_id, Role.LEGAL_REPRESENTATIVE, uow.session
            )
            with enforced():
                check_change(Role(mine["role"]), before.role, after.role, legal_reps)
            if after == before:
                return target
            await self.stores.organizations.touch(org_id, utcnow(), uow.session)
            await self.stores.memberships.set_access(org_id, user_id, after, uow.session)
            await audit(
                self.stores,
                uow,
                org_id=org_id,
                actor=actor,
                action="membership.changed",
                target={"type": "member", "id": user_id},
                before=access_fields(before),
                after=access_fields(after),
            )
            uow.emit(membership_changed(org, user_id, before, after, actor.user_id))
            return {**target, **access_fields(after)}

        # Two managers changing members at once conflict on the organization document: the
        # loser runs again against the winner's state (or gets 409), never a 500.
        changed = await transact(self.outbox, work)
        return {**changed, **await self._person(user_id)}

    async def _actor_membership(self, org_id: str, actor: Actor, uow: UnitOfWork) -> dict[str, Any]:
        """The actor's membership read again inside the transaction: a concurrent change may
        just have demoted or removed them, and a retried attempt must judge by that."""
        mine = await self.stores.memberships.get(org_id, actor.user_id, uow.session)
        if mine is None:
            raise org_not_found()
        return mine

    async def _person(self, user_id: str) -> dict[str, Any]:
        person = await self.stores.people.get(user_id) or {}
        return {"email": person.get("email"), "name": person.get("name")}

    async def remove(self, actor: Actor, org_id: str, user_id: str) -> None:
        org, _ = await authorize(self.stores, org_id, actor, Action.VIEW)
        leaving = user_id == actor.user_id

        async def work(uow: UnitOfWork) -> None:
            mine = await self._actor_membership(org_id, actor, uow)
            target = await self.stores.memberships.get(org_id, user_id, uow.session)
            if target is None:
                # Only those who may remove members learn whether someone is one.
                with enforced():
                    require(Role(mine["role"]), Action.REMOVE_MEMBER)
                raise _member_not_found()
            access = access_of(target)
            legal_reps = await self.stores.memberships.count_role(
                org_id, Role.LEGAL_REPRESENTATIVE, uow.session
            )
            with enforced():
                check_remove(Role(mine["role"]), access.role, legal_reps, leaving=leaving)
            await self.stores.organizations.touch(org_id, utcnow(), uow.session)
            await self.stores.memberships.delete(org_id, user_id, uow.session)
            await audit(
                self.stores,
                uow,
                org_id=org_id,
                actor=actor,
                action="membership.left" if leaving else "membership.removed",
                target={"type": "member", "id": user_id},
                before=access_fields(access),
            )
            uow.emit(membership_removed(org, user_id, access, actor.user_id))

        await transact(self.outbox, work)
