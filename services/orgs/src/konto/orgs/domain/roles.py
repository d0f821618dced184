"""Who may do what in an organization (ORG-2, ORG-3). Pure: the caller loads the memberships.

Administrators and legal representatives manage the organization; collaborators work on the
products they were given; externals are restricted and left out of organization-wide views
(the member list). Only a legal representative grants, takes away or removes that role, and an
organization always keeps at least one: the last one can be replaced (promote someone else
first), never demoted or removed.
"""

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    LEGAL_REPRESENTATIVE = "legal_representative"
    ADMINISTRATOR = "administrator"
    COLLABORATOR = "collaborator"
    EXTERNAL = "external"


class Action(StrEnum):
    VIEW = "view"  # the organization itself
    RENAME = "rename"
    LIST_MEMBERS = "list_members"
    INVITE = "invite"  # also list, revoke and resend invitations
    CHANGE_MEMBER = "change_member"
    REMOVE_MEMBER = "remove_member"
    VIEW_AUDIT = "view_audit"
    DELETE = "delete"  # the organization itself (ORG-7)
    CHANGE_LOGO = "change_logo"  # upload or remove (ORG-8)


MANAGERS = frozenset({Role.LEGAL_REPRESENTATIVE, Role.ADMINISTRATOR})
# Roles that get products one by one; the managers have all of them.
PER_PRODUCT = frozenset({Role.COLLABORATOR, Role.EXTERNAL})

_ALLOWED: dict[Action, frozenset[Role]] = {
    Action.VIEW: frozenset(Role),
    Action.RENAME: MANAGERS,
    Action.LIST_MEMBERS: MANAGERS | {Role.COLLABORATOR},
    Action.INVITE: MANAGERS,
    Action.CHANGE_MEMBER: MANAGERS,
    Action.REMOVE_MEMBER: MANAGERS,
    Action.VIEW_AUDIT: MANAGERS,
    Action.CHANGE_LOGO: MANAGERS,
    # Deleting the customer account is the legal representative's decision alone.
    Action.DELETE: frozenset({Role.LEGAL_REPRESENTATIVE}),
}


class NotAllowed(Exception):
    """The actor's role does not permit this (answered 403)."""


class LastLegalRepresentative(Exception):
    """The change would leave the organization without a legal representative (409)."""


@dataclass(frozen=True)
class Access:
    role: Role
    products: tuple[str, ...] = ()
    billing: bool = False


def may(role: Role, action: Action) -> bool:
    return role in _ALLOWED[action]


def require(role: Role, action: Action) -> None:
    if not may(role, action):
        raise NotAllowed(f"{role.value} may not {action.value.replace('_', ' ')}")


def normalize_access(role: Role, products: list[str] | tuple[str, ...], billing: bool) -> Access:
    """Managers have every product and billing rights; the others get what they were given."""
    if role in MANAGERS:
        return Access(role=role, products=(), billing=True)
    cleaned = sorted({p.strip() for p in products if p.strip()})
    return Access(role=role, products=tuple(cleaned), billing=billing)


def check_invite(actor: Role, invited: Role) -> None:
    require(actor, Action.INVITE)
    if invited is Role.LEGAL_REPRESENTATIVE and actor is not Role.LEGAL_REPRESENTATIVE:
        raise NotAllowed("only a legal representative grants the legal-representative role")


def check_change(actor: Role, target: Role, new: Role, legal_reps: int) -> None:
    """`legal_reps` counts the organization's legal representatives before the change."""
    require(actor, Action.CHANGE_MEMBER)
    touches_legal_rep = Role.LEGAL_REPRESENTATIVE in (target, new) and target is not new
    if touches_legal_rep and actor is not Role.LEGAL_REPRESENTATIVE:
        raise NotAllowed(
            "only a legal representative grants or takes the legal-representative role"
        )
    if target is Role.LEGAL_REPRESENTATIVE and new is not target and legal_reps <= 1:
        raise LastLegalRepresentative("appoint another legal representative first")


def check_remove(actor: Role, target: Role, legal_reps: int, *, leaving: bool) -> None:
    """`leaving`: the member removes themselves, which any role may do."""
    if not leaving:
        require(actor, Action.REMOVE_MEMBER)
        if target is Role.LEGAL_REPRESENTATIVE and actor is not Role.LEGAL_REPRESENTATIVE:
            raise NotAllowed("only a legal representative removes a legal representative")
    if target is Role.LEGAL_REPRESENTATIVE and legal_reps <= 1:
        raise LastLegalRepresentative("appoint another legal representative first")
