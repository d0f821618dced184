"""orgs' events notify maps: invitations, roles, members (NOT-1)."""

import uuid
from datetime import timedelta

from konto.common.events import (
    InvitationCreatedV1,
    InvitationIssued,
    InvitationResentV1,
    MemberAccess,
    MembershipAdded,
    MembershipAddedV1,
    MembershipChanged,
    MembershipChangedV1,
    MembershipRemoved,
    MembershipRemovedV1,
    utcnow,
)
from tests.support.notify_events.people import (
    CONSOLE,
    Expected,
    Who,
)


def orgs_events(bruno: Who, anna: Who, stranger: str) -> list[Expected]:
    """anna (an administrator) invites a stranger (no account: fallback language) and bruno
    (an account: his language), and changes and then ends bruno's membership."""
    org = f"org-{uuid.uuid4().hex[:12]}"
    expires = utcnow() + timedelta(days=7)

    def issued(email: str, existing: str | None) -> InvitationIssued:
        return InvitationIssued(
            invitation_id=f"inv-{uuid.uuid4().hex[:12]}",
            org_id=org,
            org_name="Muster & Co AG",
            email=email,
            role="collaborator",
            products=["shop"],
            billing=False,
            invited_by=anna.user_id,
            invited_by_name=anna.name,
            existing_user_id=existing,
            expires_at=expires,
            accept_url=f"{CONSOLE}/invitations/tok-{uuid.uuid4().hex}",
        )

    before = MemberAccess(role="collaborator", products=["shop"], billing=False)
    after = MemberAccess(role="administrator", products=[], billing=True)
    member = {"org_id": org, "org_name": "Muster & Co AG", "user_id": bruno.user_id}
    return [
        Expected(
            InvitationCreatedV1(subject=org, data=issued(stranger, None)),
            stranger,
            "invitation",
            "en",
        ),
        Expected(
            InvitationResentV1(subject=org, data=issued(bruno.email, bruno.user_id)),
            bruno.email,
            "invitation",
            bruno.locale,
        ),
        Expected(
            MembershipAddedV1(
                subject=org,
                data=MembershipAdded(
                    **member,
                    **before.model_dump(),
                    actor_id=bruno.user_id,
                    invitation_id="inv-1",
                ),
            ),
            bruno.email,
            "membership_added",
            bruno.locale,
        ),
        Expected(
            MembershipChangedV1(
                subject=org,
                data=MembershipChanged(
                    **member,
                    **after.model_dump(),
                    before=before,
                    after=after,
                    actor_id=anna.user_id,
                ),
            ),
            bruno.email,
            "membership_changed",
            bruno.locale,
        ),
        Expected(
            MembershipRemovedV1(
                subject=org,
                data=MembershipRemoved(**member, **after.model_dump(), actor_id=anna.user_id),
            ),
            bruno.email,
            "membership_removed",
            bruno.locale,
        ),
    ]
