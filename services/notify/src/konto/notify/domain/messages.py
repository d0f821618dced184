"""Which event a person must hear about, and what the message says (NOT-1). Pure: the caller
looks up the person and renders the template."""

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from konto.common.events import KontoEvent, LoginSucceededV1, UserRegisteredV1

LOCALES = ("de", "fr", "en", "it")
FALLBACK_LOCALE = "en"


@dataclass(frozen=True)
class Person:
    user_id: str
    email: str
    name: str
    locale: str
    mobile: str | None = None


@dataclass(frozen=True)
class Outgoing:
    event_id: str
    event_type: str
    recipient: str  # user id
    channel: str
    template: str
    locale: str
    address: str
    context: dict[str, Any] = field(default_factory=dict)
    # Preferences group messages by category; "security" ones cannot be switched off.
    category: str = "security"

    @property
    def security(self) -> bool:
        return self.category == "security"

    @property
    def delivery_id(self) -> str:
        return f"{self.event_id}:{self.recipient}:{self.channel}"


def pick_locale(locale: str | None) -> str:
    return locale if locale in LOCALES else FALLBACK_LOCALE


def concerns(event: KontoEvent) -> bool:
    """Whether notify acts on this event at all: the projection's input, or something `plan`
    may turn into a message. Keep in step with `plan`; the others skip MongoDB entirely."""
    if isinstance(event, LoginSucceededV1):
        return event.data.new_location
    return isinstance(event, UserRegisteredV1)


def is_stale(event_time: datetime, now: datetime, max_age: timedelta) -> bool:
    """An event this old causes no message (a replay of history is not news)."""
    return now - event_time > max_age


def addressable(out: Outgoing, only: re.Pattern[str] | None) -> bool:
    """Whether a sandbox restriction (if any) lets this message out."""
    return only is None or only.search(out.address) is not None


def plan(event: KontoEvent, person: Person | None, console_url: str) -> list[Outgoing]:
    """The messages an event causes; none when nobody must hear about it."""
    if isinstance(event, LoginSucceededV1) and event.data.new_location and person:
        data = event.data
        return [
            Outgoing(
                event_id=event.id,
                event_type=event.type,
                recipient=person.user_id,
                channel="email",
                template="new_location",
                locale=pick_locale(person.locale),
                address=person.email,
                context={
                    "name": person.name,
                    "time": event.time,
                    "ip": data.ip,
                    "network": data.network,
                    "browser": data.user_agent_family,
                    "change_password_url": f"{console_url}/security/password",
                    "enable_2fa_url": f"{console_url}/security/two-factor",
                },
            )
        ]
    return []
