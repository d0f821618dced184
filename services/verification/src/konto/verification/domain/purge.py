"""What the privacy purge does to a case (VER-4). Personal data and files stay until the case is
decided; a decided case keeps only its outcome; a case not decided within 72 h of submission
(or never submitted before its link expired) loses them too and ends `expired`."""

from dataclasses import dataclass
from datetime import datetime, timedelta

# Fields a purged case keeps: what was asked, by whom, for what, and the outcome.
KEPT_FIELDS = frozenset(
    {
        "_id",
        "reason",
        "requested_by",
        "reference",
        "user_id",
        "priority",
        "status",
        "created_at",
        "expires_at",
        "submitted_at",
        "decided_at",
        "decided_by",
        "erased_at",
        "token_hash",
    }
)


@dataclass(frozen=True)
class Erase:
    status: str  # the status the case ends with
    why: str


def purge_action(
    *,
    status: str,
    submitted_at: datetime | None,
    expires_at: datetime,
    erased_at: datetime | None,
    now: datetime,
    undecided_after: timedelta,
) -> Erase | None:
    """None when the case keeps its data for now (or was purged already: idempotent)."""
    if erased_at is not None:
        return None
    if status in ("approved", "rejected"):
        return Erase(status, "decided")
    if status == "submitted" and submitted_at is not None and now >= submitted_at + undecided_after:
        return Erase("expired", "not decided in time")
    if status == "open" and now >= expires_at:
        return Erase("expired", "link expired before submission")
    if status == "expired":
        return Erase("expired", "expired")
    return None


def erased_fields(document: dict[str, object]) -> list[str]:
    """The fields to remove from a stored case."""
    return sorted(set(document) - KEPT_FIELDS)
