"""Organizations in tokens (ORG-1, AUTH-11): the membership projection fed by orgs' events,
the organization a login speaks for, and switching to another one without a new login."""

import asyncio
from dataclasses import dataclass

from konto.auth.domain.organizations import Membership
from konto.auth.domain.tokens import hash_refresh_token, new_refresh_token
from konto.auth.service.tokens import IssuedTokens, TokenIssuer
from konto.auth.store.memberships import Memberships
from konto.auth.store.sessions import Sessions
from konto.auth.store.users import Users
from konto.common.events import (
    KontoEvent,
    MembershipAddedV1,
    MembershipChangedV1,
    MembershipRemovedV1,
    OrganizationCreatedV1,
    OrganizationRenamedV1,
    utcnow,
)
from konto.common.outbox import UnitOfWork

PROJECTED = (
    OrganizationCreatedV1,
    OrganizationRenamedV1,
    MembershipAddedV1,
    MembershipChangedV1,
    MembershipRemovedV1,
)


class NotAMember(Exception):
    """The organization does not exist or does not have this person: the same answer (X-4)."""


class SessionEnded(Exception):
    pass


@dataclass(frozen=True)
class OrgListing:
    memberships: list[Membership]
    current: str | None


class MembershipProjection:
    def __init__(self, memberships: Memberships) -> None:
        self.memberships = memberships

    @staticmethod
    def accepts(event: KontoEvent) -> bool:
        return isinstance(event, PROJECTED)

    async def on_orgs_event(self, event: KontoEvent, uow: UnitOfWork) -> None:
        """orgs keys every event by organization, so one organization's events arrive in order."""
        store, session = self.memberships, uow.session
        if isinstance(event, OrganizationCreatedV1):
            data = event.data
            await store.organization_created(data.org_id, data.name, data.personal, session)
        elif isinstance(event, OrganizationRenamedV1):
            await store.renamed(event.data.org_id, event.data.name, session)
        elif isinstance(event, MembershipAddedV1 | MembershipChangedV1):
            d = event.data
            await store.put(
                org_id=d.org_id,
                org_name=d.org_name,
                user_id=d.user_id,
                role=d.role,
                at=event.time,
                session=session,
            )
        elif isinstance(event, MembershipRemovedV1):
            await store.remove(event.data.org_id, event.data.user_id, session)


class Organizations:
    def __init__(
        self,
        *,
        memberships: Memberships,
        users: Users,
        sessions: Sessions,
        issuer: TokenIssuer,
        switch_wait_seconds: float,
    ) -> None:
        self.memberships = memberships
        self.users = users
        self.sessions = sessions
        self.issuer = issuer
        self.switch_wait_seconds = switch_wait_seconds

    async def listing(self, user_id: str, current_org: str | None) -> OrgListing:
        return OrgListing(await self.memberships.of_user(user_id), current_org)

    async def _membership(self, org_id: str, user_id: str) -> Membership | None:
        """The projection trails orgs by the relay and consumer lag (about a second): an
        organization created or joined a moment ago is waited for briefly, so a client may
        switch to it right after orgs answered."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.switch_wait_seconds
        while True:
            found = await self.memberships.get(org_id, user_id)
            if found is not None or loop.time() >= deadline:
                return found
            await asyncio.sleep(0.25)

    async def switch(self, user_id: str, session_id: str, org_id: str) -> IssuedTokens:
        """New tokens of the same session for another organization of the person; the refresh
        token rotates too, as the session's organization changed. Raises NotAMember or
        SessionEnded."""
        membership = await self._membership(org_id, user_id)
        if membership is None:
            raise NotAMember(org_id)
        now = utcnow()
        refresh_token = new_refresh_token()
        doc = await self.sessions.switch_org(
            session_id, user_id, org_id, hash_refresh_token(refresh_token), now
        )
        if doc is None:
            raise SessionEnded(session_id)
        await self.users.set_last_org(user_id, org_id, now)
        return IssuedTokens(
            access_token=await self.issuer.sign(
                user_id, session_id, doc["amr"], now, org=membership.org_id, role=membership.role
            ),
            expires_in=int(self.issuer.ttl.total_seconds()),
            refresh_token=refresh_token,
            session_id=session_id,
            device_id=doc["device_id"],
            user_id=user_id,
        )
