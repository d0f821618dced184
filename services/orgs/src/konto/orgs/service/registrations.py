"""What orgs does with auth's events: keep the people projection, and found the personal
organization of someone who registered on their own (ORG-2, AUTH-1), or join someone who
registered through an invitation link to the inviting organization (ORG-4)."""

from konto.common.events import KontoEvent, UserRegisteredV1
from konto.common.outbox import UnitOfWork
from konto.orgs.service.acceptance import AcceptanceService
from konto.orgs.service.organizations import OrganizationsService
from konto.orgs.store.people import People


class Registrations:
    def __init__(
        self,
        people: People,
        organizations: OrganizationsService,
        acceptance: AcceptanceService,
    ) -> None:
        self.people = people
        self.organizations = organizations
        self.acceptance = acceptance

    async def on_auth_event(self, event: KontoEvent, uow: UnitOfWork) -> None:
        if not isinstance(event, UserRegisteredV1):
            return
        data = event.data
        await self.people.upsert(data.user_id, data.email, data.name, uow.session)
        # Someone who registered through a still valid invitation joins that organization
        # instead (ORG-4); a bogus, revoked, used or expired one leaves them on their own.
        if data.invitation_id is not None and await self.acceptance.accept_on_registration(
            data.user_id, data.invitation_id, uow
        ):
            return
        await self.organizations.create_personal(data.user_id, data.name, data.email, uow)
