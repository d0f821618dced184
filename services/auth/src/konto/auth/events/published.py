"""The events auth announces (through the outbox) and their AsyncAPI declaration."""

from typing import Any

from konto.auth.domain.locations import Location
from konto.common.events import (
    AUTH_EVENTS,
    AuthEvent,
    LoginSucceeded,
    LoginSucceededV1,
    UserRegistered,
    UserRegisteredV1,
)
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
