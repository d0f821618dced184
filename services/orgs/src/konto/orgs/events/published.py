"""The events orgs announces (through the outbox), built from stored documents, and their
AsyncAPI declaration. Subject is always the organization id (one organization, one order)."""

from datetime import datetime
from typing import Any

from konto.common.events import (
    ORGS_EVENTS,
    InvitationAcceptedV1,
    InvitationClosed,
    InvitationCreatedV1,
    InvitationIssued,
    InvitationResentV1,
    InvitationRevokedV1,
    LogoChanged,
    LogoChangedV1,
    MemberAccess,
    MembershipAdded,
    MembershipAddedV1,
    MembershipChanged,
    MembershipChangedV1,
    MembershipRemoved,
    MembershipRemovedV1,
    OrganizationCreated,
    OrganizationCreatedV1,
    OrganizationDeleted,
    OrganizationDeletedV1,
    OrganizationRenamed,
    OrganizationRenamedV1,
)
from konto.common.events.orgs import OrgsEventTypes
from konto.common.service import Runtime
from konto.orgs.domain.roles import Access


def declare(runtime: Runtime) -> None:
    runtime.publishes(
        ORGS_EVENTS,
        OrgsEventTypes,
        "Organizations, memberships and invitations, keyed by organization id",
    )


def _access(access: Access) -> MemberAccess:
    return MemberAccess(
        role=access.role.value, products=list(access.products), billing=access.billing
    )


def organization_created(org: dict[str, Any], *, personal: bool) -> OrganizationCreatedV1:
    return OrganizationCreatedV1(
        subject=org["_id"],
        data=OrganizationCreated(
            org_id=org["_id"], name=org["name"], created_by=org["created_by"], personal=personal
        ),
    )


def organization_renamed(
    org_id: str, name: str, previous: str, actor_id: str
) -> OrganizationRenamedV1:
    return OrganizationRenamedV1(
        subject=org_id,
        data=OrganizationRenamed(
            org_id=org_id, name=name, previous_name=previous, actor_id=actor_id
        ),
    )


def organization_deleted(org: dict[str, Any], actor_id: str) -> OrganizationDeletedV1:
    return OrganizationDeletedV1(
        subject=org["_id"],
        data=OrganizationDeleted(org_id=org["_id"], name=org["name"], actor_id=actor_id),
    )


def logo_changed(org_id: str, content_type: str | None, actor_id: str) -> LogoChangedV1:
    return LogoChangedV1(
        subject=org_id,
        data=LogoChanged(
            org_id=org_id,
            logo=content_type is not None,
            content_type=content_type,
            actor_id=actor_id,
        ),
    )


def membership_added(
    org: dict[str, Any], user_id: str, access: Access, actor_id: str, invitation_id: str | None
) -> MembershipAddedV1:
    return MembershipAddedV1(
        subject=org["_id"],
        data=MembershipAdded(
            org_id=org["_id"],
            org_name=org["name"],
            user_id=user_id,
            role=access.role.value,
            products=list(access.products),
            billing=access.billing,
            actor_id=actor_id,
            invitation_id=invitation_id,
        ),
    )


def membership_changed(
    org: dict[str, Any], user_id: str, before: Access, after: Access, actor_id: str
) -> MembershipChangedV1:
    return MembershipChangedV1(
        subject=org["_id"],
        data=MembershipChanged(
            org_id=org["_id"],
            org_name=org["name"],
            user_id=user_id,
            role=after.role.value,
            products=list(after.products),
            billing=after.billing,
            before=_access(before),
            after=_access(after),
            actor_id=actor_id,
        ),
    )


def membership_removed(
    org: dict[str, Any], user_id: str, access: Access, actor_id: str
) -> MembershipRemovedV1:
    return MembershipRemovedV1(
        subject=org["_id"],
        data=MembershipRemoved(
            org_id=org["_id"],
            org_name=org["name"],
            user_id=user_id,
            role=access.role.value,
            products=list(access.products),
            billing=access.billing,
            actor_id=actor_id,
        ),
    )


def invitation_issued(
    invitation: dict[str, Any],
    org: dict[str, Any],
    *,
    url: str,
    inviter_name: str | None,
    existing_user_id: str | None,
    expires_at: datetime,
    resent: bool,
) -> InvitationCreatedV1 | InvitationResentV1:
    data = InvitationIssued(
        invitation_id=invitation["_id"],
        org_id=org["_id"],
        org_name=org["name"],
        email=invitation["email"],
        role=invitation["role"],
        products=invitation["products"],
        billing=invitation["billing"],
        invited_by=invitation["invited_by"],
        invited_by_name=inviter_name,
        existing_user_id=existing_user_id,
        expires_at=expires_at,
        accept_url=url,
        locale=invitation.get("locale"),
    )
    if resent:
        return InvitationResentV1(subject=org["_id"], data=data)
    return InvitationCreatedV1(subject=org["_id"], data=data)


def invitation_closed(
    invitation: dict[str, Any], actor_id: str, *, accepted: bool
) -> InvitationAcceptedV1 | InvitationRevokedV1:
    data = InvitationClosed(
        invitation_id=invitation["_id"],
        org_id=invitation["org_id"],
        email=invitation["email"],
        actor_id=actor_id,
    )
    if accepted:
        return InvitationAcceptedV1(subject=invitation["org_id"], data=data)
    return InvitationRevokedV1(subject=invitation["org_id"], data=data)
