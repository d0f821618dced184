"""Identity verification on auth's behalf (VER-1, VER-3): ask for a case to unlock a locked
account (AUTH-5), and act on the approved decisions of the cases auth asked for: unlock,
remove every second factor (AUTH-9), send a reset link (AUTH-6)."""

import logging

from konto.auth.domain.identifiers import normalize_email
from konto.auth.domain.throttle import identifier_key
from konto.auth.events.published import open_case
from konto.auth.service.mfa import MfaService
from konto.auth.service.password_resets import PasswordResetService
from konto.auth.service.request_limit import RequestLimit
from konto.auth.store.login_guards import LoginGuards
from konto.auth.store.users import Users
from konto.common.events import (
    AccountUnlocked,
    AccountUnlockedV1,
    CaseDecidedV1,
    KontoEvent,
)
from konto.common.outbox import Outbox, UnitOfWork

log = logging.getLogger(__name__)


def approved_for_auth(event: KontoEvent) -> bool:
    """The consumer's cheap filter: only approvals of cases auth asked for need work."""
    return (
        isinstance(event, CaseDecidedV1)
        and event.data.requested_by == "auth"
        and event.data.outcome == "approved"
    )


class RecoveryCases:
    def __init__(
        self,
        *,
        outbox: Outbox,
        users: Users,
        guards: LoginGuards,
        mfa: MfaService,
        resets: PasswordResetService,
        limit: RequestLimit,
    ) -> None:
        self.outbox = outbox
        self.users = users
        self.guards = guards
        self.mfa = mfa
        self.resets = resets
        self.limit = limit

    async def request_unlock(self, email: str) -> None:
        """`POST /v1/account-unlocks`: a case only for an account that is locked; the answer
        is the same in every case. Raises Throttled past the per-identifier limit."""
        try:
            normalized: str | None = normalize_email(email)
        except ValueError:
            normalized = None
        identifier = identifier_key(email, normalized)
        await self.limit.take(f"unlock:{identifier}")
        user = await self.users.by_email(normalized) if normalized else None
        guard = await self.guards.guard(identifier)
        if user is None or guard is None or guard.get("locked_at") is None:
            return
        async with self.outbox.unit_of_work() as uow:
            uow.emit(open_case(user, "account_unlock"))

    async def request_mfa_removal(self, user_id: str) -> bool:
        """`POST /v1/me/mfa/verification` (AUTH-9): no working second factor left, so an
        approved identity verification removes them all. False when 2FA is not on; raises
        Throttled past the per-person limit."""
        await self.limit.take(f"mfa-removal:{user_id}")
        user = await self.users.by_id(user_id)
        if user is None or not await self.mfa.is_enabled(user_id):
            return False
        async with self.outbox.unit_of_work() as uow:
            uow.emit(open_case(user, "mfa_deactivation"))
        return True

    async def on_verification_event(self, event: KontoEvent, uow: UnitOfWork) -> None:
        if not approved_for_auth(event):
            return
        assert isinstance(event, CaseDecidedV1)
        data = event.data
        user = await self.users.by_id(data.user_id or data.reference)
        if user is None:  # the account was deleted meanwhile: nothing left to do
            log.info("decision for an unknown user", extra={"case_id": data.case_id})
            return
        user_id = user["_id"]
        if data.reason == "account_unlock":
            if await self.guards.unlock(identifier_key(user["email"], user["email"]), uow.session):
                uow.emit(
                    AccountUnlockedV1(
                        subject=user_id, data=AccountUnlocked(user_id=user_id, by="verification")
                    )
                )
        elif data.reason == "mfa_deactivation":
            await self.mfa.remove_all(user_id, uow)
        elif data.reason == "forgotten_password":
            await self.resets.issue_link(user, "verification", uow)
