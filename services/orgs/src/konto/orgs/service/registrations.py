"""What orgs does with auth's events: keep the people projection, and found the personal
organization of someone who registered on their own (ORG-2, AUTH-1)."""

from konto.common.events import KontoEvent, UserRegisteredV1
from konto.common.outbox import UnitOfWork
from konto.orgs.service.organizations import OrganizationsService
from konto.orgs.store.people import People


class Registrations:
    def __init__(self, people: People, organizations: OrganizationsService) -> None:
        self.people = people
        self.organizations = organizations

    async def on_auth_event(self, event: KontoEvent, uow: UnitOfWork) -> None:
        if not isinstance(event, UserRegisteredV1):
            return
        data = event.data
        await self.people.upsert(data.user_id, data.email, data.name, uow.session)
        # Someone who registered through an invitation joins that organization instead (ORG-4).
        if data.invitation_id is None:
            await self.organizations.create_personal(data.user_id, data.name, data.email, uow)
