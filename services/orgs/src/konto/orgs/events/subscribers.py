"""orgs' Kafka subscriptions: thin, the work happens in the services."""

from konto.common.events import AUTH_EVENTS, UserRegisteredV1
from konto.common.service import Runtime
from konto.orgs.service.registrations import Registrations


def subscribe(runtime: Runtime, registrations: Registrations) -> None:
    runtime.consumer(
        "auth-events",
        AUTH_EVENTS,
        handler=registrations.on_auth_event,
        accepts=lambda event: isinstance(event, UserRegisteredV1),
    )
