"""Who sees and acts on an organization's billing: members with billing rights, and every
administrator or legal representative (issue 5, ORG-2 roles)."""

from typing import Literal

Decision = Literal["allowed", "forbidden", "not_found"]

FULL_ACCESS_ROLES = frozenset({"administrator", "legal_representative"})


def billing_access(role: str | None, billing: bool) -> Decision:
    """`role` is None for someone who is not a member: the organization is not theirs to see,
    so it does not exist for them (404), which tells nothing about other tenants (X-4)."""
    if role is None:
        return "not_found"
    if role in FULL_ACCESS_ROLES or billing:
        return "allowed"
    return "forbidden"
