"""Push approvals of a login (AUTH-9): pending until the device approves or denies it, or until
it expires. Pure state rules; the store applies a decision with one conditional update."""

from datetime import datetime
from typing import Literal

Decision = Literal["approve", "deny"]
Status = Literal["pending", "approved", "denied"]
Outcome = Literal["pending", "approved", "denied", "expired"]


def status_after(decision: Decision) -> Status:
    return "approved" if decision == "approve" else "denied"


def can_decide(status: str, expires_at: datetime, now: datetime) -> bool:
    """Only a pending, unexpired approval takes a decision, and only once."""
    return status == "pending" and now < expires_at


def outcome(status: str, expires_at: datetime, now: datetime) -> Outcome:
    """What the waiting login sees. A decision taken in time stands even when the login polls
    after the expiry; an approval nobody answered in time is expired."""
    if status == "approved":
        return "approved"
    if status == "denied":
        return "denied"
    return "pending" if now < expires_at else "expired"
