"""The events auth announces (through the outbox) and their AsyncAPI declaration."""

from typing import Any

from konto.auth.domain.locations import Location
from konto.common.events import (
    AUTH_EVENTS,
    AuthEvent,
    LoginSucceeded,
    LoginSucceededV1,
    OpenCase,
    OpenCaseV1,
    UserRegistered,
    UserRegisteredV1,
)
from konto.common.events.verification import CaseReason
from konto.common.events.verification import Locale as CaseLocale
from konto.common.service import Runtime


def declare(runtime: Runtime) -> None:
    runtime.publishes(AUTH_EVENTS, AuthEvent, "Identity events, keyed by user id")


def user_registered(user: dict[str, Any]) -> UserRegisteredV1:
    return UserRegisteredV1(
        subject=user["_id"],
        data=UserRegistered(
            user_id=user["_id"],
            email=user["email"],
            name=user["name"],
            mobile=user["mobile"],
            locale=user["locale"],
            invitation_id=user.get("invitation_id"),
        ),
    )


def login_succeeded(
    *,
    user_id: str,
    session_id: str,
    location: Location,
    ip: str,
    user_agent: str,
    new_location: bool,
    amr: list[str],
) -> LoginSucceededV1:
    return LoginSucceededV1(
        subject=user_id,
        data=LoginSucceeded(
            user_id=user_id,
            session_id=session_id,
            device_id=location.device_id,
            ip=ip,
            network=location.network,
            user_agent=user_agent,
            user_agent_family=location.user_agent_family,
            new_location=new_location,
            amr=amr,
        ),
    )


def open_case(user: dict[str, Any], reason: CaseReason) -> OpenCaseV1:
    """Command to verification (VER-1): auth acts on the decision, keyed by the user id."""
    return OpenCaseV1(
        subject=user["_id"],
        source="konto/auth",
        data=OpenCase(
            reason=reason,
            requested_by="auth",
            reference=user["_id"],
            user_id=user["_id"],
            email=user.get("recovery_email") or user["email"],
            mobile=user.get("mobile") or None,
            locale=user["locale"],
        ),
    )


def open_case_for_unknown(
    *, reference: str, email: str, mobile: str, locale: CaseLocale
) -> OpenCaseV1:
    """AUTH-8: nobody could be identified; the case link goes to the address the person gave,
    and an approved case is resolved by support (auth has no account to act on)."""
    return OpenCaseV1(
        subject=reference,
        source="konto/auth",
        data=OpenCase(
            reason="forgotten_login_id",
            requested_by="auth",
            reference=reference,
            user_id=None,
            email=email,
            mobile=mobile,
            locale=locale,
        ),
    )
