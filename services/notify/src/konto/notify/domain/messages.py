"""Which event a person must hear about, and what the message says (NOT-1). Pure: the caller
looks up the person and renders the template."""

from dataclasses import dataclass, field
from typing import Any

from konto.common.events import KontoEvent, LoginSucceededV1

LOCALES = ("de", "fr", "en", "it")
FALLBACK_LOCALE = "en"


@dataclass(frozen=True)
class Person:
    user_id: str
    email: str
    name: str
    locale: str


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
    security: bool = True  # security messages ignore preferences

    @property
    def delivery_id(self) -> str:
        return f"{self.event_id}:{self.recipient}:{self.channel}"


def pick_locale(locale: str | None) -> str:
    return locale if locale in LOCALES else FALLBACK_LOCALE


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
