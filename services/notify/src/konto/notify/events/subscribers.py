"""notify's Kafka subscriptions: thin, everything happens in the dispatcher and the courier."""

from collections.abc import Callable

from konto.common.events import (
    AUTH_EVENTS,
    BILLING_EVENTS,
    NOTIFY_COMMANDS,
    NOTIFY_DELIVERIES,
    ORGS_EVENTS,
    VERIFICATION_EVENTS,
    DeliveryFailedV1,
    KontoEvent,
)
from konto.common.service import Runtime
from konto.notify.domain.mapping import concerns
from konto.notify.service.commands import Commands, is_command
from konto.notify.service.delivery import Courier
from konto.notify.service.dispatch import Dispatcher


def subscribe(
    runtime: Runtime, dispatcher: Dispatcher, courier: Courier, commands: Commands
) -> None:
    runtime.consumer("auth-events", AUTH_EVENTS, handler=dispatcher.on_event, accepts=concerns)
    runtime.consumer("orgs-events", ORGS_EVENTS, handler=dispatcher.on_event, accepts=concerns)
    runtime.consumer(
        "verification-events", VERIFICATION_EVENTS, handler=dispatcher.on_event, accepts=concerns
    )
    # Invoices, cancellations, blocked orders; billing's state changes (for orgs' deletion
    # check) are nobody's news.
    runtime.consumer(
        "billing-events", BILLING_EVENTS, handler=dispatcher.on_event, accepts=concerns
    )
    # Only replays of konto.notify.deliveries.dlq arrive here (see events/dead_letters.py).
    runtime.consumer(
        "deliveries", NOTIFY_DELIVERIES, handler=courier.on_replayed, accepts=_is(DeliveryFailedV1)
    )
    runtime.consumer("commands", NOTIFY_COMMANDS, handler=commands.on_command, accepts=is_command)


def _is(kind: type) -> Callable[[KontoEvent], bool]:
    return lambda event: isinstance(event, kind)
