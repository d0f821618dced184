"""Forgotten login id (AUTH-8): from the mobile number, and the recovery e-mail where several
accounts share it. The answer never tells whether anything matched."""

from konto.auth.domain.identifiers import normalize_email, normalize_mobile
from konto.auth.domain.login_recovery import Candidate, identify
from konto.auth.events.published import open_case_for_unknown
from konto.auth.service.request_limit import RequestLimit
from konto.auth.store.users import Users
from konto.common.events import LoginIdRequested, LoginIdRequestedV1, uuid7
from konto.common.events.verification import Locale
from konto.common.outbox import Outbox


class LoginRecovery:
    def __init__(self, *, outbox: Outbox, users: Users, limit: RequestLimit) -> None:
        self.outbox = outbox
        self.users = users
        self.limit = limit

    async def request(self, mobile: str, recovery_email: str | None, locale: Locale) -> None:
        """Raises InvalidIdentifier (a malformed number or address; it says nothing about any
        account), or Throttled past the per-number limit."""
        number = normalize_mobile(mobile)
        address = normalize_email(recovery_email, "recovery_email") if recovery_email else None
        await self.limit.take(f"login-id:{number}")
        accounts = await self.users.by_mobile(number)
        candidates = [Candidate(u["_id"], u.get("recovery_email")) for u in accounts]
        outcome, found = identify(candidates, address)
        if outcome in ("ambiguous", "nothing"):
            return
        async with self.outbox.unit_of_work() as uow:
            if outcome == "case":
                assert address is not None  # identify() answers "case" only with an address
                uow.emit(
                    open_case_for_unknown(
                        reference=f"login-id:{uuid7()}", email=address, mobile=number, locale=locale
                    )
                )
                return
            assert found is not None
            user = next(u for u in accounts if u["_id"] == found.user_id)
            uow.emit(
                LoginIdRequestedV1(
                    subject=user["_id"],
                    data=LoginIdRequested(
                        user_id=user["_id"],
                        login_id=user["email"],
                        name=user["name"],
                        locale=user["locale"],
                        channel="email" if outcome == "email" else "sms",
                        mobile=number if outcome == "sms" else None,
                        email=address if outcome == "email" else None,
                    ),
                )
            )
