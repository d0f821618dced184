"""orgs' Kafka subscriptions: thin, the work happens in the services."""

from konto.common.events import (
    AUTH_EVENTS,
    BILLING_EVENTS,
    AccountStateChangedV1,
    UserRegisteredV1,
)
from konto.common.service import Runtime
from konto.orgs.service.deletion import DeletionService
from konto.orgs.service.registrations import Registrations


def subscribe(runtime: Runtime, registrations: Registrations, deletion: DeletionService) -> None:
    runtime.consumer(
        "auth-events",
        AUTH_EVENTS,
        handler=registrations.on_auth_event,
        accepts=lambda event: isinstance(event, UserRegisteredV1),
    )
    # billing's per-organization state, for the deletion guard (ORG-7).
    runtime.consumer(
        "billing-events",
        BILLING_EVENTS,
        handler=deletion.on_billing_event,
        accepts=lambda event: isinstance(event, AccountStateChangedV1),
    )
