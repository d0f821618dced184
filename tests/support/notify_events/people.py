"""The people the samples concern, and what an event must cause (NOT-1)."""

import uuid
from dataclasses import dataclass

from konto.common.events import (
    Event,
    UserRegistered,
    UserRegisteredV1,
    UserUpdated,
    UserUpdatedV1,
)

DEV_COMMAND_KEY = "a29udG8tZGV2LW9ubHktZW5jcnlwdGlvbi1rZXkhISE="
CONSOLE = "https://console.test"


@dataclass(frozen=True)
class Who:
    user_id: str
    email: str
    name: str
    locale: str
    mobile: str = "+41791234567"


def who(email: str, name: str, locale: str, mobile: str = "+41791234567") -> Who:
    return Who(f"u-{uuid.uuid4().hex[:12]}", email, name, locale, mobile)


def registered(person: Who) -> UserRegisteredV1:
    return UserRegisteredV1(
        subject=person.user_id,
        data=UserRegistered(
            user_id=person.user_id,
            email=person.email,
            name=person.name,
            mobile=person.mobile,
            locale=person.locale,  # type: ignore[arg-type]
        ),
    )


def locale_changed(person: Who, locale: str) -> UserUpdatedV1:
    return UserUpdatedV1(
        subject=person.user_id,
        data=UserUpdated(user_id=person.user_id, changes={"locale": locale}),
    )


@dataclass(frozen=True)
class Expected:
    """What one event must cause: one message to `address` on `channel` in `locale`."""

    event: Event
    address: str
    template: str
    locale: str
    channel: str = "email"
