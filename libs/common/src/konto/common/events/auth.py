"""Events published by the auth service on `konto.auth.events`; subject is the user id."""

from typing import ClassVar, Literal

from pydantic import Field

from konto.common.events.envelope import Event, EventData
from konto.common.events.topics import AUTH_EVENTS

Locale = Literal["de", "fr", "en", "it"]


class UserRegistered(EventData):
    user_id: str
    email: str = Field(description="Normalised login identifier")
    name: str
    mobile: str = Field(description="E.164")
    locale: Locale
    invitation_id: str | None = Field(
        default=None, description="Set when the person registered through an invitation (ORG-4)"
    )


class UserRegisteredV1(Event):
    topic: ClassVar[str] = AUTH_EVENTS
    type: Literal["konto.auth.user.registered.v1"] = "konto.auth.user.registered.v1"
    source: str = "konto/auth"
    data: UserRegistered


class LoginSucceeded(EventData):
    user_id: str
    session_id: str
    device_id: str = Field(description="Long-lived id the client keeps per device")
    ip: str
    network: str = Field(description="Client network: IPv4 /24 or IPv6 /48")
    user_agent: str
    user_agent_family: str
    new_location: bool = Field(description="First login from this device, network and UA family")
    amr: list[str] = Field(description="How the user authenticated, RFC 8176 values")


class LoginSucceededV1(Event):
    topic: ClassVar[str] = AUTH_EVENTS
    type: Literal["konto.auth.login.succeeded.v1"] = "konto.auth.login.succeeded.v1"
    source: str = "konto/auth"
    data: LoginSucceeded


AuthEventTypes = UserRegisteredV1 | LoginSucceededV1
