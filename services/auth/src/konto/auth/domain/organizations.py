"""Which organization a token speaks for (ORG-1, AUTH-11). Pure."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Membership:
    """One row of auth's projection of orgs' membership events."""

    org_id: str
    org_name: str
    role: str
    personal: bool
    joined_at: datetime


def choose_org(memberships: list[Membership], last_org_id: str | None) -> Membership | None:
    """The organization a new login speaks for: the last one the person switched to while it
    still has them, else their personal one, else the one they joined first; None without any
    (a brand-new account whose personal organization orgs has not founded yet)."""
    if not memberships:
        return None
    by_id = {m.org_id: m for m in memberships}
    if last_org_id is not None and last_org_id in by_id:
        return by_id[last_org_id]
    personal = [m for m in memberships if m.personal]
    pool = personal or memberships
    return min(pool, key=lambda m: (m.joined_at, m.org_id))
