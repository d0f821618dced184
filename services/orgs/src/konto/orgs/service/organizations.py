"""Use cases of ORG-1, ORG-2 and ORG-6: found an organization (on request, or the personal one
on a lone registration), list mine, read one, rename it."""

from typing import Any

from konto.common.errors import Problem
from konto.common.events import utcnow, uuid7
from konto.common.outbox import Outbox, UnitOfWork
from konto.orgs.domain.names import InvalidName, clean_name
from konto.orgs.domain.roles import Action, Role, normalize_access
from konto.orgs.events.published import membership_added, organization_created, organization_renamed
from konto.orgs.service.common import Actor, Stores, audit, authorize
from konto.orgs.store.memberships import access_fields, membership_id


def _name(raw: str) -> str:
    try:
        return clean_name(raw)
    except InvalidName as exc:
        raise Problem(
            422,
            "Invalid request",
            "check these fields: name",
            code="validation-error",
            errors=[{"field": "name", "message": str(exc), "type": "value_error"}],
        ) from exc


class OrganizationsService:
    def __init__(self, stores: Stores, outbox: Outbox) -> None:
        self.stores = stores
        self.outbox = outbox

    async def create(self, actor: Actor, name: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """ORG-6: any user founds a further organization and becomes its legal representative."""
        clean = _name(name)
        async with self.outbox.unit_of_work() as uow:
            return await self._found(uow, clean, actor, personal=False)

    async def create_personal(self, user_id: str, name: str, email: str, uow: UnitOfWork) -> None:
        """ORG-2: inside the consumer's transaction, so the organization, its first membership,
        the audit row, the events and the "event handled" mark commit together."""
        try:
            clean = clean_name(name)
        except InvalidName:
            # auth checks names its own way; a name orgs refuses must not stall the consumer.
            clean = clean_name(email)
        await self._found(uow, clean, Actor(user_id, None), personal=True)

    async def _found(
        self, uow: UnitOfWork, name: str, actor: Actor, *, personal: bool
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        now = utcnow()
        org: dict[str, Any] = {
            "_id": str(uuid7()),
            "name": name,
            "created_by": actor.user_id,
            "personal": personal,
            "created_at": now,
            "revision": 0,
        }
        access = normalize_access(Role.LEGAL_REPRESENTATIVE, (), True)
        membership = {
            "_id": membership_id(org["_id"], actor.user_id),
            "org_id": org["_id"],
            "user_id": actor.user_id,
            **access_fields(access),
            "joined_at": now,
            "invitation_id": None,
        }
        await self.stores.organizations.insert(org, uow.session)
        await self.stores.memberships.insert(membership, uow.session)
        target = {"type": "organization", "id": org["_id"]}
        await audit(
            self.stores,
            uow,
            org_id=org["_id"],
            actor=actor,
            action="organization.created",
            target=target,
            after={"name": name, "personal": personal},
        )
        await audit(
            self.stores,
            uow,
            org_id=org["_id"],
            actor=actor,
            action="membership.added",
            target={"type": "member", "id": actor.user_id},
            after=access_fields(access),
        )
        uow.emit(organization_created(org, personal=personal))
        uow.emit(membership_added(org, actor.user_id, access, actor.user_id, None))
        return org, membership

    async def mine(self, actor: Actor) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        memberships = await self.stores.memberships.of_user(actor.user_id)
        orgs = await self.stores.organizations.by_ids([m["org_id"] for m in memberships])
        return [(orgs[m["org_id"]], m) for m in memberships if m["org_id"] in orgs]

    async def get(self, actor: Actor, org_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        return await authorize(self.stores, org_id, actor, Action.VIEW)

    async def rename(
        self, actor: Actor, org_id: str, name: str
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        org, membership = await authorize(self.stores, org_id, actor, Action.RENAME)
        clean = _name(name)
        if clean == org["name"]:
            return org, membership
        async with self.outbox.unit_of_work() as uow:
            await self.stores.organizations.rename(org_id, clean, utcnow(), uow.session)
            await audit(
                self.stores,
                uow,
                org_id=org_id,
                actor=actor,
                action="organization.renamed",
                target={"type": "organization", "id": org_id},
                before={"name": org["name"]},
                after={"name": clean},
            )
            uow.emit(organization_renamed(org_id, clean, org["name"], actor.user_id))
        return {**org, "name": clean}, membership
