"""Operator actions run from the CLI (AUTH-5 unlock)."""

from konto.auth.domain.identifiers import normalize_email
from konto.auth.domain.throttle import identifier_key
from konto.auth.service.login_guard import LoginGuard
from konto.auth.store.users import Users


async def unlock(email: str, *, users: Users, guard: LoginGuard) -> bool:
    """Lift the lock and the failure count of a login id; False when it was not locked."""
    try:
        normalized: str | None = normalize_email(email)
    except ValueError:
        normalized = None
    user = await users.by_email(normalized) if normalized else None
    return await guard.unlock(identifier_key(email, normalized), user["_id"] if user else None)
