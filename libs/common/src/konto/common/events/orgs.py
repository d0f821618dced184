"""Events published by the orgs service on `konto.orgs.events`.

Subject (and Kafka key) is the organization id for every orgs event, so one organization's
history (created, members added, changed, removed, invitations) keeps its order for every
reader, e.g. auth's membership projection and notify's summary mails (ORG-1, ORG-5).
"""

from datetime import datetime
from typing import ClassVar, Literal

from pydantic import Field

from konto.common.events.envelope import Event, EventData
from konto.common.events.topics import ORGS_EVENTS

Role = Literal["legal_representative", "administrator", "collaborator", "external"]
Locale = Literal["de", "fr", "en", "it"]


class MemberAccess(EventData):
    """What a member may do: the role, the products a collaborator or external may use
    (administrators and legal representatives have all: empty list) and billing rights."""

    role: Role
    products: list[str] = Field(default_factory=list)
    billing: bool = False


class OrganizationCreated(EventData):
    org_id: str
    name: str
    created_by: str = Field(description="User id of the creator, its first legal representative")
    personal: bool = Field(description="Created on a lone registration (ORG-2), not by request")


class OrganizationCreatedV1(Event):
    topic: ClassVar[str] = ORGS_EVENTS
    type: Literal["konto.orgs.organization.created.v1"] = "konto.orgs.organization.created.v1"
    source: str = "konto/orgs"
    data: OrganizationCreated


class OrganizationRenamed(EventData):
    org_id: str
    name: str
    previous_name: str
    actor_id: str


class OrganizationRenamedV1(Event):
    topic: ClassVar[str] = ORGS_EVENTS
    type: Literal["konto.orgs.organization.renamed.v1"] = "konto.orgs.organization.renamed.v1"
    source: str = "konto/orgs"
    data: OrganizationRenamed


class MembershipAdded(EventData):
    org_id: str
    org_name: str
    user_id: str
    role: Role
    products: list[str]
    billing: bool
    actor_id: str = Field(description="Who caused it: the creator, or the accepting user")
    invitation_id: str | None = Field(default=None, description="Set when joined by invitation")


class MembershipAddedV1(Event):
    topic: ClassVar[str] = ORGS_EVENTS
    type: Literal["konto.orgs.membership.added.v1"] = "konto.orgs.membership.added.v1"
    source: str = "konto/orgs"
    data: MembershipAdded


class MembershipChanged(EventData):
    org_id: str
    org_name: str
    user_id: str
    role: Role
    products: list[str]
    billing: bool
    before: MemberAccess
    after: MemberAccess
    actor_id: str


class MembershipChangedV1(Event):
    topic: ClassVar[str] = ORGS_EVENTS
    type: Literal["konto.orgs.membership.changed.v1"] = "konto.orgs.membership.changed.v1"
    source: str = "konto/orgs"
    data: MembershipChanged


class MembershipRemoved(EventData):
    org_id: str
    org_name: str
    user_id: str
    role: Role = Field(description="The role the member had")
    products: list[str]
    billing: bool
    actor_id: str = Field(description="Equal to user_id when the member left")


class MembershipRemovedV1(Event):
    topic: ClassVar[str] = ORGS_EVENTS
    type: Literal["konto.orgs.membership.removed.v1"] = "konto.orgs.membership.removed.v1"
    source: str = "konto/orgs"
    data: MembershipRemoved


class InvitationIssued(EventData):
    invitation_id: str
    org_id: str
    org_name: str
    email: str = Field(description="Normalised address the invitation goes to")
    role: Role
    products: list[str]
    billing: bool
    invited_by: str = Field(description="User id of the inviting member")
    invited_by_name: str | None = None
    existing_user_id: str | None = Field(
        default=None, description="The account this address belongs to, when orgs knows one"
    )
    expires_at: datetime
    # The raw token travels in this event on purpose: notify must put the link in the mail and
    # orgs keeps only the token's hash, so nobody else could produce it. The topic is internal,
    # the token is single-use and expires (ORG-4); a resend makes this one worthless.
    accept_url: str = Field(description="<console>/invitations/<token>: the link to mail")
    locale: Locale | None = Field(
        default=None, description="The invitee's language when the inviter chose one"
    )


class InvitationCreatedV1(Event):
    topic: ClassVar[str] = ORGS_EVENTS
    type: Literal["konto.orgs.invitation.created.v1"] = "konto.orgs.invitation.created.v1"
    source: str = "konto/orgs"
    data: InvitationIssued


class InvitationResentV1(Event):
    """A new token for a pending invitation; the previous link stops working."""

    topic: ClassVar[str] = ORGS_EVENTS
    type: Literal["konto.orgs.invitation.resent.v1"] = "konto.orgs.invitation.resent.v1"
    source: str = "konto/orgs"
    data: InvitationIssued


class InvitationClosed(EventData):
    invitation_id: str
    org_id: str
    email: str
    actor_id: str = Field(description="Who revoked it, or who accepted it")


class InvitationRevokedV1(Event):
    topic: ClassVar[str] = ORGS_EVENTS
    type: Literal["konto.orgs.invitation.revoked.v1"] = "konto.orgs.invitation.revoked.v1"
    source: str = "konto/orgs"
    data: InvitationClosed


class InvitationAcceptedV1(Event):
    topic: ClassVar[str] = ORGS_EVENTS
    type: Literal["konto.orgs.invitation.accepted.v1"] = "konto.orgs.invitation.accepted.v1"
    source: str = "konto/orgs"
    data: InvitationClosed


class OrganizationDeleted(EventData):
    org_id: str
    name: str
    actor_id: str = Field(description="The legal representative who deleted it (ORG-7)")


class OrganizationDeletedV1(Event):
    """Soft-deleted: its memberships ended (each with membership.removed, just before)."""

    topic: ClassVar[str] = ORGS_EVENTS
    type: Literal["konto.orgs.organization.deleted.v1"] = "konto.orgs.organization.deleted.v1"
    source: str = "konto/orgs"
    data: OrganizationDeleted


class LogoChanged(EventData):
    org_id: str
    logo: bool = Field(description="True when a logo was uploaded, False when it was removed")
    content_type: str | None = Field(default=None, description="image/png, image/jpeg, image/webp")
    actor_id: str


class LogoChangedV1(Event):
    topic: ClassVar[str] = ORGS_EVENTS
    type: Literal["konto.orgs.organization.logo_changed.v1"] = (
        "konto.orgs.organization.logo_changed.v1"
    )
    source: str = "konto/orgs"
    data: LogoChanged


OrgsEventTypes = (
    OrganizationCreatedV1
    | OrganizationRenamedV1
    | MembershipAddedV1
    | MembershipChangedV1
    | MembershipRemovedV1
    | InvitationCreatedV1
    | InvitationResentV1
    | InvitationRevokedV1
    | InvitationAcceptedV1
    | OrganizationDeletedV1
    | LogoChangedV1
)
