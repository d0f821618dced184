"""Keeps billing's projection of orgs' memberships (the handler of `konto.orgs.events`)."""

from konto.billing.store.memberships import Memberships
from konto.common.events import (
    KontoEvent,
    MembershipAddedV1,
    MembershipChangedV1,
    MembershipRemovedV1,
)
from konto.common.outbox import UnitOfWork

MEMBERSHIP_EVENTS = (MembershipAddedV1, MembershipChangedV1, MembershipRemovedV1)


def concerns_memberships(event: KontoEvent) -> bool:
    return isinstance(event, MEMBERSHIP_EVENTS)


class MembershipProjection:
    def __init__(self, memberships: Memberships) -> None:
        self.memberships = memberships

    async def on_orgs_event(self, event: KontoEvent, uow: UnitOfWork) -> None:
        # One organization's events share a Kafka key, so they arrive in order: the last
        # one applied is the member's current access.
        if isinstance(event, MembershipAddedV1 | MembershipChangedV1):
            data = event.data
            await self.memberships.put(
                data.org_id, data.user_id, data.role, data.billing, uow.session
            )
        elif isinstance(event, MembershipRemovedV1):
            await self.memberships.remove(event.data.org_id, event.data.user_id, uow.session)
