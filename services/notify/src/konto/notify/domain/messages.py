"""The shape of a message (NOT-1): who gets it, on which channel, in which language, from which
template. Pure; `mapping.py` decides which events cause which messages."""

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from konto.common.events import Event

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
    recipient: str  # the user id; the address itself for someone without a known account
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


def is_stale(event_time: datetime, now: datetime, max_age: timedelta) -> bool:
    """An event this old causes no message (a replay of history is not news)."""
    return now - event_time > max_age


def addressable(out: Outgoing, only: re.Pattern[str] | None) -> bool:
    """Whether a sandbox restriction (if any) lets this message out."""
    return only is None or only.search(out.address) is not None


def email(
    event: Event,
    person: Person,
    template: str,
    context: dict[str, Any],
    category: str = "security",
) -> Outgoing:
    """A mail to a known person, in the language of their profile."""
    return Outgoing(
        event_id=event.id,
        event_type=event.type,
        recipient=person.user_id,
        channel="email",
        template=template,
        locale=pick_locale(person.locale),
        address=person.email,
        context={"name": person.name, "time": event.time, **context},
        category=category,
    )


def masked_address(address: str) -> str:
    """`a***@example.ch`: enough for the owner to recognise, little for anyone else."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}" if domain else f"{address[:1]}***"
