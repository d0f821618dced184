"""orgs' events a person must hear about (NOT-1, ORG-4, ORG-5).

- An invitation goes to the invited address, which may have no account: in the language of the
  account orgs found for it, else in the one the invitation carries (`locale`, when orgs sends
  it), else in the fallback language. It always goes out (category `security`): the link in
  it is the only way in, and an address is not a person with preferences.
- A change of someone's access (role, products, billing: ORG-5) and a removal are security
  messages: they change what the person may do, and a rogue administrator must not go unseen.
- The welcome after joining through an invitation is an `organization` message (the person has
  just accepted, nothing is at stake), which preferences may silence. Founding an organization
  oneself (the personal one at registration included) sends no welcome.
"""

from collections.abc import Mapping
from typing import Any

from konto.common.events import (
    InvitationCreatedV1,
    InvitationIssued,
    InvitationResentV1,
    KontoEvent,
    MemberAccess,
    MembershipAddedV1,
    MembershipChangedV1,
    MembershipRemovedV1,
)
from konto.notify.domain.messages import Outgoing, Person, email, pick_locale


def concerns(event: KontoEvent) -> bool:
    if isinstance(event, MembershipAddedV1):
        return event.data.invitation_id is not None
    return isinstance(
        event, InvitationCreatedV1 | InvitationResentV1 | MembershipChangedV1 | MembershipRemovedV1
    )


def people_needed(event: KontoEvent) -> set[str]:
    """The user ids whose profiles the messages need: the person concerned and the actor."""
    if isinstance(event, InvitationCreatedV1 | InvitationResentV1):
        return {u for u in (event.data.existing_user_id, event.data.invited_by) if u}
    if isinstance(event, MembershipAddedV1 | MembershipChangedV1 | MembershipRemovedV1):
        return {event.data.user_id, event.data.actor_id}
    return set()


def orgs_messages(event: KontoEvent, people: Mapping[str, Person]) -> list[Outgoing]:
    if not concerns(event):
        return []
    if isinstance(event, InvitationCreatedV1 | InvitationResentV1):
        return [_invitation(event, people)]
    if not isinstance(event, MembershipAddedV1 | MembershipChangedV1 | MembershipRemovedV1):
        return []
    data = event.data
    person = people.get(data.user_id)
    if person is None:
        return []
    actor = people.get(data.actor_id)
    common: dict[str, Any] = {
        "org_name": data.org_name,
        "by_self": data.actor_id == data.user_id,
        "actor_name": actor.name if actor else None,
    }
    if isinstance(event, MembershipChangedV1):
        changes = {"before": _access(event.data.before), "after": _access(event.data.after)}
        return [email(event, person, "membership_changed", {**common, **changes})]
    access = _access(MemberAccess(role=data.role, products=data.products, billing=data.billing))
    if isinstance(event, MembershipRemovedV1):
        return [email(event, person, "membership_removed", {**common, "access": access})]
    return [email(event, person, "membership_added", {**common, "access": access}, "organization")]


def _access(access: MemberAccess) -> dict[str, Any]:
    return {"role": access.role, "products": list(access.products), "billing": access.billing}


def _invitation(
    event: InvitationCreatedV1 | InvitationResentV1, people: Mapping[str, Person]
) -> Outgoing:
    data = event.data
    invitee = people.get(data.existing_user_id) if data.existing_user_id else None
    inviter = people.get(data.invited_by)
    access = MemberAccess(role=data.role, products=data.products, billing=data.billing)
    return Outgoing(
        event_id=event.id,
        event_type=event.type,
        recipient=invitee.user_id if invitee else data.email,
        channel="email",
        template="invitation",
        locale=pick_locale(invitee.locale if invitee else _invitation_locale(data)),
        address=data.email,
        context={
            "name": invitee.name if invitee else None,
            "time": event.time,
            "org_name": data.org_name,
            "inviter_name": data.invited_by_name or (inviter.name if inviter else None),
            "access": _access(access),
            "accept_url": data.accept_url,
            "expires_at": data.expires_at,
            "resent": isinstance(event, InvitationResentV1),
        },
    )


def _invitation_locale(data: InvitationIssued) -> str | None:
    """The language orgs chose for an invitee without an account (the inviter's pick), once the
    contract has it: read tolerantly, so events from before that field still map."""
    locale = getattr(data, "locale", None)
    return locale if isinstance(locale, str) else None
