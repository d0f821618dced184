"""Cancelling a product (BIL-7): asked for, then confirmed from a mailed link; the product works
until the end of its paid period (nothing is deleted before), is retired on that date, and open
fees stay due, also after it ended."""

import hashlib
import secrets
from collections.abc import Mapping
from datetime import date, datetime

from konto.billing.domain.access import FULL_ACCESS_ROLES


class CancellationRefused(ValueError):
    pass


def new_link_token() -> str:
    return secrets.token_urlsafe(32)


def hash_link_token(token: str) -> str:
    """Only the hash is stored: a database reader cannot confirm a cancellation."""
    return hashlib.sha256(token.encode()).hexdigest()


def confirm_url(console_url: str, token: str) -> str:
    return f"{console_url.rstrip('/')}/billing/cancellation/{token}"


def check_requestable(cancellation: dict[str, object] | None) -> None:
    if cancellation and cancellation.get("status") == "confirmed":
        raise CancellationRefused("this product is cancelled already")


def check_confirmable(cancellation: dict[str, object] | None, now: datetime) -> None:
    if not cancellation or cancellation.get("status") != "requested":
        raise CancellationRefused("no cancellation of this product is waiting for confirmation")
    expires_at = cancellation["expires_at"]
    assert isinstance(expires_at, datetime)
    if now >= expires_at:
        raise CancellationRefused("this link has expired; ask for the cancellation again")


def still_due(renews_on: date, ends_on: date | None) -> bool:
    """A renewal is due unless the product ends by then. A fee overdue at the confirmation
    renews before the end (which is then the confirmation day), so it stays due."""
    return ends_on is None or renews_on < ends_on


def due_to_end(cancellation: Mapping[str, object] | None, today: date) -> bool:
    """A confirmed cancellation retires its product on its end date (the paid period is over)
    or, when the job ran late, on the first run after it."""
    if not cancellation or cancellation.get("status") != "confirmed":
        return False
    return date.fromisoformat(str(cancellation["ends_on"])) <= today


def administrators_to_tell(members: list[tuple[str, str]], actor_id: str) -> list[str]:
    """The organization's administrators and legal representatives except the one who acted."""
    return sorted(uid for uid, role in members if role in FULL_ACCESS_ROLES and uid != actor_id)
