"""Konto's public event contract: every model, and one typed union discriminated on `type`."""

from typing import Annotated, get_args

from pydantic import Field, TypeAdapter, ValidationError

from konto.common.events.auth import (
    AuthEventTypes,
    LoginSucceeded,
    LoginSucceededV1,
    UserRegistered,
    UserRegisteredV1,
)
from konto.common.events.envelope import Event, EventData, utcnow, uuid7
from konto.common.events.topics import (
    AUTH_EVENTS,
    BILLING_EVENTS,
    NOTIFY_EVENTS,
    ORGS_EVENTS,
    VERIFICATION_EVENTS,
    dlq,
)

# One module per owning service, each with its `<Service>EventTypes` union; a new service's
# events join here.
AuthEvent = Annotated[AuthEventTypes, Field(discriminator="type")]
KontoEvent = Annotated[AuthEventTypes, Field(discriminator="type")]

EVENT_TYPES: dict[str, type[Event]] = {
    model.model_fields["type"].default: model for model in get_args(get_args(KontoEvent)[0])
}

_adapter: TypeAdapter[KontoEvent] = TypeAdapter(KontoEvent)


class UnknownEventType(ValueError):
    """A well-formed envelope whose type this reader does not know (a newer producer)."""


def parse_event(raw: bytes | str) -> KontoEvent:
    """Parse one envelope. Raises UnknownEventType for types this version does not know and
    pydantic's ValidationError for anything malformed."""
    try:
        return _adapter.validate_json(raw)
    except ValidationError as exc:
        if any(err["type"] == "union_tag_invalid" for err in exc.errors()):
            raise UnknownEventType(str(exc.errors()[0].get("input", ""))[:200]) from exc
        raise


__all__ = [
    "AUTH_EVENTS",
    "BILLING_EVENTS",
    "EVENT_TYPES",
    "NOTIFY_EVENTS",
    "ORGS_EVENTS",
    "VERIFICATION_EVENTS",
    "AuthEvent",
    "Event",
    "EventData",
    "KontoEvent",
    "LoginSucceeded",
    "LoginSucceededV1",
    "UnknownEventType",
    "UserRegistered",
    "UserRegisteredV1",
    "dlq",
    "parse_event",
    "utcnow",
    "uuid7",
]
