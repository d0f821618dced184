"""Dead-letters a delivery that gave up: a `konto.notify.delivery.failed.v1` on
`konto.notify.deliveries.dlq`, with the headers the common consumer writes for its give-ups, so
`replay-dlq konto.notify.deliveries` brings it back to notify's deliveries consumer."""

from faststream.kafka import KafkaBroker

from konto.common.events import NOTIFY_DELIVERIES, DeliveryFailed, DeliveryFailedV1, dlq
from konto.common.service import Runtime
from konto.notify.store.deliveries import Delivery

DELIVERIES_DLQ = dlq(NOTIFY_DELIVERIES)


class DeliveryDeadLetters:
    def __init__(self, broker: KafkaBroker) -> None:
        self.broker = broker

    async def publish(self, delivery: Delivery) -> None:
        error = str(delivery.get("last_error", ""))
        event = DeliveryFailedV1(
            subject=delivery["_id"],
            data=DeliveryFailed(
                delivery_id=delivery["_id"],
                event_id=delivery["event_id"],
                event_type=delivery["event_type"],
                recipient=delivery["recipient"],
                channel=delivery["channel"],
                template=delivery["template"],
                attempts=int(delivery.get("attempts", 0)),
                error=error,
            ),
        )
        await self.broker.publish(
            event.to_json(),
            topic=DELIVERIES_DLQ,
            key=event.subject.encode(),
            headers={
                "content-type": "application/cloudevents+json",
                "ce-type": event.type,
                "x-konto-error": error[:2000],
                "x-konto-consumer": "notify.deliveries",
                "x-konto-attempts": str(event.data.attempts),
                "x-konto-original-topic": NOTIFY_DELIVERIES,
            },
        )


def declare(runtime: Runtime) -> None:
    runtime.publishes(
        DELIVERIES_DLQ,
        DeliveryFailedV1,
        "Deliveries that failed after every retry; replay them with `python -m "
        "konto.notify.cli replay-dlq konto.notify.deliveries`.",
    )
