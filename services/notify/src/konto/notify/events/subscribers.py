"""notify's Kafka subscriptions: thin, everything happens in the dispatcher."""

from konto.common.events import AUTH_EVENTS
from konto.common.service import Runtime
from konto.notify.service.dispatch import Dispatcher


def subscribe(runtime: Runtime, dispatcher: Dispatcher) -> None:
    runtime.consumer("auth-events", AUTH_EVENTS, handler=dispatcher.on_event)
